#!/usr/bin/env python3
"""tools/bench measures honestly: the commands are interleaved round by round
(A B A B ..., so each pair runs under the same machine state), the ratios it
prints are medians of the per-pair ratios, and it names the machine and date.

Usage: test_bench.py BIN SRC

Runs tools/bench on a two-file tree with wrappers around leaklint and a fake
clang that log each call, then checks the order of the calls, the ratios
against the raw measurements of --json, and the --against (A/B) mode."""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

FAILS = []


def check(cond, what, detail=""):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what + (("\n" + str(detail)[-3000:]) if detail else ""))
    return cond


def wrapper(path, tag, log, target):
    """A script that logs TAG and the -j/--no-cache/--no-prefilter/--cache-dir
    choice of the call, then runs target (or exits 0)."""
    with open(path, "w") as fh:
        fh.write("#!/bin/sh\nkind=\"%s\"\nfor a in \"$@\"; do case \"$a\" in\n"
                 "  -j) next=j ;;\n  --no-prefilter) kind=\"$kind all\" ;;\n"
                 "  --cache-dir) kind=\"$kind warm\" ;;\n"
                 "  *) [ \"${next:-}\" = j ] && kind=\"$kind -j$a\"; next= ;;\nesac; done\n"
                 "case \" $* \" in *\" --version \"*) ;; *) echo \"$kind\" >> %s ;; esac\n"
                 % (tag, log))
        fh.write('exec %s "$@"\n' % target if target else "exit 0\n")
    os.chmod(path, 0o755)


def calls(log):
    with open(log) as fh:
        return [l.strip() for l in fh if l.strip()]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    bin_, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    bench = os.path.join(src, "tools", "bench")
    if not os.path.exists("/usr/bin/time"):
        print("FAIL: /usr/bin/time is missing (tools/setup installs it)")
        return 1
    with tempfile.TemporaryDirectory(prefix="leaklint-bench-test-") as tmp:
        tree = os.path.join(tmp, "tree")
        os.makedirs(tree)
        for f in ("timer_loop.c", "timer_clean.c"):
            shutil.copy(os.path.join(src, "testdata", "ux", f), tree)
        log = os.path.join(tmp, "calls.log")
        ll, old, clang = (os.path.join(tmp, n) for n in ("ll", "old", "clang"))
        wrapper(ll, "L", log, bin_)
        wrapper(old, "OLD", log, bin_)
        wrapper(clang, "clang", log, None)
        out_json = os.path.join(tmp, "bench.json")
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "xdg"))
        p = subprocess.run([bench, "--leaklint", ll, "--clang", clang, "--no-tidy", "--rss-sample", "0",
                            "-r", "3", "-j", "2", "--json", out_json, tree], env=env,
                           capture_output=True, text=True, timeout=600)
        check(p.returncode == 0, "tools/bench runs (exit 0: findings identical across modes)",
              p.stdout + p.stderr)
        seq = calls(log)
        # one untimed populate run, then 3 rounds of the same order
        round_ = ["clang", "clang", "L -j1 all", "L -j1", "L -j2 all", "L -j2", "L -j2 warm", "L -j1 warm"]
        check(seq == ["L -j2 warm"] + round_ * 3,
              "commands interleaved round by round (A B ... A B ...), not all runs of one command "
              "in a row", seq)
        try:
            with open(out_json) as fh:
                doc = json.load(fh)
        except (OSError, ValueError) as e:
            doc = {}
            check(False, "--json written", e)
        runs = doc.get("runs", {})
        check(all(len(runs.get(k, {}).get("t", [])) == 3 for k in
                  ("clang", "leaklint -j1 all", "leaklint -j2 warm")), "3 timed runs per command", runs)
        m = re.search(r"\| leaklint -j1 all / clang \| ([0-9.]+) \(([0-9.]+)-([0-9.]+)\) \|", p.stdout)
        if check(m is not None and runs, "the ratio row gives the median and range of the pairs",
                 p.stdout):
            a, b = runs["leaklint -j1 all"]["t"], runs["clang"]["t"]
            pairs = sorted(x / y for x, y in zip(a, b))
            want = ("%.2f" % statistics.median(pairs), "%.2f" % pairs[0], "%.2f" % pairs[-1])
            check(m.groups() == want, "the printed ratio is the median of the per-pair ratios "
                  "(run r of A against run r of B)", (m.groups(), want, a, b))
        check(re.search(r"Machine: \d+ CPUs, .*RAM", p.stdout) and
              re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", p.stdout),
              "the report names the machine and the date", p.stdout[:600])

        # A/B mode: OLD NEW, OLD NEW, OLD NEW; one row per pair; identical findings
        open(log, "w").close()
        p = subprocess.run([bench, "--leaklint", ll, "--against", old, "-r", "3", "-j", "2", tree],
                           env=env, capture_output=True, text=True, timeout=600)
        check(p.returncode == 0 and "Findings: identical" in p.stdout, "--against: exit 0, identical",
              p.stdout + p.stderr)
        check(calls(log) == ["OLD -j2 all", "L -j2 all"] * 3, "--against: OLD NEW pairs, in turn",
              calls(log))
        rows = re.findall(r"^\| (\d) \| [0-9.]+ \| [0-9.]+ \| ([0-9.]+) \|", p.stdout, re.M)
        check([r[0] for r in rows] == ["1", "2", "3"] and "Median of the per-pair ratios" in p.stdout,
              "--against: one NEW/OLD ratio per pair and their median", p.stdout)
    if FAILS:
        print("\n%d check(s) failed" % len(FAILS))
        return 1
    print("all bench checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
