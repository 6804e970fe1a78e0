#!/usr/bin/env python3
"""tools/test_prefilter_rounds.py - the pre-parse filter's later rounds.

    tools/test_prefilter_rounds.py LEAKLINT_BIN SRCDIR

testdata/wait-without-cancel/layers_rounds/ is a thread layer three files
deep: lib.c wraps pthread_create and pthread_cond_wait, mid.c wraps lib.c's
wrappers, user.c starts and parks a worker through mid.c only. mid.c and
user.c name no pack API, so the first round skips them; the later rounds
parse mid.c (it names lib.c's inferred wrappers) and then user.c (it names
mid.c's). Checks: the finding in user.c is made with the prefilter as
without it, and no file is skipped; a warm cache gives the same; a cache
that holds skip entries for mid.c and user.c (from a run that did not have
lib.c) still gets them parsed; each --shard K/N gives the same findings with
and without the prefilter. Exit 0 = pass.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
DIR = "testdata/wait-without-cancel/layers_rounds"
FILES = [DIR + "/" + n for n in ("lib.c", "mid.c", "user.c", "user_fixed.c")]
fails = 0


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL:", what)


def run(args, env):
    p = subprocess.run([BIN, "--format", "json", "-q", "-j2"] + args, cwd=SRC, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(p.returncode in (0, 1), "exit 0/1 (got %d: %s)" % (p.returncode, p.stderr.strip()))
    return json.loads(p.stdout)


def found(doc):
    return sorted((f["file"], f["line"], f["rule"], f["message"]) for f in doc["findings"])


tmp = tempfile.mkdtemp(prefix="leaklint-rounds-")
env = dict(os.environ)
env["XDG_CACHE_HOME"] = os.path.join(tmp, "xdg")
try:
    off = run(["--no-cache", "--no-prefilter"] + FILES, env)
    want = [(DIR + "/user.c", 17, "wait-without-cancel")]
    check([f[:3] for f in found(off)] == want, "without the prefilter: the finding in user.c (%r)" % found(off))
    on = run(["--no-cache"] + FILES, env)
    check(found(on) == found(off), "the prefilter's rounds keep the finding: %r" % found(on))
    check(on["files"].get("skipped", 0) == 0 and on["files"]["analyzed"] == 4,
          "every file of the layer is parsed: %r" % on["files"])

    cache = os.path.join(tmp, "cache")
    cold = run(["--cache-dir", cache] + FILES, env)
    warm = run(["--cache-dir", cache] + FILES, env)
    check(found(cold) == found(off) and found(warm) == found(off), "cold and warm cache runs find the same")
    check(warm["files"].get("cached", 0) == 4, "the warm run reads all 4 files from the cache: %r" % warm["files"])

    # skip entries first: without lib.c nothing is inferred, so mid.c and
    # user.c are skipped and cached as skipped; with lib.c they must be parsed
    cache2 = os.path.join(tmp, "cache2")
    partial = run(["--cache-dir", cache2] + FILES[1:], env)
    check(partial["files"].get("skipped", 0) == 3, "without lib.c the layer is skipped: %r" % partial["files"])
    after = run(["--cache-dir", cache2] + FILES, env)
    check(found(after) == found(off), "cached skip entries are rescanned in the later rounds: %r" % found(after))
    again = run(["--cache-dir", cache2] + FILES, env)
    check(found(again) == found(off), "and the run after that (run cache) agrees: %r" % found(again))

    for k in range(1, 4):
        s_on = run(["--no-cache", "--shard", "%d/3" % k] + FILES, env)
        s_off = run(["--no-cache", "--no-prefilter", "--shard", "%d/3" % k] + FILES, env)
        check(found(s_on) == found(s_off), "shard %d/3: the same with and without the prefilter" % k)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if fails:
    print("%d failure(s)" % fails)
    sys.exit(1)
print("all passed")
