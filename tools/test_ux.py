#!/usr/bin/env python3
"""Suppressions, baselines and fixes, end to end through the real binary.

Usage: test_ux.py BIN SRC MODE
  MODE: suppress | baseline | fix | fix-models | action | gates | cli

gates: a file that fails to parse is reported in every format and makes the
exit code 2 unless --allow-parse-errors / "allow_parse_errors"; the exit codes
of --fix, --diff and --write-baseline. cli: smaller command-line behaviour.

Every mode works on copies of testdata/ux (or of rule fixtures) in a temporary
directory and fails loudly on any mismatch."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

FAILS = []


def check(cond, what, detail=""):
    print(("ok: " if cond else "FAIL: ") + what)
    if not cond:
        FAILS.append(what + (("\n" + str(detail)) if detail else ""))
    return cond


def run(bin_, args, cwd, stdin=None, cache=None):
    """cache: a --cache-dir private to the caller (default --no-cache)."""
    env = dict(os.environ, NO_COLOR="1")
    cargs = ["--cache-dir", cache] if cache else ["--no-cache"]
    p = subprocess.run([bin_] + cargs + args, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def run_json(bin_, args, cwd, cache=None):
    rc, out, err = run(bin_, ["--format", "json"] + args, cwd, cache=cache)
    try:
        return rc, json.loads(out), err
    except ValueError:
        check(False, "JSON output parses: " + " ".join(args), out + err)
        return rc, {"findings": [], "notifications": [], "suppressed": -1}, err


def want_lines(path):
    lines = set()
    with open(path, encoding="utf-8", newline="") as fh:
        for i, line in enumerate(fh.read().splitlines(), 1):
            if re.search(r"//\s*want:", line):
                lines.add(i)
    return lines


def notes_at(doc, line, needle):
    return [n for n in doc.get("notifications", [])
            if n.get("line") == line and needle in n.get("message", "") and n.get("level") == "warning"]


# ---------------------------------------------------------------- suppress

def suppress_checks(bin_, tmp, name, crlf=False):
    tag = " (CRLF)" if crlf else ""
    cases = os.path.join(tmp, "suppress_cases.c")
    rc, doc, err = run_json(bin_, ["suppress_cases.c"], tmp)
    got = sorted(f["line"] for f in doc["findings"])
    want = sorted(want_lines(cases))
    check(got == want, "unsuppressed findings are exactly the want: lines" + tag,
          "got %s want %s" % (got, want))
    check(doc.get("suppressed") == 4, "4 suppressed findings are counted in JSON" + tag,
          doc.get("suppressed"))
    check(rc == 1, "findings left -> exit 1" + tag, rc)
    check(notes_at(doc, 39, "without a reason does not apply"),
          "reason-less directive: warning at its line says why" + tag, doc.get("notifications"))
    check(notes_at(doc, 55, "unknown rule 'timer-per-iteraton'"),
          "unknown rule id in a directive: warning" + tag, doc.get("notifications"))
    check(notes_at(doc, 79, "malformed suppression"), "malformed directive: warning" + tag,
          doc.get("notifications"))
    check(not [n for n in doc["notifications"] if "unused suppression" in n["message"]],
          "no unused-suppression reports without the flag" + tag, doc.get("notifications"))

    rc, doc, err = run_json(bin_, ["--report-unused-suppressions", "suppress_cases.c"], tmp)
    unused = sorted(n["line"] for n in doc["notifications"] if "unused suppression" in n["message"])
    check(unused == [31, 47, 55, 62], "unused suppressions reported at 31, 47, 55, 62" + tag, unused)
    partial = notes_at(doc, 31, "unused suppression")
    check(partial and "[unbuffered-send]" in partial[0]["message"]
          and "timer-per-iteration" not in partial[0]["message"],
          "a partly used directive names only its unused rule" + tag, partial)

    rc, out, err = run(bin_, ["suppress_cases.c"], tmp)
    check(":7:" not in out and ":15:" not in out and ":24:" not in out and ":32:" not in out,
          "suppressed findings leave the text output" + tag, out)
    check("(4 suppressed)" in err, "the text summary counts suppressed findings" + tag, err)

    rc, out, err = run(bin_, ["--format", "sarif", "suppress_cases.c"], tmp)
    try:
        results = json.loads(out)["runs"][0].get("results", [])

        def line(r):
            return r["locations"][0]["physicalLocation"]["region"]["startLine"]
        active = sorted(line(r) for r in results if not r.get("suppressions"))
        check(active == want, "SARIF: only the want: lines are unsuppressed results" + tag, active)
        # suppressed ones are either left out or carry an inSource suppression with the reason
        sup = {line(r): r["suppressions"] for r in results if r.get("suppressions")}
        check(all(s[0].get("kind") == "inSource" and s[0].get("justification") for s in sup.values())
              and (not sup or sorted(sup) == [7, 15, 24, 32]),
              "SARIF: suppressed results are absent or inSource-suppressed with the reason" + tag, sup)
        if 15 in sup:
            check(sup[15][0]["justification"] == "reviewed, the process exits after one call",
                  "SARIF: justification is the directive's reason" + tag, sup[15])
    except (ValueError, KeyError, IndexError) as e:
        check(False, "SARIF output parses" + tag, "%s\n%s" % (e, out[:2000]))


def mode_suppress(bin_, src):
    ux = os.path.join(src, "testdata", "ux")
    with tempfile.TemporaryDirectory(prefix="leaklint-suppress-") as tmp:
        for f in ("suppress_cases.c", "suppress_file.c", "suppress_unused.c", "timer_loop.c"):
            shutil.copy(os.path.join(ux, f), tmp)
        suppress_checks(bin_, tmp, "suppress_cases.c")

        rc, doc, _ = run_json(bin_, ["suppress_file.c"], tmp)
        check(rc == 0 and doc["findings"] == [] and doc.get("suppressed") == 2,
              "ignore-file in a block comment silences the whole file, exit 0", doc)
        rc, doc, _ = run_json(bin_, ["--report-unused-suppressions", "suppress_file.c"], tmp)
        check(rc == 0 and not doc["notifications"], "a used ignore-file is not reported unused", doc)

        rc, doc, _ = run_json(bin_, ["suppress_unused.c"], tmp)
        check(rc == 0 and doc["findings"] == [], "unused suppression alone: exit 0 by default", doc)
        rc, out, err = run(bin_, ["--report-unused-suppressions", "suppress_unused.c"], tmp)
        check(rc == 1, "--report-unused-suppressions: an unused one fails the run (exit 1, like RUF100)",
              (rc, out, err))
        check("suppress_unused.c:6:3: warning: unused suppression" in out + err,
              "unused suppression shown as file:line:col warning", out + err)
        rc, out, err = run(bin_, ["--report-unused-suppressions", "--exit-zero", "suppress_unused.c"], tmp)
        check(rc == 0, "--exit-zero also covers unused suppressions", (rc, out, err))

        # CRLF line ends: the same results
        crlf = os.path.join(tmp, "crlf")
        os.makedirs(crlf)
        with open(os.path.join(ux, "suppress_cases.c"), "rb") as fh:
            data = fh.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        with open(os.path.join(crlf, "suppress_cases.c"), "wb") as fh:
            fh.write(data)
        suppress_checks(bin_, crlf, "suppress_cases.c", crlf=True)

        # files that cannot be scanned: a binary .c is skipped, a vanished one is an error, no crash
        with open(os.path.join(tmp, "blob.c"), "wb") as fh:
            fh.write(b"\x7fELF\x00\x00// leaklint:ignore[timer-per-iteration] x\n" * 100)
        rc, out, err = run(bin_, ["timer_loop.c", "blob.c"], tmp)
        check(rc in (1, 2) and "timer_loop.c:7:5" in out and "Sanitizer" not in err,
              "a binary input next to a real one: no crash, the real finding stays", (rc, out, err))


# ---------------------------------------------------------------- baseline

def mode_baseline(bin_, src):
    ux = os.path.join(src, "testdata", "ux")
    with tempfile.TemporaryDirectory(prefix="leaklint-baseline-") as tmp:
        shutil.copy(os.path.join(ux, "baseline_base.c"), os.path.join(tmp, "legacy.c"))
        rc, out, err = run(bin_, ["--write-baseline", "leaklint-baseline.json", "legacy.c"], tmp)
        check(rc == 0 and "legacy.c:" in out, "--write-baseline still reports, exits 0", (rc, out, err))
        try:
            with open(os.path.join(tmp, "leaklint-baseline.json")) as fh:
                base = json.load(fh)
        except (OSError, ValueError) as e:
            check(False, "baseline file written and valid JSON", e)
            return
        check(base.get("version") == 1 and isinstance(base.get("findings"), list),
              "baseline: {version: 1, findings: [...]}", base)
        ents = base.get("findings", [])
        check(len(ents) == 3, "baseline records the 3 findings (two identical lines count twice)",
              ents)
        check(all(set(e) == {"rule", "file", "function", "fingerprint"} for e in ents)
              and all(e["file"] == "legacy.c" for e in ents)
              and sorted(e["function"] for e in ents) == ["drain_all", "drain_all", "poll_all"],
              "baseline entries carry rule, file, function, fingerprint", ents)
        leftovers = [f for f in os.listdir(tmp) if ".tmp" in f]
        check(not leftovers, "no temporary files left behind", leftovers)

        rc, out, err = run(bin_, ["--baseline", "leaklint-baseline.json", "legacy.c"], tmp)
        check(rc == 0 and "legacy.c:" not in out, "unchanged code: baseline hides everything, exit 0",
              (rc, out, err))

        # shift lines, re-indent, edit comments: still hidden
        shutil.copy(os.path.join(ux, "baseline_shifted.c"), os.path.join(tmp, "legacy.c"))
        rc, out, err = run(bin_, ["--baseline", "leaklint-baseline.json", "legacy.c"], tmp)
        check(rc == 0 and "legacy.c:" not in out,
              "line shifts, re-indentation and comment edits keep the fingerprints", (rc, out, err))

        # a new finding (a third identical line in drain_all, a new function): only those show
        shutil.copy(os.path.join(ux, "baseline_new.c"), os.path.join(tmp, "legacy.c"))
        want = sorted(want_lines(os.path.join(tmp, "legacy.c")))
        rc, doc, err = run_json(bin_, ["--baseline", "leaklint-baseline.json", "legacy.c"], tmp)
        got = sorted(f["line"] for f in doc["findings"])
        check(rc == 1 and got == want,
              "only new findings are reported (multiset: the extra identical line counts)",
              (rc, got, want, doc["findings"]))
        rc, doc, err = run_json(bin_, ["legacy.c"], tmp)
        check(len(doc["findings"]) == 5, "without --baseline all 5 are reported", doc["findings"])

        # invalid baselines: exit 2, the message names the file
        bad = {
            "missing.json": None,
            "garbage.json": "{not json",
            "version.json": '{"version": 2, "findings": []}',
            "shape.json": '{"version": 1, "findings": [{"rule": "x", "file": 3, "fingerprint": "y"}]}',
            "array.json": "[]",
        }
        for name, text in bad.items():
            if text is not None:
                with open(os.path.join(tmp, name), "w") as fh:
                    fh.write(text)
            rc, out, err = run(bin_, ["--baseline", name, "legacy.c"], tmp)
            check(rc == 2 and name + ":" in err, "invalid baseline %s -> exit 2 naming the file" % name,
                  (rc, out, err))
        rc, out, err = run(bin_, ["--baseline", "shape.json", "legacy.c"], tmp)
        check("/findings/0/file" in err, "baseline errors carry the JSON path", err)
        rc, out, err = run(bin_, ["--write-baseline", "no/such/dir/b.json", "legacy.c"], tmp)
        check(rc == 2 and "no/such/dir/b.json" in err, "unwritable --write-baseline -> exit 2", (rc, err))

        # suppressed findings are not recorded
        shutil.copy(os.path.join(ux, "timer_suppressed.c"), tmp)
        rc, out, err = run(bin_, ["--write-baseline", "b2.json", "timer_suppressed.c"], tmp)
        with open(os.path.join(tmp, "b2.json")) as fh:
            check(json.load(fh)["findings"] == [], "suppressed findings are not written to the baseline")


# ---------------------------------------------------------------- fix

def compile_ok(path, flags, cwd):
    cc = shutil.which("clang") or shutil.which("clang-14")
    if not cc:
        return False, "clang not found"
    lang = ["-x", "c++", "-std=gnu++20"] if path.endswith((".cpp", ".cc", ".cxx")) else ["-std=gnu17"]
    p = subprocess.run([cc, "-fsyntax-only"] + lang + flags + [path], cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode == 0, p.stdout


def read_flags(d):
    """compile_flags.txt of the fixture directory (or testdata/), made absolute."""
    for cand in (d, os.path.dirname(d)):
        p = os.path.join(cand, "compile_flags.txt")
        if os.path.exists(p):
            out = []
            with open(p) as fh:
                for line in fh:
                    line = line.strip()
                    if line.startswith("-I") and not os.path.isabs(line[2:]):
                        line = "-I" + os.path.join(cand, line[2:])
                    if line:
                        out.append(line)
            return out
    return []


def mode_fix(bin_, src):
    td = os.path.join(src, "testdata")
    rules = subprocess.run([bin_, "--list-rules"], stdout=subprocess.PIPE, text=True).stdout
    chan_registered = re.search(r"^unbuffered-send\b", rules, re.M) is not None
    # fixtures of every rule directory; find the findings that carry a safe fix
    candidates = []
    for d in sorted(os.listdir(td)):
        full = os.path.join(td, d)
        if not os.path.isdir(full) or not re.match(r"^[a-z]+(-[a-z]+)+$", d):
            continue
        # a fix comes with a finding, and findings appear only on `// want:`
        # lines (the fixture tests prove it): negative fixtures need no run
        files = sorted(f for f in os.listdir(full) if f.endswith((".c", ".cpp")) and
                       want_lines(os.path.join(full, f)))
        if not files:
            continue
        rc, doc, err = run_json(bin_, files, full)
        for f in doc["findings"]:
            if any(x.get("safety", "safe") == "safe" and x.get("edits") for x in f.get("fixes", [])):
                # paths are relative to the project root (the git top level)
                candidates.append((d, os.path.basename(f["file"]), f))
    print("fixtures with a safe fix: %s" % sorted({(d, f) for d, f, _ in candidates}))
    if not candidates:
        check(not chan_registered,
              "some fixture produces a safe fix (unbuffered-send is registered and should offer "
              "buffer-size edits, e.g. libmill chmake(int, 0) -> chmake(int, N))", rules)
        mode_fix_synthetic(bin_, src)
        return
    mode_fix_models(bin_, src)
    seen = set()
    for d, fname, finding in candidates:
        if (d, fname) in seen:
            continue
        seen.add((d, fname))
        fix_one(bin_, os.path.join(td, d), fname, finding)
    mode_fix_synthetic(bin_, src)


def fix_one(bin_, d, fname, finding, copy_all=False):
    flags = [] if copy_all else read_flags(d)
    with tempfile.TemporaryDirectory(prefix="leaklint-fix-") as tmp:
        if copy_all:
            for f in os.listdir(d):
                shutil.copy(os.path.join(d, f), tmp)
        else:
            shutil.copy(os.path.join(d, fname), tmp)
        with open(os.path.join(tmp, "compile_flags.txt"), "w") as fh:
            fh.write("\n".join(flags) + "\n")
        path = os.path.join(tmp, fname)
        # runs on the same content share a private cache: 2 parses, not 5
        cache = os.path.join(tmp, ".cache")
        os.chmod(path, 0o640)
        with open(path, "rb") as fh:
            before = fh.read()
        ok, msg = compile_ok(fname, flags, tmp)
        check(ok, "%s compiles before the fix" % fname, msg)
        rc0, doc0, _ = run_json(bin_, [fname], tmp, cache=cache)
        rule = finding["rule"]
        n0 = sum(1 for f in doc0["findings"] if f["rule"] == rule and f["line"] == finding["line"])

        rc, diff, err = run(bin_, ["--diff", fname], tmp, cache=cache)
        with open(path, "rb") as fh:
            check(fh.read() == before, "%s: --diff does not write" % fname)
        check(diff.startswith("--- a/%s\n+++ b/%s\n@@ " % (fname, fname)),
              "%s: --diff prints a unified diff with a/ b/ headers" % fname, diff)
        if shutil.which("patch"):
            pdir = os.path.join(tmp, "p")
            os.makedirs(pdir)
            shutil.copy(path, pdir)
            p = subprocess.run(["patch", "-p1", "--quiet"], input=diff, cwd=pdir, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            check(p.returncode == 0, "%s: the diff applies with patch -p1" % fname, p.stdout + diff)

        rc, out, err = run(bin_, ["--fix", fname], tmp, cache=cache)
        with open(path, "rb") as fh:
            after = fh.read()
        check(after != before, "%s: --fix rewrote the file" % fname, (rc, out, err))
        check(oct(os.stat(path).st_mode & 0o777) == oct(0o640), "%s: --fix keeps the file mode" % fname)
        if shutil.which("patch"):
            with open(os.path.join(tmp, "p", fname), "rb") as fh:
                check(fh.read() == after, "%s: --fix and --diff agree" % fname)
        ok, msg = compile_ok(fname, flags, tmp)
        check(ok, "%s still compiles after --fix" % fname, msg + after.decode(errors="replace"))
        rc2, doc2, _ = run_json(bin_, [fname], tmp, cache=cache)
        n2 = sum(1 for f in doc2["findings"] if f["rule"] == rule and f["line"] == finding["line"])
        check(n0 >= 1 and n2 == 0, "%s: the %s finding at line %d is gone after --fix" %
              (fname, rule, finding["line"]), doc2["findings"])
        rc3, diff3, _ = run(bin_, ["--diff", fname], tmp, cache=cache)
        check(finding["line"] not in [f["line"] for f in doc2["findings"]] and
              ("@@" not in diff3 or rc3 in (0, 1)), "%s: a second --diff has nothing for that line" % fname)


def mode_fix_models(bin_, src):
    """The README example: an in-house channel modelled in .leaklint.json "models"
    is analysed like a built-in one, and its buffer-size fix applies."""
    d = os.path.join(src, "testdata", "ux", "models")
    rc, doc, err = run_json(bin_, ["fetch.c"], d)
    want = sorted(want_lines(os.path.join(d, "fetch.c")))
    got = sorted(f["line"] for f in doc["findings"] if f["rule"] == "unbuffered-send")
    if not check(got == want, "in-house channel from .leaklint.json models is reported", (got, doc)):
        return
    fix_one(bin_, d, "fetch.c", [f for f in doc["findings"] if f["rule"] == "unbuffered-send"][0],
            copy_all=True)


def mode_fix_synthetic(bin_, src):
    """--fix/--diff with no fix available: nothing written, no diff, findings still fail."""
    ux = os.path.join(src, "testdata", "ux")
    with tempfile.TemporaryDirectory(prefix="leaklint-fix0-") as tmp:
        shutil.copy(os.path.join(ux, "timer_loop.c"), tmp)
        path = os.path.join(tmp, "timer_loop.c")
        with open(path, "rb") as fh:
            before = fh.read()
        rc, out, err = run(bin_, ["--diff", "timer_loop.c"], tmp)
        check(out == "", "--diff without safe fixes prints no diff", out)
        rc, out, err = run(bin_, ["--fix", "timer_loop.c"], tmp)
        with open(path, "rb") as fh:
            check(fh.read() == before, "--fix without safe fixes leaves the file alone")
        check(rc == 1, "--fix: findings without a fix still fail the run", (rc, out, err))


# ---------------------------------------------------------------- action

def mode_action(bin_, src):
    """action.yml: a composite action whose run step writes the SARIF report and
    sets the outputs. The run step's script is executed here as GitHub would
    (inputs through env, outputs through $GITHUB_OUTPUT), with the built binary."""
    import yaml
    with open(os.path.join(src, "action.yml")) as fh:
        act = yaml.safe_load(fh)
    check(act.get("runs", {}).get("using") == "composite", "action.yml is a composite action", act)
    check({"paths", "args"} <= set(act.get("inputs", {})), "inputs: paths and args", act.get("inputs"))
    check("sarif" in act.get("outputs", {}), "outputs: sarif", act.get("outputs"))
    steps = {s.get("id") or s.get("name"): s for s in act["runs"]["steps"]}
    run_step = steps.get("run")
    if not check(run_step is not None and "--format sarif" in run_step.get("run", ""),
                 "a step with id 'run' runs leaklint --format sarif", steps):
        return
    action_find_step(steps, src)
    env_keys = run_step.get("env", {})
    check(any("inputs.paths" in str(v) for v in env_keys.values()), "inputs.paths reaches the run step")
    with tempfile.TemporaryDirectory(prefix="leaklint-action-") as tmp:
        ws = os.path.join(tmp, "ws")
        os.makedirs(os.path.join(ws, "src"))
        shutil.copy(os.path.join(src, "testdata", "ux", "timer_loop.c"), os.path.join(ws, "src"))
        shutil.copy(os.path.join(src, "testdata", "ux", "timer_clean.c"), os.path.join(ws, "src"))
        script = os.path.join(tmp, "run.sh")
        with open(script, "w") as fh:
            fh.write(run_step["run"])
        for fail, want_rc in (("false", 0), ("true", 1)):
            out_file = os.path.join(tmp, "out-" + fail)
            open(out_file, "w").close()
            env = dict(os.environ, LEAKLINT_BIN=bin_, GITHUB_OUTPUT=out_file, INPUT_PATHS="src",
                       INPUT_ARGS="--select timer-per-iteration --no-cache", INPUT_SARIF="leaklint.sarif",
                       INPUT_FAIL=fail, NO_COLOR="1")
            p = subprocess.run(["bash", "-e", script], cwd=ws, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=300)
            check(p.returncode == want_rc, "run step exit %d with fail-on-findings=%s" % (want_rc, fail),
                  p.stdout)
            with open(out_file) as fh:
                outs = dict(l.split("=", 1) for l in fh.read().splitlines() if "=" in l)
            check(outs.get("sarif") == "leaklint.sarif" and outs.get("findings") == "1",
                  "outputs sarif=leaklint.sarif findings=1 (%s)" % fail, outs)
            try:
                with open(os.path.join(ws, "leaklint.sarif")) as fh:
                    sarif = json.load(fh)
                uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                        for r in sarif["runs"][0]["results"]]
                check(sarif.get("version") == "2.1.0" and uris and
                      all(u.endswith("src/timer_loop.c") for u in uris),
                      "SARIF report written with repository-relative locations (%s)" % fail, uris)
            except (OSError, ValueError, KeyError, IndexError) as e:
                check(False, "SARIF report readable (%s)" % fail, e)

        # a parse error fails the step (exit 2) even without fail-on-findings, with
        # an annotation at its location; allow-parse-errors=true accepts it
        check("allow-parse-errors" in act.get("inputs", {}) and "parse-errors" in act.get("outputs", {}),
              "input allow-parse-errors, output parse-errors", (act.get("inputs"), act.get("outputs")))
        with open(os.path.join(ws, "src", "broken.c"), "w") as fh:
            fh.write(BROKEN_C)
        for allow, want_rc in (("false", 2), ("true", 0)):
            out_file = os.path.join(tmp, "out-allow-" + allow)
            open(out_file, "w").close()
            env = dict(os.environ, LEAKLINT_BIN=bin_, GITHUB_OUTPUT=out_file, INPUT_PATHS="src",
                       INPUT_ARGS="--no-cache", INPUT_SARIF="leaklint.sarif", INPUT_FAIL="false",
                       INPUT_ALLOW_PARSE_ERRORS=allow, NO_COLOR="1")
            p = subprocess.run(["bash", "-e", script], cwd=ws, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=300)
            with open(out_file) as fh:
                outs = dict(l.split("=", 1) for l in fh.read().splitlines() if "=" in l)
            check(p.returncode == want_rc and outs.get("parse-errors") == "1" and
                  "::error file=src/broken.c,line=1,col=10,title=leaklint parse error::" in p.stdout,
                  "parse error: exit %d with allow-parse-errors=%s, annotated, counted" % (want_rc, allow),
                  (p.returncode, outs, p.stdout))
        check("new-from-rev" in act.get("inputs", {}) and
              "INPUT_NEW_FROM_REV" in run_step.get("env", {}), "input new-from-rev reaches the run step",
              act.get("inputs"))
        action_new_from_rev(bin_, src, script, tmp)


def action_new_from_rev(bin_, src, script, tmp):
    """Input new-from-rev: only findings on lines changed since the revision;
    one that names no commit fails the step (exit 2)."""
    ws = os.path.join(tmp, "ws-nfr")
    os.makedirs(os.path.join(ws, "src"))
    shutil.copy(os.path.join(src, "testdata", "ux", "timer_loop.c"), os.path.join(ws, "src", "old.c"))
    genv = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                GIT_COMMITTER_EMAIL="t@t", GIT_CONFIG_GLOBAL="/dev/null")
    for cmd in (["init", "-q"], ["add", "."], ["commit", "-qm", "base"]):
        subprocess.run(["git"] + cmd, cwd=ws, env=genv, check=True, capture_output=True)
    shutil.copy(os.path.join(src, "testdata", "ux", "timer_loop.c"), os.path.join(ws, "src", "new.c"))
    for rev, want_rc, want_files in (("", 0, ["src/new.c", "src/old.c"]), ("HEAD", 0, ["src/new.c"]),
                                     ("no-such-rev", 2, None)):
        out_file = os.path.join(tmp, "out-nfr-" + (rev or "none"))
        open(out_file, "w").close()
        env = dict(os.environ, LEAKLINT_BIN=bin_, GITHUB_OUTPUT=out_file, INPUT_PATHS="src",
                   INPUT_ARGS="--no-cache", INPUT_SARIF="leaklint.sarif", INPUT_FAIL="false",
                   INPUT_NEW_FROM_REV=rev, NO_COLOR="1")
        p = subprocess.run(["bash", "-e", script], cwd=ws, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=300)
        files = None
        if want_files is not None:
            try:
                with open(os.path.join(ws, "leaklint.sarif")) as fh:
                    files = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                                   for r in json.load(fh)["runs"][0]["results"])
            except (OSError, ValueError, KeyError, IndexError) as e:
                files = str(e)
        check(p.returncode == want_rc and files == want_files and
              (want_files is not None or "not a commit" in p.stdout),
              "input new-from-rev=%r: exit %d, findings in %s" % (rev, want_rc, want_files),
              (p.returncode, files, p.stdout))


# ---------------------------------------------------------------- gates

BROKEN_C = ('#include "no_such_header.h"\n#include <pthread.h>\n'
            'int broken(void) { pthread_t t; return pthread_create(&t, 0, 0, 0); }\n')
# the error is in a project header this time, not in the main file
BAD_HEADER_H = "int oops(void) { return }\n"
BAD_HEADER_C = ('#include "bad.h"\n#include <pthread.h>\n'
                'int g(void) { pthread_t t; return pthread_create(&t, 0, 0, 0); }\n')


def gate_tree(tmp, ux):
    os.makedirs(os.path.join(tmp, "src"))
    shutil.copy(os.path.join(ux, "timer_loop.c"), os.path.join(tmp, "src"))
    with open(os.path.join(tmp, "src", "broken.c"), "w") as fh:
        fh.write(BROKEN_C)


def mode_gates(bin_, src):
    ux = os.path.join(src, "testdata", "ux")
    with tempfile.TemporaryDirectory(prefix="leaklint-gates-") as tmp:
        gate_tree(tmp, ux)
        for fmt in ("text", "json", "sarif", "github", "gitlab"):
            for quiet in ([], ["-q"]):
                rc, out, err = run(bin_, ["--format", fmt] + quiet + ["src"], tmp)
                what = "--format %s %s" % (fmt, " ".join(quiet))
                check(rc == 2, "%s: a parse error makes the exit code 2 (findings too)" % what,
                      (rc, err))
                check("src/broken.c:1:10: error: 'no_such_header.h' file not found" in err
                      and "1 file failed to parse" in err,
                      "%s: stderr has the error at file:line:col and the summary line" % what, err)
            if fmt in ("json", "sarif", "gitlab"):
                json.loads(out)  # the report is still complete

        rc, doc, err = run_json(bin_, ["src"], tmp)
        notes = [n for n in doc["notifications"] if n["level"] == "error"]
        check(rc == 2 and doc["files"]["failed"] == 1 and len(doc["findings"]) == 1 and
              [(n["file"], n["line"], n["column"]) for n in notes] == [("src/broken.c", 1, 10)],
              "json: the report keeps the finding and lists the error in notifications", doc)
        rc, out, err = run(bin_, ["--format", "sarif", "src"], tmp)
        inv = json.loads(out)["runs"][0]["invocations"][0]
        regions = [l["physicalLocation"]["region"] for n in inv["toolExecutionNotifications"]
                   if n["level"] == "error" for l in n.get("locations", [])]
        check(inv["executionSuccessful"] is False and
              regions == [{"startLine": 1, "startColumn": 10}],
              "sarif: toolExecutionNotifications carry the error at line 1, column 10", inv)
        rc, out, err = run(bin_, ["--format", "github", "src"], tmp)
        check("::error file=src/broken.c,line=1,col=10,title=leaklint::" in out,
              "github: the parse error is an ::error annotation at its location", out)

        rc, out, err = run(bin_, ["--allow-parse-errors", "src"], tmp)
        check(rc == 1 and "broken.c:1:10: error:" in err and "failed to parse (allowed)" in err,
              "--allow-parse-errors: still reported, exit code from the findings (1)", (rc, err))
        rc, out, err = run(bin_, ["--allow-parse-errors", "-q", "src/broken.c", "src/timer_loop.c",
                                  "--select", "unbuffered-send"], tmp)
        check(rc == 0 and err == "", "--allow-parse-errors -q with no findings: exit 0, quiet",
              (rc, err))
        # a cached run must not forget the failure (failed parses are not cached)
        cache = os.path.join(tmp, "cache")
        for i in (1, 2):
            rc, out, err = run(bin_, ["src"], tmp, cache=cache)
            check(rc == 2 and "broken.c:1:10: error:" in err, "warm cache run %d still exits 2" % i,
                  (rc, err))

        # config key; its type is checked
        for text, want_rc, what in (('{"allow_parse_errors": true}', 1, "true allows"),
                                    ('{"allow_parse_errors": false}', 2, "false keeps exit 2"),
                                    ('{"allow_parse_errors": "yes"}', 2, "a string is an error")):
            with open(os.path.join(tmp, ".leaklint.json"), "w") as fh:
                fh.write(text)
            rc, out, err = run(bin_, ["src"], tmp)
            check(rc == want_rc, "config allow_parse_errors: %s (exit %d)" % (what, want_rc),
                  (rc, err))
            if text.endswith('"yes"}'):
                check("/allow_parse_errors: expected true or false" in err,
                      "config allow_parse_errors: the type error names the key", err)
        os.unlink(os.path.join(tmp, ".leaklint.json"))

    with tempfile.TemporaryDirectory(prefix="leaklint-gates-h-") as tmp:
        with open(os.path.join(tmp, "bad.h"), "w") as fh:
            fh.write(BAD_HEADER_H)
        with open(os.path.join(tmp, "g.c"), "w") as fh:
            fh.write(BAD_HEADER_C)
        shutil.copy(os.path.join(ux, "timer_clean.c"), tmp)
        rc, out, err = run(bin_, ["--format", "json", "g.c", "timer_clean.c"], tmp)
        check(rc == 2 and "bad.h:1:" in err, "an error inside a project header counts too", (rc, err))
        rc, out, err = run(bin_, ["timer_clean.c"], tmp)
        check(rc == 0, "control: the clean file alone exits 0", (rc, err))
    gates_fix_diff_baseline(bin_, src)


def gates_fix_diff_baseline(bin_, src):
    """--fix reports only what is still open and counts what it applied;
    --diff and --fix --diff exit alike; --write-baseline exits 0."""
    d = os.path.join(src, "testdata", "ux", "models")
    with tempfile.TemporaryDirectory(prefix="leaklint-gates-fix-") as tmp:
        for f in os.listdir(d):
            shutil.copy(os.path.join(d, f), tmp)
        shutil.copy(os.path.join(src, "testdata", "ux", "timer_loop.c"), tmp)
        files = ["fetch.c", "timer_loop.c"]
        rc, doc, err = run_json(bin_, files, tmp)
        fixable = [f for f in doc["findings"] if any(x["safety"] == "safe" for x in f["fixes"])]
        check(rc == 1 and len(fixable) == 1 and len(doc["findings"]) == 2,
              "fixture: one finding with a safe fix, one without", doc["findings"])
        rc_d, out_d, _ = run(bin_, ["--diff"] + files, tmp)
        rc_fd, out_fd, _ = run(bin_, ["--fix", "--diff"] + files, tmp)
        check(rc_d == rc_fd == 1 and out_d == out_fd and out_d.startswith("--- a/fetch.c"),
              "--diff and --fix --diff print the same diff and both exit 1 (nothing changed)",
              (rc_d, rc_fd, out_d, out_fd))
        rc, out, err = run(bin_, ["--fix"] + files, tmp)
        check(rc == 1 and "timer_loop.c:" in out and "fetch.c:" not in out,
              "--fix: the fixed finding is not reported as open; the other one is (exit 1)",
              (rc, out))
        check("1 finding in 2 files" in err and "1 fix applied" in err,
              "--fix: the summary counts the open finding and the fix applied", err)
        rc, out, err = run(bin_, ["--fix", "fetch.c"], tmp)
        check(rc == 0 and "fix applied" not in err, "a second --fix: nothing open, nothing applied",
              (rc, out, err))

        rc, out, err = run(bin_, ["--write-baseline", "b.json", "timer_loop.c"], tmp)
        check(rc == 0 and "timer_loop.c:" in out and "recorded the findings in b.json" in err,
              "--write-baseline: reports, records, exits 0", (rc, out, err))
        rc, out, err = run(bin_, ["--baseline", "b.json", "timer_loop.c"], tmp)
        check(rc == 0 and out == "", "the baseline just written hides the finding", (rc, out))
        rc, out, err = run(bin_, ["--write-baseline", "b2.json", "timer_loop.c", "missing_dir/"], tmp)
        check(rc == 2, "--write-baseline with an unreadable input still exits 2", (rc, err))


def mode_cli(bin_, src):
    ux = os.path.join(src, "testdata", "ux")
    with tempfile.TemporaryDirectory(prefix="leaklint-cli-") as tmp:
        shutil.copy(os.path.join(ux, "timer_loop.c"), tmp)
        cli_did_you_mean(bin_, tmp)
        cli_config_json_errors(bin_, tmp)
        cli_precedence(bin_, tmp)
        cli_color(bin_, tmp)
        cli_list_rules(bin_, tmp)
        cli_sarif_category(bin_, tmp)
        cli_show_settings(bin_, tmp)
    cli_cache_gitignore(bin_, ux)
    cli_doc_examples(bin_, src)
    cli_readme_flags(bin_, src)
    cli_readme_integrations(src)
    cli_benchmark_doc(src)


def cli_did_you_mean(bin_, tmp):
    for args, want in ((["--format", "jsn"], "(did you mean 'json'?)"),
                       (["--color", "alway"], "(did you mean 'always'?)"),
                       (["--select", "unbufered-send"], "(did you mean 'unbuffered-send'?)"),
                       (["--ignore", "wait-without-cancle"], "(did you mean 'wait-without-cancel'?)"),
                       (["--explain", "timer-per-iter"], "(did you mean 'timer-per-iteration'?)")):
        rc, out, err = run(bin_, args + ["timer_loop.c"], tmp)
        check(rc == 2 and want in err, "%s: usage error %s" % (" ".join(args), want), (rc, err))
    rc, out, err = run(bin_, ["--format", "x", "timer_loop.c"], tmp)
    check(rc == 2 and "did you mean" not in err, "--format x: no far-fetched suggestion", err)
    for cfg, want in (('{"selct": []}', "/selct: unknown key (did you mean 'select'?)"),
                      ('{"allow_parse_error": true}',
                       "/allow_parse_error: unknown key (did you mean 'allow_parse_errors'?)"),
                      ('{"ignore": ["timer-per-iteraton"]}',
                       "/ignore/0: unknown rule 'timer-per-iteraton' (did you mean 'timer-per-iteration'?)"),
                      ('{"level": {"unbuffered-sned": "note"}}',
                       "/level/unbuffered-sned: unknown rule 'unbuffered-sned' (did you mean 'unbuffered-send'?)")):
        with open(os.path.join(tmp, "c.json"), "w") as fh:
            fh.write(cfg)
        rc, out, err = run(bin_, ["--config", "c.json", "timer_loop.c"], tmp)
        check(rc == 2 and "c.json: " + want in err, "config %s: %s" % (cfg, want), (rc, err))


def cli_config_json_errors(bin_, tmp):
    for cfg, want in (('{"select": ["unbuffered-send",]}',
                       "1:31: unexpected ']' after ',' (JSON allows no trailing comma)"),
                      ("{'select': []}", "1:2: unexpected \"'\" (JSON strings take double quotes)"),
                      ('{\n  "select": [] // mine\n}', "2:16: unexpected '/' (JSON has no comments)"),
                      ('{"select": [] "ignore": []}', "1:15: unexpected '\"' (a ',' missing before it?)"),
                      ('{"select": []', "1:14: unexpected end of input"),
                      ('{"select": [}', "1:13: unexpected '}'")):
        with open(os.path.join(tmp, "c.json"), "w") as fh:
            fh.write(cfg)
        rc, out, err = run(bin_, ["--config", "c.json", "timer_loop.c"], tmp)
        check(rc == 2 and "c.json: invalid JSON at " + want in err,
              "config JSON error %r: position and reason" % cfg, (rc, err))


def cli_precedence(bin_, tmp):
    def rules_reported(cfg, args):
        with open(os.path.join(tmp, "c.json"), "w") as fh:
            fh.write(cfg)
        rc, doc, err = run_json(bin_, ["--config", "c.json"] + args + ["timer_loop.c"], tmp)
        return rc, sorted({f["rule"] for f in doc["findings"]})
    t = "timer-per-iteration"
    for cfg, args, want, what in (
            ('{"ignore": ["%s"]}' % t, [], [], "config ignore applies"),
            ('{"ignore": ["%s"]}' % t, ["--select", t], [t], "CLI --select wins over config ignore"),
            ('{"select": ["unbuffered-send"]}' % (), [], [], "config select applies"),
            ('{"select": ["unbuffered-send"]}', ["--select", t], [t], "CLI --select replaces config select"),
            ('{"ignore": ["%s"]}' % t, ["--ignore", "unbuffered-send"], [t],
             "CLI --ignore replaces config ignore"),
            ('{"select": ["%s"]}' % t, ["--ignore", t], [], "CLI --ignore applies to config select")):
        rc, got = rules_reported(cfg, args)
        check(got == want and rc == (1 if want else 0), "precedence: %s" % what, (cfg, args, rc, got))


def cli_color(bin_, tmp):
    def colored(env_extra, args=()):
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        env.update(env_extra)
        p = subprocess.run([bin_, "--no-cache"] + list(args) + ["timer_loop.c"], cwd=tmp, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
        return "\033[" in p.stdout
    check(not colored({}), "a pipe gets no colour")
    check(colored({"FORCE_COLOR": "1"}), "FORCE_COLOR=1 colours a pipe")
    check(colored({"FORCE_COLOR": "1", "NO_COLOR": "1"}), "FORCE_COLOR wins over NO_COLOR")
    check(not colored({"FORCE_COLOR": "0"}), "FORCE_COLOR=0 does not force")
    check(not colored({"FORCE_COLOR": "1"}, ["--color", "never"]), "--color never wins over FORCE_COLOR")


def cli_list_rules(bin_, tmp):
    text = subprocess.run([bin_, "--list-rules"], stdout=subprocess.PIPE, text=True).stdout
    ids = [l.split()[0] for l in text.split("\n\n")[0].splitlines() if l.strip()]
    rc, out, err = run(bin_, ["--list-rules", "--format", "json"], tmp)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    check(rc == 0 and [r.get("id") for r in doc.get("rules", [])] == ids and ids and
          all(set(r) == {"id", "summary", "default_level"} for r in doc["rules"]) and
          all(isinstance(p.get("apis"), int) and p["apis"] >= 0 and p.get("name") for p in doc.get("packs", [])) and doc["packs"],
          "--list-rules --format json: the same rules as the text list, and the packs", (rc, out, err))
    rc, out, err = run(bin_, ["--list-rules", "--format", "sarif"], tmp)
    check(rc == 2 and "--list-rules" in err, "--list-rules --format sarif: usage error", (rc, err))


def cli_sarif_category(bin_, tmp):
    for args, want in (([], None), (["--category", "ci"], "ci/"),
                       (["--category", "nightly/42"], "nightly/42")):
        rc, out, err = run(bin_, ["--format", "sarif"] + args + ["timer_loop.c"], tmp)
        run0 = json.loads(out)["runs"][0]
        got = run0.get("automationDetails", {}).get("id")
        check(got == want, "SARIF automationDetails.id with %s: %s" % (args, want), got)
        msg = run0["results"][0]["message"]["text"]
        check(" Hint: " in msg and msg.endswith("."), "SARIF result message ends with the hint", msg)
    rc, out, err = run(bin_, ["--category", "", "timer_loop.c"], tmp)
    check(rc == 2, "--category '' is a usage error", (rc, err))


def cli_doc_examples(bin_, src):
    """Every JSON block of README.md and docs/integrations.md with "models" is a
    config that loads (exit 0 from --list-rules), and its queue is analysed:
    the docs run as written. Blocks with "..." are sketches and must say so by
    not being JSON."""
    import re as _re
    found = 0
    with tempfile.TemporaryDirectory(prefix="leaklint-docs-") as tmp:
        for doc in ("README.md", os.path.join("docs", "integrations.md")):
            with open(os.path.join(src, doc), encoding="utf-8") as fh:
                text = fh.read()
            for i, m in enumerate(_re.finditer(r"```json\n(.*?)```", text, _re.S)):
                try:
                    cfg = json.loads(m.group(1))
                except ValueError:
                    check("..." in m.group(1), "%s JSON block %d: JSON, or a sketch with '...'"
                          % (doc, i), m.group(1)[:300])
                    continue
                if not (isinstance(cfg, dict) and "models" in cfg):
                    continue
                found += 1
                path = os.path.join(tmp, "cfg%d.json" % found)
                with open(path, "w") as fh:
                    json.dump(cfg, fh)
                rc, out, err = run(bin_, ["--config", path, "--list-rules"], tmp)
                lib = cfg["models"].get("library", "")
                check(rc == 0 and lib in out, "%s JSON block %d: the models example loads (%s)"
                      % (doc, i, lib), (rc, err))
    check(found >= 2, "the README and integration docs have models examples (%d)" % found)


# flags the docs mention that belong to another tool (the command they go with)
OTHER_TOOLS_FLAGS = {"--build": "cmake", "--install": "cmake", "--prefix": "cmake",
                     "--sysroot": "clang", "--target": "clang", "--against": "tools/bench", "--label": "tools/bench",
                     "--files": "tools/bench", "--flags": "tools/bench", "--no-tidy": "tools/bench",
                     "--all-files": "pre-commit", "--freeze": "pre-commit autoupdate"}


def help_options(bin_, *sub):
    text = subprocess.run([bin_] + list(sub) + ["--help"], stdout=subprocess.PIPE, text=True).stdout
    longs = set(re.findall(r"^\s+(?:-\w, )?(--[a-z][\w-]+)", text, re.M))
    shorts = set(re.findall(r"^\s+(-\w), --", text, re.M))
    return longs, shorts, text


def readme_option_rows(src):
    """The first cells of the option table under README's "## Usage"."""
    with open(os.path.join(src, "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    sec = text[text.index("\n## Usage"):]
    sec = sec[:sec.index("\n## ", 3)]
    return [l.split("|")[1] for l in sec.splitlines() if l.startswith("| `-")]


def cli_readme_flags(bin_, src):
    """Every option of `leaklint --help` has a row in README's option table and
    every option in that table exists; every --flag the README and the
    integration docs mention is an option of leaklint (or of verify /
    merge-sarif), or another tool's listed in OTHER_TOOLS_FLAGS."""
    longs, shorts, _ = help_options(bin_)
    cells = readme_option_rows(src)
    t_longs = set(x for c in cells for x in re.findall(r"(--[a-z][\w-]+)", c))
    t_shorts = set(x for c in cells for x in re.findall(r"`(-\w)[, `]", c))
    check(len(longs) >= 30 and len(cells) >= 30, "--help and the README table list the options (%d, %d)"
          % (len(longs), len(cells)))
    check(not longs - t_longs and not shorts - t_shorts,
          "every --help option has a row in README's option table",
          sorted((longs - t_longs) | (shorts - t_shorts)))
    check(not t_longs - longs and not t_shorts - shorts,
          "every option in README's table exists in --help", sorted((t_longs - longs) | (t_shorts - shorts)))
    known = set(longs)
    for sub in (["verify"], ["merge-sarif"]):  # their usage lines name their options
        known |= set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]+)", help_options(bin_, *sub)[2]))
    for doc in ("README.md", os.path.join("docs", "integrations.md")):
        with open(os.path.join(src, doc), encoding="utf-8") as fh:
            mentioned = set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]+)", fh.read()))
        unknown = sorted(mentioned - known - set(OTHER_TOOLS_FLAGS))
        check(not unknown, "%s mentions no option leaklint does not have" % doc, unknown)


def cli_benchmark_doc(src):
    """docs/benchmark.md runs on a user's machine: no path of the development
    machine, and every tools/corpora file its commands name is shipped."""
    with open(os.path.join(src, "docs", "benchmark.md"), encoding="utf-8") as fh:
        text = fh.read()
    check("/wo" + "rk/" not in text, "docs/benchmark.md names no path of the development machine",
          [l for l in text.splitlines() if "/wo" + "rk/" in l])
    named = set(re.findall(r"\$C/([\w.-]+)", text)) | set(re.findall(r"tools/corpora/([\w.-]+)", text))
    missing = sorted(n for n in named if not os.path.exists(os.path.join(src, "tools", "corpora", n)))
    check(len(named) >= 5 and not missing, "every tools/corpora file docs/benchmark.md names exists (%d)"
          % len(named), missing)


def cli_readme_integrations(src):
    """README shows the hook and the workflow, with the hook id and the action
    inputs that exist (test_self_contained checks the versions)."""
    import yaml
    with open(os.path.join(src, "README.md"), encoding="utf-8") as fh:
        text = fh.read()
    sec = text[text.index("\n## In CI and pre-commit"):]
    sec = sec[:sec.index("\n## ", 3)]
    with open(os.path.join(src, ".pre-commit-hooks.yaml")) as fh:
        hook_ids = {h["id"] for h in yaml.safe_load(fh)}
    with open(os.path.join(src, "action.yml")) as fh:
        inputs = set(yaml.safe_load(fh)["inputs"])
    hooks, actions = [], []
    for block in re.findall(r"```yaml\n(.*?)```", sec, re.S):
        doc = yaml.safe_load(block)
        if isinstance(doc, dict) and "repos" in doc:
            hooks += [(r.get("rev"), h.get("id")) for r in doc["repos"] for h in r.get("hooks", [])]
        steps = doc.get("steps", []) if isinstance(doc, dict) else []
        actions += [s for s in steps if str(s.get("uses", "")).startswith("leaklint/leaklint@")]
    check(hooks and all(rev and hid in hook_ids for rev, hid in hooks),
          "README shows the pre-commit hook (rev and an id of .pre-commit-hooks.yaml)", hooks)
    check(actions and all(set(a.get("with", {})) <= inputs for a in actions),
          "README shows the workflow step with inputs action.yml has", (actions, inputs))
    check("--new-from-rev" in sec and "new-from-rev" in sec,
          "README shows the diff-only opt-in of the hook and the action")


def cli_show_settings(bin_, tmp):
    with open(os.path.join(tmp, "s.json"), "w") as fh:
        fh.write('{"ignore": ["timer-per-iteration", "unbuffered-recv"], "args": ["-Iinc"], '
                 '"level": {"unbuffered-send": "note"}, "cache": "local"}')
    rc, out, err = run(bin_, ["--config", "s.json", "--show-settings", "--format", "json",
                              "--select", "timer-per-iteration", "--", "-DX"], tmp)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    lists, sets = doc.get("lists", {}), doc.get("settings", {})
    pairs = lambda name: [(e["value"], e["source"]) for e in lists.get(name, [])]
    check(rc == 0 and doc.get("config") == "s.json" and
          pairs("select") == [("timer-per-iteration", "command line")] and
          pairs("ignore") == [("unbuffered-recv", "s.json")] and
          # the config's relative -I resolves against the config's directory
          pairs("args") == [("-I" + os.path.join(os.path.realpath(tmp), "inc"), "s.json"),
                            ("-DX", "command line")] and
          pairs("level") == [("unbuffered-send=note", "s.json")] and
          sets.get("cache") == {"value": False, "source": "command line"} and
          sets.get("allow_parse_errors") == {"value": False, "source": "default"},
          "--show-settings --format json: merged values and where each came from", (rc, out, err))
    rc, out, err = run(bin_, ["--config", "s.json", "--show-settings"], tmp, cache=os.path.join(tmp, "c"))
    check(rc == 0 and "config: s.json" in out and "[command line]" in out and "[s.json]" in out,
          "--show-settings text: one line per value with its source", out)
    with open(os.path.join(tmp, "s.json"), "w") as fh:
        fh.write('{"ignore": [}')
    rc, out, err = run(bin_, ["--config", "s.json", "--show-settings"], tmp)
    check(rc == 2 and "invalid JSON" in err, "--show-settings with a broken config: exit 2", (rc, err))


def cli_cache_gitignore(bin_, ux):
    with tempfile.TemporaryDirectory(prefix="leaklint-cli-git-") as tmp:
        shutil.copy(os.path.join(ux, "timer_loop.c"), tmp)
        with open(os.path.join(tmp, ".leaklint.json"), "w") as fh:
            fh.write('{"cache": "local"}')
        subprocess.run(["git", "init", "-q"], cwd=tmp, check=True)
        env = dict(os.environ, NO_COLOR="1")
        subprocess.run([bin_, "timer_loop.c"], cwd=tmp, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
        st = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=tmp,
                            stdout=subprocess.PIPE, text=True).stdout
        check(os.path.isdir(os.path.join(tmp, ".leaklint-cache")) and ".leaklint-cache" not in st,
              "config cache \"local\": the cache exists and git status does not show it", st)
        own = os.path.join(tmp, "mine")
        os.makedirs(own)
        with open(os.path.join(own, ".gitignore"), "w") as fh:
            fh.write("keep-me\n")
        subprocess.run([bin_, "--cache-dir", own, "timer_loop.c"], cwd=tmp, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with open(os.path.join(own, ".gitignore")) as fh:
            check(fh.read() == "keep-me\n", "a .gitignore already in the cache dir is kept")
        p = subprocess.run([bin_, "--clear-cache"], cwd=tmp, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        rc, err = p.returncode, p.stderr
        check(rc == 0 and os.path.exists(os.path.join(tmp, ".leaklint-cache", ".gitignore")),
              "--clear-cache leaves the cache's .gitignore alone", (rc, err))


def action_find_step(steps, src):
    """An installed leaklint is used as it is; else the build (cached) runs."""
    find = steps.get("find")
    if not check(find is not None, "a step with id 'find' looks for an installed leaklint", steps):
        return
    builders = [s for s in steps.values() if "cmake" in s.get("run", "") or
                s.get("uses", "").startswith("actions/cache") and "build" in str(s.get("with"))]
    check(len(builders) >= 3 and all("steps.find.outputs.bin == ''" in s.get("if", "")
                                      for s in builders),
          "install, build cache and build run only when no leaklint was found", builders)
    results = [s for s in steps.values() if s.get("uses", "").startswith("actions/cache")
               and "~/.cache/leaklint" in str(s.get("with"))]
    check(len(results) == 1 and "restore-keys" in results[0].get("with", {}),
          "leaklint's result cache is cached between runs (restored from earlier commits)", results)
    with tempfile.TemporaryDirectory(prefix="leaklint-action-find-") as tmp:
        script = os.path.join(tmp, "find.sh")
        with open(script, "w") as fh:
            fh.write(find["run"])
        fake = os.path.join(tmp, "bin", "leaklint")
        os.makedirs(os.path.dirname(fake))
        with open(fake, "w") as fh:
            fh.write("#!/bin/sh\necho 'leaklint 9.9.9 (fake)'\n")
        os.chmod(fake, 0o755)
        for name, path_dirs, inp, want_rc, want_bin in (
                ("on PATH", os.path.dirname(fake), "", 0, fake),
                ("given as leaklint-bin", "", fake, 0, fake),
                ("none", "", "", 0, ""),
                ("a leaklint-bin that does not exist", "", os.path.join(tmp, "nope"), 2, None)):
            out_file, env_file = os.path.join(tmp, "out"), os.path.join(tmp, "env")
            open(out_file, "w").close()
            open(env_file, "w").close()
            env = dict(os.environ, GITHUB_OUTPUT=out_file, GITHUB_ENV=env_file, INPUT_BIN=inp,
                       GITHUB_ACTION_PATH=src,
                       PATH=":".join(filter(None, [path_dirs, "/usr/bin", "/bin"])))
            p = subprocess.run(["bash", "-e", script], cwd=tmp, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=60)
            with open(out_file) as fh:
                outs = dict(l.split("=", 1) for l in fh.read().splitlines() if "=" in l)
            with open(env_file) as fh:
                envs = fh.read()
            ok = p.returncode == want_rc
            if want_bin is not None:
                ok = ok and outs.get("bin") == want_bin and re.match(r"^[0-9a-f]{16}$", outs.get("key", ""))
                ok = ok and (("LEAKLINT_BIN=" + want_bin) in envs if want_bin else envs == "")
            check(ok, "find step, leaklint %s: exit %d, bin=%r" % (name, want_rc, want_bin),
                  (p.returncode, outs, envs, p.stdout))


def mode_fix_models_only(bin_, src):
    """The quick part of `fix` (for the sanitizer build): the models example and no-fix runs."""
    mode_fix_models(bin_, src)
    mode_fix_synthetic(bin_, src)


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("suppress", "baseline", "fix", "fix-models",
                                                  "action", "gates", "cli"):
        print(__doc__)
        return 2
    bin_, src, mode = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    {"suppress": mode_suppress, "baseline": mode_baseline, "fix": mode_fix,
     "fix-models": mode_fix_models_only, "action": mode_action, "gates": mode_gates,
     "cli": mode_cli}[mode](bin_, src)
    if FAILS:
        print("\n%d check(s) failed:" % len(FAILS))
        for f in FAILS:
            print("---\n" + f[:3000])
        return 1
    print("all %s checks passed" % mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
