#!/usr/bin/env python3
"""Both README commands on a fresh clone with nothing beside it.

usage: test_fresh_clone.py SRC

Clones SRC's current commit (committed state only) into an empty temporary
directory, so no sibling folder or build tree is next to it, and runs there:
1. `tools/test`, as a smoke run (LEAKLINT_TEST_ONLY=SMOKE: tools/setup builds
   from scratch with -Werror into the clone's build/, then the CTest tests
   matching SMOKE run: the fixtures of a rule, the reporters' golden files,
   the parse-error gates, the self-containment check); it must exit 0;
2. `tools/leaklint testdata/ux/timer_loop.c`: the finding must be reported with
   exit code 1, reusing that build; a second call must be quick.
(The whole suite of the clone is not run here: it is what runs this test.)
"""
import os
import re
import subprocess
import sys
import tempfile
import time

# tests that need nothing but the clone itself (no network, no second build)
SMOKE = "^(fixtures-timer-per-iteration|reporters_golden|ux_gates|ux_self_contained|rules_table)$"


def run(cmd, cwd, timeout=900):
    env = dict(os.environ, NO_COLOR="1")
    env.pop("LEAKLINT_BUILD_DIR", None)
    return subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=timeout)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = os.path.abspath(sys.argv[1])
    head = run(["git", "rev-parse", "HEAD"], src).stdout.strip()
    if not head:
        print("FAIL: %s is not a git checkout" % src)
        return 1
    fails = 0
    with tempfile.TemporaryDirectory(prefix="leaklint-clone-") as tmp:
        clone = os.path.join(tmp, "leaklint")
        r = run(["git", "clone", "-q", "--no-checkout", src, clone], tmp)
        r2 = run(["git", "checkout", "-q", head], clone) if r.returncode == 0 else r
        if r.returncode or r2.returncode:
            print("FAIL: cannot clone %s at %s\n%s%s" % (src, head, r.stderr, r2.stderr))
            return 1
        print("ok   cloned %s into an empty directory (%s)" % (head[:12], sorted(os.listdir(tmp))))
        t0 = time.time()
        env = dict(os.environ, LEAKLINT_TEST_ONLY=SMOKE)
        env.pop("LEAKLINT_BUILD_DIR", None)
        r = subprocess.run([os.path.join(clone, "tools", "test")], cwd=clone, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1500)
        took = time.time() - t0
        ran = re.findall(r"Test +#\d+: (\S+) \.+ +Passed", r.stdout)
        if r.returncode == 0 and len(ran) >= 4 and "100% tests passed" in r.stdout:
            print("ok   tools/test built the clone and passed %s (%.0f s)" % (", ".join(ran), took))
        else:
            fails += 1
            print("FAIL tools/test in the clone: exit %d, passed %s\n%s"
                  % (r.returncode, ran, r.stdout[-6000:]))
        t0 = time.time()
        r = run([os.path.join(clone, "tools", "leaklint"), "testdata/ux/timer_loop.c"], clone)
        took = time.time() - t0
        if r.returncode == 1 and "testdata/ux/timer_loop.c:7:5: warning:" in r.stdout \
                and "[timer-per-iteration]" in r.stdout:
            print("ok   tools/leaklint reported the finding (exit 1, %.0f s)" % took)
        else:
            fails += 1
            print("FAIL tools/leaklint in the clone: exit %d\n--- stdout\n%s--- stderr\n%s"
                  % (r.returncode, r.stdout, r.stderr[-4000:]))
        t0 = time.time()
        r = run([os.path.join(clone, "tools", "leaklint"), "--version"], clone)
        took = time.time() - t0
        if r.returncode == 0 and r.stdout.startswith("leaklint ") and took < 60:
            print("ok   a second call reuses the build (%.1f s): %s" % (took, r.stdout.strip()))
        else:
            fails += 1
            print("FAIL second call: exit %d in %.0f s\n%s%s" % (r.returncode, took, r.stdout,
                                                               r.stderr[-2000:]))
        if os.path.exists(os.path.join(clone, "build", "sarif-tools")):
            fails += 1
            print("FAIL the smoke run or tools/leaklint downloaded the test-only SARIF Multitool")
    print("fresh clone: %s" % ("ok" if not fails else "%d failed" % fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
