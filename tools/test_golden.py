#!/usr/bin/env python3
"""Golden tests for the reporters.

usage: test_golden.py BIN SRC [--update]

Copies testdata/golden/timer_loop.c to a temporary directory as
src/timer_loop.c, runs `BIN --format FMT src` there (so paths are stable) for
every format, and compares the output exactly with testdata/golden/expected.*.
Only two things are normalised: the leaklint version string ("@VERSION@")
and the temporary directory's absolute path / file:// URI ("@TMPDIR@").
LEAKLINT_DATA_DIR points at a copy of the real rule packs (rules/*.json) whose
rules/docs is testdata/golden/docs, so that editing a rule's documentation
does not change the golden SARIF (its help text comes from rules/docs).
With --update the expected files are rewritten from the current output.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

# name of the expected file -> (extra arguments, which stream)
CASES = [
    ("expected.text", ["--format", "text", "--color", "never"], "stdout"),
    ("expected.text.stderr", ["--format", "text", "--color", "never"], "stderr"),
    ("expected.text.color", ["--format", "text", "--color", "always"], "stdout"),
    ("expected.json", ["--format", "json"], "stdout"),
    # machine formats still give the CI log the summary line
    ("expected.json.stderr", ["--format", "json"], "stderr"),
    ("expected.sarif", ["--format", "sarif"], "stdout"),
    ("expected.github", ["--format", "github"], "stdout"),
    ("expected.gitlab", ["--format", "gitlab"], "stdout"),
]
EXPECTED_EXIT = 1  # one unsuppressed finding


def version_of(binary):
    out = subprocess.run([binary, "--version"], capture_output=True, text=True)
    m = re.search(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?", out.stdout + out.stderr)
    if not m:
        sys.exit("test_golden: cannot read the version from `%s --version`" % binary)
    return m.group(0)


def normalise(text, version, tmpdir):
    uri_path = urllib.parse.quote(tmpdir, safe="/-._~")
    text = text.replace("file://" + uri_path, "file://@TMPDIR@")
    text = text.replace(tmpdir, "@TMPDIR@")
    text = text.replace('"%s"' % version, '"@VERSION@"')
    return text


def main():
    args = [a for a in sys.argv[1:] if a != "--update"]
    update = "--update" in sys.argv[1:]
    if len(args) != 2:
        sys.exit(__doc__)
    binary, src = os.path.abspath(args[0]), os.path.abspath(args[1])
    golden = os.path.join(src, "testdata", "golden")
    version = version_of(binary)
    env = dict(os.environ)
    for k in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "LEAKLINT_DATA_DIR"):
        env.pop(k, None)

    failures = 0
    with tempfile.TemporaryDirectory(prefix="leaklint-golden-") as tmp:
        tmp = os.path.realpath(tmp)
        os.makedirs(os.path.join(tmp, "src"))
        data = os.path.join(tmp, "data")
        os.makedirs(os.path.join(data, "rules"))
        for name in sorted(os.listdir(os.path.join(src, "rules"))):
            if name.endswith(".json"):
                shutil.copy(os.path.join(src, "rules", name), os.path.join(data, "rules", name))
        shutil.copytree(os.path.join(golden, "docs"), os.path.join(data, "rules", "docs"))
        env["LEAKLINT_DATA_DIR"] = data
        shutil.copy(os.path.join(golden, "timer_loop.c"), os.path.join(tmp, "src", "timer_loop.c"))
        runs = {}
        for name, extra, stream in CASES:
            key = tuple(extra)
            if key not in runs:
                cmd = [binary, "--no-cache", "-j1"] + extra + ["src"]
                runs[key] = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True)
                r = runs[key]
                if r.returncode != EXPECTED_EXIT:
                    print("FAIL %s: exit code %d, expected %d\n%s" %
                          (" ".join(extra), r.returncode, EXPECTED_EXIT, r.stderr))
                    failures += 1
            r = runs[key]
            got = normalise(getattr(r, stream), version, tmp)
            path = os.path.join(golden, name)
            if update:
                with open(path, "w") as f:
                    f.write(got)
                print("updated %s" % os.path.relpath(path, src))
                continue
            try:
                with open(path) as f:
                    want = f.read()
            except OSError as e:
                print("FAIL %s: %s" % (name, e))
                failures += 1
                continue
            if got != want:
                import difflib
                diff = difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                            "testdata/golden/" + name, "actual")
                print("FAIL %s differs from the golden file:" % name)
                sys.stdout.writelines(diff)
                print("(if the change is intended: tools/test_golden.py BIN SRC --update)")
                failures += 1
            else:
                print("ok   %s" % name)
    total = len(CASES)
    if update:
        return 0
    print("golden: %d ok, %d failed" % (total - min(failures, total), min(failures, total)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
