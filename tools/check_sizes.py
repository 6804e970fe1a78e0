#!/usr/bin/env python3
"""Issue 10's size limits on checker/: no file over 1,000 lines, no function over 120.

    tools/check_sizes.py SRCDIR [--max-file N] [--max-function N]
    tools/check_sizes.py --self-test

Scans every .c and .h file below SRCDIR/checker and prints one line per
offender, "FILE: N lines (limit L)" or "FILE:LINE: function NAME: N lines
(limit L)"; exits 1 when there is any, 0 otherwise.

A function's extent runs from the first line of its definition (the line
the declaration specifiers start on) to the line of its closing brace, both
counted. The scan is a real one, not a regular expression over lines:
comments, string and character literals and preprocessor lines are blanked
first (so their braces do not count), then every top-level brace block is
matched to its closing brace, and a block is a function body when the
declaration before it ends in a parameter list (or an attribute after it)
and has no '=' outside parentheses (an initialiser) - or, for a K&R
definition, when parameter declarations ending in ';' sit between the
parameter list and the brace. `extern "C" {` blocks are looked into.

--self-test writes small sources to a temporary directory (a K&R
definition, braces in strings and comments, a multi-line signature, an
initialiser, a long file) and checks what the scan reports on them.
"""
import os
import re
import sys
import tempfile

MAX_FILE = 1000
MAX_FUNCTION = 120


def blank(text):
    """text with comments, literals and preprocessor lines replaced by spaces
    (newlines kept, so offsets map to the same lines)."""
    out = list(text)
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c in " \t":
            i += 1
            continue
        if line_start and c == "#":  # a directive, with its continuation lines
            j = i
            while j < n and text[j] != "\n":
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 2
                    continue
                if text.startswith("/*", j):  # a comment may run past the directive's end
                    k = text.find("*/", j + 2)
                    j = n if k < 0 else k + 2
                    continue
                j += 1
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
            continue
        line_start = False
        if c == "\n":
            line_start = True
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            for k in range(i + 1, min(j, n)):
                if out[k] != "\n":
                    out[k] = " "
            i = j + 1
        else:
            i += 1
    return "".join(out)


def top_level_equals(s):
    depth = 0
    for ch in s:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "=" and depth == 0:
            return True
    return False


NAME_RE = re.compile(r"([A-Za-z_]\w*)\s*\($")


def function_name(header):
    """The name before the parameter list: the identifier before the first
    '(' at depth 0 that is followed by the list the header ends in."""
    depth = 0
    for i, ch in enumerate(header):
        if ch == "(":
            if depth == 0:
                m = NAME_RE.search(header[: i + 1])
                if m and m.group(1) not in ("__attribute__", "__declspec"):
                    return m.group(1)
            depth += 1
        elif ch == ")":
            depth -= 1
    return "?"


def functions(text):
    """[(name, first line, last line)] of the function definitions in C text."""
    b = blank(text)
    line_of = []
    ln = 1
    for ch in b:
        line_of.append(ln)
        if ch == "\n":
            ln += 1
    found = []
    i, n = 0, len(b)
    decl_start = 0  # after the previous top-level block: the declarations since, split at ';'

    while i < n:
        ch = b[i]
        if ch == "}":  # a stray top-level close (the end of an extern "C" block)
            decl_start = i + 1
        elif ch == "{":
            head = b[decl_start:i]
            pieces = head.split(";")
            last = pieces[-1].strip()
            is_fn = False
            start = decl_start
            if re.fullmatch(r'extern\s*"\s*"', last):  # extern "C" {: look inside
                decl_start = i + 1
                i += 1
                continue
            if last.endswith(")") and not top_level_equals(last):
                is_fn = True
                start = decl_start + len(head) - len(pieces[-1])
                header = last
            elif not last and len(pieces) > 1:
                # K&R: `T f(a, b) T1 a; T2 b; {` - the piece that ends in ')'
                # and is followed only by parameter declarations
                for k in range(len(pieces) - 2, -1, -1):
                    p = pieces[k].strip()
                    m = re.search(r"\)\s*([A-Za-z_][\w\s\*,\[\]]*)$", p, re.S)
                    if m and not top_level_equals(p[: m.start() + 1]):
                        is_fn = True
                        header = p[: m.start() + 1]
                        start = decl_start + sum(len(x) + 1 for x in pieces[:k])
                        break
                    if "(" in p or "=" in p:
                        break
            depth, j = 0, i
            while j < n:
                if b[j] == "{":
                    depth += 1
                elif b[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if is_fn:
                while start < i and b[start].isspace():
                    start += 1
                found.append((function_name(header), line_of[start], line_of[min(j, n - 1)]))
            i = j + 1
            decl_start = i
            continue
        i += 1
    return found


def check(root, max_file, max_fn):
    bad = []
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, os.path.dirname(root))
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            nlines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
            if nlines > max_file:
                bad.append("%s: %d lines (limit %d)" % (rel, nlines, max_file))
            for name, first, last in functions(text):
                if last - first + 1 > max_fn:
                    bad.append("%s:%d: function %s: %d lines (limit %d)"
                               % (rel, first, name, last - first + 1, max_fn))
    return bad


def self_test():
    errors = []

    def expect(cond, what):
        if not cond:
            errors.append(what)

    def body(n):
        return "".join("  x += %d;\n" % k for k in range(n))

    srcs = {
        # 2 + 117 + 1 = 120 lines: at the limit, not over it
        "at_limit.c": "int at_limit(int x)\n{\n" + body(117) + "}\n",
        # K&R, the signature over two lines: 4 + 118 + 1 = 123 lines
        "knr.c": "static int\nknr(a, b)\n  int a;\n  char *b; {\n" + body(118) + "}\n",
        # braces in strings, characters and comments do not end the body early
        "strings.c": ("/* { */\nconst char *s = \"}\";\n"
                      "void strings(void) {\n  char c = '}'; /* } */ // }\n  const char *t = \"{{}\";\n"
                      + body(117) + "}\n"),
        # a struct, an initialiser and a macro are no functions, however long
        "data.c": ("struct big {\n" + "".join("  int f%d;\n" % k for k in range(130)) + "};\n"
                   "static const int tab[] = {\n" + "".join("  %d,\n" % k for k in range(130)) + "};\n"
                   "#define BRACE {\n"
                   "int after(void)\n{\n  return 0;\n}\n"),
        # a prototype, then the definition with a multi-line signature and an
        # attribute, inside extern "C": 4 + 118 + 1 = 123 lines
        "sig.h": ('extern "C" {\n'
                  "static inline int\nsig(int a,\n    int b) __attribute__((unused));\n"
                  "static inline int\nsig(int a,\n    int b) __attribute__((unused))\n{\n"
                  + body(118) + "}\n}\n"),
        "long.c": "".join("int v%d;\n" % k for k in range(1001)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "checker")
        os.makedirs(os.path.join(root, "sub"))
        for name, text in srcs.items():
            with open(os.path.join(root, "sub", name), "w") as fh:
                fh.write(text)
        bad = check(root, MAX_FILE, MAX_FUNCTION)
        fns = {name: functions(text) for name, text in srcs.items()}
    expect(fns["at_limit.c"] == [("at_limit", 1, 120)], "at_limit.c: %r" % fns["at_limit.c"])
    expect(fns["knr.c"] == [("knr", 1, 123)], "knr.c (K&R): %r" % fns["knr.c"])
    expect(fns["strings.c"] == [("strings", 3, 123)], "strings.c: %r" % fns["strings.c"])
    expect(fns["data.c"] == [("after", 266, 269)], "data.c: %r" % fns["data.c"])
    expect(fns["sig.h"] == [("sig", 5, 127)], "sig.h: %r" % fns["sig.h"])
    want = ["checker/sub/knr.c:1: function knr: 123 lines (limit 120)",
            "checker/sub/long.c: 1001 lines (limit 1000)",
            "checker/sub/sig.h:5: function sig: 123 lines (limit 120)",
            "checker/sub/strings.c:3: function strings: 121 lines (limit 120)"]
    expect(bad == want, "offenders: %r, expected %r" % (bad, want))
    for e in errors:
        print("FAIL: " + e)
    print("self-test: %s" % ("failed" if errors else "passed"))
    return 1 if errors else 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if not argv or argv[0].startswith("-"):
        sys.stderr.write(__doc__)
        return 2
    src, max_file, max_fn = argv[0], MAX_FILE, MAX_FUNCTION
    rest = argv[1:]
    while rest:
        if rest[0] == "--max-file" and len(rest) > 1:
            max_file = int(rest[1])
        elif rest[0] == "--max-function" and len(rest) > 1:
            max_fn = int(rest[1])
        else:
            sys.stderr.write(__doc__)
            return 2
        rest = rest[2:]
    root = os.path.join(src, "checker")
    if not os.path.isdir(root):
        sys.stderr.write("check_sizes: no directory %s\n" % root)
        return 2
    bad = check(root, max_file, max_fn)
    for b in bad:
        print(b)
    if bad:
        print("%d offender(s): split the file or the function (issue 10: at most %d lines a file, "
              "%d a function in checker/)" % (len(bad), max_file, max_fn))
        return 1
    print("checker/: every file within %d lines, every function within %d" % (max_file, max_fn))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
