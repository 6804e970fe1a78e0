#!/usr/bin/env python3
"""The project root, what reports may contain, diff-only runs, the config schema.

Usage: test_root.py BIN SRC MODE
  root        --root and its defaults: the same paths, fingerprints and baseline
              matches from a sub-directory and from another checkout path; config
              "args" resolve against the config's directory; reports carry no
              absolute home or work-tree path (SARIF originalUriBaseIds only with
              --absolute-paths) in any format; files outside the root follow the
              README policy; no source text of a file outside the project in a
              notification (an -include'd secrets file)
  newfromrev  --new-from-rev REV: only findings on lines changed since REV (also
              staged, unstaged and untracked files); a bad REV or no work tree exits 2
  schema      docs/leaklint.schema.json accepts every example config (README, testdata)
              and rejects a wrong key or type at the same JSON pointer leaklint names
  packschema  docs/rulepack.schema.json accepts every built-in pack and docs example
              and rejects every structurally bad test pack at leaklint's JSON pointer
  mergeroots  merge-sarif rebases a shard whose %SRCROOT% lies below the first's and
              refuses one whose root is elsewhere (or unrecorded while the other's is)
  prefilter   a file the pre-parse filter would skip is still parsed when one of its
              quoted #includes cannot be found: the parse error is reported (exit 2)
Every mode works in a temporary directory (HOME points into it, so that the
home-directory policy is exercised) and fails loudly on a mismatch."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILS = []

LEAK = """#include <threads.h>
struct q_{n} {{ mtx_t mu; cnd_t cv; int items; }};
static int worker_{n}(void *arg) {{
  struct q_{n} *q = arg;
  for (;;) {{
    mtx_lock(&q->mu);
    while (q->items == 0)
      cnd_wait(&q->cv, &q->mu);
    q->items--;
    mtx_unlock(&q->mu);
  }}
  return 0;
}}
int start_{n}(struct q_{n} *q) {{
  thrd_t t;
  if (thrd_create(&t, worker_{n}, q) != thrd_success)
    return -1;
  return thrd_detach(t);
}}
"""
LEAK_LINE = 16  # the thrd_create line of LEAK


def check(cond, what, detail=""):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what + (("\n" + str(detail)[-3000:]) if detail else ""))
    return cond


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def run(bin_, args, cwd, env=None):
    e = dict(os.environ, NO_COLOR="1")
    e.update(env or {})
    p = subprocess.run([bin_, "--no-cache", "-j1"] + args, cwd=cwd, env=e, capture_output=True,
                       text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def run_doc(bin_, args, cwd, env=None):
    rc, out, err = run(bin_, args, cwd, env)
    try:
        return rc, json.loads(out), err
    except ValueError:
        check(False, "output parses as JSON: %s" % args, out + err)
        return rc, {}, err


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_SYSTEM="/dev/null")
    subprocess.run(["git", "-C", cwd] + list(args), check=True, env=env, capture_output=True)


def baseline_files(path):
    with open(path) as fh:
        return sorted((f["file"], f["fingerprint"]) for f in json.load(fh)["findings"])


# ---------------------------------------------------------------- root

def mode_root(bin_, tmp):
    home = os.path.join(tmp, "home", "alice")
    env = {"HOME": home}
    proj = os.path.join(home, "work", "proj")
    write(os.path.join(proj, "src", "a.c"), LEAK.format(n="a"))
    write(os.path.join(proj, "src", "inc", "b.h"), "int b_helper(void);\n")
    write(os.path.join(proj, ".leaklint.json"), json.dumps({"args": ["-Isrc/inc"]}))
    write(os.path.join(proj, "src", "uses_b.c"), '#include <b.h>\n' + LEAK.format(n="u"))

    # defaults: the config's directory is the root, from anywhere inside it
    rc, top, err = run_doc(bin_, ["--format", "json", "--write-baseline", "../base.json", "."],
                           os.path.join(proj, "src"), env)
    files = sorted({f["file"] for f in top.get("findings", [])})
    check(files == ["src/a.c", "src/uses_b.c"],
          "run from a sub-directory: paths relative to the config's directory (the root)",
          "%s\n%s" % (files, err))
    check(not [n for n in top.get("notifications", []) if n["level"] == "error"],
          "config args -Isrc/inc resolve against the config's directory, not the cwd", err)
    rc2, doc2, err2 = run_doc(bin_, ["--format", "json", "--write-baseline", "base2.json"], proj, env)
    fp1 = sorted(f["fingerprint"] for f in top.get("findings", []))
    fp2 = sorted(f["fingerprint"] for f in doc2.get("findings", []))
    check(fp1 == fp2 and fp1, "fingerprints equal from the root and from a sub-directory",
          "%s %s" % (fp1, fp2))
    check(baseline_files(os.path.join(proj, "base.json")) == baseline_files(os.path.join(proj, "base2.json")),
          "baselines written from the root and a sub-directory are identical")
    rc, out, err = run(bin_, ["--baseline", os.path.join(proj, "base2.json")], os.path.join(proj, "src", "inc"),
                       env)
    check(rc == 0, "a baseline written at the root matches a run from a sub-directory", out + err)

    # config "compile_commands" resolves against the config's directory, not the cwd
    cdb = os.path.join(tmp, "cdb")
    write(os.path.join(cdb, "src", "x.c"), "#ifndef FROM_DB\n#error no database flags\n#endif\n"
          + LEAK.format(n="x"))
    write(os.path.join(cdb, "out", "compile_commands.json"), json.dumps([{
        "directory": os.path.join(cdb, "src"), "file": "x.c",
        "arguments": ["cc", "-DFROM_DB", "-c", "x.c"]}]))
    write(os.path.join(cdb, ".leaklint.json"), json.dumps({"compile_commands": "out"}))
    rc, doc, err = run_doc(bin_, ["--format", "json", "x.c"], os.path.join(cdb, "src"), env)
    check(rc == 1 and [f["file"] for f in doc.get("findings", [])] == ["src/x.c"],
          'config "compile_commands": "out" run from a sub-directory finds <config dir>/out',
          (rc, doc.get("notifications"), err))
    write(os.path.join(cdb, ".leaklint.json"), "{}")
    rc, out, err = run(bin_, ["x.c"], os.path.join(cdb, "src"), env)
    check(rc == 2 and "no database flags" in err, "control: without the key the database is not found",
          (rc, err))

    # another checkout path: the same fingerprints, the baseline matches
    other = os.path.join(tmp, "ci", "checkout")
    shutil.copytree(proj, other)
    rc, doc3, err = run_doc(bin_, ["--format", "json", "--baseline", os.path.join(proj, "base2.json")],
                            other, env)
    check(rc == 0 and not doc3.get("findings"), "the baseline matches in another checkout path",
          err)
    rc, doc3, err = run_doc(bin_, ["--format", "json"], other, env)
    check(sorted(f["fingerprint"] for f in doc3.get("findings", [])) == fp2,
          "fingerprints equal in another checkout path")

    # git top level without a config; --root wins over both
    os.remove(os.path.join(other, ".leaklint.json"))
    git(other, "init", "-q")
    rc, doc4, err = run_doc(bin_, ["--format", "json", "a.c", "--", "-Iinc"],
                            os.path.join(other, "src"), env)
    check([f["file"] for f in doc4.get("findings", [])] == ["src/a.c"],
          "without a config the git top level is the root", err)
    rc, doc5, err = run_doc(bin_, ["--format", "json", "--root", ".", "a.c"],
                            os.path.join(other, "src"), env)
    check([f["file"] for f in doc5.get("findings", [])] == ["a.c"], "--root . wins", err)
    write(os.path.join(other, ".leaklint.json"), json.dumps({"root": "src"}))
    rc, doc6, err = run_doc(bin_, ["--format", "json", "src/a.c"], other, env)
    check([f["file"] for f in doc6.get("findings", [])] == ["a.c"], 'config "root" names the root', err)
    rc, out, err = run(bin_, ["--root", "nonexistent", "src/a.c"], other, env)
    check(rc == 2 and "--root nonexistent" in err, "a --root that does not exist is an error", err)
    os.remove(os.path.join(other, ".leaklint.json"))

    # what a report may contain: no absolute path of the work tree or home
    secrets = os.path.join(home, "private", "token.h")
    write(secrets, "ghp_SECRETTOKEN1234 leak;\n")
    beside = os.path.join(home, "work", "sibling", "x.h")
    write(beside, "int sibling_x(void);\n")
    write(os.path.join(proj, "src", "c.c"),
          '#include "../../sibling/x.h"\n#include "../src/inc/b.h"\n' + LEAK.format(n="c"))
    # the secrets reach clang twice: through -include (dropped: outside the
    # project) and through a project file's #include (parsed: its errors are
    # notifications located in a file outside the root)
    write(os.path.join(proj, "src", "d.c"), '#include "../../../private/token.h"\nint d;\n')
    cargs = ["--no-prefilter", "src/c.c", "src/a.c", "src/d.c", "--", "-include", secrets]
    for fmt in ("text", "json", "sarif", "github", "gitlab"):
        rc, out, err = run(bin_, ["--format", fmt, "--allow-parse-errors"] + cargs, proj, env)
        both = out + err
        check("ghp_SECRETTOKEN1234" not in both,
              "%s: no source text of a file outside the project in notifications" % fmt, both)
        check(home not in both and tmp not in both,
              "%s: no absolute path of the home directory or work tree" % fmt, both)
        if fmt == "sarif":
            run0 = json.loads(out)["runs"][0]
            base = run0["originalUriBaseIds"]["%SRCROOT%"]
            check("uri" not in base, "SARIF records no %SRCROOT% location by default", base)
    rc, doc, err = run_doc(bin_, ["--format", "json", "--allow-parse-errors"] + cargs, proj, env)
    nf = {n.get("file") for n in doc.get("notifications", [])}
    check("../../private/token.h" in nf, "JSON: a file outside the root is relative to it", nf)
    msgs = [n["message"] for n in doc.get("notifications", []) if n.get("file") == "../../private/token.h"]
    check(msgs and all("\u2026" in m for m in msgs),
          "the message of a notification outside the project has its quoted text cut", msgs)
    rc, out, err = run(bin_, ["--format", "sarif", "--absolute-paths", "--allow-parse-errors"] + cargs,
                       proj, env)
    base = json.loads(out)["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    check(base.get("uri") == "file://%s/" % os.path.realpath(proj),
          "--absolute-paths records the root's file:// URI", base)

    # a file beside the root: "../sibling/x.h", never "proj/../sibling/x.h"
    write(os.path.join(home, "work", "sibling", "y.c"), LEAK.format(n="y"))
    rc, doc, err = run_doc(bin_, ["--format", "json", "../sibling/y.c"], proj, env)
    check([f["file"] for f in doc.get("findings", [])] == ["../sibling/y.c"],
          "JSON: a file beside the root is ../sibling/y.c", doc.get("findings"))
    rc, out, err = run(bin_, ["--format", "sarif", "../sibling/y.c"], proj, env)
    loc = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    check(loc == {"uri": "../sibling/y.c", "uriBaseId": "%SRCROOT%"},
          "SARIF: a file beside the root is relative to %SRCROOT%", loc)
    rc, out, err = run(bin_, ["--format", "github", "../sibling/y.c"], proj, env)
    check("file=../sibling/y.c," in out, "github: a file beside the root is ../sibling/y.c", out)
    rc, out, err = run(bin_, ["--format", "text", "../sibling/y.c"], proj, env)
    check(out.startswith("../sibling/y.c:%d:" % LEAK_LINE), "text: the same path", out)
    # a run where every file fails prints its errors by the same policy
    rc, out, err = run(bin_, ["--no-prefilter", "src/d.c"], proj, env)
    check(rc == 2 and "ghp_SECRETTOKEN1234" not in err and "../../private/token.h:" in err,
          "a run where no file parses: errors without outside source text", err)


# ---------------------------------------------------------------- new-from-rev

def mode_newfromrev(bin_, tmp):
    repo = os.path.join(tmp, "repo")
    write(os.path.join(repo, "old.c"), LEAK.format(n="old"))
    write(os.path.join(repo, "edit.c"), "/* nothing yet */\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    rc, doc, err = run_doc(bin_, ["--format", "json", "--new-from-rev", "HEAD"], repo)
    check(rc == 0 and not doc.get("findings"), "nothing changed: no finding", err)
    rc, doc, err = run_doc(bin_, ["--format", "json"], repo)
    check(len(doc.get("findings", [])) == 1, "without the option the old finding is reported")

    write(os.path.join(repo, "edit.c"), "/* nothing yet */\n" + LEAK.format(n="edit"))  # unstaged
    write(os.path.join(repo, "new.c"), LEAK.format(n="new"))  # untracked
    write(os.path.join(repo, "staged.c"), LEAK.format(n="staged"))
    git(repo, "add", "staged.c")
    rc, doc, err = run_doc(bin_, ["--format", "json", "--new-from-rev", "HEAD"], repo)
    got = sorted((f["file"], f["line"]) for f in doc.get("findings", []))
    check(got == [("edit.c", LEAK_LINE + 1), ("new.c", LEAK_LINE), ("staged.c", LEAK_LINE)],
          "changed lines only: unstaged, staged and untracked changes, not old.c", got)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "second")
    rc, doc, err = run_doc(bin_, ["--format", "json", "--new-from-rev", "HEAD~1"], repo)
    check(len(doc.get("findings", [])) == 3, "committed changes since HEAD~1 count", doc)
    # an edit on an old finding's line brings it back; an edit elsewhere does not
    with open(os.path.join(repo, "old.c")) as fh:
        lines = fh.read().split("\n")
    lines[0] += " /* touched */"
    write(os.path.join(repo, "old.c"), "\n".join(lines))
    rc, doc, err = run_doc(bin_, ["--format", "json", "--new-from-rev", "HEAD"], repo)
    check(not doc.get("findings"), "an edit away from the finding's lines does not report it", doc)
    lines[LEAK_LINE - 1] += " /* touched */"
    write(os.path.join(repo, "old.c"), "\n".join(lines))
    rc, doc, err = run_doc(bin_, ["--format", "json", "--new-from-rev", "HEAD"], repo)
    check([f["file"] for f in doc.get("findings", [])] == ["old.c"],
          "an edit on the finding's line reports it", doc)
    # the git deadline applies to the diff too: a generous one changes nothing
    rc, doc, err = run_doc(bin_, ["--format", "json", "--new-from-rev", "HEAD"],
                           repo, {"LEAKLINT_GIT_TIMEOUT": "20"})
    check(rc == 1 and [f["file"] for f in doc.get("findings", [])] == ["old.c"],
          "LEAKLINT_GIT_TIMEOUT=20: the same diff-only result", (rc, doc, err))
    # the tree's git config cannot start a program through the diff: an
    # external diff, a textconv driver, an fsmonitor hook (each would create
    # a marker file); the result is the same as without them
    marker = os.path.join(tmp, "pwned")
    evil = os.path.join(tmp, "evil.sh")
    write(evil, "#!/bin/sh\ntouch %s\ncat \"$1\" 2>/dev/null\n" % marker)
    os.chmod(evil, 0o755)
    git(repo, "config", "diff.external", evil)
    git(repo, "config", "diff.evil.textconv", evil)
    git(repo, "config", "core.fsmonitor", evil)
    write(os.path.join(repo, ".gitattributes"), "*.c diff=evil\n")
    rc, doc, err = run_doc(bin_, ["--format", "json", "--new-from-rev", "HEAD"], repo)
    check(not os.path.exists(marker) and [f["file"] for f in doc.get("findings", [])] == ["old.c"],
          "a hostile git config (external diff, textconv, fsmonitor) runs nothing, same result",
          (os.path.exists(marker), doc, err))
    for key in ("diff.external", "diff.evil.textconv", "core.fsmonitor"):
        git(repo, "config", "--unset", key)
    os.remove(os.path.join(repo, ".gitattributes"))
    # control: the same config does run the program for a plain `git diff`
    git(repo, "config", "diff.external", evil)
    subprocess.run(["git", "-C", repo, "diff", "HEAD"], capture_output=True)
    check(os.path.exists(marker), "control: plain git diff runs the external diff")
    git(repo, "config", "--unset", "diff.external")
    rc, out, err = run(bin_, ["--new-from-rev", "no-such-rev"], repo)
    check(rc == 2 and "not a commit" in err, "an unknown revision exits 2", err)
    rc, out, err = run(bin_, ["--new-from-rev", "--output=x"], repo)
    check(rc == 2 and "expected a git revision" in err, "a revision that looks like an option is refused",
          err)
    plain = os.path.join(tmp, "plain")
    write(os.path.join(plain, "a.c"), LEAK.format(n="a"))
    rc, out, err = run(bin_, ["--new-from-rev", "HEAD", "--root", plain, "a.c"], plain,
                       {"GIT_CEILING_DIRECTORIES": tmp})
    check(rc == 2 and "git work tree" in err, "outside a work tree exits 2 (never passes silently)",
          err)


# ---------------------------------------------------------------- schema

def readme_configs(src):
    """The JSON blocks of README's configuration section."""
    with open(os.path.join(src, "README.md")) as fh:
        text = fh.read()
    sec = text[text.index("## Configuration: `.leaklint.json`"):]
    sec = sec[:sec.index("\n## ", 3)]
    return re.findall(r"```json\n(.*?)```", sec, re.S)


def pointer_of(error):
    """The JSON pointer a jsonschema error is about (the extra key for
    additionalProperties)."""
    path = "".join("/" + str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)' (?:was|were) unexpected", error.message)
        return path + "/" + extra[0] if extra else path
    return path


def mode_schema(bin_, src, tmp):
    import jsonschema
    with open(os.path.join(src, "docs", "leaklint.schema.json")) as fh:
        schema = json.load(fh)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    v = cls(schema)
    examples = [("README", t) for t in readme_configs(src)]
    for root, _dirs, files in os.walk(os.path.join(src, "testdata")):
        for f in files:
            if f == ".leaklint.json":
                with open(os.path.join(root, f)) as fh:
                    examples.append((os.path.relpath(os.path.join(root, f), src), fh.read()))
    check(len(examples) >= 3, "found the example configs", examples)
    readme = os.path.join(src, "README.md")
    with open(readme) as fh:
        check('leaklint.schema.json' in fh.read(), "README references the schema")
    for where, text in examples:
        doc = json.loads(text)
        errs = list(v.iter_errors(doc))
        check(not errs, "%s: the example config is valid against the schema" % where,
              [e.message for e in errs])
        d = tempfile.mkdtemp(dir=tmp)
        write(os.path.join(d, ".leaklint.json"), text)
        os.makedirs(os.path.join(d, "build"), exist_ok=True)
        write(os.path.join(d, "a.c"), "int a;\n")
        rc, out, err = run(bin_, ["--show-settings"], d)
        check(rc == 0, "%s: leaklint accepts the example config" % where, err)

    bad = [
        ({"selct": ["unbuffered-send"]}, "/selct", "unknown key"),
        ({"level": {"unbuffered-send": "loud"}}, "/level/unbuffered-send", "expected"),
        ({"cache": 3}, "/cache", "expected"),
        ({"exclude": "third_party"}, "/exclude", "expected an array"),
        ({"allow_parse_errors": "yes"}, "/allow_parse_errors", "expected true or false"),
        ({"args": ["-I", ""]}, "/args/1", "non-empty"),
        ({"root": ""}, "/root", "non-empty"),
        ({"models": {"library": "x"}}, "/models", "schema"),
    ]
    for cfg, ptr, reason in bad:
        errs = list(v.iter_errors(cfg))
        ptrs = sorted({pointer_of(e) for e in errs})
        check(ptrs == [ptr], "schema rejects %s at %s" % (json.dumps(cfg), ptr),
              [(pointer_of(e), e.message) for e in errs])
        d = tempfile.mkdtemp(dir=tmp)
        write(os.path.join(d, ".leaklint.json"), json.dumps(cfg))
        write(os.path.join(d, "a.c"), "int a;\n")
        rc, out, err = run(bin_, ["a.c"], d)
        check(rc == 2 and (".leaklint.json: %s:" % ptr) in err and reason in err,
              "leaklint rejects %s at %s (%s)" % (json.dumps(cfg), ptr, reason), err)


# the bad packs of testdata/rulepacks/bad whose defect is semantic (a key that does
# not apply to the role, duplicates, a library loaded twice ...): valid JSON the
# schema accepts, which only loading rejects (the schema's description says so)
PACK_SEMANTIC = {"bracket_no_epilogue", "chan_create_no_capacity", "duplicate_builtin",
                 "duplicate_entry", "duplicate_key", "forever_without_timeout",
                 "index_beyond_max_args", "key_wrong_role", "library_clash", "method_unqualified",
                 "out_arg_no_index", "spawn_no_entry", "template_args"}


def mode_packschema(bin_, src, tmp):
    """docs/rulepack.schema.json: every built-in pack, the good test pack and every
    "models" example validate; every structurally bad test pack is rejected by
    the schema at the JSON pointer leaklint names (leaklint --rules FILE)."""
    import glob
    import jsonschema
    with open(os.path.join(src, "docs", "rulepack.schema.json")) as fh:
        schema = json.load(fh)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    v = cls(schema)
    packs = sorted(glob.glob(os.path.join(src, "rules", "*.json"))) + \
        sorted(glob.glob(os.path.join(src, "testdata", "rulepacks", "good", "*.json")))
    check(len(packs) >= 10, "found the built-in packs", packs)
    examples = []
    for path in packs:
        with open(path) as fh:
            examples.append((os.path.relpath(path, src), json.load(fh)))
    for doc in ("README.md", os.path.join("docs", "integrations.md"), os.path.join("rules", "README.md")):
        with open(os.path.join(src, doc), encoding="utf-8") as fh:
            for block in re.findall(r"```json\n(.*?)```", fh.read(), re.S):
                try:
                    cfg = json.loads(block)
                except ValueError:
                    continue
                if isinstance(cfg, dict) and isinstance(cfg.get("models"), dict):
                    examples.append((doc + " models", cfg["models"]))
                elif isinstance(cfg, dict) and "apis" in cfg and "schema" in cfg:
                    examples.append((doc + " pack", cfg))
    check(sum(1 for w, _ in examples if "models" in w or " pack" in w) >= 2,
          "found the docs' pack examples", [w for w, _ in examples])
    for where, doc in examples:
        errs = list(v.iter_errors(doc))
        check(not errs, "%s: valid against the rule pack schema" % where,
              [(pointer_of(e), e.message[:200]) for e in errs])
    rejected = set()
    for path in sorted(glob.glob(os.path.join(src, "testdata", "rulepacks", "bad", "*.json"))):
        name = os.path.basename(path)[:-5]
        try:
            with open(path) as fh:
                doc = json.load(fh)
        except ValueError:
            continue  # not JSON: nothing for a schema to say
        ptrs = {pointer_of(e) or "/" for e in v.iter_errors(doc)}
        rc, out, err = run(bin_, ["--rules", path, "--list-rules"], tmp)
        m = re.search(re.escape(os.path.basename(path)) + r": (/[^:]*): ", err)
        check(rc == 2 and m, "leaklint rejects %s with a JSON pointer" % name, err)
        if name in PACK_SEMANTIC:
            check(not ptrs, "%s: semantic, the schema accepts it (only loading can tell)" % name, ptrs)
            continue
        rejected.add(name)
        check(m and m.group(1) in ptrs, "%s: the schema rejects it at leaklint's pointer %s"
              % (name, m.group(1) if m else "?"), (ptrs, err))
    check(len(rejected) >= 10, "the structural bad packs were checked (%d)" % len(rejected), rejected)


# ---------------------------------------------------------------- merge roots

def mode_mergeroots(bin_, tmp):
    top = os.path.join(tmp, "mono")
    write(os.path.join(top, "a.c"), LEAK.format(n="a"))
    write(os.path.join(top, "sub", "b.c"), LEAK.format(n="b"))
    write(os.path.join(tmp, "elsewhere", "c.c"), LEAK.format(n="c"))
    out = os.path.join(tmp, "out")
    os.makedirs(out)

    def shard(name, root, path, *extra):
        rc, o, err = run(bin_, ["--format", "sarif", "--root", root, "-o", os.path.join(out, name)]
                         + list(extra) + [path], tmp)
        check(rc == 1, "shard %s written" % name, err)
        return os.path.join(out, name)

    a = shard("a.sarif", top, os.path.join(top, "a.c"), "--absolute-paths")
    b = shard("b.sarif", os.path.join(top, "sub"), os.path.join(top, "sub", "b.c"), "--absolute-paths")
    c = shard("c.sarif", os.path.join(tmp, "elsewhere"), os.path.join(tmp, "elsewhere", "c.c"),
              "--absolute-paths")
    d = shard("d.sarif", os.path.join(top, "sub"), os.path.join(top, "sub", "b.c"))
    e = shard("e.sarif", top, os.path.join(top, "a.c"))
    p = subprocess.run([bin_, "merge-sarif", a, b], capture_output=True, text=True)
    check(p.returncode == 0, "a shard whose root lies below the first's merges", p.stderr)
    if p.returncode == 0:
        run0 = json.loads(p.stdout)["runs"][0]
        uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                      for r in run0["results"])
        check(uris == ["a.c", "sub/b.c"], "its URIs are rebased onto the first root", uris)
        check(run0["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://%s/" % os.path.realpath(top),
              "the merged log keeps the first root")
    for what, files in (("a root elsewhere", [a, c]), ("a root above the first's", [b, a]),
                        ("an unrecorded root beside a recorded one", [a, d])):
        p = subprocess.run([bin_, "merge-sarif", "-o", os.path.join(out, "m.sarif")] + files,
                           capture_output=True, text=True)
        check(p.returncode == 2 and "%SRCROOT%" in p.stderr and "--root" in p.stderr
              and not os.path.exists(os.path.join(out, "m.sarif")),
              "merge-sarif refuses %s with a clear error" % what, p.stderr)
    p = subprocess.run([bin_, "merge-sarif", d, e], capture_output=True, text=True)
    check(p.returncode == 0, "outside git, shards that record no root (the default) merge", p.stderr)

    # in a git work tree every log records where its root sits in the
    # repository (no machine path): the default shards are rebased by it
    git(top, "init", "-q")
    g_sub = shard("g_sub.sarif", os.path.join(top, "sub"), os.path.join(top, "sub", "b.c"))
    g_top = shard("g_top.sarif", top, os.path.join(top, "a.c"))
    with open(g_sub) as fh:
        base = json.load(fh)["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    check(base.get("properties", {}).get("leaklint/rootInRepository") == "sub/" and "uri" not in base,
          "a log records its root's place in the repository, not its path", base)
    p = subprocess.run([bin_, "merge-sarif", g_top, g_sub], capture_output=True, text=True)
    ok = check(p.returncode == 0, "a default shard rooted in a sub-directory merges", p.stderr)
    if ok:
        uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                      for r in json.loads(p.stdout)["runs"][0]["results"])
        check(uris == ["a.c", "sub/b.c"], "and is rebased onto the top-level root", uris)
    for what, files in (("a sub-directory root before the top-level one", [g_sub, g_top]),
                        ("a shard from inside a work tree with one from outside", [g_top, e])):
        p = subprocess.run([bin_, "merge-sarif", "-o", os.path.join(out, "m.sarif")] + files,
                           capture_output=True, text=True)
        check(p.returncode == 2 and "%SRCROOT%" in p.stderr, "merge-sarif refuses %s" % what,
              p.stderr)


# ---------------------------------------------------------------- prefilter

def mode_prefilter(bin_, tmp):
    d = os.path.join(tmp, "pf")
    write(os.path.join(d, "plain.c"), '#include "missing_config.h"\nint plain(void) { return 0; }\n')
    write(os.path.join(d, "ok.c"), '#include "here.h"\nint ok(void) { return HERE; }\n')
    write(os.path.join(d, "here.h"), "#define HERE 1\n")
    write(os.path.join(d, "sys.c"), "#include <stdio.h>\nint sys(void) { return 0; }\n")
    # a platform's header under #ifdef is missing elsewhere: still skipped
    write(os.path.join(d, "plat.c"), '#ifdef __MVS__\n#include "zos-only.h"\n#include "zos.h"\n'
          '#endif\nint plat;\n')
    # ... and so is what a conditionally included header includes
    write(os.path.join(d, "zos.h"), '#include "zos-base.h"\n')
    # behind an include guard the include is unconditional: parsed, the error reported
    write(os.path.join(d, "guarded.h"), '#ifndef GUARDED_H\n#define GUARDED_H\n#include "gen.h"\n#endif\n')
    write(os.path.join(d, "uses_guarded.c"), '#include "guarded.h"\nint ug;\n')
    rc, doc, err = run_doc(bin_, ["--format", "json", "plain.c", "ok.c", "sys.c", "plat.c",
                                  "uses_guarded.c"], d)
    errs = [n for n in doc.get("notifications", []) if n["level"] == "error"]
    check(any("gen.h" in n["message"] for n in errs),
          "a missing include inside a header's include guard is found through it", errs)
    errs = [n for n in doc.get("notifications", []) if n["level"] == "error"]
    check(rc == 2 and any("missing_config.h" in n["message"] and n["file"] == "plain.c" for n in errs),
          "a skippable file with an unresolvable quoted include is parsed: its error is reported",
          json.dumps(doc.get("notifications")) + err)
    check(doc.get("files", {}).get("skipped") == 3,
          "files whose quoted includes resolve, or are missing only under #if, are still skipped",
          doc.get("files"))
    rc, doc, err = run_doc(bin_, ["--format", "json", "--allow-parse-errors", "plain.c", "ok.c"], d)
    check(rc == 0 and doc.get("files", {}).get("failed") == 1, "--allow-parse-errors applies", err)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    bin_, src, mode = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    with tempfile.TemporaryDirectory(prefix="leaklint-root-") as tmp:
        tmp = os.path.realpath(tmp)
        if mode == "root":
            mode_root(bin_, tmp)
        elif mode == "newfromrev":
            mode_newfromrev(bin_, tmp)
        elif mode == "schema":
            mode_schema(bin_, src, tmp)
        elif mode == "packschema":
            mode_packschema(bin_, src, tmp)
        elif mode == "mergeroots":
            mode_mergeroots(bin_, tmp)
        elif mode == "prefilter":
            mode_prefilter(bin_, tmp)
        else:
            sys.exit(__doc__)
    if FAILS:
        print("\n%d check(s) failed:\n- %s" % (len(FAILS), "\n- ".join(FAILS)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
