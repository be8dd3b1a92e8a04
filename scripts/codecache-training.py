# The build's training run for the code cache (scripts/bundle.mjs): common
# paths of a script, quietly. Keep it short; it prints nothing.
import gc, sys


class Node:
    def __init__(self, value, parent=None):
        self.value = value
        self.parent = parent
        self.children = []

    def add(self, value):
        child = Node(value, self)
        self.children.append(child)
        return child

    def __repr__(self):
        return f"Node({self.value!r})"


def build(n):
    root = Node(0)
    for i in range(n):
        root.add(i).add(str(i) * 2)
    return root


def walk(node, depth=0):
    total = depth
    for c in node.children:
        total += walk(c, depth + 1)
    return total


tree = build(50)
total = walk(tree)
words = {w: len(w) for w in "the quick brown fox jumps over the lazy dog".split()}
pairs = sorted(((v, k) for k, v in words.items()), reverse=True)
squares = [x * x for x in range(100) if x % 3] + list(map(abs, [-1, 2.5, -3]))
text = ", ".join(repr(n) for n in tree.children[:3]) + "%d %s" % (total, pairs[0])
try:
    {}["missing"]
except KeyError as e:
    message = str(e)
finally:
    squares.append(len(text))
with open(__file__) as f:
    first = f.readline()
del tree
gc.collect()
sys.getrefcount(squares)
