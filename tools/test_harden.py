#!/usr/bin/env python3
"""Hostile-input hardening (issues 14 and 16), end to end through the real
binary. One mode per vector family:

  atomic   output files: no predictable temporary name is followed, no
           temporary file survives SIGTERM during a write, -o to a symbolic
           link behaves as documented (README "Output files")
  workdir  -working-directory in a compile database does not move the process
  flags    compile flags that write files, read files or load code are dropped
  git      git run inside the analysed tree cannot run its commands or hang us
  clion    CLion's cmake-build-*/compile_commands.json is found
  packscale a rule pack of 100,000 APIs loads in well under a second of CPU
           (the duplicate check was quadratic), and a duplicate is still found

Usage: test_harden.py BIN SRC MODE [FAULTSHIM.so]

Each run is checked for crashes and sanitizer reports, so the test is
meaningful in the ASan+UBSan build too. Nothing outside the repository and a
fresh temporary directory is read or written."""
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

FAILS = []
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")

TIMER_SRC = """#include <sys/timerfd.h>
#include <time.h>

void poll_devices(int n) {
  for (int i = 0; i < n; i++) {
    int fd = timerfd_create(CLOCK_MONOTONIC, 0);
    (void)fd;
  }
}
"""
def check(cond, what, detail=""):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what + (("\n" + str(detail)) if detail else ""))
    return cond


def run(bin_, args, cwd, env_extra=None, preexec=None, timeout=300, expect_signal=None):
    env = dict(os.environ, NO_COLOR="1")
    if env_extra:
        env.update(env_extra)
    try:
        p = subprocess.run([bin_] + args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, errors="replace",
                           timeout=timeout, preexec_fn=preexec)
    except subprocess.TimeoutExpired:
        check(False, "finishes within %ds: %s" % (timeout, " ".join(args)))
        return None, "", ""
    what = " ".join(args)
    if expect_signal is None:
        check(p.returncode >= 0, "no crash: " + what, "killed by signal %d" % -p.returncode)
    check(not SANITIZER.search(p.stderr), "no sanitizer report: " + what, p.stderr[-3000:])
    return p.returncode, p.stdout, p.stderr


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, mode) as fh:
        fh.write(text)


def read(path):
    with open(path, errors="replace") as fh:
        return fh.read()


def leftovers(d, keep):
    """Files in d not in keep (temporary files left behind)."""
    return sorted(set(os.listdir(d)) - set(keep))


# ---------------------------------------------------------------- atomic ----

def atomic_tests(bin_, tmp, shim):
    base = ["--no-cache", "-j1"]
    d = os.path.join(tmp, "w")
    write(os.path.join(d, "a.c"), TIMER_SRC)
    write(os.path.join(d, "victim.txt"), "precious\n")

    # 1. a symbolic link planted at the old predictable temporary names
    #    (FILE.tmp.<pid>) is not followed: preexec runs in the child, whose pid
    #    the exec'ed leaklint keeps
    def plant():
        pid = os.getpid()
        for name in ("out.json", "base.json", "merged.sarif"):
            os.symlink("victim.txt", os.path.join(d, "%s.tmp.%d" % (name, pid)))

    rc, out, err = run(bin_, base + ["--format", "json", "-o", "out.json", "a.c"], d,
                       preexec=plant)
    check(rc == 1 and json.loads(read(os.path.join(d, "out.json")))["findings"],
          "-o writes the report", "rc=%s %s" % (rc, err))
    check(read(os.path.join(d, "victim.txt")) == "precious\n",
          "-o: a link at FILE.tmp.<pid> is not followed", read(os.path.join(d, "victim.txt"))[:200])
    write(os.path.join(d, "victim.txt"), "precious\n")
    rc, out, err = run(bin_, base + ["--write-baseline", "base.json", "a.c"], d, preexec=plant)
    check(os.path.isfile(os.path.join(d, "base.json")), "--write-baseline writes", err)
    check(read(os.path.join(d, "victim.txt")) == "precious\n",
          "--write-baseline: a link at FILE.tmp.<pid> is not followed")
    for f in os.listdir(d):
        if ".tmp." in f:
            os.remove(os.path.join(d, f))
    check(leftovers(d, ["a.c", "victim.txt", "out.json", "base.json"]) == [],
          "no temporary files after successful writes", os.listdir(d))

    # 2. SIGTERM during the write (at the rename, the temporary file complete):
    #    the process dies by SIGTERM and leaves no temporary file
    if shim:
        env = {"LD_PRELOAD": shim,
               "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"}
        run(bin_, base + ["--format", "sarif", "-o", "a.sarif", "a.c"], d)
        cases = [
            ("-o", ["--format", "json", "-o", "out.json", "a.c"], "out.json"),
            ("--write-baseline", ["--write-baseline", "base.json", "a.c"], "base.json"),
            ("merge-sarif", ["merge-sarif", "a.sarif", "a.sarif", "-o", "merged.sarif"],
             "merged.sarif"),
        ]
        for label, args, target in cases:
            before = read(os.path.join(d, target)) if os.path.exists(os.path.join(d, target)) else None
            names = set(os.listdir(d))
            rc, out, err = run(bin_, (base if args[0] != "merge-sarif" else []) + args, d,
                               dict(env, LL_TEST_SIGTERM_ON_RENAME=target),
                               expect_signal=signal.SIGTERM)
            check(rc == -signal.SIGTERM, label + ": SIGTERM during the write ends the run",
                  "rc=%s %s" % (rc, err[-2000:]))
            new = sorted(set(os.listdir(d)) - names)
            check(new == [], label + ": no temporary file left after SIGTERM", new)
            now = read(os.path.join(d, target)) if os.path.exists(os.path.join(d, target)) else None
            check(now == before, label + ": the target is untouched")
        for sig in (signal.SIGINT, signal.SIGHUP):
            names = set(os.listdir(d))
            rc, out, err = run(bin_, base + ["--format", "json", "-o", "out.json", "a.c"], d,
                               dict(env, LL_TEST_SIGTERM_ON_RENAME="out.json",
                                    LL_TEST_SIGNAL=str(int(sig))), expect_signal=sig)
            check(rc == -sig and sorted(set(os.listdir(d)) - names) == [],
                  "-o: %s during the write ends the run, no temporary file left" % sig.name,
                  "rc=%s %s" % (rc, sorted(set(os.listdir(d)) - names)))
        kill9_tests(bin_, base, d, env)
        fd = os.path.join(tmp, "fixsig")
        os.makedirs(fd)
        fix_src = read(os.path.join(SRC, "testdata", "unbuffered-send", "chan_early_return.c"))
        write(os.path.join(fd, "f.c"), fix_src)
        inc = "-I" + os.path.join(SRC, "testdata", "include")
        rc, out, err = run(bin_, base + ["--fix", "f.c", "--", inc], fd,
                           dict(env, LL_TEST_SIGTERM_ON_RENAME="f.c"),
                           expect_signal=signal.SIGTERM)
        check(rc == -signal.SIGTERM and leftovers(fd, ["f.c"]) == [] and
              read(os.path.join(fd, "f.c")) == fix_src,
              "--fix: SIGTERM during the write leaves the file and no temporary file",
              "rc=%s %s %s" % (rc, os.listdir(fd), err[-1500:]))
        rc, out, err = run(bin_, base + ["--fix", "f.c", "--", inc], fd)
        check(read(os.path.join(fd, "f.c")) != fix_src and leftovers(fd, ["f.c"]) == [],
              "--fix rewrites the file, no temporary file left", "rc=%s %s" % (rc, err))

    # 3. -o to a symbolic link (README "Output files")
    write(os.path.join(d, "real", "report.json"), "old\n")
    os.symlink("real/report.json", os.path.join(d, "link.json"))
    rc, out, err = run(bin_, base + ["--format", "json", "-o", "link.json", "a.c"], d)
    check(os.path.islink(os.path.join(d, "link.json")), "-o LINK (own link): the link stays a link")
    check(read(os.path.join(d, "real", "report.json")).startswith("{"),
          "-o LINK (own link): the report is written through to the link's target")
    check(leftovers(os.path.join(d, "real"), ["report.json"]) == [],
          "-o LINK: no temporary file next to the target")
    os.symlink("real/missing/x.json", os.path.join(d, "dangling.json"))
    rc, out, err = run(bin_, base + ["-o", "dangling.json", "a.c"], d)
    check(rc == 2 and "dangling.json" in err and os.path.islink(os.path.join(d, "dangling.json")),
          "-o DANGLING-LINK is refused (exit 2), the link stays", "rc=%s %s" % (rc, err))
    if os.geteuid() == 0:
        write(os.path.join(d, "victim.txt"), "precious\n")
        os.symlink("victim.txt", os.path.join(d, "theirs.json"))
        os.lchown(os.path.join(d, "theirs.json"), 65534, 65534)
        rc, out, err = run(bin_, base + ["-o", "theirs.json", "a.c"], d)
        check(rc == 2 and "another user" in err and
              read(os.path.join(d, "victim.txt")) == "precious\n" and
              os.path.islink(os.path.join(d, "theirs.json")),
              "-o LINK owned by another user is refused, nothing written",
              "rc=%s %s" % (rc, err))
    # a FIFO (like /dev/stdout on a pipe) is written directly, not replaced
    fifo = os.path.join(d, "pipe.json")
    os.mkfifo(fifo)
    got = []

    def reader():
        fdr = os.open(fifo, os.O_RDONLY)
        with os.fdopen(fdr) as fh:
            got.append(fh.read())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    rc, out, err = run(bin_, base + ["--format", "json", "-o", "pipe.json", "a.c"], d, timeout=60)
    t.join(10)
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode) and got and got[0].startswith("{"),
          "-o FIFO: the report goes through the FIFO, which stays a FIFO",
          "rc=%s %s %r" % (rc, err, got[:1]))
    if t.is_alive():  # unblock the reader
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
    os.mkdir(os.path.join(d, "adir"))
    rc, out, err = run(bin_, base + ["-o", "adir", "a.c"], d)
    check(rc == 2 and "adir" in err and leftovers(os.path.join(d, "adir"), []) == [],
          "-o DIRECTORY: exit 2, nothing created", "rc=%s %s" % (rc, err))


# --------------------------------------------------------------- workdir ----

def kill9_tests(bin_, base, d, env):
    """SIGKILL cannot be caught: the temporary file stays. The next write of
    the same target removes it once it is 10 minutes old and its pid is gone;
    nothing else that looks alike is touched."""
    names = set(os.listdir(d))
    rc, out, err = run(bin_, base + ["--format", "json", "-o", "out.json", "a.c"], d,
                       dict(env, LL_TEST_SIGTERM_ON_RENAME="out.json", LL_TEST_SIGNAL=str(int(signal.SIGKILL))),
                       expect_signal=signal.SIGKILL)
    left = sorted(set(os.listdir(d)) - names)
    check(rc == -signal.SIGKILL and len(left) == 1 and re.match(r"\.out\.json\.leaklint-\d+-\w{6}$", left[0]),
          "-o: SIGKILL during the write leaves one .out.json.leaklint-PID-XXXXXX", "rc=%s %s" % (rc, left))
    if len(left) != 1:
        return
    dead = subprocess.Popen(["true"])
    dead.wait()
    old = time.time() - 3600
    decoys = {".out.json.leaklint-%d-live01" % os.getpid(): "file",   # its pid runs
              ".out.json.leaklint-%d-link01" % dead.pid: "link",      # a link, not a file
              ".other.json.leaklint-%d-other1" % dead.pid: "file",    # another target's
              ".out.json.leaklint-%d-young1" % dead.pid: "young"}     # too young
    for name, kind in decoys.items():
        path = os.path.join(d, name)
        if kind == "link":
            os.symlink("victim.txt", path)
        else:
            write(path, "x")
        if kind != "young":
            os.utime(path, (old, old), follow_symlinks=False)
    run(bin_, base + ["--format", "json", "-o", "out.json", "a.c"], d)
    check(os.path.exists(os.path.join(d, left[0])),
          "-o: a left-over younger than 10 minutes is kept (its writer may be elsewhere)")
    os.utime(os.path.join(d, left[0]), (old, old))
    run(bin_, base + ["--format", "json", "-o", "out.json", "a.c"], d)
    check(not os.path.exists(os.path.join(d, left[0])),
          "-o: the next write removes the old left-over of a dead writer", os.listdir(d))
    check(all(os.path.lexists(os.path.join(d, n)) for n in decoys) and read(os.path.join(d, "victim.txt")) == "precious\n",
          "-o: a live pid's, a link, another target's and a young file are not removed", os.listdir(d))
    for n in decoys:
        os.remove(os.path.join(d, n))


def workdir_tests(bin_, tmp):
    """-working-directory DIR (every spelling) must not move the process: -o and
    --fix work on the project's files, relative paths of the entry resolve
    against DIR (itself relative to the entry's directory) as clang would."""
    inc = os.path.join(SRC, "testdata", "include")
    fix_src = read(os.path.join(SRC, "testdata", "unbuffered-send", "chan_early_return.c"))
    spellings = {
        "separate": ["-working-directory", "@W@"],
        "joined": ["-working-directory=@W@"],
        "xclang": ["-Xclang", "-working-directory", "-Xclang", "@W@"],
        "xclang-joined": ["-Xclang", "-working-directory=@W@"],
    }
    for label, flags in spellings.items():
        t = os.path.join(tmp, label)
        proj, other = os.path.join(t, "proj"), os.path.join(t, "other")
        for root in (proj, other):
            write(os.path.join(root, "src", "f.c"), fix_src)
        # -Iwinc is relative: the working directory ../w (relative to the
        # entry's directory proj/build) holds it
        write(os.path.join(t, "w", "winc", "wanted.h"), "#define WANTED 1\n")
        write(os.path.join(proj, "src", "f.c"), '#include "wanted.h"\n' + fix_src)
        wflags = [f.replace("@W@", "../../w") for f in flags]
        db = [{"directory": os.path.join(proj, "build"), "file": "../src/f.c",
               "arguments": ["cc"] + wflags + ["-Iwinc", "-I" + inc, "-c", "../src/f.c"]}]
        write(os.path.join(proj, "build", "compile_commands.json"), json.dumps(db))
        # the process's cwd is proj; the bad working directory would be t/w
        # for the paths, and `other` is what -o/--fix hit when cwd moves to
        # DIR = other (absolute) in a second entry form below
        rc, out, err = run(bin_, ["--no-cache", "-j1", "--fix", "-p", "build", "--format", "json",
                                  "-o", "out.json", "src/f.c"], proj)
        check(os.path.isfile(os.path.join(proj, "out.json")) and
              not os.path.exists(os.path.join(t, "w", "out.json")),
              "%s: -o out.json lands in the current directory" % label,
              "rc=%s %s %s" % (rc, err[-1500:], os.listdir(t)))
        doc = {}
        try:
            doc = json.loads(read(os.path.join(proj, "out.json")))
        except (OSError, ValueError):
            pass
        errs = [n for n in doc.get("notifications", []) if n.get("level") == "error"]
        # (--fix applies the finding's edit, so the report need not list it: the
        # absence of a "wanted.h not found" error is the proof)
        check("files" in doc and not errs,
              "%s: the entry's relative -I resolves against its working directory" % label,
              "%s %s" % (errs, err[-1500:]))
        check(read(os.path.join(proj, "src", "f.c")) != '#include "wanted.h"\n' + fix_src,
              "%s: --fix edits the project's own file" % label)
        # absolute DIR pointing at a decoy tree with the same relative names
        wflags = [f.replace("@W@", other) for f in flags]
        write(os.path.join(proj, "src", "f.c"), fix_src)
        db = [{"directory": proj, "file": "src/f.c",
               "arguments": ["cc"] + wflags + ["-I" + inc, "-c", "src/f.c"]}]
        write(os.path.join(proj, "build", "compile_commands.json"), json.dumps(db))
        if os.path.exists(os.path.join(proj, "out.json")):
            os.remove(os.path.join(proj, "out.json"))
        rc, out, err = run(bin_, ["--no-cache", "-j1", "--fix", "-p", "build", "--format", "json",
                                  "-o", "out.json", "src/f.c"], proj)
        check(os.path.isfile(os.path.join(proj, "out.json")) and
              not os.path.exists(os.path.join(other, "out.json")),
              "%s (absolute DIR): -o lands in the current directory" % label, err[-1500:])
        check(read(os.path.join(proj, "src", "f.c")) != fix_src and
              read(os.path.join(other, "src", "f.c")) == fix_src,
              "%s (absolute DIR): --fix edits the project's file, not DIR's" % label, err[-1500:])
    # after `--` and in config args: dropped (no entry directory to emulate)
    t = os.path.join(tmp, "dashdash")
    write(os.path.join(t, "proj", "a.c"), TIMER_SRC)
    os.makedirs(os.path.join(t, "other"))
    for extra, cfg in ((["--", "-working-directory", os.path.join(t, "other")], None),
                       ([], {"args": ["-working-directory=" + os.path.join(t, "other")]})):
        if cfg:
            write(os.path.join(t, "proj", ".leaklint.json"), json.dumps(cfg))
        rc, out, err = run(bin_, ["--no-cache", "-j1", "--format", "json", "-o", "out.json",
                                  "a.c"] + extra, os.path.join(t, "proj"))
        check(rc == 1 and os.path.isfile(os.path.join(t, "proj", "out.json")) and
              os.listdir(os.path.join(t, "other")) == [],
              "-working-directory %s: ignored, -o lands in the current directory" %
              ("after --" if extra else "in config args"), "rc=%s %s" % (rc, err[-1500:]))
        if os.path.exists(os.path.join(t, "proj", "out.json")):
            os.remove(os.path.join(t, "proj", "out.json"))


# ----------------------------------------------------------------- flags ----

SECRET = "ghp_SECRET123"


def flags_tests(bin_, tmp):
    """Each vector of issue 14/16: a flag that would write a file (the file must
    not appear), read a file that is not a source/header (its content must not
    reach any output), or load code, given through every source of flags."""
    proj = os.path.join(tmp, "proj")
    outd = os.path.join(tmp, "written")
    os.makedirs(outd)
    secret = os.path.join(tmp, "private", "token.txt")
    write(secret, SECRET + "\n")
    write(os.path.join(tmp, "private", "token.h"), SECRET + " x;\n")
    write(os.path.join(proj, "a.c"), TIMER_SRC)
    write(os.path.join(proj, "inc", "cfg.h"), "#define FROM_PROJECT_INCLUDE 1\n")
    o = lambda name: os.path.join(outd, name)
    writes = {
        "-Xclang -dependency-file": ["-Xclang", "-dependency-file", "-Xclang", o("dep1.d"),
                                     "-Xclang", "-MT", "-Xclang", "a.o"],
        "-Xclang -header-include-file": ["-Xclang", "-header-include-file", "-Xclang", o("hdr.txt"),
                                         "-Xclang", "-sys-header-deps", "-H"],
        "-Xclang -module-dependency-dir": ["-Xclang", "-module-dependency-dir", "-Xclang",
                                           o("moddeps")],
        "-fmodules-cache-path=": ["-fmodules", "-fmodules-cache-path=" + o("mcache")],
        "-MD -MF": ["-MD", "-MF", o("dep2.d")],
        "-Wp,-MD": ["-Wp,-MD," + o("dep3.d")],
        "-Xpreprocessor -MF": ["-Xpreprocessor", "-MD", "-Xpreprocessor", "-MF",
                               "-Xpreprocessor", o("dep4.d")],
        "-save-temps=": ["-save-temps=obj", "-o", o("st.o")],
    }
    reads = {
        "-fsanitize-ignorelist=": ["-fsanitize=address", "-fsanitize-ignorelist=" + secret],
        "-fsanitize-blacklist=": ["-fsanitize=address", "-fsanitize-blacklist=" + secret],
        "-fprofile-list=": ["-fprofile-instr-generate", "-fprofile-list=" + secret],
        "-Xclang -fprofile-list=": ["-fprofile-instr-generate", "-Xclang",
                                    "-fprofile-list=" + secret],
        "-fprofile-use=": ["-fprofile-use=" + secret],
        "-ivfsoverlay": ["-ivfsoverlay", secret],
        "-include (outside the project)": ["-include", os.path.join(tmp, "private", "token.h")],
        "response file": ["@" + secret],
        "--config": ["--config", secret],
        "-Xclang -include": ["-Xclang", "-include", "-Xclang",
                             os.path.join(tmp, "private", "token.h")],
    }
    loads = {
        "-fpass-plugin=": ["-fpass-plugin=" + o("evil.so")],
        "-fplugin=": ["-fplugin=" + o("evil.so")],
        "-Xclang -load": ["-Xclang", "-load", "-Xclang", o("evil.so")],
        "-Xclang -add-plugin": ["-Xclang", "-add-plugin", "-Xclang", "evil"],
    }

    def sources(flags):
        """(label, extra command-line args, setup) for each source of flags."""
        db = [{"directory": proj, "file": "a.c", "arguments": ["cc"] + flags + ["-c", "a.c"]}]
        yield "compile_commands.json", ["-p", "build"], lambda: write(
            os.path.join(proj, "build", "compile_commands.json"), json.dumps(db))
        yield "config args", [], lambda: write(os.path.join(proj, ".leaklint.json"),
                                               json.dumps({"args": flags}))
        yield "after --", ["--"] + flags, lambda: None
        yield "compile_flags.txt", [], lambda: write(os.path.join(proj, "compile_flags.txt"),
                                                     "\n".join(flags) + "\n")

    def clean():
        for f in ("compile_flags.txt", ".leaklint.json"):
            if os.path.exists(os.path.join(proj, f)):
                os.remove(os.path.join(proj, f))
        shutil.rmtree(os.path.join(proj, "build"), ignore_errors=True)

    def one(kind, name, flags):
        for label, extra, setup in sources(flags):
            clean()
            setup()
            cmd = ["--no-cache", "-j1", "-v", "--format", "json", "a.c"]
            if extra and extra[0] == "--":
                cmd += extra
            else:
                cmd = extra + cmd
            rc, out, err = run(bin_, cmd, proj, timeout=120)
            what = "%s via %s" % (name, label)
            if rc is None:
                continue
            doc = {}
            try:
                doc = json.loads(out)
            except ValueError:
                pass
            check(rc == 1 and any(f.get("rule") == "timer-per-iteration"
                                  for f in doc.get("findings", [])),
                  what + ": the file is still analysed", "rc=%s %s" % (rc, err[-1500:]))
            if not (name == "-MD -MF" and label == "compile_commands.json"):  # every build's own
                check("dropped '" in out + err, what + ": -v notes the dropped flag", err[-1500:])
            if kind == "writes":
                got = os.listdir(outd)
                check(got == [], what + ": no file written", got)
                for f in got:
                    p = os.path.join(outd, f)
                    shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
            else:
                check(SECRET not in out + err, what + ": the file's content is in no output",
                      (out + err)[-1500:])
            # the same in the other formats, without -v
            if kind == "reads" and label == "compile_commands.json":
                for fmt in ("text", "sarif"):
                    rc, out, err = run(bin_, extra + ["--no-cache", "-j1", "--format", fmt, "a.c"],
                                       proj, timeout=120)
                    check(SECRET not in (out or "") + (err or ""),
                          "%s (%s): the file's content is in no output" % (what, fmt))
        clean()

    for name, flags in writes.items():
        one("writes", name, flags)
    for name, flags in reads.items():
        one("reads", name, flags)
    for name, flags in loads.items():
        one("loads", name, flags)

    # kept: what a parse needs, from every source (a project -include, -D, -I)
    good = ["-Iinc", "-include", "inc/cfg.h", "-DFROM_FLAGS=1", "-std=gnu11", "-fno-common",
            "-march=x86-64", "-Wall"]
    write(os.path.join(proj, "b.c"), '#include "cfg.h"\n#if !FROM_FLAGS || !FROM_PROJECT_INCLUDE\n'
          '#error flags lost\n#endif\n' + TIMER_SRC)
    for label, extra, setup in sources(good):
        clean()
        setup()
        cmd = ["--no-cache", "-j1", "-v", "--format", "json", "b.c"]
        cmd = cmd + extra if extra and extra[0] == "--" else extra + cmd
        if label == "compile_commands.json":
            db = [{"directory": proj, "file": "b.c", "arguments": ["cc"] + good + ["-c", "b.c"]}]
            write(os.path.join(proj, "build", "compile_commands.json"), json.dumps(db))
        rc, out, err = run(bin_, cmd, proj, timeout=120)
        errs = []
        try:
            errs = [n for n in json.loads(out).get("notifications", []) if n.get("level") == "error"]
        except ValueError:
            errs = ["no JSON"]
        check(rc == 1 and not errs and "dropped '" not in out + err,
              "parse flags via %s are kept (-I, project -include, -D, -std, -f, -m, -W)" % label,
              "rc=%s %s %s" % (rc, errs, err[-1500:]))
    clean()


# ------------------------------------------------------------------- git ----

def git_tests(bin_, tmp):
    """git runs inside the analysed tree: its .git/config must not run commands
    (core.fsmonitor) or hang leaklint (core.excludesFile / include.path naming
    a FIFO); the user's own regular excludes file still applies."""
    if not shutil.which("git"):
        print("skip: git not installed")
        return
    g = os.path.join(tmp, "repo")
    for rel in ["src/a.c", "gen/g.c", "vendor/v.c"]:
        write(os.path.join(g, rel), TIMER_SRC)
    write(os.path.join(g, ".gitignore"), "gen/\n")
    genv = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", HOME=tmp, XDG_CONFIG_HOME=os.path.join(tmp, "xdg"))
    subprocess.run(["git", "init", "-q", g], check=True, env=genv)
    env = {"HOME": tmp, "XDG_CONFIG_HOME": os.path.join(tmp, "xdg")}

    def gitcfg(*kv):
        subprocess.run(["git", "-C", g, "config"] + list(kv), check=True, env=genv)

    def files_of(args=(), env_extra=None, timeout=60):
        t0 = time.monotonic()
        rc, out, err = run(bin_, ["--no-cache", "-j1", "-v", "--format", "json"] + list(args) + ["."],
                           g, dict(env, **(env_extra or {})), timeout=timeout)
        took = time.monotonic() - t0
        try:
            files = sorted({f["file"] for f in json.loads(out)["findings"]})
        except (ValueError, KeyError, TypeError):
            files = None
        return rc, files, out + err, took

    rc, files, err, _ = files_of()
    check(files == ["src/a.c", "vendor/v.c"], "plain repository: .gitignore applies", (files, err))

    # core.fsmonitor: a command git would run when it reads the index
    marker = os.path.join(tmp, "fsmonitor-ran")
    hook = os.path.join(tmp, "fsmon.sh")
    write(hook, "#!/bin/sh\ntouch '%s'\nexit 1\n" % marker)
    os.chmod(hook, 0o755)
    subprocess.run(["git", "-C", g, "add", "src/a.c"], check=True, env=genv)  # an index to read
    gitcfg("core.fsmonitor", hook)
    rc, files, err, _ = files_of()
    check(not os.path.exists(marker), "core.fsmonitor of the analysed tree is never run")
    check(files == ["src/a.c", "vendor/v.c"], "core.fsmonitor set: discovery unchanged", (files, err))
    gitcfg("--unset", "core.fsmonitor")

    # the user's own (regular) excludes file still applies
    mine = os.path.join(tmp, "my-ignore")
    write(mine, "vendor/\n")
    gitcfg("core.excludesFile", mine)
    rc, files, err, _ = files_of()
    check(files == ["src/a.c"], "a regular core.excludesFile still applies", (files, err))

    # core.excludesFile naming a FIFO: git would block opening it
    fifo = os.path.join(tmp, "excludes.fifo")
    os.mkfifo(fifo)
    gitcfg("core.excludesFile", fifo)
    rc, files, err, took = files_of(timeout=30)
    check(files == ["src/a.c", "vendor/v.c"] and took < 8,
          "core.excludesFile = FIFO: no hang, the FIFO is skipped (%.1f s)" % took, (files, err))
    gitcfg("--unset", "core.excludesFile")

    # a config include naming a FIFO hangs git itself: the deadline kills it and
    # the directory is walked without git (-v says so)
    cfg_fifo = os.path.join(tmp, "config.fifo")
    os.mkfifo(cfg_fifo)
    gitcfg("include.path", cfg_fifo)
    rc, files, err, took = files_of(env_extra={"LEAKLINT_GIT_TIMEOUT": "2"}, timeout=30)
    check(files == ["gen/g.c", "src/a.c", "vendor/v.c"] and took < 10 and "git did not answer" in err,
          "git hanging on its config: killed after the timeout, walked without git (%.1f s)" % took,
          (files, err[-1500:]))
    check(processes_in(g) == [], "no git process left behind in the analysed tree",
          processes_in(g))


def processes_in(d):
    """Pids of processes whose working directory is d (Linux /proc)."""
    pids = []
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            if pid.isdigit() and os.readlink("/proc/%s/cwd" % pid).startswith(d):
                pids.append(int(pid))
        except OSError:
            pass
    return pids


# ----------------------------------------------------------------- clion ----

def clion_tests(bin_, tmp):
    """CLion keeps its build trees in cmake-build-<profile>/: the database there
    is found from the project directory like build*/ ones."""
    proj = os.path.join(tmp, "clion")
    write(os.path.join(proj, "src", "a.c"), "#if !FROM_CLION_DB\n#error database not used\n#endif\n"
          + TIMER_SRC)
    db = [{"directory": os.path.join(proj, "cmake-build-debug"), "file": "../src/a.c",
           "arguments": ["cc", "-DFROM_CLION_DB=1", "-c", "../src/a.c"]}]
    write(os.path.join(proj, "cmake-build-debug", "compile_commands.json"), json.dumps(db))
    rc, out, err = run(bin_, ["--no-cache", "-j1", "-v", "--format", "json", "src/a.c"], proj)
    doc = json.loads(out) if out.startswith("{") else {}
    errs = [n for n in doc.get("notifications", []) if n.get("level") == "error"]
    check(rc == 1 and not errs and "cmake-build-debug/compile_commands.json" in out + err,
          "cmake-build-debug/compile_commands.json is found and used", "rc=%s %s %s" % (rc, errs, err))


# ------------------------------------------------------------- packscale ----

def cpu_run(bin_, args, cwd):
    """(rc, stderr, CPU seconds of the child: user + system)."""
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rc, out, err = run(bin_, args, cwd, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return rc, err, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def packscale_tests(bin_, tmp):
    """100,000 distinct APIs: before, the duplicate check compared every pair
    (40k took 11.5 s, 100k over a minute). CPU time, not wall time: the
    machine is shared. The bound allows for the sanitizer build."""
    with open(bin_, "rb") as f:
        asan = b"__asan_init" in f.read()
    n = 100000
    apis = [{"name": "scale_api_%d" % i, "role": "wait"} for i in range(n)]
    write(os.path.join(tmp, "big.json"), json.dumps({"schema": 1, "library": "scale", "apis": apis}))
    rc, err, cpu = cpu_run(bin_, ["--rules", "big.json", "--list-rules"], tmp)
    bound = 4.0 if asan else 1.0
    check(rc == 0 and "scale" in run(bin_, ["--rules", "big.json", "--list-rules"], tmp)[1],
          "a pack of %d APIs loads" % n, "rc=%s %s" % (rc, err[-500:]))
    check(cpu < bound, "a pack of %d APIs loads in %.2f s CPU (< %.1f s)" % (n, cpu, bound))
    # the check still works: a duplicate at the end, one against a built-in pack
    dup = apis + [{"name": "scale_api_17", "role": "wait"}]
    write(os.path.join(tmp, "dup.json"), json.dumps({"schema": 1, "library": "scaledup", "apis": dup}))
    rc, out, err = run(bin_, ["--rules", "dup.json", "--list-rules"], tmp)
    check(rc == 2 and "duplicate entry: 'scale_api_17' with role 'wait' is already defined at" in err
          and "/apis/17" in err and "/apis/%d" % n in err,
          "a duplicate within the pack is named with both places", err[-500:])
    write(os.path.join(tmp, "dup2.json"), json.dumps({"schema": 1, "library": "scaledup2", "apis": [
        {"name": "scale_ok", "role": "wait"}, {"name": "pthread_join", "role": "join"}]}))
    rc, out, err = run(bin_, ["--rules", "dup2.json", "--list-rules"], tmp)
    check(rc == 2 and "duplicate entry: 'pthread_join' with role 'join' is already defined in" in err
          and "posix.json" in err, "a duplicate of a built-in pack's entry is named", err[-500:])


# ----------------------------------------------------------------- main ----

SRC = None


def main():
    global SRC
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    bin_ = os.path.abspath(sys.argv[1])
    SRC = os.path.abspath(sys.argv[2])
    mode = sys.argv[3]
    shim = os.path.abspath(sys.argv[4]) if len(sys.argv) == 5 else None
    tmp = tempfile.mkdtemp(prefix="leaklint-harden-")
    try:
        {"atomic": lambda: atomic_tests(bin_, tmp, shim),
         "workdir": lambda: workdir_tests(bin_, tmp),
         "flags": lambda: flags_tests(bin_, tmp),
         "git": lambda: git_tests(bin_, tmp),
         "clion": lambda: clion_tests(bin_, tmp),
         "packscale": lambda: packscale_tests(bin_, tmp)}[mode]()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILS:
        print("\n%d failure(s):" % len(FAILS))
        for f in FAILS:
            print(" - " + f)
        sys.exit(1)
    print("all %s checks passed" % mode)


if __name__ == "__main__":
    main()
