#!/usr/bin/env python3
"""Bad input, end to end through the real binary: missing and unreadable
paths, binary and random files, broken sources, broken compile databases,
configs and rule packs, bad command lines, -o hygiene, and the front end's
flag handling (stripped plugins, compile_flags.txt, git-aware discovery).

Usage: test_bad_input.py BIN SRC

Every run is also checked for sanitizer reports and crashes (signals), so the
test is meaningful in the ASan+UBSan build too."""
import json
import os
import pty
import random
import re
import shutil
import subprocess
import sys
import tempfile

FAILS = []
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")


def check(cond, what, detail=""):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what + (("\n" + str(detail)) if detail else ""))
    return cond


def run(bin_, args, cwd, env_extra=None):
    env = dict(os.environ, NO_COLOR="1")
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([bin_] + args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, errors="replace", timeout=300)
    what = " ".join(args)
    check(p.returncode >= 0, "no crash: " + what, "killed by signal %d" % -p.returncode)
    check(not SANITIZER.search(p.stderr), "no sanitizer report: " + what, p.stderr[-3000:])
    return p.returncode, p.stdout, p.stderr


def usage_error(bin_, args, cwd, needle, label):
    """Exit 2, exactly `leaklint: error: ...` + the hint on stderr, nothing on stdout."""
    rc, out, err = run(bin_, args, cwd)
    lines = err.splitlines()
    check(rc == 2, label + ": exit 2", "rc=%d stderr=%s" % (rc, err))
    check(len(lines) == 2 and lines[0].startswith("leaklint: error: ") and needle in lines[0]
          and lines[1] == "Try 'leaklint --help'.", label + ": one error line + hint", err)
    check(out == "", label + ": nothing on stdout", out)


def one_error_line(rc, out, err, needle, label):
    """Exit 2 and exactly one `leaklint: error: ...` line naming `needle`."""
    lines = err.splitlines()
    check(rc == 2, label + ": exit 2", "rc=%d stderr=%s" % (rc, err))
    check(len(lines) == 1 and lines[0].startswith("leaklint: error: ") and needle in lines[0],
          label + ": one line naming " + needle, err)


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, mode) as fh:
        fh.write(text)


TIMER_SRC = """#include <sys/timerfd.h>
#include <time.h>

void poll_devices(int n) {
  for (int i = 0; i < n; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    (void)fd;
  }
}
"""
TIMER_LINE = 6

TRUNCATED_SRC = TIMER_SRC[: TIMER_SRC.index("(void)fd;")]


def json_run(bin_, args, cwd):
    rc, out, err = run(bin_, ["--format", "json"] + args, cwd)
    try:
        return rc, json.loads(out), err
    except ValueError:
        check(False, "JSON output parses: " + " ".join(args), out + err)
        return rc, {"findings": [], "notifications": []}, err


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    bin_ = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="leaklint-bad-")
    try:
        tests(bin_, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILS:
        print("\n%d failure(s):" % len(FAILS))
        for f in FAILS:
            print(" - " + f)
        sys.exit(1)
    print("all bad-input checks passed")


def tests(bin_, tmp):
    base = ["--no-cache", "-j2"]
    rnd = random.Random(1234)

    # ---- command line ----
    usage_error(bin_, ["--no-such-flag"], tmp, "'--no-such-flag'", "unknown long option")
    usage_error(bin_, ["--formt", "json"], tmp, "did you mean '--format'", "misspelt option")
    usage_error(bin_, ["-Z"], tmp, "'-Z'", "unknown short option")
    usage_error(bin_, ["-j", "0"], tmp, "-j", "-j 0")
    usage_error(bin_, ["--jobs=1025"], tmp, "--jobs", "--jobs=1025")
    usage_error(bin_, ["-jx"], tmp, "'x'", "-jx")
    usage_error(bin_, ["-j"], tmp, "requires a value", "-j without a value")
    usage_error(bin_, ["--format", "xml"], tmp, "'xml'", "--format xml")
    usage_error(bin_, ["--format"], tmp, "requires a value", "--format without a value")
    usage_error(bin_, ["--color=sometimes"], tmp, "'sometimes'", "--color sometimes")
    usage_error(bin_, ["--select", "no-such-rule"], tmp, "'no-such-rule'", "--select unknown rule")
    usage_error(bin_, ["--ignore", "unbuffered-send,,"], tmp, "empty rule id", "--ignore empty id")
    usage_error(bin_, ["--explain", "nope"], tmp, "'nope'", "--explain unknown rule")
    usage_error(bin_, ["--shard", "3/2"], tmp, "--shard", "--shard 3/2")
    usage_error(bin_, ["--shard", "0/2"], tmp, "--shard", "--shard 0/2")
    usage_error(bin_, ["--shard=1"], tmp, "--shard", "--shard without N")
    usage_error(bin_, ["--fix=yes"], tmp, "does not take a value", "--fix=yes")
    usage_error(bin_, ["--no-cache", "--cache-dir", "x"], tmp, "cannot be combined",
                "--no-cache with --cache-dir")
    usage_error(bin_, ["merge-sarif"], tmp, "at least one", "merge-sarif without inputs")

    rc, out, err = run(bin_, ["--help"], tmp)
    check(rc == 0 and err == "", "--help exits 0 quietly", err)
    for flag in ["-p, --compile-commands", "-j, --jobs", "--format", "-o, --output", "--rules",
                 "--list-rules", "--explain", "--color", "-q, --quiet", "-v, --verbose",
                 "--version", "-h, --help", "--select", "--ignore", "--config", "--exclude",
                 "--baseline", "--write-baseline", "--fix", "--diff", "--statistics",
                 "--exit-zero", "--report-unused-suppressions", "--no-cache", "--cache-dir",
                 "--no-prefilter", "--shard", "merge-sarif"]:
        check(flag in out, "--help documents " + flag)
    check(all(len(l) <= 90 for l in out.splitlines()), "--help lines fit a terminal")
    rc, out, err = run(bin_, ["--version"], tmp)
    check(rc == 0 and re.fullmatch(r"leaklint \S+ \(libclang \S+\)\n", out) is not None,
          "--version prints 'leaklint VERSION (libclang X)'", out + err)

    usage_error(bin_, ["-qv"], tmp, "cannot be combined", "-q with -v")
    usage_error(bin_, ["", "x.c"], tmp, "empty path", "empty path argument")

    # ---- colour: auto = only on a terminal (the tests' stdout is a pipe) ----
    write(os.path.join(tmp, "col", "a.c"), TIMER_SRC)
    rc, out, err = run(bin_, base + ["--color=always", "col/a.c"], tmp)
    check(rc == 1 and "\x1b[" in out, "--color=always colours (even with NO_COLOR)", out)
    rc, out, err = run(bin_, base + ["col/a.c"], tmp, {"NO_COLOR": ""})
    check(rc == 1 and "\x1b[" not in out, "--color=auto does not colour a pipe", out)
    rc, out, err = run(bin_, base + ["--color=never", "col/a.c"], tmp)
    check(rc == 1 and "\x1b[" not in out, "--color=never does not colour", out)

    for no_color, want in (("", True), ("1", False)):
        master, slave = pty.openpty()
        env = dict(os.environ, NO_COLOR=no_color)
        p = subprocess.Popen([bin_] + base + ["col/a.c"], cwd=tmp, env=env, stdout=slave,
                             stderr=subprocess.PIPE)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        p.wait(timeout=300)
        p.stderr.close()
        os.close(master)
        shown = b"".join(chunks).decode("utf-8", "replace")
        check(("\x1b[" in shown) == want,
              "--color=auto on a terminal %s (NO_COLOR=%r)" % ("colours" if want else "does not colour",
                                                              no_color), shown)

    # random command lines: exit 0, 1 or 2, never a crash or a sanitizer report
    pieces = ["-j", "3", "-j0", "--jobs=", "--format", "sarif", "--format=", "-o", "-", "-q",
              "-v", "--select", "unbuffered-send,timer-per-iteration", "--ignore=", ",",
              "--shard", "1/1", "2/3", "--shard=9/1", "--color", "--exclude", "**", "--",
              "-DX", "--rules", "", "=", "-", "-pq", "--no-prefilter", "--statistics",
              "--exit-zero", "--list-rules", "--explain", "wait-without-cancel", "\u00e9",
              "x" * 300, "--cache-dir", "--no-cache", "-jq", "col/a.c"]
    for i in range(40):
        args = [rnd.choice(pieces) for _ in range(rnd.randrange(1, 7))]
        if "col/a.c" not in args:
            args.append("col/a.c")
        rc, out, err = run(bin_, ["--no-cache"] + args, tmp)
        check(rc in (0, 1, 2), "random command line exits 0/1/2: %r" % args, "rc=%d" % rc)

    # ---- paths ----
    rc, out, err = run(bin_, base + ["missing.c"], tmp)
    one_error_line(rc, out, err, "missing.c: No such file or directory", "missing path")
    os.symlink("nowhere.c", os.path.join(tmp, "dangling.c"))
    rc, out, err = run(bin_, base + ["dangling.c"], tmp)
    one_error_line(rc, out, err, "dangling.c", "dangling symlink")
    os.remove(os.path.join(tmp, "dangling.c"))
    if os.geteuid() != 0:  # root reads mode-000 files
        write(os.path.join(tmp, "locked", "secret.c"), TIMER_SRC)
        os.chmod(os.path.join(tmp, "locked", "secret.c"), 0)
        rc, out, err = run(bin_, base + ["locked/secret.c"], tmp)
        one_error_line(rc, out, err, "secret.c", "unreadable file")
        os.chmod(os.path.join(tmp, "locked", "secret.c"), 0o644)
        shutil.rmtree(os.path.join(tmp, "locked"))

    os.mkdir(os.path.join(tmp, "empty"))
    rc, out, err = run(bin_, base + ["empty"], tmp)
    check(rc == 0, "empty directory: exit 0", "rc=%d %s" % (rc, err))
    check("no C/C++ sources found" in err, "empty directory: note says so", err)

    # ---- bad files next to a good one ----
    d = os.path.join(tmp, "mixed")
    write(os.path.join(d, "good.c"), TIMER_SRC)
    write(os.path.join(d, "binary.c"), bytes(rnd.randrange(256) for _ in range(4096)), "wb")
    write(os.path.join(d, "random.c"), bytes(rnd.randrange(256) for _ in range(200 * 1024)), "wb")
    write(os.path.join(d, "truncated.c"), TRUNCATED_SRC)
    rc, doc, err = json_run(bin_, base + ["mixed"], tmp)
    check(rc == 2, "bad files + good file: run continues, exit 2 for the failed files", "rc=%d %s" % (rc, err))
    rc2, _, err2 = json_run(bin_, base + ["--allow-parse-errors", "mixed"], tmp)
    check(rc2 == 1, "bad files + good file, --allow-parse-errors: exit 1 for the finding",
          "rc=%d %s" % (rc2, err2))
    got = [(f.get("file"), f.get("line"), f.get("rule")) for f in doc.get("findings", [])]
    check(("mixed/good.c", TIMER_LINE, "timer-per-iteration") in got,
          "bad files + good file: the good file's finding is reported", got)
    for bad in ["binary.c", "random.c", "truncated.c"]:
        check(any((n.get("file") or "").endswith("mixed/" + bad) and n.get("level") == "error"
                  for n in doc.get("notifications", [])),
              "bad files + good file: error notification for " + bad, doc.get("notifications"))

    # every file failing: exit 2; -o leaves nothing behind
    d = os.path.join(tmp, "allbad")
    write(os.path.join(d, "truncated.c"), TRUNCATED_SRC)
    write(os.path.join(d, "binary.c"), bytes(rnd.randrange(256) for _ in range(4096)), "wb")
    rc, out, err = run(bin_, base + ["allbad"], tmp)
    check(rc == 2, "every file failing: exit 2", "rc=%d %s" % (rc, err))
    outfile = os.path.join(tmp, "out.json")
    rc, out, err = run(bin_, base + ["--format", "json", "-o", "out.json", "allbad"], tmp)
    check(rc == 2 and not os.path.exists(outfile), "-o on an all-failing run leaves no file",
          "rc=%d exists=%s" % (rc, os.path.exists(outfile)))
    if os.path.exists(outfile):
        os.remove(outfile)
    rc, out, err = run(bin_, base + ["-o", "out.json", "missing.c"], tmp)
    check(rc == 2 and not os.path.exists(outfile), "-o on a usage error leaves no file")

    # ---- compile_commands.json ----
    proj = os.path.join(tmp, "proj")
    write(os.path.join(proj, "src", "a.c"), TIMER_SRC)
    write(os.path.join(proj, "broken", "compile_commands.json"), '[{"directory": "x", "file": ')
    rc, out, err = run(bin_, base + ["-p", "proj/broken", "proj/src/a.c"], tmp)
    one_error_line(rc, out, err, "proj/broken/compile_commands.json: invalid JSON at 1:",
                   "broken compile_commands.json")
    write(os.path.join(proj, "shape", "compile_commands.json"), '{"directory": "x"}')
    rc, out, err = run(bin_, base + ["-p", "proj/shape/compile_commands.json", "proj/src/a.c"], tmp)
    one_error_line(rc, out, err, "proj/shape/compile_commands.json", "compile_commands.json not an array")
    os.mkdir(os.path.join(proj, "nodb"))
    rc, out, err = run(bin_, base + ["-p", "proj/nodb", "proj/src/a.c"], tmp)
    one_error_line(rc, out, err, "proj/nodb", "-p directory without a database")

    srcdir = os.path.join(proj, "src")
    db = [{"directory": srcdir, "file": "a.c",
           "arguments": ["cc", "-fplugin=/nonexistent/evil.so", "-Xclang", "-load", "-Xclang",
                         "/nonexistent/evil2.so", "-c", "a.c", "-o", "a.o", "-MD", "-MF", "a.d"]}]
    write(os.path.join(proj, "build", "compile_commands.json"), json.dumps(db))
    rc, out, err = run(bin_, base + ["-v", "-p", "proj/build", "proj/src/a.c"], tmp)
    check(rc == 1, "database with plugin flags: file analysed, finding reported", "rc=%d %s" % (rc, err))
    check("-fplugin=/nonexistent/evil.so" in err, "-v reports the stripped -fplugin=", err)
    check("/nonexistent/evil2.so" in err, "-v reports the stripped -Xclang -load", err)
    rc, out, err = run(bin_, base + ["-p", "proj/build", "proj/src/a.c"], tmp)
    check("evil.so" not in err, "without -v the stripped flags are not reported", err)
    gdb = [{"directory": srcdir, "file": "a.c",
            "arguments": ["gcc", "-fconserve-stack", "-mindirect-branch=thunk-extern",
                          "-fno-allow-store-data-races", "-c", "a.c"]}]
    write(os.path.join(proj, "gccdb", "compile_commands.json"), json.dumps(gdb))
    rc, doc, err = json_run(bin_, base + ["-p", "proj/gccdb", "proj/src/a.c"], tmp)
    errs = [n for n in doc.get("notifications", []) if n.get("level") == "error"]
    check(rc == 1 and not errs, "GCC-only flags in the database do not fail the parse",
          "rc=%d %s %s" % (rc, errs, err))
    write(os.path.join(proj, "other.json"), json.dumps(db))
    rc, out, err = run(bin_, base + ["-v", "-p", "proj/other.json", "proj/src/a.c"], tmp)
    check(rc == 1 and "evil.so" in err, "-p FILE with any name is used", "rc=%d %s" % (rc, err))
    # found by the search (no -p): proj/build is not searched from tmp, but a
    # database next to the source is
    write(os.path.join(srcdir, "compile_commands.json"), json.dumps(db))
    rc, out, err = run(bin_, base + ["-v", "proj/src/a.c"], tmp)
    check(rc == 1 and "evil.so" in err, "database found upward from the source", err)
    os.remove(os.path.join(srcdir, "compile_commands.json"))

    # ---- compile_flags.txt (clangd semantics: relative to its directory) ----
    cf = os.path.join(tmp, "cf")
    write(os.path.join(cf, "compile_flags.txt"), "-Iinc\n-DFROM_FLAGS=1\n")
    write(os.path.join(cf, "inc", "needed.h"), "#define NEEDED_FD(x) timerfd_create(x, 0)\n")
    write(os.path.join(cf, "deep", "er", "b.c"),
          "#include <sys/timerfd.h>\n#include <time.h>\n#include \"needed.h\"\n"
          "#if !FROM_FLAGS\n#error compile_flags.txt not applied\n#endif\n"
          "void f(int n) {\n  for (int i = 0; i < n; i++) {\n    int fd = NEEDED_FD(CLOCK_MONOTONIC);\n"
          "    (void)fd;\n  }\n}\n")
    rc, doc, err = json_run(bin_, base + ["cf"], tmp)
    errs = [n for n in doc.get("notifications", []) if n.get("level") == "error"]
    check(rc == 1 and not errs, "compile_flags.txt found upward, -I resolved against its directory",
          "rc=%d %s %s" % (rc, errs, err))
    rc, doc, err = json_run(bin_, base + ["deep/er/b.c"], cf)
    errs = [n for n in doc.get("notifications", []) if n.get("level") == "error"]
    check(rc == 1 and not errs, "compile_flags.txt applies from a sub-directory cwd", errs)

    # ---- rule packs ----
    write(os.path.join(tmp, "packs", "bad.json"), '{"library": 3}')
    rc, out, err = run(bin_, base + ["--rules", "packs", "proj/src/a.c"], tmp)
    check(rc == 2 and "bad.json" in err and err.startswith("leaklint: error: "),
          "invalid rule pack via --rules: exit 2 naming the file", "rc=%d %s" % (rc, err))
    write(os.path.join(tmp, "packs2", "broken.json"), '{"library": ')
    rc, out, err = run(bin_, base + ["--rules", "packs2", "proj/src/a.c"], tmp)
    check(rc == 2 and "broken.json" in err, "unparsable rule pack: exit 2 naming the file", err)

    # ---- .leaklint.json ----
    cfgd = os.path.join(tmp, "cfg")
    write(os.path.join(cfgd, "a.c"), TIMER_SRC)
    bad_configs = [
        ('{"selct": []}', "/selct: unknown key"),
        ('{"select": "timer-per-iteration"}', "/select: expected an array"),
        ('{"select": ["timer-per-iteraton"]}', "/select/0: unknown rule"),
        ('{"level": {"timer-per-iteration": "fatal"}}', "/level/timer-per-iteration"),
        ('{"exclude": [1]}', "/exclude/0: expected a string"),
        ('{"cache": 3}', "/cache"),
        ('{"models": []}', "/models"),
        ('{"args": ["-DX"], "args": []}', "/args: duplicate key"),
        ('{"select": [}', "invalid JSON at 1:13"),
        ('[]', "expected a JSON object"),
    ]
    for text, needle in bad_configs:
        write(os.path.join(cfgd, ".leaklint.json"), text)
        rc, out, err = run(bin_, base + ["a.c"], cfgd)
        one_error_line(rc, out, err, ".leaklint.json: " + needle, "config " + text)
    write(os.path.join(cfgd, ".leaklint.json"), '{"ignore": ["timer-per-iteration"]}')
    rc, out, err = run(bin_, base + ["a.c"], cfgd)
    check(rc == 0, "config ignore applies", "rc=%d %s" % (rc, err))
    rc, out, err = run(bin_, base + ["--ignore", "unbuffered-send", "a.c"], cfgd)
    check(rc == 1, "command-line --ignore replaces the config's", "rc=%d %s" % (rc, err))
    write(os.path.join(cfgd, ".leaklint.json"), '{"exclude": ["sub/*.c"]}')
    write(os.path.join(cfgd, "sub", "b.c"), TIMER_SRC)
    os.makedirs(os.path.join(cfgd, "sub2"), exist_ok=True)
    rc, doc, err = json_run(bin_, base + ["."], os.path.join(cfgd, "sub2"))
    check(rc == 0 and not doc.get("findings"), "config found upward (run from a sub-directory)",
          "rc=%d %s" % (rc, err))
    rc, doc, err = json_run(bin_, base + ["."], cfgd)
    files = sorted({f["file"] for f in doc.get("findings", [])})
    check(files == ["a.c"], "config exclude is relative to the config's directory", files)
    rc, out, err = run(bin_, base + ["--config", "missing.json", "a.c"], cfgd)
    one_error_line(rc, out, err, "missing.json: No such file or directory", "--config missing")
    os.remove(os.path.join(cfgd, ".leaklint.json"))

    # ---- discovery: git-ignore, hidden, --exclude ----
    if shutil.which("git"):
        g = os.path.join(tmp, "repo")
        for rel in ["src/a.c", "gen/g.c", ".hidden/h.c", "vendor/v.c", "src/notes.txt"]:
            write(os.path.join(g, rel), TIMER_SRC)
        write(os.path.join(g, ".gitignore"), "gen/\n")
        subprocess.run(["git", "init", "-q", g], check=True)
        rc, doc, err = json_run(bin_, base + ["--exclude", "vendor", "."], g)
        files = sorted({f["file"] for f in doc.get("findings", [])})
        check(files == ["src/a.c"], "git work tree: ignored, hidden and excluded paths skipped",
              "%s %s" % (files, err))
        rc, doc, err = json_run(bin_, base + ["gen/g.c"], g)
        check(rc == 1, "an explicitly named git-ignored file is analysed", "rc=%d %s" % (rc, err))
        rc, doc, err = json_run(bin_, base + ["gen"], g)
        check(rc == 1, "an explicitly named git-ignored directory is analysed", "rc=%d %s" % (rc, err))
        shutil.rmtree(os.path.join(g, ".git"))
        rc, doc, err = json_run(bin_, base + ["--exclude", "**/vendor/*.c", "."], g)
        files = sorted({f["file"] for f in doc.get("findings", [])})
        check(files == ["gen/g.c", "src/a.c"], "outside git: walk skips hidden and excluded paths",
              "%s %s" % (files, err))
        os.symlink("..", os.path.join(g, "src", "loop"))
        rc, doc, err = json_run(bin_, base + ["src"], g)
        check(rc in (0, 1), "symlink loop terminates", "rc=%d %s" % (rc, err))


if __name__ == "__main__":
    main()
