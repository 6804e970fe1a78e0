#!/usr/bin/env python3
"""The suite must run on a fresh clone with nothing beside it: no file under
tools/, testdata/, .ci/ or CMakeLists.txt may reach outside the repository
for a sibling folder (the `shared` reference folder of the development set-up
in particular) or an absolute /work path.

Second check: the versions the integration docs tell users to put in
`rev:` (pre-commit) and `uses: leaklint/leaklint@REF` (GitHub) exist: `main`
or a tag or commit of this repository (git rev-parse in SRC).

usage: test_self_contained.py SRC

Each scanner first proves it can fail: planted references in a temporary
tree, and a made-up tag, must be found (negative controls).
"""
import os
import re
import subprocess
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


DOCS = ("README.md", "docs/integrations.md", ".pre-commit-hooks.yaml", "action.yml")
REF_PATTERNS = [re.compile(r"^[#\s-]*rev:\s*([^\s#]+)"),
                re.compile(r"uses:\s*leaklint/leaklint@([^\s#]+)")]


def doc_refs(text):
    refs = []
    for no, line in enumerate(text.splitlines(), 1):
        for pat in REF_PATTERNS:
            m = pat.search(line)
            if m:
                refs.append((no, m.group(1).strip("\"'")))
    return refs


def ref_exists(src, ref):
    if ref == "main":
        return True  # the default branch of the published repository
    r = subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref + "^{commit}"], cwd=src,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode == 0


def check_doc_versions(src):
    planted = doc_refs("    rev: v9.9.9-nonexistent\n  uses: leaklint/leaklint@v9.9.9-nonexistent\n")
    if len(planted) != 2 or any(ref_exists(src, ref) for _, ref in planted):
        print("FAIL negative control: a made-up version is not caught: %s" % planted)
        return 1
    print("ok   negative control (made-up versions caught)")
    bad = 0
    for name in DOCS:
        path = os.path.join(src, name)
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for no, ref in doc_refs(f.read()):
                if not ref_exists(src, ref):
                    bad += 1
                    print("FAIL %s:%d: version %r does not exist (no such tag or commit)"
                          % (name, no, ref))
    if not bad:
        print("ok   every rev:/uses: version in the docs exists")
    return bad


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    negative_control()
    bad_refs = check_doc_versions(os.path.abspath(sys.argv[1]))
    hits = scan(os.path.abspath(sys.argv[1]))
    for path, no, line in hits:
        print("FAIL %s:%d: reaches outside the repository: %s"
              % (os.path.relpath(path, sys.argv[1]), no, line))
    if hits or bad_refs:
        return 1
    print("ok   nothing under %s references a path outside the repository" % ", ".join(SCANNED))
    return 0


if __name__ == "__main__":
    sys.exit(main())
