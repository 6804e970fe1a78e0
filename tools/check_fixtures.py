#!/usr/bin/env python3
"""Fixture driver: runs the real leaklint binary over fixture directories and
compares its findings with the `// want: RULE[, RULE]` comments, both ways.

    tools/check_fixtures.py BIN DIR... [--exclude PATH]... [--jobs N]

Runs from the repository root (the parent of tools/). Every fixture file
(.c .cc .cpp .cxx .h .hpp) under each DIR declares the findings expected on a
line with a trailing `// want: rule-a, rule-b` comment; a file without one
expects none. A rule may pin the message: `// want: rule-a "regex"` (Python
re.search on the JSON message, `\"` for a quote); a finding whose message
does not match is printed as `file:line: RULE message does not match "regex": MESSAGE`. The binary runs three times, with --format json, text and sarif
(--color never; the first run fills a fresh cache that the other two read); each report must list exactly the expected
(file, line, rule) findings, suppressed findings excepted. Every mismatch is
printed as `file:line: missing RULE` or `file:line: unexpected RULE`, then a
closing line `N passed, M failed` counts the fixture files. Exit status 0
when everything matches, 1 on any mismatch, 2 when the binary fails.

--exclude PATH (repeatable) leaves a directory or file out: a DIR that
contains an excluded path is replaced by its remaining entries, so the binary
never sees it either.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import sys
import urllib.parse

FIXTURE_EXTS = (".c", ".cc", ".cpp", ".cxx", ".h", ".hpp")
SOURCE_EXTS = (".c", ".cc", ".cpp", ".cxx", ".C", ".c++", ".m", ".mm")
RULE_RE = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*"
PAT_RE = r'"(?:[^"\\]|\\.)*"'
ITEM_RE = RULE_RE + r'(?:\s+' + PAT_RE + r')?'
WANT_RE = re.compile(r"//\s*want:\s*(" + ITEM_RE + r"(?:\s*,\s*" + ITEM_RE + r")*)")
ONE_RE = re.compile(r"(" + RULE_RE + r")(?:\s+(" + PAT_RE + r"))?")
TEXT_RE = re.compile(r"^(.*?):(\d+):(?:\d+:)? (?:warning|error|note): .* \[(" + RULE_RE + r")\]$")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def norm(path):
    """Repository-relative, normalised path with '/' separators."""
    p = path
    if os.path.isabs(p):
        p = os.path.relpath(p, ROOT)
    return os.path.normpath(p).replace(os.sep, "/")


def is_excluded(path, excludes):
    p = norm(path)
    return any(p == e or p.startswith(e + "/") for e in excludes)


def expand(dirs, excludes):
    """The paths to give the binary: DIRs, split around excluded entries."""
    out = []
    for d in dirs:
        nd = norm(d)
        if is_excluded(nd, excludes):
            continue
        if os.path.isdir(d) and any(e.startswith(nd + "/") for e in excludes):
            for name in sorted(os.listdir(d)):
                child = os.path.join(d, name)
                if os.path.isdir(child) or name.endswith(SOURCE_EXTS):
                    out.extend(expand([child], excludes))
        else:
            out.append(d)
    return out


def fixture_files(paths):
    files = []
    for p in paths:
        if os.path.isfile(p):
            if p.endswith(FIXTURE_EXTS):
                files.append(norm(p))
            continue
        for base, subdirs, names in os.walk(p):
            subdirs[:] = sorted(s for s in subdirs if not s.startswith("."))
            for name in sorted(names):
                if name.endswith(FIXTURE_EXTS):
                    files.append(norm(os.path.join(base, name)))
    return sorted(set(files))


def expectations(files):
    """The expected (file, line, rule) set, and the message patterns per key."""
    want, pats = set(), {}
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                m = WANT_RE.search(line)
                if not m:
                    continue
                for one in ONE_RE.finditer(m.group(1)):
                    key = (f, lineno, one.group(1))
                    want.add(key)
                    if one.group(2):
                        pat = re.sub(r'\\(.)', r'\1', one.group(2)[1:-1])
                        pats.setdefault(key, []).append(pat)
    return want, pats


def run(binary, fmt, paths, jobs, cache_dir):
    cmd = [binary, "--format", fmt, "--cache-dir", cache_dir, "--color", "never", "--quiet"]
    if jobs:
        cmd += ["-j", str(jobs)]
    cmd += paths
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode not in (0, 1):
        sys.stderr.write("check_fixtures: %s exited with %d\n%s" %
                         (" ".join(cmd), proc.returncode, proc.stderr))
        return None
    return proc.stdout


def parse_json(out, messages=None):
    doc = json.loads(out)
    got = set()
    for f in doc.get("findings", []):
        if f.get("suppressed"):
            continue
        key = (norm(f["file"]), int(f["line"]), f["rule"])
        got.add(key)
        if messages is not None:
            messages.setdefault(key, []).append(f.get("message", ""))
    return got


def parse_text(out):
    got = set()
    for line in out.splitlines():
        m = TEXT_RE.match(line)
        if m:
            got.add((norm(m.group(1)), int(m.group(2)), m.group(3)))
    return got


def parse_sarif(out):
    doc = json.loads(out)
    got = set()
    for r in doc.get("runs", []):
        bases = {}
        for k, v in (r.get("originalUriBaseIds") or {}).items():
            uri = v.get("uri", "")
            if uri.startswith("file://"):
                bases[k] = urllib.parse.unquote(uri[len("file://"):])
        for res in r.get("results", []):
            if any(s.get("status", "accepted") == "accepted" for s in res.get("suppressions") or []):
                continue
            locs = res.get("locations") or []
            if not locs:
                continue
            phys = locs[0].get("physicalLocation", {})
            art = phys.get("artifactLocation", {})
            uri = art.get("uri", "")
            if uri.startswith("file://"):
                path = urllib.parse.unquote(uri[len("file://"):])
            else:
                path = urllib.parse.unquote(uri)
                base = bases.get(art.get("uriBaseId", ""))
                if base:
                    path = os.path.join(base, path)
            line = phys.get("region", {}).get("startLine", 0)
            got.add((norm(path), int(line), res.get("ruleId", "")))
    return got


def main(argv):
    ap = argparse.ArgumentParser(description="compare leaklint findings with // want: comments")
    ap.add_argument("binary")
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--exclude", action="append", default=[], metavar="PATH",
                    help="leave out this directory or file (repeatable)")
    ap.add_argument("--jobs", "-j", type=int, default=0)
    args = ap.parse_args(argv)

    binary = os.path.abspath(args.binary)
    os.chdir(ROOT)
    excludes = [norm(e) for e in args.exclude]
    for d in args.dirs:
        if not os.path.exists(d):
            sys.stderr.write("check_fixtures: %s: no such file or directory\n" % d)
            return 2
    paths = expand(args.dirs, excludes)
    files = fixture_files(paths)
    if not files:
        sys.stderr.write("check_fixtures: no fixture files under %s\n" % " ".join(args.dirs))
        return 2
    want, pats = expectations(files)

    reports = {}
    # The JSON run starts from an empty cache (a real parse of every file);
    # the text and SARIF runs read what it cached, which also checks that a
    # cached run reports exactly what a cold one does.
    cache_dir = tempfile.mkdtemp(prefix="leaklint-fixtures-")
    try:
        outs = {}
        for fmt in ("json", "text", "sarif"):
            outs[fmt] = run(binary, fmt, paths, args.jobs, cache_dir)
            if outs[fmt] is None:
                return 2
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)
    messages = {}
    for fmt, parse in (("json", lambda o: parse_json(o, messages)), ("text", parse_text),
                       ("sarif", parse_sarif)):
        out = outs[fmt]
        try:
            reports[fmt] = parse(out)
        except (ValueError, KeyError, TypeError) as e:
            sys.stderr.write("check_fixtures: cannot read the %s report: %s\n" % (fmt, e))
            return 2

    bad_files = set()
    got = reports["json"]
    for f, line, rule in sorted(want - got):
        print("%s:%d: missing %s" % (f, line, rule))
        bad_files.add(f)
    for f, line, rule in sorted(got - want):
        print("%s:%d: unexpected %s" % (f, line, rule))
        bad_files.add(f)
    for key in sorted(pats):
        if key not in got:
            continue  # reported as missing above
        for pat in pats[key]:
            try:
                ok = any(re.search(pat, msg) for msg in messages.get(key, []))
            except re.error as e:
                print('%s:%d: bad message pattern "%s" for %s: %s' % (key[0], key[1], pat, key[2], e))
                bad_files.add(key[0])
                continue
            if not ok:
                print('%s:%d: %s message does not match "%s": %s' %
                      (key[0], key[1], key[2], pat, " | ".join(messages.get(key, []))))
                bad_files.add(key[0])
    for fmt in ("text", "sarif"):
        for f, line, rule in sorted(reports[fmt] ^ got):
            side = "only in --format %s" % fmt if (f, line, rule) in reports[fmt] else \
                "missing from --format %s" % fmt
            print("%s:%d: %s %s" % (f, line, side, rule))
            bad_files.add(f)

    failed = len(bad_files)
    passed = len([f for f in files if f not in bad_files])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
