#!/usr/bin/env python3
"""The README's first command on a fresh clone with nothing beside it.

usage: test_fresh_clone.py SRC

Clones SRC's current commit (committed state only) into an empty temporary
directory, so no sibling folder or build tree is next to it, and runs
`tools/leaklint testdata/ux/timer_loop.c` there: tools/setup configures and
builds from scratch into the clone's build/, then the finding must be
reported with exit code 1. A second call must reuse that build.
"""
import os
import subprocess
import sys
import tempfile
import time


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
        r = run([os.path.join(clone, "tools", "leaklint"), "testdata/ux/timer_loop.c"], clone)
        took = time.time() - t0
        if r.returncode == 1 and "testdata/ux/timer_loop.c:7:5: warning:" in r.stdout \
                and "[timer-per-iteration]" in r.stdout:
            print("ok   tools/leaklint built and reported the finding (exit 1, %.0f s)" % took)
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
            print("FAIL tools/leaklint downloaded the test-only SARIF Multitool")
    print("fresh clone: %s" % ("ok" if not fails else "%d failed" % fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
