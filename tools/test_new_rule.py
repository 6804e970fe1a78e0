#!/usr/bin/env python3
"""tools/new-rule's output builds, and a rule's summary comes from its doc.

usage: test_new_rule.py SRC

Copies SRC's files (tracked and untracked-but-not-ignored: the working state)
into a temporary directory, runs `tools/new-rule demo-probe "..."` there, and
configures and builds the copy from scratch (-Werror): nothing but the three
files new-rule wrote may be needed. Then `--list-rules` must list demo-probe
with the summary derived from its doc's bold first sentence (not from the C
file, which has none), and `--list-rules --format json` must agree. Finally
the build must fail, naming the file to write, when the doc is missing or
its opening is not a bold sentence followed by a plain paragraph.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

RULE = "demo-probe"
SUMMARY = "a demo rule that tools/new-rule wrote, to prove it builds"


def run(cmd, cwd, timeout=900):
    return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=timeout)


def copy_tree(src, dst):
    files = run(["git", "ls-files", "-z", "-co", "--exclude-standard"], src).stdout.split("\0")
    for rel in filter(None, files):
        s = os.path.join(src, rel)
        if not os.path.isfile(s) or rel.startswith(("build", "Testing/")):
            continue
        d = os.path.join(dst, rel)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copy2(s, d)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = os.path.abspath(sys.argv[1])
    fails = []
    with tempfile.TemporaryDirectory(prefix="leaklint-newrule-") as tmp:
        root = os.path.join(tmp, "src")
        copy_tree(src, root)
        r = run([sys.executable, os.path.join(root, "tools", "new-rule"), RULE, SUMMARY], root)
        print(r.stdout.strip())
        if r.returncode != 0:
            print("FAIL: tools/new-rule exited %d" % r.returncode)
            return 1
        cname = RULE.replace("-", "_")
        with open(os.path.join(root, "checker", "checks", cname + ".c")) as fh:
            if ".summary" in fh.read():
                fails.append("the skeleton pass still carries a summary (it comes from the doc)")
        build = os.path.join(tmp, "build")
        r = run(["cmake", "-S", root, "-B", build, "-DCMAKE_BUILD_TYPE=Debug", "-DLEAKLINT_WERROR=ON"], tmp)
        if r.returncode != 0:
            print(r.stdout[-4000:])
            print("FAIL: cmake configure of the copy")
            return 1
        r = run(["cmake", "--build", build, "--target", "leaklint", "-j2"], tmp)
        if r.returncode != 0:
            print(r.stdout[-4000:])
            print("FAIL: the copy with the new rule does not build")
            return 1
        print("ok   the copy with tools/new-rule's files builds (-Werror)")
        binary = os.path.join(build, "leaklint")
        out = run([binary, "--list-rules"], root).stdout
        line = next((l for l in out.splitlines() if l.startswith(RULE + " ")), None)
        if line is None or line.split(None, 1)[1] != SUMMARY:
            fails.append("--list-rules: %r, expected the doc's summary %r" % (line, SUMMARY))
        else:
            print("ok   --list-rules: %s" % line)
        rules = json.loads(run([binary, "--list-rules", "--format", "json"], root).stdout)["rules"]
        if {"id": RULE, "summary": SUMMARY} not in [{"id": x["id"], "summary": x["summary"]} for x in rules]:
            fails.append("--list-rules --format json lacks %s with the doc's summary" % RULE)

        doc = os.path.join(root, "rules", "docs", RULE + ".md")
        with open(doc) as fh:
            text = fh.read()
        for what, new_text, want in [
                ("no doc", None, "rule '%s' has no doc: write" % RULE),
                ("no bold summary", text.replace("**", ""), "must be the summary, one bold sentence"),
                ("markup in the description", text.replace("TODO one paragraph", "TODO `one` paragraph"),
                 "plain text, no heading or markup")]:
            if new_text is None:
                os.unlink(doc)
            else:
                with open(doc, "w") as fh:
                    fh.write(new_text)
            r = run(["cmake", "--build", build, "--target", "leaklint", "-j2"], tmp)
            if r.returncode == 0 or want not in r.stdout:
                fails.append("%s: the build %s; output ends %r" % (
                    what, "succeeded" if r.returncode == 0 else "failed without %r" % want, r.stdout[-600:]))
            else:
                print("ok   %s: the build fails: %s" % (
                    what, next(l for l in r.stdout.splitlines() if want in l).strip()))
            with open(doc, "w") as fh:
                fh.write(text)
    for f in fails:
        print("FAIL: " + f)
    print("new-rule: %s" % ("ok" if not fails else "%d failed" % len(fails)))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
