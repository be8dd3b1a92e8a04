/**
 * WOFF 1.0 → plain sfnt (TrueType/OpenType) conversion.
 *
 * Why this exists: resvg reads only raw sfnt fonts, while the font we ship
 * through npm (`@fontsource/tinos`) comes as WOFF/WOFF2. WOFF 1.0 is a thin
 * wrapper: the same tables, each optionally zlib-compressed, behind a
 * 44-byte header and a 20-byte-per-table directory (W3C WOFF 1.0, §3–§5).
 * Rebuilding the sfnt is a dozen lines with `node:zlib`, smaller than any
 * dependency that would do it for us. WOFF2 (Brotli plus transformed glyf
 * tables) is deliberately not handled.
 *
 * The output keeps the tables, their checksums and their order (WOFF
 * requires the directory sorted by tag, as sfnt does); `head`'s
 * checkSumAdjustment is carried over unchanged, which font parsers ignore.
 */
import { createRequire } from 'node:module';

/** node:zlib, loaded on first use: only rendering needs it, and loading it costs every CLI start. */
let zlib: typeof import('node:zlib') | null = null;
function inflateSync(data: Uint8Array): Buffer {
  zlib ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  return zlib.inflateSync(data);
}

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'
const WOFF_HEADER_SIZE = 44;
const WOFF_DIR_ENTRY_SIZE = 20;
const SFNT_HEADER_SIZE = 12;
const SFNT_DIR_ENTRY_SIZE = 16;

/** True when the bytes start with the WOFF 1.0 signature. */
export function isWoff(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) === WOFF_SIGNATURE;
}

/**
 * Unwraps a WOFF 1.0 font into sfnt bytes.
 *
 * @example
 * const ttf = woffToSfnt(readFileSync('tinos-latin-400-normal.woff'));
 * @throws Error when the data is not WOFF 1.0 or is truncated.
 */
export function woffToSfnt(woff: Uint8Array): Uint8Array {
  const src = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (woff.byteLength < WOFF_HEADER_SIZE || src.getUint32(0) !== WOFF_SIGNATURE) {
    throw new Error('not a WOFF 1.0 font');
  }
  const flavor = src.getUint32(4);
  const numTables = src.getUint16(12);
  if (WOFF_HEADER_SIZE + numTables * WOFF_DIR_ENTRY_SIZE > woff.byteLength) throw new Error('truncated WOFF directory');

  const tables = [];
  for (let i = 0; i < numTables; i++) {
    const at = WOFF_HEADER_SIZE + i * WOFF_DIR_ENTRY_SIZE;
    const tag = src.getUint32(at);
    const offset = src.getUint32(at + 4);
    const compLength = src.getUint32(at + 8);
    const origLength = src.getUint32(at + 12);
    const checksum = src.getUint32(at + 16);
    if (offset + compLength > woff.byteLength) throw new Error('truncated WOFF table');
    const stored = woff.subarray(offset, offset + compLength);
    // A table is compressed exactly when its stored form is shorter (WOFF §5).
    const data = compLength < origLength ? new Uint8Array(inflateSync(stored)) : stored;
    if (data.byteLength !== origLength) throw new Error('WOFF table has the wrong length after decompression');
    tables.push({ tag, checksum, data });
  }

  const padded = (n: number) => (n + 3) & ~3;
  let size = SFNT_HEADER_SIZE + numTables * SFNT_DIR_ENTRY_SIZE;
  for (const t of tables) size += padded(t.data.byteLength);
  const out = new Uint8Array(size);
  const dst = new DataView(out.buffer);

  let pow2 = 1;
  while (pow2 * 2 <= numTables) pow2 *= 2;
  dst.setUint32(0, flavor);
  dst.setUint16(4, numTables);
  dst.setUint16(6, pow2 * 16); // searchRange
  dst.setUint16(8, Math.log2(pow2)); // entrySelector
  dst.setUint16(10, numTables * 16 - pow2 * 16); // rangeShift

  let offset = SFNT_HEADER_SIZE + numTables * SFNT_DIR_ENTRY_SIZE;
  tables.forEach((t, i) => {
    const at = SFNT_HEADER_SIZE + i * SFNT_DIR_ENTRY_SIZE;
    dst.setUint32(at, t.tag);
    dst.setUint32(at + 4, t.checksum);
    dst.setUint32(at + 8, offset);
    dst.setUint32(at + 12, t.data.byteLength);
    out.set(t.data, offset); // padding bytes stay zero
    offset += padded(t.data.byteLength);
  });
  return out;
}
