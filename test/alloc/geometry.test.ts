// Size-class tables of reference/cpython-memory.md §7.1, for each geometry.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  GEOMETRY_27,
  GEOMETRY_311,
  GEOMETRY_ARTICLE,
  blockSize,
  numBlocks,
  quantizationLoss,
  sizeClassIndex,
  type Geometry,
} from '../../lib/alloc/geometry.js';

const Geometry = suite('geometry');

function table(g: Geometry, waste: boolean): string {
  const rows: string[] = [];
  for (let i = 0; i < g.numSizeClasses; i++) {
    rows.push(`${i}:${blockSize(i, g)}:${numBlocks(i, g)}` + (waste ? `:${quantizationLoss(i, g)}` : ''));
  }
  return rows.join(' ');
}

const TABLE_311 = `
0:16:1021:0 1:32:510:16 2:48:340:16 3:64:255:16 4:80:204:16 5:96:170:16 6:112:145:96
7:128:127:80 8:144:113:64 9:160:102:16 10:176:92:144 11:192:85:16 12:208:78:112 13:224:72:208
14:240:68:16 15:256:63:208 16:272:60:16 17:288:56:208 18:304:53:224 19:320:51:16 20:336:48:208
21:352:46:144 22:368:44:144 23:384:42:208 24:400:40:336 25:416:39:112 26:432:37:352 27:448:36:208
28:464:35:96 29:480:34:16 30:496:32:464 31:512:31:464`;

const TABLE_ARTICLE = `
0:8:506 1:16:253 2:24:168 3:32:126 4:40:101 5:48:84 6:56:72 7:64:63 8:72:56 9:80:50 10:88:46
11:96:42 12:104:38 13:112:36 14:120:33 15:128:31 16:136:29 17:144:28 18:152:26 19:160:25
20:168:24 21:176:23 22:184:22 23:192:21 24:200:20 25:208:19 26:216:18 27:224:18 28:232:17
29:240:16 30:248:16 31:256:15 32:264:15 33:272:14 34:280:14 35:288:14 36:296:13 37:304:13
38:312:12 39:320:12 40:328:12 41:336:12 42:344:11 43:352:11 44:360:11 45:368:11 46:376:10
47:384:10 48:392:10 49:400:10 50:408:9 51:416:9 52:424:9 53:432:9 54:440:9 55:448:9 56:456:8
57:464:8 58:472:8 59:480:8 60:488:8 61:496:8 62:504:8 63:512:7`;

const flat = (s: string): string => s.trim().split(/\s+/).join(' ');

Geometry('3.11 class table (idx:size:blocks:waste)', () => {
  assert.is(table(GEOMETRY_311, true), flat(TABLE_311));
});

Geometry('article class table (idx:size:blocks)', () => {
  assert.is(table(GEOMETRY_ARTICLE, false), flat(TABLE_ARTICLE));
});

Geometry('3.11 constants', () => {
  const g = GEOMETRY_311;
  assert.equal(
    [g.alignment, g.smallRequestThreshold, g.numSizeClasses, g.poolSize, g.arenaSize, g.maxPoolsInArena, g.poolOverhead],
    [16, 512, 32, 16384, 1048576, 64, 48],
  );
  assert.equal(g.radixTree, {
    arenaBits: 20,
    topBits: 15,
    midBits: 15,
    botBits: 14,
    rootBytes: 262144,
    midNodeBytes: 262144,
    botNodeBytes: 131072,
  });
});

Geometry('2.7.18 and article constants', () => {
  const a = GEOMETRY_ARTICLE;
  assert.equal([a.alignment, a.numSizeClasses, a.poolSize, a.arenaSize, a.maxPoolsInArena, a.radixTree], [8, 64, 4096, 262144, 64, null]);
  const b = GEOMETRY_27;
  assert.equal([b.alignment, b.smallRequestThreshold, b.numSizeClasses, b.poolSize, b.arenaSize, b.radixTree], [16, 512, 32, 4096, 262144, null]);
  // 2.7.18 observation: 48-byte blocks, 84 to a 4 KiB pool.
  assert.is(numBlocks(2, b), 84);
});

Geometry('sizeClassIndex maps requests to classes, -1 for the raw allocator', () => {
  assert.equal([0, 1, 16, 17, 64, 65, 512, 513].map((n) => sizeClassIndex(n)), [-1, 0, 0, 1, 3, 4, 31, -1]);
  assert.equal([1, 8, 9, 512].map((n) => sizeClassIndex(n, GEOMETRY_ARTICLE)), [0, 0, 1, 63]);
  for (let n = 1; n <= 512; n++) {
    const i = sizeClassIndex(n);
    assert.ok(blockSize(i) >= n && blockSize(i) - n < 16, `request ${n}`);
  }
});

Geometry.run();
