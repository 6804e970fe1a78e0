#!/usr/bin/env python3
"""The pre-commit hook, end to end, with the real `pre-commit try-repo`.

Usage: test_precommit.py BIN SRC

In a temporary git repository: a leaky file fails the hook with the finding
shown, a clean file passes, a file whose finding is silenced with a reason
passes, a suppression without a reason does not silence; diff-only mode
(LEAKLINT_NEW_FROM_REV or `args: [--new-from-rev=REV]`) reports a staged
file's new finding and not its old one. LEAKLINT_BIN points
the hook at BIN so try-repo's fresh clone does not rebuild leaklint. A second
part checks the hook script's own build-once path with a fake build (no
compiler run): it must not rebuild when the binary exists, and with no build
yet it uses an installed leaklint on PATH instead of building."""
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


LOOP = ("void {name}(int n) {{\n  for (int i = 0; i < n; i++) {{\n    timer_t tid;\n"
        "    timer_create(CLOCK_MONOTONIC, NULL, &tid);\n  }}\n}}\n")
TIME_H = "#include <time.h>\n#include <stddef.h>\n"


def new_from_rev(src, tmp, env):
    """Diff-only mode (--new-from-rev) in the hook: with LEAKLINT_NEW_FROM_REV,
    or `args: [--new-from-rev=REV]` / `args: [--new-from-rev, REV]` in a
    config: a staged file's old finding is not reported, a new one is, also
    in a staged header analysed through its includer; without the opt-in the
    old finding fails the hook."""
    repo = os.path.join(tmp, "nfr")
    os.makedirs(repo)
    # old.c: an old finding at line 7; hdr.h: an old one at line 4, included by uses.c
    with open(os.path.join(repo, "old.c"), "w") as fh:
        fh.write("/* old code */\n" + TIME_H + LOOP.format(name="old_loop"))
    with open(os.path.join(repo, "hdr.h"), "w") as fh:
        fh.write("static inline " + LOOP.format(name="hdr_old"))
    with open(os.path.join(repo, "uses.c"), "w") as fh:
        fh.write(TIME_H + '#include "hdr.h"\nvoid use(void) { hdr_old(1); }\n')
    run(["git", "init", "-q"], repo, env)
    run(["git", "add", "."], repo, env)
    rc, out = run(["git", "commit", "-qm", "old"], repo, env)
    check(rc == 0, "diff-only: the base commit", out)
    # the change: old.c edited away from its finding, a new leaky function in
    # old.c and in hdr.h, a new file with a leak
    with open(os.path.join(repo, "old.c")) as fh:
        text = fh.read()
    with open(os.path.join(repo, "old.c"), "w") as fh:
        fh.write(text.replace("/* old code */", "/* old code, edited */") + LOOP.format(name="new_loop"))
    with open(os.path.join(repo, "hdr.h"), "a") as fh:
        fh.write("static inline " + LOOP.format(name="hdr_new"))
    with open(os.path.join(repo, "fresh.c"), "w") as fh:
        fh.write(TIME_H + LOOP.format(name="fresh_loop"))
    run(["git", "add", "."], repo, env)
    staged = ["old.c", "hdr.h", "fresh.c"]
    new_locs = ["old.c:13:5", "hdr.h:10:5", "fresh.c:6:5"]
    old_locs = ["old.c:7:5", "hdr.h:4:5"]

    def reported(out, locs):
        return [l for l in locs if l + ": warning:" in out]

    def try_repo(extra_env):
        e = dict(env, **extra_env)
        return run(["pre-commit", "try-repo", src, "leaklint", "--verbose", "--files"] + staged,
                   repo, e)

    rc, out = try_repo({})
    check(rc == 1 and reported(out, old_locs) == old_locs and reported(out, new_locs) == new_locs,
          "diff-only control: without the opt-in the old findings are reported too", out)
    rc, out = try_repo({"LEAKLINT_NEW_FROM_REV": "HEAD"})
    check(rc == 1 and reported(out, new_locs) == new_locs and not reported(out, old_locs),
          "LEAKLINT_NEW_FROM_REV=HEAD: only the new findings (a source, a staged header, a new "
          "file), not the old ones of the same files", out)
    # only an edit away from the old finding is staged: nothing new, the hook passes
    run(["git", "reset", "-q", "--hard"], repo, env)
    run(["git", "clean", "-qfd"], repo, env)
    with open(os.path.join(repo, "old.c"), "w") as fh:
        fh.write(text.replace("/* old code */", "/* old code, edited */"))
    run(["git", "add", "."], repo, env)
    e = dict(env, LEAKLINT_NEW_FROM_REV="HEAD")
    rc, out = run(["pre-commit", "try-repo", src, "leaklint", "--verbose", "--files", "old.c"], repo, e)
    check(rc == 0 and "Passed" in out and not reported(out, old_locs),
          "LEAKLINT_NEW_FROM_REV=HEAD: a commit that touches old code elsewhere passes", out)
    # `args:` in a .pre-commit-config.yaml, both spellings, with the hook of this tree
    hook = os.path.join(src, "tools", "pre-commit-hook")
    with open(os.path.join(repo, "old.c"), "w") as fh:
        fh.write(text.replace("/* old code */", "/* old code, edited */") + LOOP.format(name="new_loop"))
    run(["git", "add", "."], repo, env)
    for args in ('["--new-from-rev=HEAD"]', '["--new-from-rev", "HEAD"]'):
        with open(os.path.join(repo, ".pre-commit-config.yaml"), "w") as fh:
            fh.write("repos:\n  - repo: local\n    hooks:\n      - id: leaklint\n"
                     "        name: leaklint\n        entry: %s\n        language: system\n"
                     "        types_or: [c, c++]\n        require_serial: true\n"
                     "        args: %s\n" % (hook, args))
        rc, out = run(["pre-commit", "run", "leaklint", "--verbose", "--files", "old.c"], repo, env)
        check(rc == 1 and reported(out, ["old.c:13:5"]) and not reported(out, old_locs),
              "args: %s: the new finding fails the hook, the old one is not reported" % args, out)
    # the variable, set for one commit, wins over the config's args
    with open(os.path.join(repo, ".pre-commit-config.yaml"), "w") as fh:
        fh.write("repos:\n  - repo: local\n    hooks:\n      - id: leaklint\n"
                 "        name: leaklint\n        entry: %s\n        language: system\n"
                 "        types_or: [c, c++]\n        require_serial: true\n"
                 "        args: [--new-from-rev=no-such-rev]\n" % hook)
    rc, out = run(["pre-commit", "run", "leaklint", "--verbose", "--files", "old.c"], repo,
                  dict(env, LEAKLINT_NEW_FROM_REV="HEAD"))
    check(rc == 1 and reported(out, ["old.c:13:5"]) and "not a commit" not in out,
          "LEAKLINT_NEW_FROM_REV wins over the args' --new-from-rev", out)
    os.unlink(os.path.join(repo, ".pre-commit-config.yaml"))
    # a REV that names no commit fails the hook (exit 2) with the reason, never passes
    e = dict(env, LEAKLINT_NEW_FROM_REV="no-such-rev")
    rc, out = run(["pre-commit", "try-repo", src, "leaklint", "--verbose", "--files", "old.c"], repo, e)
    check(rc == 1 and "exit code: 2" in out and "not a commit" in out and "--new-from-rev" in out,
          "LEAKLINT_NEW_FROM_REV naming no commit: exit 2 with the reason", out)


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

        new_from_rev(src, tmp, env)

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
        # no build yet, an installed leaklint on PATH: used, nothing is built
        fake2 = os.path.join(tmp, "fake2")
        os.makedirs(os.path.join(fake2, "tools"))
        os.makedirs(os.path.join(fake2, "bin"))
        shutil.copy(os.path.join(src, "tools", "pre-commit-hook"), os.path.join(fake2, "tools"))
        stub2 = os.path.join(fake2, "bin", "leaklint")
        with open(stub2, "w") as fh:
            fh.write("#!/bin/sh\necho installed-leaklint \"$@\"\nexit 0\n")
        os.chmod(stub2, 0o755)
        env3 = dict(env2, PATH=os.path.join(fake2, "bin") + os.pathsep + env2.get("PATH", ""))
        rc, out = run([os.path.join(fake2, "tools", "pre-commit-hook"), "a.c"], repo, env3)
        check(rc == 0 and "installed-leaklint a.c" in out and "building" not in out
              and not os.path.exists(os.path.join(fake2, "build-pre-commit")),
              "no build yet: the hook uses the installed leaklint on PATH, builds nothing", out)
        # an earlier build wins over PATH (it is the hook's own version)
        rc, out = run([os.path.join(fake, "tools", "pre-commit-hook"), "a.c"], repo, env3)
        check(rc == 1 and "stub-leaklint a.c" in out, "an earlier build-pre-commit/ wins over PATH", out)

    if FAILS:
        print("\n%d check(s) failed" % len(FAILS))
        for f in FAILS:
            print("---\n" + f)
        return 1
    print("all pre-commit checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
