// re: the Python regex syntax translated to JS RegExp; expected outputs captured from CPython 3.11.7.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dedent, py } from './run.js';

const test = suite('stdlib/re');

test("sub with a callable renames DOT node ids in order (the objgraph scenarios)", () => {
  const { out } = py(dedent(`
    import re
    ids = {}
    def rename(m):
        return ids.setdefault(m.group(0), "n%d" % (len(ids) + 1))
    text = "o140 -> o7;\\n  o7[label=\\"fo12\\"];\\n  o140 -> o7x;\\n"
    print(re.sub(r"\\bo\\d+\\b", rename, text), end="")
    print(ids)
  `));
  assert.is(out, "n1 -> n2;\n  n2[label=\"fo12\"];\n  n1 -> o7x;\n{'o140': 'n1', 'o7': 'n2'}\n");
});

test("Pattern and Match objects: attributes, groups, spans, reprs", () => {
  const { out } = py(dedent(`
    import re
    p = re.compile(r"(?P<key>\\w+)=(?P<val>\\d+)?")
    m = p.search("  a=1 b= c=33")
    print(m, m.group(), m.group(1), m.group("val"), m["key"], m[0], m.groups(), m.groupdict())
    print(m.start(), m.end(), m.span(2), m.pos, m.endpos, m.lastindex, m.lastgroup, m.re is p, m.string)
    print(p, p.pattern, p.flags, p.groups, p.groupindex)
    print(re.compile("a", re.I | re.M), re.compile("(?s)a"), re.compile("a", re.A), re.compile("(?x) a").flags)
    n = re.match("(a)(?P<n>b)?", "a")
    print(n.group(0, 1, 2), n.groups("-"), n.groupdict("d"), n.start(2), n.span("n"), n.regs)
    print(re.compile(r"(a)|(b)").match("b").lastindex, re.compile(r"((a)b)").match("ab").lastindex, re.match("(a)(b)", "ab").lastindex)
    print(type(p), type(m), re.Pattern, re.Match, type(re.finditer("a", "a")).__name__)
    print(repr(re.compile("a" * 300))[-12:], re.match(".*", "b" * 80))
  `));
  assert.is(out, "<re.Match object; span=(2, 5), match='a=1'> a=1 a 1 a a=1 ('a', '1') {'key': 'a', 'val': '1'}\n2 5 (4, 5) 0 13 2 val True   a=1 b= c=33\nre.compile('(?P<key>\\\\w+)=(?P<val>\\\\d+)?') (?P<key>\\w+)=(?P<val>\\d+)? 32 2 {'key': 1, 'val': 2}\nre.compile('a', re.IGNORECASE|re.MULTILINE) re.compile('(?s)a', re.DOTALL) re.compile('a', re.ASCII) 96\n('a', 'a', None) ('a', '-') {'n': 'd'} -1 (-1, -1) ((0, 1), (0, 1), (-1, -1))\n2 1 2\n<class 're.Pattern'> <class 're.Match'> <class 're.Pattern'> <class 're.Match'> callable_iterator\naaaaaaaaaaa) <re.Match object; span=(0, 80), match='bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb>\n");
});

test("match, fullmatch, search and the pos/endpos window", () => {
  const { out } = py(dedent(`
    import re
    p = re.compile(r"\\w+=\\d")
    print(re.match("a+", "aaab"), re.fullmatch("a+", "aaab"), re.fullmatch("a+b", "aaab"))
    print(p.match("zz=1", 1), p.match("zz=1", 2), p.search("a=1 b=2", 3, 7), p.fullmatch("a=1b", 0, 3), p.search("a=1", 2, 1))
    print(re.compile("^b").search("ab", 1), re.compile("a$").search("ab", 0, 1), p.match("x=1", -5, 99))
  `));
  assert.is(out, "<re.Match object; span=(0, 3), match='aaa'> None <re.Match object; span=(0, 4), match='aaab'>\n<re.Match object; span=(1, 4), match='z=1'> None <re.Match object; span=(4, 7), match='b=2'> <re.Match object; span=(0, 3), match='a=1'> None\nNone <re.Match object; span=(0, 1), match='a'> <re.Match object; span=(0, 3), match='x=1'>\n");
});

test("findall, finditer, split and sub follow the empty-match rules of 3.7+", () => {
  const { out } = py(dedent(`
    import re
    print(re.findall(r"(a)(b)?", "ab a"), re.findall(r"(\\w+)@(\\w+)\\.com", "x@y.com, foo@bar.com"))
    print([m.span() for m in re.finditer(r"\\w*", "ab c")])
    print(re.split(r"\\s*,\\s*", "a , b,c,,d"), re.split(r"(,)", "a,b,c", maxsplit=1), re.split(r"(x)?,", "a,bx,c"))
    print(re.split(r"\\b", "a b"), re.findall("|a", "a"), re.sub("x*", "-", "abxd"), re.findall(r".*", "ab"))
    print(re.findall(r"a*?", "aa"), re.sub(r"a|", "-", "bab"), re.subn("a", "b", "aaa", count=2), re.sub("a", "b", "aaa", -1))
  `));
  assert.is(out, "[('a', 'b'), ('a', '')] [('x', 'y'), ('foo', 'bar')]\n[(0, 2), (2, 2), (3, 4), (4, 4)]\n['a', 'b', 'c', '', 'd'] ['a', ',', 'b,c'] ['a', None, 'b', 'x', 'c']\n['', 'a', ' ', 'b', ''] ['', 'a', ''] -a-b--d- ['ab', '']\n['', 'a', '', 'a', ''] -b--b- ('bba', 2) aaa\n");
});

test("replacement templates: \\1, \\g<n>, \\g<name>, escapes, unmatched groups", () => {
  const { out } = py(dedent(`
    import re
    print(re.subn(r"(\\w)(\\d)", r"\\2\\1", "a1 b2 c"), re.sub(r"(?P<w>\\w+)", r"<\\g<w>|\\g<1>|\\g<0>>", "hi yo"))
    print(repr(re.sub("a", r"\\n\\t\\\\", "a")), re.sub("(a)|b", r"[\\1]", "ab"), re.sub("x", lambda m: None, "axb"))
    m = re.match(r"(?P<k>\\w)=(\\d)", "a=1")
    print(m.expand(r"\\2\\g<k>\\101"), re.sub("a", "b", "xyz") == "xyz")
  `));
  assert.is(out, "('1a 2b c', 2) <hi|hi|hi> <yo|yo|yo>\n'\\n\\t\\\\' [a][] ab\n1aA True\n");
});

test("translation: Unicode classes, ASCII, anchors, MULTILINE, DOTALL, VERBOSE, inline and scoped flags", () => {
  const { out } = py(dedent(`
    import re
    print(re.findall(r"\\d", "1\\u0663x"), re.findall(r"\\d", "1\\u0663x", re.ASCII), re.findall(r"\\w+", "h\\u00e9llo w\\u00f6rld_1 \\u00b2"))
    print(re.sub(r"\\s+", " ", "a \\t\\n b\\u3000c\\u00a0d\\ufeffe"), re.findall(r"[^\\W\\d]+", "ab12cd_3"), re.findall(r"[\\s\\d]+", "a 1 b"))
    print(re.search("$", "ab\\n").span(), re.findall("^a", "a\\na", re.M), re.findall("a$", "a\\na\\n", re.M), re.findall(".", "a\\nb\\r"), re.findall(".", "a\\nb", re.S))
    print(re.search(r"\\Aab\\Z", "ab"), re.search(r"ab\\Z", "ab\\n"), re.search(r"ab$", "ab\\n"), re.findall(r"\\bx", "x\\u00e9x x"))
    print(re.findall("(?i)stra\\u00dfe", "STRASSE Stra\\u00dfe"), re.findall("[a-c]+", "ABCabc", re.I), re.match(r"(?i:a)b", "Ab"), re.match(r"(?i:a)b", "AB"))
    v = re.compile(r"""
        (\\d+)   # number
        \\s* [+] \\s*
        (\\d+)   # another
    """, re.VERBOSE)
    print(v.match("12 + 34").groups(), re.match(r"(?x: a b )c", "abc"), re.match(r"(?x)a b # c", "ab"))
    print(re.findall(r"[\\w-]+", "a-b c_d"), re.findall(r"[]a]+", "]a]b"), re.findall(r"[^]a]+", "]ab"), re.match(r"\\x41\\u0042\\101\\0", "ABA\\0"))
    print(re.match(r"a{2,3}", "aaaa"), re.match(r"a{,2}", "aaa"), re.match("a{", "a{"), re.match("x{2,1", "x{2,1"), re.match(r"(?:ab)+", "ababx"))
    print(re.match(r"(?>a+)b", "aaab"), re.match(r"(?>a+)a", "aaa"), re.match(r"a++a", "aaa"), re.match(r"a*+b", "aab"))
    print(re.findall(r"a(?=b)", "ab ac"), re.findall(r"(?<=a)b", "ab cb"), re.findall(r"(?<!a)b", "ab cb"), re.match("(a)\\\\1", "aa"), re.match(r"(?P<x>a)(?P=x)", "aa"))
    print(re.escape("a.b*c(d) e-f#"), re.escape("\\u00fc\\t"))
  `));
  assert.is(out, "['1', '٣'] ['1'] ['héllo', 'wörld_1', '²']\na b c d﻿e ['ab', 'cd_'] [' 1 ']\n(2, 2) ['a', 'a'] ['a', 'a'] ['a', 'b', '\\r'] ['a', '\\n', 'b']\n<re.Match object; span=(0, 2), match='ab'> None <re.Match object; span=(0, 2), match='ab'> ['x', 'x']\n['Straße'] ['ABCabc'] <re.Match object; span=(0, 2), match='Ab'> None\n('12', '34') <re.Match object; span=(0, 3), match='abc'> <re.Match object; span=(0, 2), match='ab'>\n['a-b', 'c_d'] [']a]'] ['b'] <re.Match object; span=(0, 4), match='ABA\\x00'>\n<re.Match object; span=(0, 3), match='aaa'> <re.Match object; span=(0, 2), match='aa'> <re.Match object; span=(0, 2), match='a{'> <re.Match object; span=(0, 5), match='x{2,1'> <re.Match object; span=(0, 4), match='abab'>\n<re.Match object; span=(0, 4), match='aaab'> None None <re.Match object; span=(0, 3), match='aab'>\n['a'] ['b'] ['b'] <re.Match object; span=(0, 2), match='aa'> <re.Match object; span=(0, 2), match='aa'>\na\\.b\\*c\\(d\\)\\ e\\-f\\# ü\\\t\n");
});

test("positions are code points, also around astral characters", () => {
  const { out } = py(dedent(`
    import re
    s = "x\\U0001f600y\\U0001f600z"
    print(len(s), re.search("y", s).span(), [m.span() for m in re.finditer("\\U0001f600", s)], re.sub("\\U0001f600", "-", s), re.split("\\U0001f600", s))
    print(re.compile("[\\U0001f600y]+").findall(s), re.match(".{3}", s), re.search("z", s, ).start(), re.compile("y").search(s, 2).span())
    print([m.span() for m in re.finditer("", "\\U0001f600a")])
  `));
  assert.is(out, "5 (2, 3) [(1, 2), (3, 4)] x-y-z ['x', 'y', 'z']\n['😀y😀'] <re.Match object; span=(0, 3), match='x😀y'> 4 (2, 3)\n[(0, 0), (1, 1), (2, 2)]\n");
});

test("re.error: CPython's messages, positions, line and column", () => {
  const { out } = py(dedent(`
    import re
    pats = ["(", ")", "a**", "*a", "[a", "a{3,1}", r"\\q", "(?P<1>a)", "(?P<a>x)(?P<a>y)", "(?P=b)", r"(a)\\2", "(?<=a+)b",
            "a(?i)b", "(?z)", r"[z-a]", r"[\\d-z]", "\\\\", r"\\x4", "(?#abc", "(?P", "(?Px)", "(?<x)", "a\\n(", r"\\8", r"(a\\1)", "x{2,}{3}",
            "^*", r"\\b+", r"[\\A]", "(?i-i:a)", "(?-x)", "(?a-u:x)"]
    for p in pats:
        try:
            re.compile(p)
            print("ok", repr(p))
        except re.error as e:
            print(repr(p), "|", e, "|", e.msg, e.pos, e.lineno, e.colno)
    print(isinstance(re.error("x"), Exception), re.error.__module__, re.error.__name__)
  `));
  assert.is(out, "'(' | missing ), unterminated subpattern at position 0 | missing ), unterminated subpattern 0 1 1\n')' | unbalanced parenthesis at position 0 | unbalanced parenthesis 0 1 1\n'a**' | multiple repeat at position 2 | multiple repeat 2 1 3\n'*a' | nothing to repeat at position 0 | nothing to repeat 0 1 1\n'[a' | unterminated character set at position 0 | unterminated character set 0 1 1\n'a{3,1}' | min repeat greater than max repeat at position 2 | min repeat greater than max repeat 2 1 3\n'\\\\q' | bad escape \\q at position 0 | bad escape \\q 0 1 1\n'(?P<1>a)' | bad character in group name '1' at position 4 | bad character in group name '1' 4 1 5\n'(?P<a>x)(?P<a>y)' | redefinition of group name 'a' as group 2; was group 1 at position 12 | redefinition of group name 'a' as group 2; was group 1 12 1 13\n'(?P=b)' | unknown group name 'b' at position 4 | unknown group name 'b' 4 1 5\n'(a)\\\\2' | invalid group reference 2 at position 4 | invalid group reference 2 4 1 5\n'(?<=a+)b' | look-behind requires fixed-width pattern | look-behind requires fixed-width pattern None None None\n'a(?i)b' | global flags not at the start of the expression at position 1 | global flags not at the start of the expression 1 1 2\n'(?z)' | unknown extension ?z at position 1 | unknown extension ?z 1 1 2\n'[z-a]' | bad character range z-a at position 1 | bad character range z-a 1 1 2\n'[\\\\d-z]' | bad character range \\d-z at position 1 | bad character range \\d-z 1 1 2\n'\\\\' | bad escape (end of pattern) at position 0 | bad escape (end of pattern) 0 1 1\n'\\\\x4' | incomplete escape \\x4 at position 0 | incomplete escape \\x4 0 1 1\n'(?#abc' | missing ), unterminated comment at position 0 | missing ), unterminated comment 0 1 1\n'(?P' | unexpected end of pattern at position 3 | unexpected end of pattern 3 1 4\n'(?Px)' | unknown extension ?Px at position 1 | unknown extension ?Px 1 1 2\n'(?<x)' | unknown extension ?<x at position 1 | unknown extension ?<x 1 1 2\n'a\\n(' | missing ), unterminated subpattern at position 2 (line 2, column 1) | missing ), unterminated subpattern 2 2 1\n'\\\\8' | invalid group reference 8 at position 1 | invalid group reference 8 1 1 2\n'(a\\\\1)' | cannot refer to an open group at position 2 | cannot refer to an open group 2 1 3\n'x{2,}{3}' | multiple repeat at position 5 | multiple repeat 5 1 6\n'^*' | nothing to repeat at position 1 | nothing to repeat 1 1 2\n'\\\\b+' | nothing to repeat at position 2 | nothing to repeat 2 1 3\n'[\\\\A]' | bad escape \\A at position 1 | bad escape \\A 1 1 2\n'(?i-i:a)' | bad inline flags: flag turned on and off at position 5 | bad inline flags: flag turned on and off 5 1 6\n'(?-x)' | missing : at position 4 | missing : 4 1 5\n'(?a-u:x)' | bad inline flags: cannot turn off flags 'a', 'u' and 'L' at position 5 | bad inline flags: cannot turn off flags 'a', 'u' and 'L' 5 1 6\nTrue re error\n");
});

test("TypeError, ValueError and IndexError from the API", () => {
  const { out } = py(dedent(`
    import re
    for bad in [(1,), ([1],)]:
        try: re.compile(*bad)
        except TypeError as e: print("TypeError", e)
    try: re.compile(re.compile("a"), re.I)
    except ValueError as e: print("ValueError", e)
    print(re.compile(re.compile("a")))
    try: re.match("a", 5)
    except TypeError as e: print(e)
    try: re.sub("a", lambda m: 3, "xax")
    except TypeError as e: print(e)
    try: re.sub("(a)", r"\\2", "a")
    except re.error as e: print(e)
    try: re.sub("(a)", r"\\g<x>", "a")
    except IndexError as e: print("IndexError", e)
    m = re.match("(a)", "a")
    for g in [3, "zz", -1]:
        try: m.group(g)
        except IndexError as e: print("IndexError", e)
  `));
  assert.is(out, "TypeError first argument must be string or compiled pattern\nTypeError unhashable type: 'list'\nValueError cannot process flags argument with a compiled pattern\nre.compile('a')\nexpected string or bytes-like object, got 'int'\nsequence item 1: expected str instance, int found\ninvalid group reference 2 at position 1\nIndexError unknown group name 'x'\nIndexError no such group\nIndexError no such group\nIndexError no such group\n");
});

test("ownership: a Match owns its string and pattern, group 0 of a whole match is the string", () => {
  const { out } = py(dedent(`
    import re, sys, gc
    p = re.compile(r"(?P<a>x)(y)")
    m = p.match("xy!")
    print(gc.is_tracked(p), gc.is_tracked(m), sys.getrefcount(p), sys.getrefcount(m))
    s = "hello world" * 3
    before = sys.getrefcount(s)
    m2 = re.search("o", s)
    print(sys.getrefcount(s) - before, m2.string is s, re.match(".*", s).group() is s, re.sub("q", "r", s) is s)
    del m2
    print(sys.getrefcount(s) - before, sys.getsizeof(re.match("a", "a")))
  `));
  assert.is(out, "True True 4 2\n1 True True True\n0 120\n");
});

test("re._cache keeps up to 512 patterns alive, oldest dropped first; purge empties it", () => {
  const { out } = py(dedent(`
    import re
    re.purge()
    re.compile("x"); re.compile("x"); re.compile("x", re.I)
    print(list(re._cache.items()), re.compile("y") is re.compile("y"))
    for i in range(600):
        re.compile("x%d" % i)
    print(len(re._cache), list(re._cache)[0][1], list(re._cache)[-1][1])
    re.purge()
    print(len(re._cache))
  `));
  assert.is(out, "[((<class 'str'>, 'x', 0), re.compile('x')), ((<class 'str'>, 'x', 2), re.compile('x', re.IGNORECASE))] True\n512 x88 x599\n0\n");
});

test("a Match held in a cycle is found and freed by the collector", () => {
  const { out } = py(dedent(`
    import re, gc
    gc.disable()
    re.purge()
    class Node:
        pass
    n = Node()
    n.self = n
    n.m = re.match("a", "a")
    del n
    print(gc.collect())
  `));
  assert.is(out, "2\n");
});

test.run();
