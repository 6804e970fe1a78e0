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


def json_run(bin_, args, cwd, env, what, timeout=120, quiet=True):
    rc, out, err = run(bin_, ["--format", "json"] + (["-q"] if quiet else []) + args, cwd, env, what, timeout)
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
        # the two files whose headers are refused fail to parse: exit 2 (parse errors
        # fail the run unless --allow-parse-errors), the good file's finding still reported
        check(rc == 2 and rules_of(doc), "FIFO and /dev/zero headers (%s): the good file's finding" % cache[0],
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


# ---------------------------------------------------------------- key

M64 = (1 << 64) - 1
K1, K2, KN = 0x87c37b91114253d5, 0x4cf5ad432745937f, 0xff51afd7ed558ccd
OLD_SEED = 0x9e3779b97f4a7c15  # cache.c's content_hash seed before SHA-256


def rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M64


def old_states(data):
    """The states of the old ll_hash_fast before each 8-byte word (and after the last)."""
    h = OLD_SEED ^ ((len(data) * KN) & M64)
    st = [h]
    for i in range(0, len(data) // 8 * 8, 8):
        w = int.from_bytes(data[i:i + 8], "little")
        h = (rotl(h ^ ((w * K1) & M64), 31) * K2) & M64
        st.append(h)
    return st


def second_preimage(a, b, j):
    """b (same length as a, differing before word j) with word j rewritten so
    that the old hash's state after word j -- hence the whole hash, the rest
    being equal -- is a's: the old cache could not tell a from b. None when
    the forced word would contain a byte unsafe inside a comment."""
    sa, sb = old_states(a), old_states(b)
    target, h = sa[j + 1], sb[j]
    x = ((target * pow(K2, -1, 1 << 64)) & M64)
    x = ((x >> 31) | (x << 33)) & M64  # rotr 31
    w = ((x ^ h) * pow(K1, -1, 1 << 64)) & M64
    word = w.to_bytes(8, "little")
    if any(c in b"\0*/\n\r\\" for c in word):
        return None
    out = b[:8 * j] + word + b[8 * j + 8:]
    assert old_states(out)[-1] == sa[-1]
    return out


def colliding_pair():
    """(clean, leaky): same length, same old content hash; leaky has CAP 0."""
    for nonce in range(1000):
        pre = b"#define CAP 1 /* buffered */\n"
        clean = (SRC_TEMPLATE % ("/* nonce %04d " % nonce)).encode()
        # a comment whose 8-byte aligned word carries the forced bytes
        pad = (-len(pre) - len(b"/* ")) % 8
        pre = pre + b" " * pad + b"/* " + b"XXXXXXXX" + b" */\n"
        j = (len(pre) - len(b"XXXXXXXX */\n")) // 8
        a = pre + clean.replace(b"/* nonce %04d " % nonce, b"/* nonce %04d */" % nonce)
        b = a.replace(b"#define CAP 1", b"#define CAP 0", 1)
        got = second_preimage(a, b, j)
        if got:
            return a, got
    raise RuntimeError("no colliding pair found")


def mode_key(bin_, src, tmp, env):
    inc = "-I" + os.path.join(src, "testdata", "include")
    a, b = colliding_pair()
    check(len(a) == len(b) and a != b and old_states(a)[-1] == old_states(b)[-1],
          "constructed a second preimage for the old content hash")
    d = os.path.join(tmp, "collide")
    os.makedirs(d)
    main = os.path.join(d, "main.c")
    with open(main, "wb") as f:
        f.write(b)
    rc, leaky, err = json_run(bin_, ["--no-cache", "main.c", "--", inc], d, env, "leaky file, no cache")
    check(rc == 1 and rules_of(leaky), "the crafted file has a finding without the cache (not vacuous)",
          "rc=%s %s" % (rc, err))
    with open(main, "wb") as f:
        f.write(a)
    rc, clean, err = json_run(bin_, ["--no-cache", "main.c", "--", inc], d, env, "clean file, no cache")
    check(rc == 0 and not rules_of(clean), "the clean twin has no finding", "rc=%s %s" % (rc, err))
    cargs = ["--cache-dir", os.path.join(tmp, "kc"), "main.c", "--", inc]
    json_run(bin_, cargs, d, env, "clean file, cold cache")
    rc, warm, err = json_run(bin_, cargs, d, env, "clean file, warm cache")
    check(warm.get("files", {}).get("cached") == 1, "the clean file is answered from the cache", warm.get("files"))
    st = os.stat(main)
    with open(main, "wb") as f:
        f.write(b)
    os.utime(main, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime too
    rc, got, err = json_run(bin_, cargs, d, env, "crafted twin, warm cache")
    check(rc == 1 and rules_of(got) == rules_of(leaky) and got.get("files", {}).get("cached", 0) == 0,
          "a file with the same length and old hash as a cached clean one is not answered from the cache",
          "rc=%s files=%s findings=%s" % (rc, got.get("files"), rules_of(got)))

    # a header reached through a computed include (#include MACRO)
    d = os.path.join(tmp, "computed")
    write(os.path.join(d, "cfg.h"), "#define CAP 1\n")
    write(os.path.join(d, "main.c"), SRC_TEMPLATE % '#define CFG "cfg.h"\n#include CFG')
    cargs = ["--cache-dir", os.path.join(tmp, "cc"), "main.c", "--", inc]
    rc, c0, err = json_run(bin_, cargs, d, env, "computed include, cold")
    rc, c1, err = json_run(bin_, cargs, d, env, "computed include, warm")
    check(not rules_of(c0) and c1.get("files", {}).get("cached") == 1, "computed include: clean and cached",
          c1.get("files"))
    write(os.path.join(d, "cfg.h"), "#define CAP 0\n")
    rc, c2, err = json_run(bin_, cargs, d, env, "computed include, header edited")
    rc, c2n, err = json_run(bin_, ["--no-cache"] + cargs[2:], d, env, "computed include, header edited, no cache")
    check(rules_of(c2n), "the edited header gives a finding without the cache (not vacuous)")
    check(rules_of(c2) == rules_of(c2n) and c2.get("files", {}).get("cached", 0) == 0,
          "editing a header reached through a computed include invalidates the entry",
          "files=%s findings=%s" % (c2.get("files"), rules_of(c2)))

    # entries are named by the whole 256-bit key
    d = os.path.join(tmp, "names")
    write(os.path.join(d, "main.c"), SRC_TEMPLATE % "#define CAP 0")
    rc, p0, err = json_run(bin_, ["--cache-dir", os.path.join(tmp, "pc"), "main.c", "--", inc], d, env,
                           "entry names")
    ents = entries(os.path.join(tmp, "pc"))
    check(all(re.fullmatch(r"[0-9a-f]{64}\.llc", os.path.basename(e)) for e in ents) and ents,
          "entry names are 256-bit keys (64 hex digits)", ents)


# ---------------------------------------------------------------- clear

def tree(d):
    """Every path under d (links not followed) with its kind."""
    out = {}
    for root, dirs, names in os.walk(d):
        for n in dirs + names:
            p = os.path.join(root, n)
            out[os.path.relpath(p, d)] = "link" if os.path.islink(p) else "dir" if os.path.isdir(p) else "file"
    return out


def mode_clear(bin_, src, tmp, env):
    inc = "-I" + os.path.join(src, "testdata", "include")
    proj = project(tmp, "proj")
    cache = os.path.join(tmp, "cache")
    os.makedirs(cache, mode=0o700)
    cargs = ["--cache-dir", cache, "main.c", "--", inc]
    rc, cold, err = json_run(bin_, cargs, proj, env, "cold run")
    ours = entries(cache) + entries(cache, ".llr")
    check(len(ours) >= 2, "the cold run wrote entries", ours)
    fmt = os.path.dirname(os.path.dirname(ours[0]))  # cache/v<N>
    fan = os.path.dirname(ours[0])
    magic = open(ours[0], "rb").read(16)

    # outside the cache: files with leaklint's magic and names, which a
    # clear that follows links would delete
    outside = os.path.join(tmp, "outside")
    write(os.path.join(outside, "00", "0" * 64 + ".llc"), magic + b"outside", "wb")
    write(os.path.join(outside, "keep.llc"), magic + b"outside", "wb")
    before_outside = tree(outside)
    # foreign files and folders inside the cache, some with our names
    foreign = {
        os.path.join(fan, "user.llc"): b"my notes",
        os.path.join(fan, "user.llr"): b"",
        os.path.join(fan, "x.llc.tmp.1.2.3"): b"draft",
        os.path.join(fmt, "ab", "z.llc"): b"user data",
        os.path.join(fmt, "mine", "w.llc"): magic + b"in a foreign sub-folder name",
        os.path.join(cache, "v1", "00", "old.llc"): b"not ours",
        os.path.join(cache, "notes.txt"): b"not ours",
    }
    for p, data in foreign.items():
        write(p, data, "wb")
    os.symlink(os.path.join(outside, "keep.llc"), os.path.join(fan, "link.llc"))
    # a fan-out that is a link: a two-hex-digit name the real entries do not use
    # (their fan-outs come from the keys, which change with the packs and the version)
    free_fan = next("%02x" % i for i in range(255, -1, -1) if not os.path.lexists(os.path.join(fmt, "%02x" % i)))
    os.symlink(os.path.join(outside, "00"), os.path.join(fmt, free_fan))
    os.symlink(outside, os.path.join(cache, "v7"))                         # a format dir that is a link
    rc, out, err = run(bin_, ["--clear-cache", "--cache-dir", cache], proj, env, "--clear-cache")
    check(rc == 0 and ("removed %d cache entries" % len(ours)) in err,
          "--clear-cache removes exactly the %d entries leaklint wrote" % len(ours), "rc=%s %s" % (rc, err))
    check(not any(os.path.lexists(p) for p in ours), "our entries are gone")
    for p, data in foreign.items():
        check(os.path.isfile(p) and open(p, "rb").read() == data, "foreign file kept: " + os.path.relpath(p, cache))
    for l in (os.path.join(fan, "link.llc"), os.path.join(fmt, free_fan), os.path.join(cache, "v7")):
        check(os.path.islink(l), "symlink kept (not followed): " + os.path.relpath(l, cache))
    check(tree(outside) == before_outside, "nothing outside the cache directory was touched",
          (before_outside, tree(outside)))

    # a cache directory that is a symlink: refused for clearing and for use;
    # nothing is created in the target
    target = os.path.join(tmp, "target")
    os.makedirs(target, mode=0o700)
    link = os.path.join(tmp, "cachelink")
    os.symlink(target, link)
    rc, doc, err = json_run(bin_, ["--cache-dir", link, "main.c", "--", inc], proj, env, "symlinked cache dir",
                            quiet=False)
    check(rc == 1 and rules_of(doc) == rules_of(cold), "symlinked cache dir: the run goes on", "rc=%s" % rc)
    check(os.listdir(target) == [], "symlinked cache dir: nothing created in its target", os.listdir(target))
    check("not using the result cache" in err and "symlink" in err, "symlinked cache dir: a note says why", err)
    write(os.path.join(target, "v2", "00", "e.llc"), magic + b"x", "wb")
    rc, out, err = run(bin_, ["--clear-cache", "--cache-dir", link], proj, env, "--clear-cache on a symlink")
    check(rc == 2 and "symlink" in err and os.path.exists(os.path.join(target, "v2", "00", "e.llc")),
          "--clear-cache on a symlinked cache dir: refused (exit 2), nothing removed", "rc=%s %s" % (rc, err))

    # a cache directory others may write into: not used, not cleared
    shared = os.path.join(tmp, "shared")
    os.makedirs(shared)
    os.chmod(shared, 0o777)
    rc, doc, err = json_run(bin_, ["--cache-dir", shared, "main.c", "--", inc], proj, env, "world-writable cache",
                            quiet=False)
    check(rc == 1 and "writable by other users" in err and not entries(shared),
          "a group/other-writable cache dir is not used, with a note", "rc=%s %s %s" % (rc, err, tree(shared)))
    os.chmod(shared, 0o700)
    json_run(bin_, ["--cache-dir", shared, "main.c", "--", inc], proj, env, "private cache")
    n = len(entries(shared))
    os.chmod(shared, 0o770)
    rc, out, err = run(bin_, ["--clear-cache", "--cache-dir", shared], proj, env, "--clear-cache, group-writable")
    check(n > 0 and rc == 2 and len(entries(shared)) == n, "--clear-cache on a group-writable dir: refused",
          "rc=%s %s" % (rc, err))
    os.chmod(shared, 0o700)
    if os.geteuid() == 0:  # a directory owned by someone else (needs root to set up)
        os.chown(shared, 65534, 65534)
        rc, doc, err = json_run(bin_, ["--cache-dir", shared, "main.c", "--", inc], proj, env, "foreign cache",
                                quiet=False)
        check("not owned by the current user" in err and doc.get("files", {}).get("cached", 0) == 0,
              "a cache dir owned by another user is not used, with a note", err)
        os.chown(shared, 0, 0)


# ---------------------------------------------------------------- ir

def get_u(b, p):
    x = shift = 0
    while True:
        c = b[p]
        p += 1
        x |= (c & 0x7f) << shift
        shift += 7
        if not c & 0x80:
            return x, p


def put_u(x):
    out = bytearray()
    while True:
        c = x & 0x7f
        x >>= 7
        out.append(c | (0x80 if x else 0))
        if not x:
            return bytes(out)


def old_hash(data):
    """The old content hash (ll_hash_fast, cache.c's seed), for old-format entries."""
    h = old_states(data)[-1]
    tail = data[len(data) // 8 * 8:]
    w = int.from_bytes(tail + b"\0" * (8 - len(tail)), "little")
    h = (rotl(h ^ ((w * K1) & M64), 31) * K2) & M64
    for m in (0xff51afd7ed558ccd, 0xc4ceb9fe1a85ec53):
        h ^= h >> 33
        h = (h * m) & M64
    return h ^ (h >> 33)


class Entry:
    """A file entry split into header, IR (string table + varint body) and
    trailer; both the SHA-256 format (LLCACHE3) and the old one (LLCACHE2)."""

    def __init__(self, data):
        self.new = data.startswith(b"LLCACHE3")
        klen, tlen = (32, 32) if self.new else (16, 8)
        p = 8 + klen
        nd, p = get_u(data, p)
        for _ in range(nd):
            l, p = get_u(data, p)
            p += l
            if self.new:
                _, p = get_u(data, p)
                p += 32
            else:
                _, p = get_u(data, p)
                _, p = get_u(data, p)
        kind, p = get_u(data, p)
        assert kind == 0, "not an IR entry"
        irlen, q = get_u(data, p)
        self.head, self.ir = data[:p], data[q:q + irlen]
        # the IR: string table, then the body as a list of varints
        nstr, r = get_u(self.ir, 0)
        self.strs = []
        for _ in range(nstr):
            l, r = get_u(self.ir, r)
            self.strs.append(self.ir[r:r + l])
            r += l
        blen, r = get_u(self.ir, r)
        self.table = self.ir[:r - len(put_u(blen))]
        self.body = []
        while r < len(self.ir):
            x, r = get_u(self.ir, r)
            self.body.append(x)
        self.parse()

    def parse(self):
        """Positions (in self.body) of the fields the tests rewrite."""
        b, i = self.body, 1
        nf, nn, nv, nvars, nfiles = b[i:i + 5]
        i += 5
        self.funcs, self.nodes, self.values = [], [], []
        for _ in range(nf):
            f = {"body": i + 9}
            i += 10
            i += 1 + b[i]             # params
            i += 1                    # parent
            i += 1 + b[i]             # captures
            i += 2                    # flags, cls
            i += 1 + b[i]             # overrides
            self.funcs.append(f)
        for _ in range(nn):
            n = {"kind": b[i], "parent": i + 8}
            i += 10
            n["kids"] = list(range(i + 1, i + 1 + b[i]))
            i += 1 + b[i]
            i += 2                    # cond, cond_const
            i += 1 + b[i]             # cond_refs
            i += 13                   # cond_negated .. op
            n["callee"] = b[i]
            i += 4                    # callee, callee_usr, macro, obj
            i += 2                    # obj_class, obj_type
            i += 1 + b[i]             # args
            i += 8                    # result_to .. in_coawait
            i += 1 + b[i]             # apis
            i += 1                    # is_virtual
            self.nodes.append(n)
        for _ in range(nv):
            self.values.append({"kind": b[i], "base": i + 6})
            i += 19                   # .. loc, is_virtual
        self.rest = i

    def str_of(self, ref):
        return self.strs[ref - 1].decode() if ref else None

    def data(self):
        body = b"".join(put_u(x) for x in self.body)
        ir = self.table + put_u(len(body)) + body
        d = self.head + put_u(len(ir)) + ir
        if self.new:
            import hashlib
            return d + hashlib.sha256(d).digest()
        return d + old_hash(d).to_bytes(8, "little")


def craft(entry, how):
    """Rewrites one field so the IR's shape is broken: 1-based refs."""
    b = entry.body
    if how == "cyclic parent chain":
        # a send call's block gets the call as its parent: N -> P -> N
        for k, n in enumerate(entry.nodes):
            if n["kind"] == 12 and (entry.str_of(b[n["callee"]]) or "").startswith("chan_"):
                p = b[n["parent"]]
                if p:
                    b[entry.nodes[p - 1]["parent"]] = k + 1
                    return True
    elif how == "cyclic node graph":
        # a function body block lists itself as its first statement
        for f in entry.funcs:
            body = b[f["body"]]
            if body and entry.nodes[body - 1]["kids"]:
                b[entry.nodes[body - 1]["kids"][0]] = body
                return True
    elif how == "cyclic value chain":
        # &x whose base is itself: ll_value_strip would never end
        for k, v in enumerate(entry.values):
            if v["kind"] == 6:
                b[v["base"]] = k + 1
                return True
    return False


def mode_ir(bin_, src, tmp, env):
    inc = "-I" + os.path.join(src, "testdata", "include")
    proj = project(tmp, "proj")
    cache = os.path.join(tmp, "ircache")
    os.makedirs(cache, mode=0o700)
    cargs = ["--cache-dir", cache, "main.c", "--", inc]
    rc, cold, err = json_run(bin_, cargs, proj, env, "cold run")
    check(rc == 1 and rules_of(cold), "the project has a finding (not vacuous)")
    ents = entries(cache)
    check(len(ents) == 1, "one file entry", ents)
    original = open(ents[0], "rb").read()
    e = Entry(original)
    check(e.data() == original, "the test's entry codec round-trips the entry unchanged")
    for how in ("cyclic parent chain", "cyclic node graph", "cyclic value chain"):
        e = Entry(original)
        check(craft(e, how), "crafted a %s" % how)
        for r in entries(cache, ".llr"):
            os.remove(r)
        with open(ents[0], "wb") as f:
            f.write(e.data())
        rc, doc, err = json_run(bin_, cargs, proj, env, "entry with a " + how, timeout=60)
        check(rc == 1 and rules_of(doc) == rules_of(cold) and doc.get("files", {}).get("cached", 0) == 0,
              "an entry with a %s is rejected: the file is parsed again, same findings" % how,
              "rc=%s files=%s" % (rc, doc.get("files")))


# ---------------------------------------------------------------- json

def mode_json(bin_, src, tmp, env):
    inc = "-I" + os.path.join(src, "testdata", "include")
    proj = project(tmp, "proj")
    base = ["--no-cache", "main.c", "--", inc]
    good = '{"schema": 1, "library": "mylib", "apis": [{"name": "%s", "role": "%s", "object_arg": 0}]}'
    write(os.path.join(proj, "ok.json"), good % ("myq_pop", "recv"))
    rc, out, err = run(bin_, ["--rules", "ok.json"] + base, proj, env, "a good pack")
    check(rc == 1, "a good extra pack loads (not vacuous)", "rc=%s %s" % (rc, err))
    for label, text in (("API name", good % ("myq_pop\\u0000evil", "recv")),
                        ("library", good.replace('"mylib"', '"my\\u0000lib"') % ("myq_pop", "recv"))):
        write(os.path.join(proj, "nul.json"), text)
        rc, out, err = run(bin_, ["--rules", "nul.json"] + base, proj, env, "\\u0000 in the " + label)
        one_line_exit2(rc, err, "\\u0000", "\\u0000 in a pack's %s: rejected" % label)
    # an escaped backslash before u0000 is not a NUL escape
    write(os.path.join(proj, "bs.json"), (good % ("myq_pop", "recv")).replace(
        '"library"', '"description": "a \\\\u0000 literal", "library"'))
    rc, out, err = run(bin_, ["--rules", "bs.json"] + base, proj, env, "an escaped backslash before u0000")
    check(rc == 1, "an escaped backslash followed by u0000 is not a NUL escape", "rc=%s %s" % (rc, err))
    huge = "r" * (10 << 20)
    write(os.path.join(proj, "huge.json"), good % ("myq_pop", huge))
    rc, out, err = run(bin_, ["--rules", "huge.json"] + base, proj, env, "a 10 MB invalid value")
    lines = err.splitlines()
    check(rc == 2 and lines and all(len(l) < 1000 for l in lines) and "more bytes" in err,
          "a 10 MB invalid value is cut in the error line", "rc=%s longest line %d" %
          (rc, max([len(l) for l in lines] or [0])))


MODES = {"special": mode_special, "key": mode_key, "clear": mode_clear, "ir": mode_ir,
         "json": mode_json}


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
