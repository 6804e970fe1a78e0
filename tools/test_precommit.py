#!/usr/bin/env python3
"""The pre-commit hook, end to end, with the real `pre-commit try-repo`.

Usage: test_precommit.py BIN SRC

In a temporary git repository: a leaky file fails the hook with the finding
shown, a clean file passes, a file whose finding is silenced with a reason
passes, a suppression without a reason does not silence. LEAKLINT_BIN points
the hook at BIN so try-repo's fresh clone does not rebuild leaklint. A second
part checks the hook script's own build-once path with a fake build (no
compiler run): it must not rebuild when the binary exists."""
import os
import shutil
import subprocess
import sys
import tempfile

FAILS = []


def check(cond, what, detail=""):
    if not cond:
        FAILS.append(what + (("\n" + detail) if detail else ""))
        print("FAIL:", what)
    else:
        print("ok:", what)


def run(cmd, cwd, env):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=300)
    return p.returncode, p.stdout


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    bin_, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if not shutil.which("pre-commit"):
        print("FAIL: pre-commit is not installed (tools/setup installs it)")
        return 1
    ux = os.path.join(src, "testdata", "ux")
    with tempfile.TemporaryDirectory(prefix="leaklint-precommit-") as tmp:
        repo = os.path.join(tmp, "proj")
        os.makedirs(repo)
        env = dict(os.environ)
        env.update(LEAKLINT_BIN=bin_, PRE_COMMIT_HOME=os.path.join(tmp, "pc-home"),
                   GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
                   NO_COLOR="1", HOME=tmp)
        env.pop("PRE_COMMIT", None)
        for f in ("timer_loop.c", "timer_clean.c", "timer_suppressed.c"):
            shutil.copy(os.path.join(ux, f), repo)
        with open(os.path.join(ux, "timer_suppressed.c")) as fh:
            text = fh.read()
        noreason = text.replace(
            "// leaklint:ignore[timer-per-iteration] n is at most 2 and the process exits right after",
            "// leaklint:ignore[timer-per-iteration]")
        assert noreason != text
        with open(os.path.join(repo, "timer_noreason.c"), "w") as fh:
            fh.write(noreason)
        # a missing header: the file is parsed (it calls pthread_create) but fails
        with open(os.path.join(repo, "broken.c"), "w") as fh:
            fh.write('#include "gone.h"\n#include <pthread.h>\n'
                     'int b(void) { pthread_t t; return pthread_create(&t, 0, 0, 0); }\n')
        # a header whose code leaks, and one that is not self-contained (timer_t
        # without <time.h>): both are analysed through the source including them
        with open(os.path.join(repo, "leak.h"), "w") as fh:
            fh.write("static inline void poll_all(int n) {\n  for (int i = 0; i < n; i++) {\n"
                     "    timer_t tid;\n    timer_create(CLOCK_MONOTONIC, NULL, &tid);\n  }\n}\n")
        with open(os.path.join(repo, "uses_leak.c"), "w") as fh:
            fh.write('#include <time.h>\n#include <stddef.h>\n#include "leak.h"\n'
                     "void run(void) { poll_all(3); }\n")
        with open(os.path.join(repo, "lonely.h"), "w") as fh:
            fh.write("int lonely(void);\n")
        with open(os.path.join(repo, "notes.txt"), "w") as fh:
            fh.write("not C\n")
        rc, out = run(["git", "init", "-q"], repo, env)
        check(rc == 0, "git init", out)
        run(["git", "add", "."], repo, env)

        def try_repo(*files):
            return run(["pre-commit", "try-repo", src, "leaklint", "--verbose", "--files", *files],
                       repo, env)

        rc, out = try_repo("timer_loop.c")
        check(rc == 1, "leaky file fails the hook", out)
        check("timer_loop.c:7:5" in out and "[timer-per-iteration]" in out,
              "the finding is shown (file:line:col and rule id)", out)

        rc, out = try_repo("timer_clean.c")
        check(rc == 0, "clean file passes", out)

        rc, out = try_repo("timer_suppressed.c")
        check(rc == 0, "reasoned suppression passes", out)

        rc, out = try_repo("timer_noreason.c")
        check(rc == 1, "suppression without a reason does not silence", out)
        check("reason" in out and "timer_noreason.c:7" in out,
              "the hook says why the suppression does not apply (file:line)", out)

        rc, out = try_repo("broken.c", "timer_clean.c")
        check(rc == 1 and "exit code: 2" in out and "broken.c:1:10: error:" in out and "gone.h" in out
              and "--allow-parse-errors" in out,
              "a missing header fails the hook (exit 2) with the error and the way out", out)

        run(["git", "add", "."], repo, env)
        rc, out = try_repo("leak.h")
        check(rc == 1 and "leak.h:4:5" in out and "[timer-per-iteration]" in out
              and "error:" not in out,
              "a staged header alone: analysed through its includer, the finding in it fails", out)
        rc, out = try_repo("lonely.h")
        check(rc == 0 and "included by no tracked source" in out,
              "a header no source includes: passes, and says it was not analysed", out)

        rc, out = try_repo("notes.txt")
        check(rc == 0 and "(no files to check)" in out.replace("no files to check", "(no files to check)"),
              "non-C files are not passed (types_or)", out)

        rc, out = try_repo("timer_clean.c", "timer_loop.c")
        check(rc == 1 and "timer_loop.c:7:5" in out, "several files in one run", out)

        # build-once path of the hook script, with a fake tree: the binary exists -> used as is
        fake = os.path.join(tmp, "fake")
        os.makedirs(os.path.join(fake, "tools"))
        os.makedirs(os.path.join(fake, "build-pre-commit"))
        shutil.copy(os.path.join(src, "tools", "pre-commit-hook"), os.path.join(fake, "tools"))
        stub = os.path.join(fake, "build-pre-commit", "leaklint")
        with open(stub, "w") as fh:
            fh.write("#!/bin/sh\necho stub-leaklint \"$@\"\nexit 1\n")
        os.chmod(stub, 0o755)
        env2 = dict(env)
        env2.pop("LEAKLINT_BIN")
        rc, out = run([os.path.join(fake, "tools", "pre-commit-hook"), "a.c", "b.c"], repo, env2)
        check(rc == 1 and "stub-leaklint a.c b.c" in out and "building" not in out,
              "hook reuses build-pre-commit/leaklint without rebuilding", out)
        rc, out = run([os.path.join(fake, "tools", "pre-commit-hook")], repo, env2)
        check(rc == 0 and out == "", "hook with no files does nothing", out)

    if FAILS:
        print("\n%d check(s) failed" % len(FAILS))
        for f in FAILS:
            print("---\n" + f)
        return 1
    print("all pre-commit checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
