#!/usr/bin/env python3
"""Result cache, pre-parse filter and --shard, through the real binary.

    tools/test_cache.py BIN SRC

cache:     cold, warm and --no-cache runs over testdata/ give the same report
           (byte for byte once the files.cached/analyzed counters are set
           aside), and the warm run really reads the cache; every entry
           truncated, zeroed or bit-flipped: same report, no crash, entries
           rewritten; editing a project header invalidates the entry;
           two runs sharing one cache directory at once.
prefilter: findings identical with and without it on testdata/; a file that
           names no pack API is skipped; an API called only through a
           project macro is still seen.
shard:     --shard K/N partitions the files and the union of the findings
           equals the unsharded run.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

FAILS = []


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print("FAIL: " + msg)
    return cond


def run(bin_, args, cwd, env=None):
    p = subprocess.run([bin_] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if p.returncode not in (0, 1):
        check(False, "leaklint %s exited %d: %s" % (" ".join(args), p.returncode,
                                                       p.stderr.decode(errors="replace")[-1500:]))
    return p


def report(bin_, args, cwd, out, env=None):
    """Runs leaklint with JSON output to `out`; returns (raw bytes, doc)."""
    run(bin_, ["--format", "json", "-o", out, "-q", "--exit-zero"] + args, cwd, env)
    with open(out, "rb") as f:
        raw = f.read()
    return raw, json.loads(raw)


def normalized(raw):
    """The report with the cache/analysis counters neutralised."""
    doc = json.loads(raw)
    files = doc.get("files", {})
    files.pop("cached", None)
    files.pop("analyzed", None)
    return json.dumps(doc, sort_keys=True)


def entries(cache, ext=".llc"):
    """File entries (.llc: a file's IR or its pre-parse filter skip mark) or
    run entries (.llr: the findings of one exact set of file entries)."""
    out = []
    for root, _, names in os.walk(cache):
        out += [os.path.join(root, n) for n in names if n.endswith(ext)]
    return sorted(out)


def damage_all(paths, damage):
    """Rewrites each file with damage(its bytes); returns the last original."""
    data = b""
    for e in paths:
        with open(e, "rb") as f:
            data = f.read()
        with open(e, "wb") as f:
            f.write(damage(data))
    return data


def findings(doc):
    return sorted(json.dumps(f, sort_keys=True) for f in doc.get("findings", []))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    bin_, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="leaklint-cache-test-")
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = os.path.join(tmp, "xdg")  # never touch the user's cache
    try:
        dirs = [d for d in ("testdata/unbuffered-send", "testdata/unbuffered-recv",
                            "testdata/wait-without-cancel", "testdata/timer-per-iteration",
                            "testdata/rulepacks/fixture")
                if os.path.isdir(os.path.join(src, d))]
        check(len(dirs) >= 2, "testdata directories missing")
        # every C fixture, plus a few C++ ones (C++ parses are slow; these
        # cover lambdas, coroutines, methods and constructors in the IR)
        inputs = []
        for d in dirs:
            names = sorted(os.listdir(os.path.join(src, d)))
            inputs += [d + "/" + n for n in names if n.endswith(".c")]
            inputs += [d + "/" + n for n in names if n.endswith(".cpp")][:2]
        cache = os.path.join(tmp, "cache")
        o = lambda n: os.path.join(tmp, n + ".json")

        # ---- cache: cold / warm / --no-cache ----
        cold, dcold = report(bin_, ["--cache-dir", cache] + inputs, src, o("cold"), env)
        warm, dwarm = report(bin_, ["--cache-dir", cache] + inputs, src, o("warm"), env)
        nocache, _ = report(bin_, ["--no-cache"] + inputs, src, o("nocache"), env)
        check(len(findings(dcold)) > 0, "testdata produced no findings (test would be vacuous)")
        check(dcold["files"].get("cached", 0) == 0, "cold run read from an empty cache")
        n_an = dcold["files"]["analyzed"]
        check(n_an > 0 and dwarm["files"].get("cached", 0) == n_an,
              "warm run: %s of %d analysed files came from the cache" % (dwarm["files"].get("cached"), n_an))
        check(normalized(cold) == normalized(warm), "warm report differs from the cold report")
        check(normalized(cold) == normalized(nocache), "--no-cache report differs from the cached run")
        ents = entries(cache)
        n_sk = dcold["files"].get("skipped", 0)
        check(n_sk > 0, "no input was skipped by the pre-parse filter (skip entries untested)")
        check(dwarm["files"].get("skipped", 0) == n_sk, "warm run skipped %s files, cold %d" %
              (dwarm["files"].get("skipped"), n_sk))
        check(len(ents) == n_an + n_sk, "expected %d file entries (%d IR + %d skip marks), found %d" %
              (n_an + n_sk, n_an, n_sk, len(ents)))
        runs = entries(cache, ".llr")
        check(len(runs) == 1, "expected one run entry after cold + warm, found %d" % len(runs))

        # ---- run entries: damaged ones are misses and are rewritten; another
        # file set is another entry; a changed file is never answered from one ----
        for label, damage in (("truncated", lambda b: b[:len(b) // 2]),
                              ("bit-flipped", lambda b: b[:-9] + bytes([b[-9] ^ 1]) + b[-8:])):
            data = damage_all(runs, damage)
            raw, d = report(bin_, ["--cache-dir", cache] + inputs, src, o("run_dmg"), env)
            check(normalized(raw) == normalized(cold), "report differs with a %s run entry" % label)
            with open(runs[0], "rb") as f:
                healed = f.read()
            raw, d = report(bin_, ["--cache-dir", cache] + inputs, src, o("run_healed"), env)
            check(normalized(raw) == normalized(cold) and healed == data,
                  "run entry not rewritten after it was %s" % label)
        raw, d = report(bin_, ["--cache-dir", cache] + inputs[1:], src, o("run_minus"), env)
        check(len(entries(cache, ".llr")) == 2, "a different file set did not get its own run entry")
        raw2, _ = report(bin_, ["--no-cache"] + inputs[1:], src, o("run_minus_nc"), env)
        check(normalized(raw) == normalized(raw2), "report of a file subset differs from --no-cache")
        check(not os.path.exists(os.path.join(tmp, "xdg", "leaklint", "v1")) or
              not entries(os.path.join(tmp, "xdg", "leaklint")),
              "--cache-dir runs wrote to the default cache")
        leftovers = [n for _, _, ns in os.walk(cache) for n in ns if ".tmp." in n]
        check(not leftovers, "temporary files left in the cache: %s" % leftovers[:3])

        # ---- damaged entries are misses, never crashes (C files only: fast) ----
        small = [f for f in inputs if f.endswith(".c")][:25]
        cache = os.path.join(tmp, "cache_small")
        cold, dcold = report(bin_, ["--cache-dir", cache] + small, src, o("cold_small"), env)
        n_an = dcold["files"]["analyzed"]
        for label, damage in (
                ("truncated", lambda b: b[:len(b) // 2]),
                ("empty", lambda b: b""),
                ("bit-flipped", lambda b: b[:len(b) // 2] + bytes([b[len(b) // 2] ^ 0x40]) + b[len(b) // 2 + 1:]),
                ("zeroed tail", lambda b: b[:-16] + b"\0" * 16),
                ("garbage", lambda b: os.urandom(len(b)))):
            damage_all(entries(cache), damage)
            raw, d = report(bin_, ["--cache-dir", cache] + small, src, o("damaged"), env)
            check(normalized(raw) == normalized(cold), "report differs with %s cache entries" % label)
            check(d["files"].get("cached", 0) == 0, "%s entries were used (%s)" % (label, d["files"]))
            # the damaged entries were replaced by good ones
            raw, d = report(bin_, ["--cache-dir", cache] + small, src, o("healed"), env)
            check(d["files"].get("cached", 0) == n_an and normalized(raw) == normalized(cold),
                  "cache not rewritten after %s entries" % label)

        # ---- a project header edit invalidates the entry ----
        proj = os.path.join(tmp, "proj")
        os.makedirs(proj)
        inc = "-I" + os.path.join(src, "testdata", "include")
        with open(os.path.join(proj, "cap.h"), "w") as f:
            f.write("#define CAP 0\n")
        with open(os.path.join(proj, "main.c"), "w") as f:
            f.write('#include <chan.h>\n#include <pthread.h>\n#include "cap.h"\n\n'
                    "static void *producer(void *arg) {\n  chan_t *c = arg;\n  chan_send_int32(c, 7);\n"
                    "  return NULL;\n}\n\nint consume(int fail) {\n  chan_t *c = chan_init(CAP);\n"
                    "  pthread_t t;\n  pthread_create(&t, NULL, producer, c);\n  pthread_detach(t);\n"
                    "  if (fail) return -1;\n  int32_t v = 0;\n  chan_recv_int32(c, &v);\n  return v;\n}\n")
        pc = os.path.join(tmp, "pcache")
        a = ["--cache-dir", pc, "main.c", "--", inc]
        r0, d0 = report(bin_, a, proj, o("p0"), env)
        r0w, d0w = report(bin_, a, proj, o("p0w"), env)
        check(d0w["files"].get("cached") == 1 and normalized(r0w) == normalized(r0), "header project: no warm hit")
        with open(os.path.join(proj, "cap.h"), "w") as f:
            f.write("#define CAP 1\n")
        r1, d1 = report(bin_, a, proj, o("p1"), env)
        r1n, _ = report(bin_, ["--no-cache", "main.c", "--", inc], proj, o("p1n"), env)
        check(d1["files"].get("cached", 0) == 0, "entry used after its header changed")
        check(normalized(r1) == normalized(r1n), "report after a header edit differs from --no-cache")
        check(findings(d0) != findings(d1), "CAP 0 vs CAP 1 gave the same findings: the header edit "
              "test is vacuous (%d findings)" % len(findings(d0)))

        # ---- two runs sharing one cache at the same time ----
        shared = os.path.join(tmp, "shared")
        procs = [subprocess.Popen([bin_, "--format", "json", "-o", o("par%d" % i), "-q", "--exit-zero",
                                   "-j2", "--cache-dir", shared] + small, cwd=src, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(3)]
        for i, p in enumerate(procs):
            p.communicate()
            check(p.returncode in (0, 1), "concurrent run %d exited %d" % (i, p.returncode))
            with open(o("par%d" % i), "rb") as f:
                check(normalized(f.read()) == normalized(cold), "concurrent run %d: different report" % i)
        raw, d = report(bin_, ["--cache-dir", shared] + small, src, o("after_par"), env)
        check(d["files"].get("cached") == n_an and normalized(raw) == normalized(cold),
              "cache written by concurrent runs is not complete and correct")

        # ---- prefilter (the uncached run above had it on; without it, files the
        # filter skipped are parsed: skip marks are not used, IR entries are) ----
        don = json.loads(nocache)
        pf_off, doff = report(bin_, ["--cache-dir", cache, "--no-prefilter"] + inputs, src, o("pf_off"), env)
        check(findings(don) == findings(doff), "findings differ with and without the prefilter")
        check(doff["files"].get("skipped", 0) == 0, "--no-prefilter still skipped files")
        mp = os.path.join(tmp, "macroproj")
        os.makedirs(mp)
        with open(os.path.join(mp, "wrap.h"), "w") as f:
            f.write("#include <chan.h>\n#include <pthread.h>\n"
                    "#define MAKE() chan_init(0)\n#define PUT(c) chan_send_int32((c), 7)\n"
                    "#define GET(c, v) chan_recv_int32((c), (v))\n"
                    "#define START(t, f, a) pthread_create(&(t), NULL, (f), (a))\n"
                    "#define LETGO(t) pthread_detach(t)\n")
        with open(os.path.join(mp, "uses.c"), "w") as f:
            f.write('#include "wrap.h"\n\nstatic void *producer(void *arg) {\n  chan_t *c = arg;\n'
                    "  PUT(c);\n  return NULL;\n}\n\nint consume(int fail) {\n  chan_t *c = MAKE();\n"
                    "  pthread_t t;\n  START(t, producer, c);\n  LETGO(t);\n  if (fail) return -1;\n"
                    "  int32_t v = 0;\n  GET(c, &v);\n  return v;\n}\n")
        with open(os.path.join(mp, "plain.c"), "w") as f:
            f.write('#include "wrap.h"\n/* close(fd) in a comment; "pthread_create" in a string */\n'
                    'struct ops { int (*close)(int); };\n'
                    'int f(struct ops *o, int fd) { const char *s = "pthread_create"; (void)s; '
                    "return o->close(fd); }\n")
        # the stand-in library headers are system headers here, as real ones are
        ma = ["--no-cache", "uses.c", "plain.c", "--", "-isystem", os.path.join(src, "testdata", "include")]
        _, dm_on = report(bin_, ma, mp, o("m_on"), env)
        _, dm_off = report(bin_, ["--no-prefilter"] + ma, mp, o("m_off"), env)
        check(len(findings(dm_off)) > 0, "macro project: no finding even without the prefilter "
              "(test would be vacuous)")
        check(findings(dm_on) == findings(dm_off), "prefilter lost a finding made through a project macro")
        check(dm_on["files"].get("skipped") == 1,
              "prefilter should skip exactly plain.c (files: %s)" % dm_on.get("files"))

        # ---- C declarators at file scope are not uses; calls are, even where
        # a macro hides the function's braces from the scanner ----
        dp = os.path.join(tmp, "declproj")
        os.makedirs(dp)
        with open(os.path.join(dp, "compat.h"), "w") as f:
            f.write("#ifdef _WIN32\nunsigned int sleep (unsigned int seconds);\n"
                    "int *pthread_create(void);\n#endif\n")
        with open(os.path.join(dp, "declonly.c"), "w") as f:
            f.write('#include "compat.h"\nint answer(void) { return 42; }\n')
        with open(os.path.join(dp, "hidden.c"), "w") as f:
            f.write('#include "compat.h"\n#include <unistd.h>\n#define BEGIN(n) void n(int fd) {\n'
                    "#define END }\nBEGIN(shut) (void)fd; sleep(1); END\n"
                    "BEGIN(shut2) (void)fd; return (void)sleep(1); END\n")
        _, dd = report(bin_, ["--no-cache", "declonly.c", "hidden.c"], dp, o("decl"), env)
        check(dd["files"].get("skipped") == 1,
              "prefilter should skip exactly declonly.c (files: %s)" % dd.get("files"))

        # ---- a skip mark is invalidated by an edit of a header the file includes ----
        with open(os.path.join(mp, "plain.c"), "a") as f:
            f.write('#include "later.h"\n')
        with open(os.path.join(mp, "later.h"), "w") as f:
            f.write("/* nothing yet */\n")
        mc = ["--cache-dir", os.path.join(tmp, "mcache")] + ma[1:]
        _, s0 = report(bin_, mc, mp, o("sk0"), env)
        _, s1 = report(bin_, mc, mp, o("sk1"), env)
        check(s0["files"].get("skipped") == 1 and s1["files"].get("skipped") == 1 and
              s1["files"].get("cached") == 1, "skip mark not reused (files: %s)" % s1.get("files"))
        with open(os.path.join(mp, "later.h"), "w") as f:
            f.write("static void *later_producer(void *arg) {\n  chan_t *c = arg;\n  PUT(c);\n"
                    "  return NULL;\n}\n\nstatic inline int later(int fail) {\n  chan_t *c = MAKE();\n"
                    "  pthread_t t;\n  START(t, later_producer, c);\n  LETGO(t);\n  if (fail) return -1;\n"
                    "  int32_t v = 0;\n  GET(c, &v);\n  return v;\n}\n")
        _, s2 = report(bin_, mc, mp, o("sk2"), env)
        _, s2n = report(bin_, ["--no-cache", "--no-prefilter"] + ma[1:], mp, o("sk2n"), env)
        check(s2["files"].get("skipped", 0) == 0, "plain.c still skipped after its header gained a "
              "spawn (files: %s)" % s2.get("files"))
        check(any("later.h" in f for f in findings(s2)) and findings(s2) == findings(s2n),
              "the finding in the edited header is missing or differs from --no-cache")

        # ---- --clear-cache removes leaklint's entries and nothing else ----
        mcache = os.path.join(tmp, "mcache")
        with open(os.path.join(mcache, "notes.txt"), "w") as f:
            f.write("not ours\n")
        n_before = len(entries(mcache)) + len(entries(mcache, ".llr"))
        check(n_before > 0, "nothing cached before --clear-cache (test would be vacuous)")
        p = subprocess.run([bin_, "--clear-cache", "--cache-dir", mcache], cwd=mp, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        check(p.returncode == 0 and ("removed %d cache entries" % n_before) in p.stderr,
              "--clear-cache reports the %d entries it removed (%s)" % (n_before, p.stderr.strip()))
        check(not entries(mcache) and not entries(mcache, ".llr") and
              os.path.exists(os.path.join(mcache, "notes.txt")),
              "--clear-cache left entries, or removed a file that is not an entry")
        _, dcl = report(bin_, mc, mp, o("after_clear"), env)
        check(dcl["files"].get("cached", 0) == 0, "a run after --clear-cache read from the cache")
        p = subprocess.run([bin_, "--clear-cache", "--no-cache"], cwd=mp, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        check(p.returncode == 2, "--clear-cache --no-cache is a usage error (exit 2, got %d)" % p.returncode)

        # ---- shard ----
        full = findings(doff)
        total = doff["files"]["total"]
        got, tot = [], 0
        N = 3
        for k in range(1, N + 1):
            _, ds = report(bin_, ["--cache-dir", cache, "--shard", "%d/%d" % (k, N)] + inputs, src,
                           o("s%d" % k), env)
            got += findings(ds)
            tot += ds["files"]["total"]
        check(tot == total, "shards cover %d files, the full run %d" % (tot, total))
        check(sorted(got) == full, "union of shard findings differs from the full run")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        return 1
    print("cache/prefilter/shard: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
