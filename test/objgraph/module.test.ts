// `import objgraph` inside scripts: text formats, DOT files, renders and errors, run through runSource.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { objgraphRenders } from '../../lib/objgraph/module.js';
import { runSource } from '../../lib/python/run.js';
import { renumberDotIds } from './dotids.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/objgraph/fixtures/${name}`, import.meta.url), 'utf8');

function run(source: string) {
  let out = '';
  const r = runSource(source, 'test.py', { stdout: (s) => (out += s), stderr: (s) => (out += s) });
  return { out, exitCode: r.exitCode, it: r.interpreter };
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'refscope-og-'));

const Text = suite('objgraph text');

Text('show_most_common_types: names padded to the longest, one space, counts unaligned; ties in first-seen order', () => {
  const { out } = run(`import objgraph
class MyBigFatObject: pass
objs = [[], [], [], {}, {}, (1, []), MyBigFatObject(), MyBigFatObject()]
objgraph.show_most_common_types(objects=objs)
print(objgraph.most_common_types(objects=objs, limit=2))
print(objgraph.typestats(objects=objs, shortnames=False))
`);
  assert.is(
    out,
    "list           3\ndict           2\nMyBigFatObject 2\ntuple          1\n" +
      "[('list', 3), ('dict', 2)]\n" +
      "{'builtins.list': 3, 'builtins.dict': 2, 'builtins.tuple': 1, '__main__.MyBigFatObject': 2}\n",
  );
});

Text('show_growth: %-*s%9d %+9d, peaks shared between calls, nothing printed when nothing grew', () => {
  const { out } = run(`import objgraph
class A: pass
user = lambda o: type(o).__name__ == 'A'
objgraph.show_growth(filter=user)
keep = [A() for _ in range(3)]
objgraph.show_growth(filter=user)
del keep[0]
objgraph.show_growth(filter=user)
keep.append(A())
objgraph.show_growth(filter=user)
keep.append(A())
objgraph.show_growth(filter=user)
print(objgraph.growth(filter=user))
`);
  assert.is(out, 'A        3        +3\nA        4        +1\n[]\n');
});

Text('get_new_ids: table, ties by name descending, same dict every call, limit=0 prints nothing', () => {
  const { out } = run(`import objgraph
class Zed: pass
class Ant: pass
objgraph.get_new_ids(limit=0)
objgraph.get_new_ids(limit=0)
z = [Zed() for _ in range(3)]
a = [Ant() for _ in range(3)]
new = objgraph.get_new_ids(limit=2, sortby='new')
print(len(new['Zed']), len(new['Ant']), objgraph.get_new_ids(skip_update=True) is new)
print(sorted(objgraph.at_addrs(new['Ant']), key=id) == sorted(a, key=id))
`);
  assert.is(
    out,
    '=======================================================\n' +
      'Type      Old_ids  Current_ids      New_ids Count_Deltas\n' +
      '=======================================================\n' +
      'Zed            0            3           +3           +3\n' +
      'Ant            0            3           +3           +3\n' +
      '=======================================================\n' +
      '3 3 True\nTrue\n',
  );
});

Text('objgraph errors are Python exceptions with objgraph messages', () => {
  const { out } = run(`import objgraph
for f in (lambda: objgraph.show_most_common_types(objects=[]),
          lambda: objgraph.show_refs([1], output=1, filename='x.dot'),
          lambda: objgraph.show_chain([]),
          lambda: objgraph.show_chain([1], filter=None),
          lambda: objgraph.by_type(),
          lambda: objgraph.show_refs()):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
`);
  assert.is(
    out,
    'ValueError max() arg is an empty sequence\n' +
      'ValueError Cannot specify both output and filename.\n' +
      'ValueError max() arg is an empty sequence\n' +
      "TypeError objgraph.show_backrefs() got multiple values for keyword argument 'filter'\n" +
      "TypeError by_type() missing 1 required positional argument: 'typename'\n" +
      "TypeError show_refs() missing 1 required positional argument: 'objs'\n",
  );
});

Text.run();

const Graphs = suite('objgraph graphs');

Graphs('the docs quick start writes sample-graph.dot line for line (ids renamed)', () => {
  const dir = tmp();
  const file = path.join(dir, 'sample-graph.dot');
  const { out } = run(`import objgraph
x = []
y = [x, [x], dict(x=x)]
objgraph.show_refs([y], filename=${JSON.stringify(file)})
`);
  assert.is(out, `Graph written to ${file} (4 nodes)\n`);
  assert.is(renumberDotIds(readFileSync(file, 'utf8')), renumberDotIds(fixture('sample-graph.dot')));
});

Graphs('two-list cycle through output=: nothing printed, DOT written to the file object', () => {
  const { out } = run(`import objgraph
class Buf:
    def __init__(self): self.parts = []
    def write(self, s): self.parts.append(s)
x = []
y = [x]
x.append(y)
b = Buf()
print(objgraph.show_refs([x], output=b))
print(''.join(b.parts), end='')
`);
  assert.is(
    renumberDotIds(out),
    'None\ndigraph ObjectGraph {\n  node[shape=box, style=filled, fillcolor=white];\n  n1[fontcolor=red];\n  n1[label="list\\n1 items"];\n' +
      '  n1[fillcolor="0,0,1"];\n  n1 -> n2;\n  n2[label="list\\n1 items"];\n  n2[fillcolor="0,0,0.766667"];\n  n2 -> n1;\n}\n',
  );
});

Graphs('show_backrefs: the chain stops at the module (culled, green), objgraph itself never appears', () => {
  const dir = tmp();
  const file = path.join(dir, 'b.dot');
  const { out } = run(`import objgraph
class Leak: pass
registry = {'items': [Leak()]}
objgraph.show_backrefs(objgraph.by_type('Leak'), max_depth=4, filename=${JSON.stringify(file)},
                       filter=lambda o: type(o).__name__ != 'function')
`);
  assert.match(out, /^Graph written to .*b\.dot \(5 nodes\)\n$/);
  const dot = renumberDotIds(readFileSync(file, 'utf8'));
  assert.match(dot, /n3 -> n2 \[label="items",weight=2\];/);
  assert.match(dot, /n4 -> n3 \[label="registry",weight=2\];/);
  assert.match(dot, /n5 -> n4 \[label="__dict__",weight=10\];\n  n5\[label="module\\n__main__"\];\n  n5\[fillcolor="0.3,1,0.3"\];/);
  assert.not.match(dot, /objgraph/);
});

Graphs('filename=.svg / .png render in the background; no filename renders a temp png', async () => {
  const dir = tmp();
  const svg = path.join(dir, 'g.svg');
  const png = path.join(dir, 'g.png');
  const { out, it } = run(`import objgraph
x = [[1], [2]]
objgraph.show_refs(x, filename=${JSON.stringify(svg)})
objgraph.show_refs(x, filename=${JSON.stringify(png)})
objgraph.show_refs(x)
objgraph.show_refs(x, filename=${JSON.stringify(path.join(dir, 'g.pdf'))})
`);
  const lines = out.split('\n');
  assert.match(lines[0]!, /^Graph written to .*objgraph-[a-z0-9_]{8}\.dot \(4 nodes\)$/);
  assert.is(lines[1], `Image generated as ${svg}`);
  assert.is(lines[3], `Image generated as ${png}`);
  assert.is(lines[5], 'Graph viewer (xdot) not found, generating a png instead');
  assert.match(lines[6]!, /^Image generated as .*objgraph-[a-z0-9_]{8}\.png$/);
  assert.match(lines[8]!, /^dot failed .*supported extensions are \.dot, \.svg, \.png$/);
  await objgraphRenders(it);
  assert.match(readFileSync(svg, 'utf8'), /<svg/);
  assert.equal([...readFileSync(png).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  assert.ok(existsSync(lines[6]!.slice('Image generated as '.length)));
});

Graphs('refcounts, highlight, extra_info and extra_node_attrs as in the captured sample', () => {
  const { out } = run(`import objgraph
class Buf:
    def __init__(self): self.parts = []
    def write(self, s): self.parts.append(s)
class Node:
    def __init__(self, name): self.name = name
    def __repr__(self): return 'Node(%s)' % self.name
a = Node('a'); b = Node('b')
a.other = b; b.other = a
a.__dict__; b.__dict__
l = [a]
buf = Buf()
objgraph.show_refs([l], max_depth=2, output=buf,
          filter=lambda o: o is a or o is a.__dict__,
          highlight=lambda o: isinstance(o, Node),
          extra_info=lambda o: 'id=%d' % len(repr(o)),
          refcounts=True,
          extra_node_attrs=lambda o: {'URL': 'x/' + type(o).__name__, 'tooltip': None, 'shape': 'ellipse'})
print(''.join(buf.parts), end='')
`);
  const dot = renumberDotIds(out);
  assert.match(dot, /n1\[label="list \[1\]\\n1 items\\nid=9", URL="x\/list", shape="ellipse"\];/);
  assert.match(dot, /n2\[label="Node \[3\]\\nNode\(a\)\\nid=7", URL="x\/Node", shape="ellipse"\];\n  n2\[fillcolor="0.6,0.6,0.825"\];/);
  assert.match(dot, /n3\[label="dict \[1\]\\n2 items\\nid=31", URL="x\/dict", shape="ellipse"\];\n  n3\[fillcolor="0,0,0.3"\];\n  n3\[fontcolor=white\];/);
});

Graphs.run();
