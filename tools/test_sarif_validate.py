#!/usr/bin/env python3
"""Validates leaklint's SARIF output two ways.

usage: test_sarif_validate.py schema|multitool|all BIN SRC BUILD

Logs checked: the golden fixture (testdata/golden/timer_loop.c, run from a
temporary directory), leaklint over the whole testdata/ tree, and
`merge-sarif` of two shards of testdata/unbuffered-recv (a subset, to keep
the test cheap). `all` runs both checks on the same logs.

schema     JSON-Schema validation against the SARIF 2.1.0 schema in
           SRC/../shared/sarif/sarif-schema-2.1.0.json (the draft the schema
           declares; python3-jsonschema).
multitool  Microsoft SARIF Multitool `validate --rule-kind "Sarif;Gh"`,
           installed with npm into BUILD/sarif-tools on first use (then
           cached); the test fails on any error-level validation result.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MULTITOOL_PKG = "@microsoft/sarif-multitool@5.7.0"


def run_leaklint(binary, args, cwd):
    r = subprocess.run([binary, "--no-cache", "--format", "sarif"] + args, cwd=cwd,
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit("FAIL: leaklint %s exited %d\n%s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def produce_logs(binary, src, tmp):
    logs = {}
    work = os.path.join(tmp, "golden")
    os.makedirs(os.path.join(work, "src"))
    shutil.copy(os.path.join(src, "testdata", "golden", "timer_loop.c"),
                os.path.join(work, "src", "timer_loop.c"))
    logs["golden"] = run_leaklint(binary, ["src"], work)
    logs["testdata"] = run_leaklint(binary, ["testdata"], src)
    shards = []
    for k in (1, 2):
        path = os.path.join(tmp, "shard%d.sarif" % k)
        with open(path, "w") as f:
            f.write(run_leaklint(binary, ["--shard", "%d/2" % k, "testdata/unbuffered-recv"], src))
        shards.append(path)
    merged = os.path.join(tmp, "merged.sarif")
    r = subprocess.run([binary, "merge-sarif"] + shards + ["-o", merged], capture_output=True,
                       text=True)
    if r.returncode != 0:
        sys.exit("FAIL: merge-sarif exited %d\n%s" % (r.returncode, r.stderr))
    with open(merged) as f:
        logs["merged"] = f.read()
    paths = {}
    for name, text in logs.items():
        path = os.path.join(tmp, name + ".sarif")
        with open(path, "w") as f:
            f.write(text)
        json.loads(text)  # must at least be JSON
        paths[name] = path
    return paths


def check_schema(src, paths):
    import jsonschema
    schema_path = os.path.join(src, "..", "shared", "sarif", "sarif-schema-2.1.0.json")
    with open(schema_path) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    # (no check_schema: the OASIS schema has an "anyOf" inside "properties" that
    # strict 2020-12 meta-validation rejects; it is harmless for validation)
    validator = cls(schema)
    # self-test: the validator must reject a log whose driver has no name
    if not list(validator.iter_errors({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})):
        sys.exit("FAIL: the schema validator accepts an invalid log")
    failed = 0
    for name, path in sorted(paths.items()):
        with open(path) as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            failed += 1
            print("FAIL %s: %d schema errors" % (name, len(errors)))
            for e in errors[:20]:
                print("  at /%s: %s" % ("/".join(map(str, e.absolute_path)), e.message))
        else:
            print("ok   %s (%s)" % (name, cls.__name__))
    return failed


def multitool(build):
    prefix = os.path.join(build, "sarif-tools")
    exe = os.path.join(prefix, "node_modules", "@microsoft", "sarif-multitool-linux",
                       "Sarif.Multitool")
    if not os.path.exists(exe):
        os.makedirs(prefix, exist_ok=True)
        r = subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund",
                            "--loglevel=error", MULTITOOL_PKG], capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(exe):
            sys.exit("FAIL: cannot install %s with npm:\n%s%s" % (MULTITOOL_PKG, r.stdout, r.stderr))
    if not os.access(exe, os.X_OK):
        os.chmod(exe, 0o755)
    return exe


def check_multitool(build, paths, tmp):
    exe = multitool(build)
    failed = 0
    env = dict(os.environ)
    for name, path in sorted(paths.items()):
        out = os.path.join(tmp, name + ".validation.sarif")
        r = subprocess.run([exe, "validate", path, "--rule-kind", "Sarif;Gh", "-o", out,
                            "--log", "ForceOverwrite"], capture_output=True, text=True, env=env)
        if r.returncode != 0 or not os.path.exists(out):
            print("FAIL %s: Multitool exited %d\n%s%s" % (name, r.returncode, r.stdout, r.stderr))
            failed += 1
            continue
        with open(out) as f:
            val = json.load(f)
        results = [res for run in val.get("runs", []) for res in run.get("results", [])]
        errors = [res for res in results if res.get("level") == "error"]
        warnings = [res for res in results if res.get("level", "warning") == "warning"]
        for res in errors + warnings:
            print("  %s %s: %s" % (res.get("level", "warning"), res.get("ruleId"),
                                   res.get("message", {}).get("text", "")[:300]))
        if errors:
            print("FAIL %s: %d error-level validation results" % (name, len(errors)))
            failed += 1
        else:
            print("ok   %s (Multitool: 0 errors, %d warnings)" % (name, len(warnings)))
    return failed


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("schema", "multitool", "all"):
        sys.exit(__doc__)
    mode, binary, src, build = sys.argv[1], *map(os.path.abspath, sys.argv[2:])
    with tempfile.TemporaryDirectory(prefix="leaklint-sarif-") as tmp:
        paths = produce_logs(binary, src, tmp)
        failed = checked = 0
        if mode in ("schema", "all"):
            failed += check_schema(src, paths)
            checked += len(paths)
        if mode in ("multitool", "all"):
            failed += check_multitool(build, paths, tmp)
            checked += len(paths)
    print("sarif %s: %d ok, %d failed" % (mode, checked - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
