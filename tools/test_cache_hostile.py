#!/usr/bin/env python3
"""Hostile input to the result cache and the file readers, through the real
binary (issues 14 and 16). Usage: test_cache_hostile.py BIN SRC MODE

special: FIFOs, /dev/zero and symlinks to it, and oversize files as --config,
         --rules, --baseline, a cache entry, a source and an included header:
         a one-line message, no hang, no out-of-memory, the run goes on (exit
         2 for a required input); a NUL byte in a source is parsed.
clear:   --clear-cache removes only entries whose header proves leaklint wrote
         them, never follows a symlink, never leaves the cache directory; a
         symlinked, foreign-owned or group/other-writable cache directory is
         not used.
key:     the cache key is a cryptographic hash: a second file with the same
         length and the same old (non-cryptographic) content hash is not
         answered from the cache; a header reached through a computed
         #include, edited, invalidates the entry.
ir:      crafted cache entries (cyclic node graphs, cyclic parent chains,
         cyclic value chains) are rejected: the file is parsed again, no crash
         or hang.

Every run has a timeout (a hang is a failure) and is checked for signals and
sanitizer reports. Only files under a temporary directory and the
repository's testdata are read (plus /dev/zero, which must not be read)."""
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile

FAILS = []
SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")
ASAN = False

SRC_TEMPLATE = ('#include <chan.h>\n#include <pthread.h>\n%s\n\n'
                "static void *producer(void *arg) {\n  chan_t *c = arg;\n  chan_send_int32(c, 7);\n"
                "  return NULL;\n}\n\nint consume(int fail) {\n  chan_t *c = chan_init(CAP);\n"
                "  pthread_t t;\n  pthread_create(&t, NULL, producer, c);\n  pthread_detach(t);\n"
                "  if (fail) return -1;\n  int32_t v = 0;\n  chan_recv_int32(c, &v);\n  return v;\n}\n")


def check(cond, what, detail=""):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what)
        if detail:
            print("  " + str(detail)[-2000:])
    return cond


def limit_memory():
    # a reader that does not stop at /dev/zero must fail here, not take the
    # machine's memory (ASan reserves terabytes of address space: no limit)
    if not ASAN:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def run(bin_, args, cwd, env, what, timeout=120):
    """(rc, stdout, stderr); rc None on a timeout (a hang)."""
    try:
        p = subprocess.run([bin_] + args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, errors="replace", timeout=timeout, preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        check(False, "no hang: " + what, "timed out after %ds" % timeout)
        return None, "", ""
    check(p.returncode >= 0, "no crash: " + what, "killed by signal %d" % -p.returncode)
    check(not SANITIZER.search(p.stderr), "no sanitizer report: " + what, p.stderr)
    check("out of memory" not in p.stderr, "no out-of-memory abort: " + what, p.stderr)
    return p.returncode, p.stdout, p.stderr


def json_run(bin_, args, cwd, env, what, timeout=120):
    rc, out, err = run(bin_, ["--format", "json", "-q"] + args, cwd, env, what, timeout)
    try:
        doc = json.loads(out) if out else {}
    except ValueError:
        doc = {}
    return rc, doc, err


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def entries(cache, ext=".llc"):
    out = []
    for root, _, names in os.walk(cache):
        out += [os.path.join(root, n) for n in names if n.endswith(ext)]
    return sorted(out)


def rules_of(doc):
    return sorted((f["file"], f["line"], f["rule"]) for f in doc.get("findings", []))


def project(tmp, name, cap="#define CAP 0"):
    d = os.path.join(tmp, name)
    write(os.path.join(d, "main.c"), SRC_TEMPLATE % cap)
    return d


# ---------------------------------------------------------------- special

def special_paths(tmp):
    """name -> a path that is not a regular file (or is too big: see env)."""
    sp = os.path.join(tmp, "special")
    os.makedirs(sp)
    os.mkfifo(os.path.join(sp, "fifo"))
    os.symlink("/dev/zero", os.path.join(sp, "zero-link"))
    return {"FIFO": os.path.join(sp, "fifo"), "/dev/zero": "/dev/zero",
            "symlink to /dev/zero": os.path.join(sp, "zero-link")}


def one_line_exit2(rc, err, needle, what):
    lines = [l for l in err.splitlines() if l.startswith("leaklint: error:")]
    check(rc == 2, what + ": exit 2", "rc=%s %s" % (rc, err))
    check(len(lines) == 1 and needle in lines[0] and len(lines[0]) < 300,
          what + ": one clear error line", err)


def mode_special(bin_, src, tmp, env):
    inc = "-I" + os.path.join(src, "testdata", "include")
    proj = project(tmp, "proj")
    base = ["--no-cache", "main.c", "--", inc]
    rc, doc, err = json_run(bin_, base, proj, env, "plain run")
    check(rc == 1 and rules_of(doc), "the plain project has a finding (tests below are not vacuous)",
          "rc=%s %s" % (rc, err))
    for label, path in special_paths(tmp).items():
        for opt in ("--config", "--rules", "--baseline"):
            what = "%s as %s" % (label, opt)
            rc, out, err = run(bin_, [opt, path] + base, proj, env, what, timeout=30)
            if rc is not None:
                one_line_exit2(rc, err, "not a regular file", what)
        # a source named on the command line
        what = "%s as a source on the command line" % label
        rc, out, err = run(bin_, ["--no-cache", path], proj, env, what, timeout=30)
        if rc is not None:
            one_line_exit2(rc, err, "not a regular file", what)
    # a source that is a FIFO / /dev/zero link found by a directory walk or
    # given next to a good file: the good file is still analysed
    walk = os.path.join(tmp, "walk")
    shutil.copytree(proj, walk)
    os.mkfifo(os.path.join(walk, "fifo.c"))
    os.symlink("/dev/zero", os.path.join(walk, "zero.c"))
    rc, doc, err = json_run(bin_, ["--no-cache", ".", "--", inc], walk, env, "FIFO and /dev/zero link in a walk",
                            timeout=60)
    check(rc == 1 and rules_of(doc), "FIFO and /dev/zero link in a walked directory: the good file's finding",
          "rc=%s %s" % (rc, err))

    # included headers: the file fails with one message, the others go on
    hdr = os.path.join(tmp, "hdr")
    shutil.copytree(proj, hdr)
    os.mkfifo(os.path.join(hdr, "fifo.h"))
    os.symlink("/dev/zero", os.path.join(hdr, "zero.h"))
    write(os.path.join(hdr, "usefifo.c"), '#include "fifo.h"\nint f(void) { return 0; }\n')
    write(os.path.join(hdr, "usezero.c"), '#include "zero.h"\nint g(void) { return 0; }\n')
    for cache in (["--no-cache"], ["--cache-dir", os.path.join(tmp, "hdrcache")]):
        rc, doc, err = json_run(bin_, cache + ["--no-prefilter", "main.c", "usefifo.c", "usezero.c", "--", inc],
                                hdr, env, "FIFO / /dev/zero headers %s" % cache[0], timeout=60)
        notes = [n for n in doc.get("notifications", []) if n.get("level") == "error"]
        check(rc == 1 and rules_of(doc), "FIFO and /dev/zero headers (%s): the good file's finding" % cache[0],
              "rc=%s %s" % (rc, err))
        for h, c in (("fifo.h", "usefifo.c"), ("zero.h", "usezero.c")):
            check(any(c in (n.get("file") or "") and h in n.get("message", "") and
                      "not a regular file" in n.get("message", "") for n in notes),
                  "%s including %s (%s): an error notification naming the header" % (c, h, cache[0]), notes)

    # cache entries that are FIFOs, /dev/zero links or oversize: misses
    cache = os.path.join(tmp, "entcache")
    cargs = ["--cache-dir", cache, "main.c", "--", inc]
    rc, cold, err = json_run(bin_, cargs, proj, env, "cold cache run")
    ents = entries(cache) + entries(cache, ".llr")
    check(len(ents) >= 2, "cold run wrote a file entry and a run entry", ents)
    for label, make in (("FIFO", lambda p: os.mkfifo(p)), ("/dev/zero link", lambda p: os.symlink("/dev/zero", p))):
        for e in ents:
            if os.path.lexists(e):
                os.remove(e)
            make(e)
        rc, doc, err = json_run(bin_, cargs, proj, env, "cache entries that are a %s" % label, timeout=60)
        check(rc == 1 and rules_of(doc) == rules_of(cold) and doc.get("files", {}).get("cached", 0) == 0,
              "cache entries that are a %s: a miss, same findings" % label, "rc=%s %s" % (rc, err))
        for e in ents:
            if os.path.lexists(e):
                os.remove(e)
    rc, doc, err = json_run(bin_, cargs, proj, env, "rewrite entries")
    env_small = dict(env, LEAKLINT_MAX_CACHE_ENTRY_SIZE="64")
    rc, doc, err = json_run(bin_, cargs, proj, env_small, "oversize cache entries")
    check(rc == 1 and rules_of(doc) == rules_of(cold) and doc.get("files", {}).get("cached", 0) == 0,
          "cache entries over LEAKLINT_MAX_CACHE_ENTRY_SIZE: a miss, same findings", "rc=%s %s" % (rc, err))

    # oversize config / pack / baseline / source (limits lowered by the environment)
    write(os.path.join(proj, "big.json"), "{}" + " " * 4096)
    env_cfg = dict(env, LEAKLINT_MAX_CONFIG_SIZE="1K")
    for opt in ("--config", "--rules", "--baseline"):
        rc, out, err = run(bin_, [opt, "big.json"] + base, proj, env_cfg, "oversize " + opt)
        one_line_exit2(rc, err, "LEAKLINT_MAX_CONFIG_SIZE", "oversize file as " + opt)
    env_src = dict(env, LEAKLINT_MAX_SOURCE_SIZE="100")
    rc, out, err = run(bin_, base, proj, env_src, "oversize source")
    check(rc == 2 and re.search(r"main\.c: .*larger than the 100-byte limit .*LEAKLINT_MAX_SOURCE_SIZE", err),
          "source over LEAKLINT_MAX_SOURCE_SIZE: exit 2 with the limit named", "rc=%s %s" % (rc, err))

    # a NUL byte early in a source: clang parses it (a warning), so do we
    nul = os.path.join(tmp, "nul")
    os.makedirs(nul)
    with open(os.path.join(nul, "main.c"), "wb") as f:
        f.write(b"/* a stray \0 byte */\n" + (SRC_TEMPLATE % "#define CAP 0").encode())
    rc, doc, err = json_run(bin_, ["--no-cache", "main.c", "--", inc], nul, env, "NUL byte in a source")
    check(rc == 1 and rules_of(doc), "a source with a NUL byte in its first 8 KiB is parsed and analysed",
          "rc=%s %s" % (rc, err))


MODES = {"special": mode_special}


def main():
    global ASAN
    if len(sys.argv) != 4 or sys.argv[3] not in MODES:
        print(__doc__)
        return 2
    bin_, src, mode = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    with open(bin_, "rb") as f:
        ASAN = b"__asan_init" in f.read()
    tmp = tempfile.mkdtemp(prefix="leaklint-hostile-")
    env = dict(os.environ, NO_COLOR="1", XDG_CACHE_HOME=os.path.join(tmp, "xdg"))
    for k in list(env):
        if k.startswith("LEAKLINT_MAX_"):
            del env[k]
    try:
        MODES[mode](bin_, src, tmp, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if FAILS:
        print("%d check(s) failed" % len(FAILS))
        return 1
    print("%s: all checks passed" % mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
