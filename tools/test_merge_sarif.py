#!/usr/bin/env python3
"""Tests `leaklint merge-sarif`.

usage: test_merge_sarif.py BIN SRC

- two shards of testdata/timer-per-iteration + testdata/unbuffered-recv
  (--shard 1/2, 2/2; a subset of testdata/ to keep the test cheap) merge into one log with one run
  whose results equal those of the unsharded run, whatever the input order;
- merging a log with itself de-duplicates;
- hand-made shards (testdata/merge/) merge as documented: rules appended,
  ruleIndex recomputed, executionSuccessful = all, notifications united;
- an unreadable, truncated or foreign input exits 2 with a message naming the
  file, leaves no output file (nor a temporary one) and keeps an existing
  output file untouched.
"""
import json
import os
import subprocess
import sys
import tempfile

failures = 0
checks = 0


def check(cond, what, detail=""):
    global failures, checks
    checks += 1
    if cond:
        print("ok   " + what)
    else:
        failures += 1
        print("FAIL " + what + ("\n" + detail if detail else ""))


def run(cmd, cwd=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)


def key(res):
    loc = res["locations"][0]["physicalLocation"]
    reg = loc.get("region", {})
    return (res["ruleId"], loc["artifactLocation"]["uri"], reg.get("startLine"),
            reg.get("startColumn"), res["message"]["text"],
            json.dumps(res.get("suppressions")))


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, src = map(os.path.abspath, sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="leaklint-merge-") as tmp:
        def p(name):
            return os.path.join(tmp, name)

        # ---- real shards of a part of testdata/
        dirs = ["testdata/timer-per-iteration", "testdata/unbuffered-recv"]
        full = run([binary, "--no-cache", "--format", "sarif", "-o", p("full.sarif")] + dirs, src)
        check(full.returncode in (0, 1), "unsharded run", full.stderr)
        for k in (1, 2):
            r = run([binary, "--no-cache", "--format", "sarif", "--shard", "%d/2" % k,
                     "-o", p("s%d.sarif" % k)] + dirs, src)
            check(r.returncode in (0, 1), "shard %d/2" % k, r.stderr)
        r = run([binary, "merge-sarif", p("s1.sarif"), p("s2.sarif"), "-o", p("m12.sarif")])
        check(r.returncode == 0, "merge-sarif s1 s2 exits 0", r.stderr)
        r = run([binary, "merge-sarif", p("s2.sarif"), p("s1.sarif"), "-o", p("m21.sarif")])
        check(r.returncode == 0, "merge-sarif s2 s1 exits 0", r.stderr)
        m12, full_doc = load(p("m12.sarif")), load(p("full.sarif"))
        with open(p("m12.sarif")) as a, open(p("m21.sarif")) as b:
            check(a.read() == b.read(), "merged log does not depend on the input order")
        check(len(m12["runs"]) == 1, "merged log has one run")
        run0, full0 = m12["runs"][0], full_doc["runs"][0]
        got = sorted(key(x) for x in run0["results"])
        want = sorted(key(x) for x in full0["results"])
        check(got == want, "merged results equal the unsharded results (%d)" % len(want),
              "got %d, want %d" % (len(got), len(want)))
        check([x["id"] for x in run0["tool"]["driver"]["rules"]] ==
              [x["id"] for x in full0["tool"]["driver"]["rules"]], "rules come from the first input")
        check(all(run0["tool"]["driver"]["rules"][x["ruleIndex"]]["id"] == x["ruleId"]
                  for x in run0["results"]), "ruleIndex agrees with ruleId")
        check(run0["invocations"][0]["executionSuccessful"] ==
              full0["invocations"][0]["executionSuccessful"], "executionSuccessful as unsharded")

        r = run([binary, "merge-sarif", p("s1.sarif"), p("s1.sarif")])
        check(r.returncode == 0, "merge-sarif to stdout", r.stderr)
        if r.returncode == 0:
            self_merge = json.loads(r.stdout)["runs"][0]["results"]
            s1 = load(p("s1.sarif"))["runs"][0]["results"]
            check(len(self_merge) == len(s1), "a log merged with itself is de-duplicated",
                  "%d results, %d expected" % (len(self_merge), len(s1)))

        # ---- hand-made shards
        a = os.path.join(src, "testdata", "merge", "shard_a.sarif")
        b = os.path.join(src, "testdata", "merge", "shard_b.sarif")
        r = run([binary, "merge-sarif", a, b, "-o", p("ab.sarif")])
        check(r.returncode == 0, "merge-sarif of the hand-made shards", r.stderr)
        if r.returncode == 0:
            ab = load(p("ab.sarif"))["runs"][0]
            ids = [x["id"] for x in ab["tool"]["driver"]["rules"]]
            check(ids == ["timer-per-iteration", "unbuffered-send", "wait-without-cancel"],
                  "a rule only the second shard knows is appended", repr(ids))
            res = [(x["ruleId"], x["ruleIndex"], x["locations"][0]["physicalLocation"]
                    ["artifactLocation"]["uri"]) for x in ab["results"]]
            check(res == [("timer-per-iteration", 0, "src/a.c"),
                          ("unbuffered-send", 1, "src/a.c"),
                          ("wait-without-cancel", 2, "src/b.c")],
                  "results united, duplicate dropped, sorted, ruleIndex recomputed", repr(res))
            inv = ab["invocations"]
            notes = [n["message"]["text"] for n in inv[0]["toolExecutionNotifications"]]
            check(len(inv) == 1 and inv[0]["executionSuccessful"] is False,
                  "executionSuccessful is false when one shard failed")
            check(sorted(notes) == ["cannot parse src/c.c.", "no compile_commands.json found."],
                  "notifications united without duplicates", repr(notes))
            check(ab["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///work/repo/"}},
                  "originalUriBaseIds from the first input")

        # ---- failures: exit 2, a message, no partial output
        with open(p("truncated.sarif"), "w") as f:
            f.write('{"version": "2.1.0", "runs": [')
        with open(p("foreign.sarif"), "w") as f:
            json.dump({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "cppcheck"}}}]}, f)
        with open(p("old.sarif"), "w") as f:
            json.dump({"version": "2.0.0", "runs": []}, f)
        for bad, needle in (("truncated.sarif", "not valid JSON"),
                            ("foreign.sarif", "not leaklint"),
                            ("old.sarif", "2.0.0"),
                            ("missing.sarif", "cannot read")):
            out = p("out-" + bad)
            r = run([binary, "merge-sarif", p("s1.sarif"), p(bad), "-o", out])
            check(r.returncode == 2, "%s: exit code 2" % bad, "got %d" % r.returncode)
            check(bad in r.stderr and needle in r.stderr, "%s: message names the file and the problem"
                  % bad, r.stderr)
            check(not os.path.exists(out), "%s: no output file" % bad)
        with open(p("keep.sarif"), "w") as f:
            f.write("previous contents\n")
        r = run([binary, "merge-sarif", p("s1.sarif"), p("truncated.sarif"), "-o", p("keep.sarif")])
        with open(p("keep.sarif")) as f:
            check(r.returncode == 2 and f.read() == "previous contents\n",
                  "a failed merge keeps an existing output file")
        leftovers = [n for n in os.listdir(tmp) if ".tmp" in n]
        check(not leftovers, "no temporary files left behind", repr(leftovers))
        r = run([binary, "merge-sarif", p("s1.sarif"), "-o", os.path.join(tmp, "no", "such", "dir.sarif")])
        check(r.returncode == 2 and "dir.sarif" in r.stderr, "unwritable output: exit 2", r.stderr)

    print("merge-sarif: %d ok, %d failed" % (checks - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
