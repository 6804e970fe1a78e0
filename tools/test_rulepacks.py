#!/usr/bin/env python3
"""Rule-pack loader tests, run against the real binary.

usage: test_rulepacks.py BIN SRCDIR [builtin|bad|config|extra|all]

builtin  every built-in pack loads: `BIN --list-rules` exits 0 and prints
         nothing on stderr.
bad      each testdata/rulepacks/bad/*.json (one defect each), alone in a
         temporary directory given to --rules, makes both `--list-rules` and
         a run on a tiny source exit 2 with exactly one stderr line
         "FILE: JSON-POINTER: ..." (or "FILE:LINE:COL: invalid JSON: ...")
         naming the defect.
config   the same through .leaklint.json ("rule_packs", inline "models").
extra    testdata/rulepacks/good/myq.json models an in-house queue; the
         fixture testdata/rulepacks/fixture/myq_worker.c has no finding
         without the pack and exactly its `// want:` findings with it (run
         twice with one cache directory, so a cache key that ignored the
         packs would fail). Exits 77 (CTest SKIP_RETURN_CODE) with a message
         when the wait-without-cancel rule is not registered yet.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77

# file -> (location, fragment): location is a JSON pointer, or "L:C" for a
# syntax error; fragment must appear in the message.
BAD = {
    "bad_arg_type.json": ("/apis/0/timeout_arg", "expected an integer >= -1"),
    "bad_schema_version.json": ("/schema", "unsupported schema version 2"),
    "bracket_no_epilogue.json": ("/apis/0", "missing required key 'epilogue'"),
    "chan_create_no_capacity.json": ("/apis/0", "missing required key 'capacity'"),
    "duplicate_builtin.json": ("/apis/0/name", "duplicate entry: 'pthread_join'"),
    "duplicate_entry.json": ("/apis/1/name/1", "duplicate entry: 'myq_pop'"),
    "duplicate_key.json": ("/apis/0/role", "duplicate key 'role'"),
    "empty.json": ("1:1", "invalid JSON: the file is empty"),
    "entry_not_object.json": ("/apis/0", "expected an object"),
    "forever_without_timeout.json": ("/apis/0/forever", "needs 'timeout_arg'"),
    "fractional_index.json": ("/apis/0/timeout_arg", "expected an integer >= -1"),
    "index_beyond_max_args.json": ("/apis/0", "out of range for max_args 2"),
    "key_wrong_role.json": ("/apis/0/capacity", "does not apply to role 'send'"),
    "library_clash.json": ("/library", "library 'posix' is already loaded"),
    "method_unqualified.json": ("/apis/0/name", "must be qualified with its class"),
    "missing_apis.json": ("/", "missing required key 'apis'"),
    "missing_library.json": ("/", "missing required key 'library'"),
    "missing_name.json": ("/apis/0", "missing required key 'name'"),
    "missing_role.json": ("/apis/0", "missing required key 'role'"),
    "missing_schema.json": ("/", "missing required key 'schema'"),
    "name_wrong_type.json": ("/apis/0/name", "expected a string or an array of strings"),
    "negative_index.json": ("/apis/0/timeout_arg", "expected an integer >= -1"),
    "not_object.json": ("/", "expected an object (a rule pack), got an array"),
    "out_arg_no_index.json": ("/apis/0", "needs 'handle_arg'"),
    "spawn_no_entry.json": ("/apis/0", "missing required key 'entry_arg'"),
    "syntax_error.json": ("4:3", "invalid JSON: unexpected '\"'"),
    "template_args.json": ("/apis/0/name", "write 'std::counting_semaphore::acquire'"),
    "trailing_garbage.json": ("1:50", "invalid JSON: unexpected 'e'"),
    "unknown_flag.json": ("/apis/0/flags/0", "unknown flag 'non_blocking' (did you mean 'nonblocking'?)"),
    "unknown_key.json": ("/apis/0/timout_arg", "unknown key 'timout_arg' in an API entry (did you mean 'timeout_arg'?)"),
    "unknown_role.json": ("/apis/1/role", "unknown role 'sginal' (did you mean 'signal'?)"),
    "unknown_top_key.json": ("/api", "unknown key 'api' in a rule pack (did you mean 'apis'?)"),
}

PREFIX = r"(?:leaklint: (?:error: )?)?"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(bin_, args, cwd):
    env = dict(os.environ)
    env.pop("LEAKLINT_CONFIG", None)
    p = subprocess.run([bin_] + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def expect_error(what, rc, err, file_shown, loc, fragment):
    """rc 2 and one stderr line 'FILE: LOC: ...' / 'FILE:L:C: ...'."""
    lines = [l for l in err.splitlines() if l.strip()]
    if rc != 2:
        fail(f"{what}: exit code {rc}, expected 2 (stderr: {err.strip()!r})")
        return
    if len(lines) != 1:
        fail(f"{what}: expected exactly one stderr line, got {len(lines)}: {err.strip()!r}")
        return
    line = lines[0]
    if re.fullmatch(r"\d+:\d+", loc):
        where = re.escape(file_shown) + ":" + re.escape(loc) + ": "
    else:
        where = re.escape(file_shown) + ": " + re.escape(loc) + ": "
    if not re.match("^" + PREFIX + where + r"\S", line):
        fail(f"{what}: message does not start with '{file_shown}' and location '{loc}': {line!r}")
    elif fragment not in line:
        fail(f"{what}: message lacks {fragment!r}: {line!r}")


def test_builtin(bin_, src):
    with tempfile.TemporaryDirectory() as tmp:
        rc, out, err = run(bin_, ["--list-rules"], tmp)
        if rc != 0 or err.strip():
            fail(f"built-in packs: --list-rules exit {rc}, stderr {err.strip()!r}")
        # every built-in pack on its own, by file, also loads cleanly
        rules = os.path.join(src, "rules")
        packs = sorted(f for f in os.listdir(rules) if f.endswith(".json"))
        if len(packs) < 12:
            fail(f"expected at least 12 built-in packs in {rules}, found {len(packs)}")
        for name in packs:
            data = json.load(open(os.path.join(rules, name)))
            for i, api in enumerate(data.get("apis", [])):
                reported = api.get("role") in ("spawn", "chan_create", "send", "recv", "wait", "timer_create")
                nonblocking = "nonblocking" in api.get("flags", [])
                bounded = "timeout_arg" in api and "forever" not in api
                if reported and not nonblocking and not bounded and not api.get("hint"):
                    fail(f"rules/{name}: /apis/{i}: a '{api['role']}' entry the rules report on has no hint")


def test_bad(bin_, src):
    bad_dir = os.path.join(src, "testdata", "rulepacks", "bad")
    tiny = os.path.join(src, "testdata", "rulepacks", "fixture", "tiny.c")
    present = sorted(f for f in os.listdir(bad_dir) if f.endswith(".json"))
    for f in present:
        if f not in BAD:
            fail(f"testdata/rulepacks/bad/{f} has no expectation in {os.path.basename(__file__)}")
    for f in sorted(BAD):
        if f not in present:
            fail(f"expected testdata/rulepacks/bad/{f} to exist")
            continue
        loc, fragment = BAD[f]
        with tempfile.TemporaryDirectory() as tmp:
            packs = os.path.join(tmp, "packs")
            os.mkdir(packs)
            shutil.copy(os.path.join(bad_dir, f), packs)
            shown = os.path.join(packs, f)
            rc, out, err = run(bin_, ["--rules", packs, "--list-rules"], tmp)
            expect_error(f"{f} (--list-rules)", rc, err, shown, loc, fragment)
            rc, out, err = run(bin_, ["--no-cache", "--rules", packs, tiny], tmp)
            expect_error(f"{f} (run)", rc, err, shown, loc, fragment)
            # a pack file given directly is named as given
            rc, out, err = run(bin_, ["--rules", "packs/" + f, "--list-rules"], tmp)
            expect_error(f"{f} (--rules FILE)", rc, err, "packs/" + f, loc, fragment)


def test_config(bin_, src):
    tiny = os.path.join(src, "testdata", "rulepacks", "fixture", "tiny.c")
    bad_dir = os.path.join(src, "testdata", "rulepacks", "bad")
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "packs"))
        shutil.copy(os.path.join(bad_dir, "unknown_role.json"), os.path.join(tmp, "packs"))
        with open(os.path.join(tmp, ".leaklint.json"), "w") as fh:
            json.dump({"rule_packs": ["packs"]}, fh)
        rc, out, err = run(bin_, ["--no-cache", tiny], tmp)
        lines = [l for l in err.splitlines() if l.strip()]
        if rc != 2 or len(lines) != 1 or not re.search(
                r"packs/unknown_role\.json: /apis/1/role: unknown role 'sginal'", lines[0]):
            fail(f"config rule_packs: exit {rc}, stderr {err.strip()!r}")
    with tempfile.TemporaryDirectory() as tmp:
        model = {"schema": 1, "library": "inline", "apis": [{"name": "myq_pop", "role": "wiat"}]}
        with open(os.path.join(tmp, ".leaklint.json"), "w") as fh:
            json.dump({"models": model}, fh)
        rc, out, err = run(bin_, ["--no-cache", tiny], tmp)
        lines = [l for l in err.splitlines() if l.strip()]
        if rc != 2 or len(lines) != 1 or not re.search(
                r"\.leaklint\.json: /models/apis/0/role: unknown role 'wiat'", lines[0]):
            fail(f"config models: exit {rc}, stderr {err.strip()!r}")
        model["apis"][0]["role"] = "wait"
        with open(os.path.join(tmp, ".leaklint.json"), "w") as fh:
            json.dump({"models": model}, fh)
        rc, out, err = run(bin_, ["--no-cache", tiny], tmp)
        if rc != 0:
            fail(f"config models (valid): exit {rc}, stderr {err.strip()!r}")


def wants(path):
    out = set()
    for n, line in enumerate(open(path), 1):
        m = re.search(r"//\s*want:\s*(.*)$", line)
        if m:
            for rule in m.group(1).split(","):
                out.add((n, rule.strip()))
    return out


def findings(bin_, args, cwd, what):
    rc, out, err = run(bin_, args + ["--format", "json"], cwd)
    if rc not in (0, 1):
        fail(f"{what}: exit code {rc} (stderr: {err.strip()!r})")
        return None
    try:
        doc = json.loads(out)
    except ValueError as e:
        fail(f"{what}: output is not JSON ({e}): {out[:200]!r}")
        return None
    return {(f["line"], f["rule"]) for f in doc.get("findings", [])}


def test_extra(bin_, src):
    rc, out, err = run(bin_, ["--list-rules"], src)
    if "wait-without-cancel" not in out:
        print("SKIP: the wait-without-cancel rule is not registered yet (not in --list-rules); "
              "the in-house pack fixture cannot be checked")
        return SKIP
    good = os.path.join(src, "testdata", "rulepacks", "good")
    fixture = os.path.join(src, "testdata", "rulepacks", "fixture", "myq_worker.c")
    want = wants(fixture)
    if not want:
        fail("myq_worker.c has no // want: marker")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        cache = os.path.join(tmp, "cache")
        # the pack is listed once loaded (when --list-rules lists packs at all)
        rc, out, err = run(bin_, ["--rules", good, "--list-rules"], tmp)
        if rc != 0:
            fail(f"good pack: --list-rules exit {rc}, stderr {err.strip()!r}")
        elif "posix" in out and "myq-test" not in out:
            fail("good pack: --list-rules lists the built-in packs but not 'myq-test'")
        got = findings(bin_, ["--cache-dir", cache, fixture], tmp, "without the pack")
        if got is not None and got & want:
            fail(f"without the pack: unexpected findings {sorted(got & want)}: myq_pop is unknown then")
        got = findings(bin_, ["--cache-dir", cache, "--rules", good, fixture], tmp, "with the pack")
        if got is not None and got != want:
            fail(f"with the pack: findings {sorted(got)}, expected {sorted(want)}")
    return 0


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__)
        return 2
    bin_, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) == 4 else "all"
    skipped = False
    if mode in ("builtin", "all"):
        test_builtin(bin_, src)
    if mode in ("bad", "all"):
        test_bad(bin_, src)
    if mode in ("config", "all"):
        test_config(bin_, src)
    if mode in ("extra", "all"):
        skipped = test_extra(bin_, src) == SKIP
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    if skipped and mode == "extra":
        return SKIP
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
