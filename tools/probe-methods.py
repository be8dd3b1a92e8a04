# Public methods of the built-in types, one line per type, to find what
# refscope lacks: run it under both and compare.
#   python3.11 tools/probe-methods.py > cpython.txt
#   refscope run tools/probe-methods.py > refscope.txt
#   diff cpython.txt refscope.txt
# (2.7: run it with python2.7 and refscope run --python 2.7.)
import sys

TYPES = [str, list, dict, set, frozenset, tuple, int, float, bytes, bytearray]
for t in TYPES:
    names = sorted(n for n in dir(t) if not n.startswith("__"))
    sys.stdout.write("%s %s\n" % (t.__name__, " ".join(names)))
