// sys._debugmallocstats() text: the formatter against CPython 3.11.7's real
// capture, and the model's own figures for a scenario computed by hand.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GEOMETRY_27, GEOMETRY_311, GEOMETRY_ARTICLE, type Geometry } from '../../lib/alloc/geometry.js';
import { PyMalloc } from '../../lib/alloc/pymalloc.js';
import {
  formatAllocatorStatsLine,
  formatMallocStats,
  printone,
  withCommas,
  type MallocStats,
  type SizeClassStats,
} from '../../lib/alloc/stats.js';

const Format = suite('stats format');

Format('printone pads the label to 35 and the value to 21 with commas', () => {
  assert.is(printone('# arenas allocated total', 4), '# arenas allocated total           =                    4\n');
  assert.is(printone('Total', 4194304), 'Total                              =            4,194,304\n');
  assert.equal([0, 999, 1000, 65536, 1234567].map(withCommas), ['0', '999', '1,000', '65,536', '1,234,567']);
});

// Checked against 3.11.7 itself: the reference's hand-copied 20-sized line has
// two spaces too many; CPython pads the description to exactly 48 columns.
Format('free-list lines are right-aligned to 48 columns', () => {
  assert.is(
    formatAllocatorStatsLine({ name: 'free PyDictObject', count: 8, size: 48 }),
    '            8 free PyDictObjects * 48 bytes each =                  384\n',
  );
  assert.is(
    formatAllocatorStatsLine({ name: 'free 20-sized PyTupleObject', count: 6, size: 184 }),
    ' 6 free 20-sized PyTupleObjects * 184 bytes each =                1,104\n',
  );
});

// The real 3.11.7 capture of reference/cpython-memory.md §7.3.
const CAPTURE = `Small block threshold = 512, in 32 size classes.

class   size   num pools   blocks in use  avail blocks
-----   ----   ---------   -------------  ------------
    0     16           1             106           915
    1     32           3            1148           382
    2     48          13            4227           193
    3     64          50           12590           160
    4     80          37            7459            89
    5     96           9            1524             6
    6    112           6             730           140
    7    128          10            1187            83
    8    144           3             267            72
    9    160          27            2685            69
   10    176           3             193            83
   11    192           3             216            39
   12    208           7             503            43
   13    224           7             464            40
   14    240           6             380            28
   15    256           5             267            48
   16    272           5             245            55
   17    288           4             191            33
   18    304           3             131            28
   19    320           3             102            51
   20    336           3             106            38
   21    352           2              88             4
   22    368           3              90            42
   23    384           2              71            13
   24    400           6             236             4
   25    416           2              63            15
   26    432           2              46            28
   27    448           2              41            31
   28    464           2              43            27
   29    480           2              37            31
   30    496           2              34            30
   31    512           2              50            12

# arenas allocated total           =                    4
# arenas reclaimed                 =                    0
# arenas highwater mark            =                    4
# arenas allocated current         =                    4
4 arenas * 1048576 bytes/arena     =            4,194,304

# bytes in allocated blocks        =            3,495,520
# bytes in available blocks        =              326,960
17 unused pools * 16384 bytes      =              278,528
# bytes lost to pool headers       =               11,280
# bytes lost to quantization       =               16,480
# bytes lost to arena alignment    =               65,536
Total                              =            4,194,304

arena map counts
# arena map mid nodes              =                    1
# arena map bot nodes              =                    1

# bytes lost to arena map root     =              262,144
# bytes lost to arena map mid      =              262,144
# bytes lost to arena map bot      =              131,072
Total                              =              655,360
`;

/** Rebuilds MallocStats from a capture's class table, deriving the byte lines as obmalloc does. */
function statsFromTable(g: Geometry, text: string, arenas: number, unusedPools: number): MallocStats {
  const rows = text
    .split('\n')
    .filter((l) => /^\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+$/.test(l))
    .map((l) => l.trim().split(/\s+/).map(Number));
  const classes: SizeClassStats[] = [];
  for (let i = 0; i < g.numSizeClasses; i++) {
    const r = rows.find((x) => x[0] === i);
    classes.push({ idx: i, size: (i + 1) * g.alignment, pools: r?.[2] ?? 0, blocksInUse: r?.[3] ?? 0, availBlocks: r?.[4] ?? 0 });
  }
  const sum = (f: (c: (typeof classes)[number]) => number): number => classes.reduce((t, c) => t + f(c), 0);
  const allocatedBytes = sum((c) => c.blocksInUse * c.size);
  const availableBytes = sum((c) => c.availBlocks * c.size);
  const poolHeaderBytes = sum((c) => c.pools * g.poolOverhead);
  const quantizationBytes = sum((c) => c.pools * ((g.poolSize - g.poolOverhead) % c.size));
  const arenaAlignmentBytes = arenas * g.poolSize;
  return {
    geometry: g,
    classes,
    arenasAllocatedTotal: arenas,
    arenasReclaimed: 0,
    arenasHighwater: arenas,
    arenasCurrent: arenas,
    allocatedBytes,
    availableBytes,
    unusedPools,
    poolHeaderBytes,
    quantizationBytes,
    arenaAlignmentBytes,
    total: allocatedBytes + availableBytes + unusedPools * g.poolSize + poolHeaderBytes + quantizationBytes + arenaAlignmentBytes,
    arenaMap: { midNodes: 1, botNodes: 1, rootBytes: 262144, midBytes: 262144, botBytes: 131072 },
  };
}

Format('reproduces the real 3.11.7 capture from its class table', () => {
  const s = statsFromTable(GEOMETRY_311, CAPTURE, 4, 17);
  assert.is(s.total, 4 * GEOMETRY_311.arenaSize);
  assert.fixture(formatMallocStats(s), CAPTURE);
});

Format.run();

const Stats = suite('stats model');

// One 3.11 arena, hand-computed:
//   class 0 (16 B, 1021/pool):  1000 blocks -> 1 pool, 21 free
//   class 1 (32 B, 510/pool):    600 blocks -> 2 pools, 420 free, 16 B waste each
//   class 3 (64 B, 255/pool):    300 blocks, then the 45 of the second pool freed:
//                                 1 full pool, the other empty (an unused pool)
//   class 31 (512 B, 31/pool):    10 blocks -> 1 pool, 21 free, 464 B waste
//   3 raw blocks of 600 B: not in the report.
// allocated = 16000 + 19200 + 16320 + 5120 = 56,640
// available = 336 + 13440 + 0 + 10752      = 24,528
// unused pools = 63 - 6 carved + 1 empty   = 58 -> 950,272
// headers = 5 * 48 = 240; quantization = 0 + 32 + 16 + 464 = 512; alignment 16,384
// 56,640 + 24,528 + 950,272 + 240 + 512 + 16,384 = 1,048,576
const SCENARIO = `Small block threshold = 512, in 32 size classes.

class   size   num pools   blocks in use  avail blocks
-----   ----   ---------   -------------  ------------
    0     16           1            1000            21
    1     32           2             600           420
    3     64           1             255             0
   31    512           1              10            21

# arenas allocated total           =                    1
# arenas reclaimed                 =                    0
# arenas highwater mark            =                    1
# arenas allocated current         =                    1
1 arenas * 1048576 bytes/arena     =            1,048,576

# bytes in allocated blocks        =               56,640
# bytes in available blocks        =               24,528
58 unused pools * 16384 bytes      =              950,272
# bytes lost to pool headers       =                  240
# bytes lost to quantization       =                  512
# bytes lost to arena alignment    =               16,384
Total                              =            1,048,576

arena map counts
# arena map mid nodes              =                    1
# arena map bot nodes              =                    1

# bytes lost to arena map root     =              262,144
# bytes lost to arena map mid      =              262,144
# bytes lost to arena map bot      =              131,072
Total                              =              655,360

            8 free PyDictObjects * 48 bytes each =                  384
           4 free PyFloatObjects * 24 bytes each =                   96
   4 free 1-sized PyTupleObjects * 32 bytes each =                  128
`;

Stats('exact _debugmallocstats text for a hand-computed scenario', () => {
  const pm = new PyMalloc();
  for (let i = 0; i < 1000; i++) pm.malloc(16);
  for (let i = 0; i < 600; i++) pm.malloc(32);
  const c3: number[] = [];
  for (let i = 0; i < 300; i++) c3.push(pm.malloc(64));
  for (const p of c3.slice(255)) pm.free(p);
  for (let i = 0; i < 10; i++) pm.malloc(512);
  for (let i = 0; i < 3; i++) pm.malloc(600);
  const text = pm.formatDebugMallocStats([
    { name: 'free PyDictObject', count: 8, size: 48 },
    { name: 'free PyFloatObject', count: 4, size: 24 },
    { name: 'free 1-sized PyTupleObject', count: 4, size: 32 },
  ]);
  assert.fixture(text, SCENARIO);
  assert.is(pm.getAllocatedBlocks(), 1000 + 600 + 255 + 10 + 3);
  assert.equal(pm.checkConsistency(), []);
});

Stats('reclaimed and highwater after an arena is released', () => {
  const pm = new PyMalloc();
  const blocks: number[] = [];
  for (let i = 0; i < 63 * 31; i++) blocks.push(pm.malloc(512));
  const last = pm.malloc(512);
  for (const b of blocks) pm.free(b);
  const s = pm.collectStats();
  assert.equal(
    [s.arenasAllocatedTotal, s.arenasReclaimed, s.arenasHighwater, s.arenasCurrent, s.unusedPools],
    [2, 1, 2, 1, 62],
  );
  // Radix-tree nodes are never freed; both arenas lived in the same bottom node.
  assert.equal(s.arenaMap, { midNodes: 1, botNodes: 1, rootBytes: 262144, midBytes: 262144, botBytes: 131072 });
  pm.free(last);
  assert.equal(pm.checkConsistency(), []);
});

Stats('an arena straddling a 16 GiB boundary touches two bottom nodes', () => {
  // Bottom nodes cover 2^34 bytes (14 + 20 bits). 0x7f3800000000 is such a
  // boundary; an arena mapped at 0x7f37fff81000 covers ideal arenas on both sides.
  const pm = new PyMalloc({ mmapTop: 0x7f3800000000 + 0x81000 });
  pm.malloc(1);
  assert.is(pm.describeArenas()[0]!.address, 0x7f37fff81000);
  const m = pm.collectStats().arenaMap!;
  assert.equal([m.midNodes, m.botNodes, m.midBytes, m.botBytes], [1, 2, 262144, 262144]);
  assert.ok(formatMallocStats(pm.collectStats()).endsWith('Total                              =              786,432\n'));
  assert.equal(pm.checkConsistency(), []);
});

Stats('geometries without a radix tree print no arena map section', () => {
  for (const g of [GEOMETRY_ARTICLE, GEOMETRY_27]) {
    const pm = new PyMalloc({ geometry: g });
    pm.malloc(8);
    const text = formatMallocStats(pm.collectStats());
    assert.not.match(text, 'arena map');
    assert.match(text, `Small block threshold = 512, in ${g.numSizeClasses} size classes.`);
    assert.match(text, '1 arenas * 262144 bytes/arena      =              262,144\n');
    // 4 KiB pools from page-aligned mmap: nothing lost to alignment.
    assert.match(text, '# bytes lost to arena alignment    =                    0\n');
    assert.match(text, '63 unused pools * 4096 bytes       =              258,048\n');
  }
});

Stats('onNewArena runs before each arena is mapped (PYTHONMALLOCSTATS)', () => {
  const seen: number[] = [];
  const pm = new PyMalloc({ onNewArena: (a) => seen.push(a.collectStats().arenasCurrent) });
  for (let i = 0; i < 63 * 31 + 1; i++) pm.malloc(512);
  assert.equal(seen, [0, 1]);
});

/** A small deterministic PRNG (LCG), so the churn is the same every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

Stats('Total equals narenas * ARENA_SIZE through random churn, in every geometry', () => {
  for (const g of [GEOMETRY_311, GEOMETRY_ARTICLE, GEOMETRY_27]) {
    const pm = new PyMalloc({ geometry: g });
    const rnd = lcg(7);
    const live: number[] = [];
    for (let step = 0; step < 60000; step++) {
      if (live.length > 0 && rnd() < (step < 30000 ? 0.35 : 0.7)) {
        const i = Math.floor(rnd() * live.length);
        pm.free(live[i]!);
        live[i] = live[live.length - 1]!;
        live.pop();
      } else {
        live.push(pm.malloc(Math.floor(rnd() * 600)));
      }
      if (step % 15000 === 14999) {
        const s = pm.collectStats();
        assert.is(s.total, s.arenasCurrent * g.arenaSize, `${g.name} step ${step}`);
        assert.equal(pm.checkConsistency(), [], `${g.name} step ${step}`);
        assert.is(pm.getAllocatedBlocks(), live.length);
      }
    }
    for (const p of live) pm.free(p);
    const s = pm.collectStats();
    assert.is(s.allocatedBytes, 0);
    assert.is(s.arenasCurrent, 1, `${g.name}: one arena survives (anti-thrash)`);
    assert.equal(pm.checkConsistency(), []);
  }
});

Stats.run();
