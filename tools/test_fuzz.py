#!/usr/bin/env python3
"""Builds the libFuzzer targets (clang, ASan+UBSan, their own build dir) and
runs them for a bounded time, deterministically (-seed=1): no crash, no leak,
no sanitizer report.
  leaklint_fuzz        config, rule packs, directives (tools/fuzz/fuzz_inputs.c):
                       at least 100k executions over testdata/fuzz
  leaklint_fuzz_cache  the cache's IR and findings decoders and every pass over
                       decoded IR (tools/fuzz/fuzz_cache.c): 30k executions over
                       seeds it writes itself from fixtures, deep sources and
                       programs of the grammar generator (tools/fuzz/gen_c.py)

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
    p = subprocess.run(["cmake", "--build", fz, "--target", "leaklint_fuzz", "leaklint_fuzz_cache",
                        "-j%d" % (os.cpu_count() or 2)], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        print(p.stdout[-5000:])
        print("FAIL: building leaklint_fuzz")
        return 1
    with tempfile.TemporaryDirectory(prefix="leaklint-fuzz-") as tmp:
        corpus = os.path.join(tmp, "corpus")
        os.makedirs(corpus)
        cmd = [os.path.join(fz, "leaklint_fuzz"), "-seed=1", "-runs=%d" % runs, "-max_total_time=240",
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
    return fuzz_cache(src, fz)


def deep_sources(d):
    """Sources whose IR is deep: the walks over it must be bounded."""
    out = []
    for name, text in (("deep_elif.c", "int g(int x) {\n  if (x == 0) return 0;\n" +
                        "".join("  else if (x == %d) return %d;\n" % (i, i) for i in range(1, 3000)) +
                        "  return -1;\n}\n"),
                       ("deep_paren.c", "int f(void) { return %s1%s; }\n" % ("(" * 200, ")" * 200)),
                       ("deep_block.c", "void h(int x) {\n" + "{ x++;\n" * 400 + "}\n" * 400 + "}\n")):
        path = os.path.join(d, name)
        with open(path, "w") as fh:
            fh.write(text)
        out.append(path)
    return out


def run_fuzzer(cmd, tmp, env):
    print(" ".join(cmd))
    p = subprocess.run(cmd, cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       errors="replace")
    out = p.stdout
    done = re.search(r"Done (\d+) runs", out)
    bad = re.search(r"ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:", out)
    artifacts = [a for a in os.listdir(tmp) if a.startswith(("crash-", "leak-", "timeout-", "oom-"))]
    return p.returncode, out, int(done.group(1)) if done else 0, bad, artifacts


def fuzz_cache(src, fz, runs=30000):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1", LEAKLINT_DATA_DIR=src)
    target = os.path.join(fz, "leaklint_fuzz_cache")
    with tempfile.TemporaryDirectory(prefix="leaklint-fuzz-cache-") as tmp:
        seeds, corpus, gen = (os.path.join(tmp, x) for x in ("seeds", "corpus", "gen"))
        for d in (seeds, corpus, gen):
            os.makedirs(d)
        td = os.path.join(src, "testdata")
        files = []
        for rule in ("wait-without-cancel", "unbuffered-send", "unbuffered-recv", "timer-per-iteration"):
            names = sorted(n for n in os.listdir(os.path.join(td, rule)) if n.endswith(".c"))
            files += [os.path.join(td, rule, n) for n in names[:6]]
        subprocess.run([sys.executable, os.path.join(src, "tools", "fuzz", "gen_c.py"), "write", gen, "12", "7"],
                       check=True)
        files += sorted(os.path.join(gen, n) for n in os.listdir(gen) if n.endswith(".c"))
        files += deep_sources(tmp)
        p = subprocess.run([target] + files + ["--", "-I" + os.path.join(td, "include")], cwd=tmp,
                           env=dict(env, LEAKLINT_FUZZ_WRITE_SEEDS=seeds), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, errors="replace")
        nseeds = len(os.listdir(seeds))
        if p.returncode != 0 or nseeds < 2 * 20:
            print(p.stdout[-3000:])
            print("FAIL: writing the cache fuzz seeds (exit %d, %d seeds)" % (p.returncode, nseeds))
            return 1
        cmd = [target, "-seed=1", "-runs=%d" % runs, "-max_total_time=120", "-timeout=10",
               "-rss_limit_mb=2048", "-max_len=65536", "-print_final_stats=1",
               "-artifact_prefix=" + tmp + "/", corpus, seeds]
        rc, out, n, bad, artifacts = run_fuzzer(cmd, tmp, env)
        if rc != 0 or bad or artifacts:
            print(out[-8000:])
            print("FAIL: the cache fuzz target found a problem (exit %d): %s" % (rc, artifacts))
            return 1
        if n < runs:
            print(out[-3000:])
            print("FAIL: only %d executions of the cache target (need %d)" % (n, runs))
            return 1
        cov = re.findall(r"cov: (\d+)", out)
        print("ok: cache target: %d seeds, %d executions, coverage %s, no crash, leak or sanitizer report"
              % (nseeds, n, cov[-1] if cov else "?"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
