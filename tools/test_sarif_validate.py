#!/usr/bin/env python3
"""Validates leaklint's SARIF output two ways, with nothing from outside the
repository but what a fresh machine installs (npm).

usage: test_sarif_validate.py schema|multitool|all BIN SRC BUILD
       test_sarif_validate.py install BUILD

Logs checked: the golden fixture (testdata/golden/timer_loop.c, run from a
temporary directory), leaklint over the whole testdata/ tree, a run with a
parse error (toolExecutionNotifications), and `merge-sarif` of two shards of
testdata/unbuffered-recv (a subset, to keep the test cheap). `all` runs both
checks on the same logs.

Both checks come from the Microsoft SARIF Multitool npm package
(@microsoft/sarif-multitool, pinned below), installed with npm into
BUILD/sarif-tools on first use (tools/setup does it too) and then cached:

schema     JSON-Schema validation (python3-jsonschema, the validator class the
           schema declares) against the SARIF 2.1.0 schema the package ships
           (node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json).
multitool  `Sarif.Multitool validate --rule-kind "Sarif;Gh"`; it exits 0 even
           on invalid logs, so the test reads the error-level results of the
           validation log it writes with -o.

Each check first proves it can fail: a schema-invalid log (driver without a
name, a result level outside the enum) must be rejected (negative control).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

MULTITOOL_PKG = "@microsoft/sarif-multitool@5.7.0"

# driver.name is required and "bogus" is not a result level: both are schema
# errors (JSON1002 and JSON1019 in the Multitool's terms)
INVALID_LOG = {
    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
    "version": "2.1.0",
    "runs": [{"tool": {"driver": {"rules": []}},
              "results": [{"ruleId": "x", "level": "bogus", "message": {"text": "x."}}]}],
}


def run_leaklint(binary, args, cwd, codes=(0, 1)):
    r = subprocess.run([binary, "--no-cache", "--format", "sarif"] + args, cwd=cwd,
                       capture_output=True, text=True)
    if r.returncode not in codes:
        sys.exit("FAIL: leaklint %s exited %d\n%s" % (" ".join(args), r.returncode, r.stderr))
    return r.stdout


def produce_logs(binary, src, tmp):
    logs = {}
    work = os.path.join(tmp, "golden")
    os.makedirs(os.path.join(work, "src"))
    shutil.copy(os.path.join(src, "testdata", "golden", "timer_loop.c"),
                os.path.join(work, "src", "timer_loop.c"))
    logs["golden"] = run_leaklint(binary, ["src"], work)
    # a file that includes a missing header next to one that parses: the log
    # carries the error as a toolExecutionNotification with its location (the
    # file calls pthread_create so that the pre-parse filter does not skip it)
    with open(os.path.join(work, "src", "broken.c"), "w") as f:
        f.write('#include "no_such_header.h"\n#include <pthread.h>\n'
                'int broken(void) { pthread_t t; return pthread_create(&t, 0, 0, 0); }\n')
    logs["parse_error"] = run_leaklint(binary, ["--allow-parse-errors", "src"], work)
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
    notes = json.loads(logs["parse_error"])["runs"][0]["invocations"][0]
    if notes.get("executionSuccessful") is not False or not any(
            n.get("level") == "error" and n.get("locations")
            for n in notes.get("toolExecutionNotifications", [])):
        sys.exit("FAIL: the parse error is not a located error notification:\n%s"
                 % json.dumps(notes, indent=2))
    return paths


def package_dir(build):
    return os.path.join(build, "sarif-tools", "node_modules", "@microsoft",
                        "sarif-multitool-linux")


def install(build):
    """npm-installs the Multitool into BUILD/sarif-tools unless it is there."""
    exe = os.path.join(package_dir(build), "Sarif.Multitool")
    if not os.path.exists(exe):
        prefix = os.path.join(build, "sarif-tools")
        os.makedirs(prefix, exist_ok=True)
        if not shutil.which("npm"):
            sys.exit("FAIL: npm not found (tools/setup installs Debian's nodejs and npm)")
        r = subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund",
                            "--loglevel=error", MULTITOOL_PKG], capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(exe):
            sys.exit("FAIL: cannot install %s with npm:\n%s%s" % (MULTITOOL_PKG, r.stdout, r.stderr))
    if not os.access(exe, os.X_OK):
        os.chmod(exe, 0o755)  # npm may skip the package's postinstall chmod
    return exe


def schema_validator(build):
    import jsonschema
    with open(os.path.join(package_dir(build), "sarif-2.1.0.json")) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    # (no check_schema: the schema has an "anyOf" inside "properties" that
    # strict 2020-12 meta-validation rejects; it is harmless for validation)
    return cls(schema)


def check_schema(build, paths):
    validator = schema_validator(build)
    if len(list(validator.iter_errors(INVALID_LOG))) < 2:
        print("FAIL negative control: the schema validator accepts an invalid log")
        return 1
    print("ok   negative control (schema: invalid log rejected)")
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
            print("ok   %s (%s)" % (name, type(validator).__name__))
    return failed


def multitool_errors(exe, path, tmp):
    """Error-level results of `validate`, or None when the tool did not run."""
    out = path + ".validation.sarif"
    r = subprocess.run([exe, "validate", path, "--rule-kind", "Sarif;Gh", "-o", out,
                        "--log", "ForceOverwrite"], capture_output=True, text=True, cwd=tmp)
    if r.returncode != 0 or not os.path.exists(out):
        print("  Multitool exited %d\n%s%s" % (r.returncode, r.stdout, r.stderr))
        return None, []
    with open(out) as f:
        val = json.load(f)
    results = [res for run in val.get("runs", []) for res in run.get("results", [])]
    errors = [res for res in results if res.get("level") == "error"]
    warnings = [res for res in results if res.get("level", "warning") == "warning"]
    return errors, warnings


def check_multitool(build, paths, tmp):
    exe = install(build)
    neg = os.path.join(tmp, "invalid.sarif")
    with open(neg, "w") as f:
        json.dump(INVALID_LOG, f)
    errors, _ = multitool_errors(exe, neg, tmp)
    ids = sorted({e.get("ruleId") for e in errors or []})
    if not errors or "JSON1002" not in ids:
        print("FAIL negative control: the Multitool does not reject a schema-invalid log "
              "(error rules: %s)" % ids)
        return 1
    print("ok   negative control (Multitool: %s)" % ", ".join(ids))
    failed = 0
    for name, path in sorted(paths.items()):
        errors, warnings = multitool_errors(exe, path, tmp)
        if errors is None:
            print("FAIL %s: the Multitool did not run" % name)
            failed += 1
            continue
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
    if len(sys.argv) == 3 and sys.argv[1] == "install":
        print(install(os.path.abspath(sys.argv[2])))
        return 0
    if len(sys.argv) != 5 or sys.argv[1] not in ("schema", "multitool", "all"):
        sys.exit(__doc__)
    mode, binary, src, build = sys.argv[1], *map(os.path.abspath, sys.argv[2:])
    with tempfile.TemporaryDirectory(prefix="leaklint-sarif-") as tmp:
        install(build)  # the schema comes from the same package
        paths = produce_logs(binary, src, tmp)
        failed = checked = 0
        if mode in ("schema", "all"):
            failed += check_schema(build, paths)
            checked += len(paths)
        if mode in ("multitool", "all"):
            failed += check_multitool(build, paths, tmp)
            checked += len(paths)
    print("sarif %s: %d ok, %d failed" % (mode, checked - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
