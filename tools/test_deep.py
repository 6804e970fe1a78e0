#!/usr/bin/env python3
"""Deep input never kills the run, whatever -j is: nested parentheses near
clang's bracket limit (under ASan, build_expr's frames overflowed the main
thread's 8 MiB at -j1 only: the parse now always runs on a 64 MiB worker
thread), a long else-if chain and parentheses past the default bracket depth
(--no-prefilter: the deep files mention no API, the filter would skip them).
Next to each deep file a good file with a leak: its finding must still be
reported, so one bad file never loses the report. Inputs that crash clang
itself (30,000 nested parentheses with -fbracket-depth, a 20,000-long
else-if chain, a 2^20 macro expansion: SIGSEGV in libclang, release and
ASan builds alike) crash the parser process of that file only: the file is
named in an error notification (exit 2) and the next file gets a new
process (two crashing files in one -j1 run).

    test_deep.py LEAKLINT_BIN SRC
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

FAILS = []


def check(ok, what, detail=""):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILS.append(what)
        if detail:
            print("     " + str(detail)[-1500:])


def parens(depth):
    return "int f(void) { return %s1%s; }\n" % ("(" * depth, ")" * depth)


def else_if(n):
    lines = ["int g(int x) {", "  if (x == 0) return 0;"]
    lines += ["  else if (x == %d) return %d;" % (i, i) for i in range(1, n)]
    return "\n".join(lines + ["  return -1;", "}", ""])


def macro(levels):
    lines = ["#define A0 +1"] + ["#define A%d A%d A%d" % (i, i - 1, i - 1) for i in range(1, levels + 1)]
    return "\n".join(lines + ["int h(void) { return 0 A%d; }" % levels, ""])


def named_error(doc, deep):
    return any(n.get("level") == "error" and n.get("file") == deep for n in doc.get("notifications", []))


def run(bin_, tmp, src, j, files, flags, label):
    cmd = [bin_, "--no-cache", "--no-prefilter", "-j", j, "--format", "json"] + files + [
        "--", "-I" + os.path.join(src, "testdata", "include")] + flags
    try:
        p = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=240)
    except subprocess.TimeoutExpired:
        check(False, "%s, -j%s: finishes in 240 s" % (label, j))
        return None, {}, ""
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = {}
    return p.returncode, doc, p.stderr


def crashers(bin_, tmp, src, good):
    """Files that crash libclang: each fails alone, the run goes on."""
    cases = {
        "30,000 nested parentheses (-fbracket-depth=100000)": (parens(30000), ["-fbracket-depth=100000"]),
        "an else-if chain of 20,000": (else_if(20000), []),
        "a 2^20 macro expansion": (macro(20), []),
    }
    names = []
    for i, (label, (text, flags)) in enumerate(cases.items()):
        deep = "crash%d.c" % i
        names.append(deep)
        with open(os.path.join(tmp, deep), "w") as f:
            f.write(text)
        for j in ("1", "2"):
            rc, doc, err = run(bin_, tmp, src, j, [deep, good], flags, label)
            if rc is None:
                continue
            rules = {x.get("rule") for x in doc.get("findings", []) if x.get("file") == good}
            check(rc == 2 and "wait-without-cancel" in rules and named_error(doc, deep),
                  "%s, -j%s: exit 2, the file named in an error, the good file's finding reported (exit %d)"
                  % (label, j, rc), err)
    # two crashes in one worker: the second file gets a new parser process
    rc, doc, err = run(bin_, tmp, src, "1", names[1:] + [good], [], "two crashing files")
    if rc is not None:
        rules = {x.get("rule") for x in doc.get("findings", []) if x.get("file") == good}
        check(rc == 2 and "wait-without-cancel" in rules and all(named_error(doc, n) for n in names[1:]),
              "two crashing files at -j1: both named, the good file's finding reported (exit %d)" % rc, err)


def main():
    bin_, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    fixtures = os.path.join(src, "testdata", "wait-without-cancel")
    good = sorted(f for f in os.listdir(fixtures) if f.endswith(".c") and "_fixed" not in f)[0]
    cases = {
        "240 nested parentheses": (parens(240), []),
        "1,000 nested parentheses (-fbracket-depth=2000)": (parens(1000), ["-fbracket-depth=2000"]),
        "an else-if chain of 5,000": (else_if(5000), []),
    }
    tmp = tempfile.mkdtemp(prefix="ll-deep-")
    try:
        shutil.copy(os.path.join(fixtures, good), os.path.join(tmp, good))
        for i, (label, (text, flags)) in enumerate(cases.items()):
            deep = "deep%d.c" % i
            with open(os.path.join(tmp, deep), "w") as f:
                f.write(text)
            for j in ("1", "2"):
                cmd = [bin_, "--no-cache", "--no-prefilter", "-j", j, "--format", "json", deep, good, "--",
                       "-I" + os.path.join(src, "testdata", "include")] + flags
                try:
                    p = subprocess.run(cmd, cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, timeout=240)
                except subprocess.TimeoutExpired:
                    check(False, "%s, -j%s: finishes in 240 s" % (label, j))
                    continue
                try:
                    doc = json.loads(p.stdout)
                except ValueError:
                    doc = {}
                rules = {x.get("rule") for x in doc.get("findings", []) if x.get("file") == good}
                check(p.returncode in (1, 2) and "wait-without-cancel" in rules,
                      "%s, -j%s: no crash, the good file's finding reported (exit %d)" % (label, j, p.returncode),
                      p.stderr)
        crashers(bin_, tmp, src, good)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("deep input: %s" % ("%d checks failed" % len(FAILS) if FAILS else "all checks passed"))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
