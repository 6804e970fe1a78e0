#!/usr/bin/env python3
"""The suite must run on a fresh clone with nothing beside it: no file under
tools/, testdata/, .ci/ or CMakeLists.txt may reach outside the repository
for a sibling folder (the `shared` reference folder of the development set-up
in particular) or an absolute /work path.

usage: test_self_contained.py SRC

The scanner first proves it can fail: planted references in a temporary tree
must all be found (negative control).
"""
import os
import re
import sys
import tempfile

SCANNED = ("tools", "testdata", ".ci", "CMakeLists.txt")
# built from pieces so that this file does not match itself
SIBLING = "sha" + "red"
# ../shared; os.path.join(src, "..", "shared"); a CMake ${VAR}/../ path; the
# absolute folders of the development machine (testdata's made-up
# file:///work/repo/ URIs are data, not paths that are read)
PATTERNS = [
    re.compile(r"\.\./+" + SIBLING + r"\b"),
    re.compile(r"""["']\.\.["']\s*,\s*["']""" + SIBLING + """["']"""),
    re.compile(r"\$\{[A-Za-z_]+\}/\.\./"),
    re.compile(r"/wo" + r"rk/(" + SIBLING + r"|main|wt-)"),
]
SELF = os.path.abspath(__file__)


def scan_file(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return []
    hits = []
    for no, line in enumerate(text.splitlines(), 1):
        for pat in PATTERNS:
            if pat.search(line):
                hits.append((path, no, line.strip()))
                break
    return hits


def scan(root):
    hits = []
    for entry in SCANNED:
        top = os.path.join(root, entry)
        if os.path.isfile(top):
            hits += scan_file(top)
            continue
        for d, dirs, files in os.walk(top):
            dirs[:] = [x for x in dirs if x not in ("__pycache__", "node_modules")]
            for name in files:
                path = os.path.join(d, name)
                if os.path.abspath(path) != SELF:  # its patterns and planted lines
                    hits += scan_file(path)
    return hits


def negative_control():
    planted = [
        'schema = "../' + SIBLING + '/sarif/x.json"',
        'p = os.path.join(src, "..", "' + SIBLING + '", "sarif")',
        "# (${LL_SRC}/../" + SIBLING + "/sarif)",
        'open("/wo' + 'rk/' + SIBLING + '/x")',
    ]
    with tempfile.TemporaryDirectory(prefix="leaklint-selfcontained-") as tmp:
        os.makedirs(os.path.join(tmp, "tools"))
        for i, line in enumerate(planted):
            with open(os.path.join(tmp, "tools", "f%d.py" % i), "w") as f:
                f.write("ok = 1\n" + line + "\n")
        found = scan(tmp)
    if len(found) != len(planted):
        sys.exit("FAIL negative control: %d of %d planted references found: %s"
                 % (len(found), len(planted), found))
    print("ok   negative control (%d planted references found)" % len(found))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    negative_control()
    hits = scan(os.path.abspath(sys.argv[1]))
    for path, no, line in hits:
        print("FAIL %s:%d: reaches outside the repository: %s"
              % (os.path.relpath(path, sys.argv[1]), no, line))
    if hits:
        return 1
    print("ok   nothing under %s references a path outside the repository" % ", ".join(SCANNED))
    return 0


if __name__ == "__main__":
    sys.exit(main())
