#!/usr/bin/env python3
"""Every CMake build type links and runs: Debug (-O0), Release (-O3) and
MinSizeRel (-Os) inline less than the RelWithDebInfo (-O2) build the other
tests use, so a missing library on the link line (libm's floor(), once) shows
only there. Each is configured in a temporary directory, the leaklint target
built, and the binary must report the timer-per-iteration finding of
testdata/ux/timer_loop.c (exit 1). Without -Werror: what is tested is that
every type links and runs (gcc's -O3 flow analysis warns where -O2's does not;
the -Werror builds are tools/test's).

usage: test_build_types.py SRC [TYPE...]   (default: Debug Release MinSizeRel)
"""
import os
import subprocess
import sys
import tempfile
import time


def run(cmd, cwd=None, timeout=1500):
    return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=timeout)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src = os.path.abspath(sys.argv[1])
    types = sys.argv[2:] or ["Debug", "Release", "MinSizeRel"]
    fails = 0
    with tempfile.TemporaryDirectory(prefix="leaklint-buildtypes-") as tmp:
        for bt in types:
            build = os.path.join(tmp, bt)
            t0 = time.time()
            r = run(["cmake", "-S", src, "-B", build, "-DCMAKE_BUILD_TYPE=" + bt])
            if r.returncode == 0:
                r = run(["cmake", "--build", build, "--target", "leaklint", "-j2"])
            if r.returncode != 0:
                fails += 1
                print("FAIL %s: configure or build failed\n%s" % (bt, r.stdout[-4000:]))
                continue
            p = subprocess.run([os.path.join(build, "leaklint"), "--no-cache", "testdata/ux/timer_loop.c"],
                               cwd=src, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, NO_COLOR="1"), timeout=300)
            if p.returncode == 1 and "testdata/ux/timer_loop.c:7:5: warning:" in p.stdout:
                print("ok   %s: builds, links and reports the finding (%.0f s)" % (bt, time.time() - t0))
            else:
                fails += 1
                print("FAIL %s: leaklint exit %d\n%s%s" % (bt, p.returncode, p.stdout, p.stderr[-2000:]))
    print("build types: %s" % ("ok" if not fails else "%d failed" % fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
