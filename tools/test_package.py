#!/usr/bin/env python3
"""Releases a user can install: the install tree, moved elsewhere, still works
(relocatable); the man page renders cleanly; the completions know every option
of --help; `cpack -G DEB` builds a .deb with the binary, the packs, the man page
and the completions, that depends on the libclang package this build loads.

    test_package.py LEAKLINT_BIN SRC BUILD
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILS = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILS.append(what)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def clean_env(tmp):
    """No LEAKLINT_DATA_DIR (the tree must find its own packs); a cache inside tmp."""
    env = dict(os.environ)
    env.pop("LEAKLINT_DATA_DIR", None)
    env["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
    return env


def help_options(bin_):
    text = run([bin_, "--help"]).stdout
    return sorted(set(re.findall(r"^\s+(?:-\w, )?(--[a-z][\w-]+)", text, re.M)))


def check_tree(prefix, src, opts, label):
    """prefix = an installed tree (usr/ of a .deb, or a cmake --install prefix)."""
    bin_ = os.path.join(prefix, "bin", "leaklint")
    env = clean_env(os.path.dirname(prefix.rstrip("/")))
    r = run([bin_, "--list-rules"], env=env)
    packs = os.path.join(prefix, "share", "leaklint", "rules")
    listed = re.findall(r"(/\S+\.json)$", r.stdout, re.M)
    inside = [p for p in listed if os.path.realpath(p).startswith(os.path.realpath(packs) + os.sep)]
    check(r.returncode == 0 and listed and len(inside) == len(listed),
          "%s: --list-rules reads its %d packs from %s" % (label, len(listed), packs))
    r = run([bin_, "--explain", "wait-without-cancel"], env=env)
    check(r.returncode == 0 and "wait-without-cancel" in r.stdout, "%s: --explain prints the rule doc" % label)
    fixture = os.path.join(src, "testdata", "wait-without-cancel")
    pos = sorted(f for f in os.listdir(fixture) if f.endswith(".c") and "_fixed" not in f)[0]
    r = run([bin_, "--no-cache", "--format", "json", os.path.join(fixture, pos), "--",
             "-I" + os.path.join(src, "testdata", "include")], env=env)
    check(r.returncode == 1 and '"wait-without-cancel"' in r.stdout,
          "%s: finds the leak in %s (exit %d)" % (label, pos, r.returncode))
    man = os.path.join(prefix, "share", "man", "man1", "leaklint.1")
    if not os.path.exists(man) and os.path.exists(man + ".gz"):
        man += ".gz"
    check(os.path.exists(man), "%s: man page installed" % label)
    for name in ("leaklint.schema.json", "rulepack.schema.json"):
        schema = os.path.join(prefix, "share", "leaklint", name)
        check(os.path.isfile(schema) and '"$schema"' in open(schema).read(),
              "%s: the JSON Schema %s is installed" % (label, name))
    comps = {"bash": os.path.join(prefix, "share", "bash-completion", "completions", "leaklint"),
             "zsh": os.path.join(prefix, "share", "zsh", "vendor-completions", "_leaklint"),
             "fish": os.path.join(prefix, "share", "fish", "vendor_completions.d", "leaklint.fish")}
    for shell, path in comps.items():
        if not os.path.exists(path):
            check(False, "%s: %s completion installed" % (label, shell))
            continue
        text = open(path).read()
        missing = [o for o in opts if (("-l " + o[2:] + " ") not in text if shell == "fish" else o not in text)]
        check(not missing, "%s: %s completion knows every --help option%s" % (
            label, shell, (" (missing %s)" % ", ".join(missing)) if missing else ""))
    return man, comps


def main():
    bin_, src, build = (os.path.abspath(a) for a in sys.argv[1:4])
    tmp = tempfile.mkdtemp(prefix="ll-pkg-")
    try:
        opts = help_options(bin_)
        check(len(opts) >= 20, "--help lists %d long options" % len(opts))
        # 1. install, then move the tree: nothing may point at the first prefix
        first = os.path.join(tmp, "first")
        r = run(["cmake", "--install", build, "--prefix", first])
        check(r.returncode == 0, "cmake --install" + ("" if r.returncode == 0 else ": " + r.stderr[-500:]))
        moved = os.path.join(tmp, "moved", "elsewhere")
        os.makedirs(os.path.dirname(moved))
        shutil.move(first, moved)
        man, comps = check_tree(moved, src, opts, "moved install tree")
        if os.path.exists(man):
            r = run(["groff", "-man", "-Tutf8", "-ww", "-z", man])
            check(r.returncode == 0 and not r.stderr.strip(), "man page renders with no groff warning" +
                  ("" if not r.stderr.strip() else ": " + r.stderr.strip()[:300]))
            r = run(["man", "-l", "-P", "cat", man], env=dict(os.environ, MANWIDTH="80"))
            check("--compile-commands" in r.stdout.replace("\u2010", "-") and "EXIT STATUS" in r.stdout,
                  "man -l shows the options and the exit status")
        if os.path.exists(comps["bash"]):
            r = run(["bash", "-c", "source %s && complete -p leaklint" % comps["bash"]])
            check(r.returncode == 0 and "_leaklint" in r.stdout, "bash completion loads and registers _leaklint")
        # 2. the .deb
        pkgdir = os.path.join(tmp, "pkg")
        r = run(["cpack", "-G", "DEB", "-B", pkgdir, "--config", os.path.join(build, "CPackConfig.cmake")])
        debs = [f for f in os.listdir(pkgdir) if f.endswith(".deb")] if os.path.isdir(pkgdir) else []
        check(r.returncode == 0 and len(debs) == 1, "cpack -G DEB builds one .deb" +
              ("" if r.returncode == 0 else ": " + (r.stdout + r.stderr)[-800:]))
        if debs:
            deb = os.path.join(pkgdir, debs[0])
            listing = run(["dpkg-deb", "-c", deb]).stdout
            for want in ("./usr/bin/leaklint", "./usr/share/leaklint/rules/posix.json",
                         "./usr/share/leaklint/rules/docs/wait-without-cancel.md", "./usr/share/man/man1/leaklint.1",
                         "./usr/share/leaklint/leaklint.schema.json",
                         "./usr/share/leaklint/rulepack.schema.json",
                         "./usr/share/bash-completion/completions/leaklint"):
                check(want in listing, ".deb contains %s" % want)
            depends = run(["dpkg-deb", "-f", deb, "Depends"]).stdout
            check("libcjson" in depends and "libclang" in depends, ".deb depends on libcjson and libclang: " + depends.strip())
            root = os.path.join(tmp, "root")
            run(["dpkg-deb", "-x", deb, root])
            check_tree(os.path.join(root, "usr"), src, opts, "unpacked .deb")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("package: %d checks failed" % len(FAILS) if FAILS else "package: all checks passed")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
