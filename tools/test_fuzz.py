#!/usr/bin/env python3
"""Builds the libFuzzer target (clang, ASan+UBSan, its own build dir) and runs
it over the seed corpus for a bounded time: at least 100k executions, no
crash, no leak, no sanitizer report.

Usage: test_fuzz.py SRC BUILD_DIR [RUNS]

By hand:
  CC=clang cmake -S . -B build-fuzz -DLEAKLINT_FUZZ=ON && cmake --build build-fuzz --target leaklint_fuzz
  build-fuzz/leaklint_fuzz -dict=tools/fuzz/inputs.dict NEW_CORPUS_DIR testdata/fuzz"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__)
        return 2
    src, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) == 4 else 150000
    cc = shutil.which("clang") or shutil.which("clang-14")
    if not cc:
        print("FAIL: clang is required for the fuzz target (tools/setup installs it)")
        return 1
    seeds = os.path.join(src, "testdata", "fuzz")
    names = os.listdir(seeds)
    sels = set()
    for n in names:
        with open(os.path.join(seeds, n), "rb") as fh:
            b = fh.read(1)
            if b:
                sels.add(b[0] % 4)
    if len(names) < 40 or sels != {0, 1, 2, 3}:
        print("FAIL: seed corpus testdata/fuzz is incomplete (%d files, selectors %s)" %
              (len(names), sorted(sels)))
        return 1
    fz = os.path.join(build, "fuzz")
    if not os.path.exists(os.path.join(fz, "CMakeCache.txt")):
        subprocess.run(["cmake", "-S", src, "-B", fz, "-DLEAKLINT_FUZZ=ON",
                        "-DCMAKE_C_COMPILER=" + cc, "-DCMAKE_BUILD_TYPE=RelWithDebInfo"],
                       check=True, stdout=subprocess.DEVNULL)
    p = subprocess.run(["cmake", "--build", fz, "--target", "leaklint_fuzz",
                        "-j%d" % (os.cpu_count() or 2)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        print(p.stdout[-5000:])
        print("FAIL: building leaklint_fuzz")
        return 1
    with tempfile.TemporaryDirectory(prefix="leaklint-fuzz-") as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        cmd = [os.path.join(fz, "leaklint_fuzz"), "-runs=%d" % runs, "-max_total_time=240",
               "-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1",
               "-dict=" + os.path.join(src, "tools", "fuzz", "inputs.dict"),
               "-artifact_prefix=" + tmp + "/", corpus, seeds]
        print(" ".join(cmd))
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
        p = subprocess.run(cmd, cwd=tmp, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors="replace")
        out = p.stdout
        done = re.search(r"Done (\d+) runs", out)
        n = int(done.group(1)) if done else 0
        bad = re.search(r"ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:", out)
        artifacts = [a for a in os.listdir(tmp) if a.startswith(("crash-", "leak-", "timeout-", "oom-"))]
        if p.returncode != 0 or bad or artifacts:
            print(out[-8000:])
            for a in artifacts:
                with open(os.path.join(tmp, a), "rb") as fh:
                    print("artifact %s: %r" % (a, fh.read()[:2000]))
            print("FAIL: the fuzz target found a problem (exit %d)" % p.returncode)
            return 1
        if n < min(runs, 100000):
            print(out[-3000:])
            print("FAIL: only %d executions (need >= %d)" % (n, min(runs, 100000)))
            return 1
        print(out[-800:])
        print("ok: %d executions, no crash, leak or sanitizer report" % n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
