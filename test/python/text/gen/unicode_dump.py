# Dumps CPython 3.11 (Unicode 14.0) character predicates and case mappings
# as JSON on stdout; unicode_tables.mjs turns the differences from the JS
# engine's own Unicode data into lib/python/text/unicodetables.ts.
# Usage: python3.11 unicode_dump.py > py.json && node unicode_tables.mjs py.json
import json, sys
props = {
 'printable': lambda c: c.isprintable(),
 'alpha': lambda c: c.isalpha(),
 'decimal': lambda c: c.isdecimal(),
 'digit': lambda c: c.isdigit(),
 'numeric': lambda c: c.isnumeric(),
 'upper': lambda c: c.isupper(),
 'lower': lambda c: c.islower(),
 'title': lambda c: c.istitle() and not c.isupper(),
 'space': lambda c: c.isspace(),
 'idstart': lambda c: c.isidentifier(),
 'idcont': lambda c: ('a'+c).isidentifier(),
 'alnum': lambda c: c.isalnum(),
}
out = {}
for name, f in props.items():
    r = []; start = None
    for cp in range(0x110000):
        v = f(chr(cp))
        if v and start is None: start = cp
        if not v and start is not None: r.append([start, cp-1]); start = None
    if start is not None: r.append([start, 0x10ffff])
    out[name] = r
maps = {'upper': {}, 'lower': {}, 'title': {}, 'casefold': {}}
for cp in range(0x110000):
    c = chr(cp)
    for k in maps:
        v = getattr(c, k)()
        if v != c: maps[k][cp] = v
out['maps'] = maps
json.dump(out, sys.stdout)
