#!/usr/bin/env python3
"""The rules in README.md's table, rules/docs/ and testdata/ are the rules the binary has.

    tools/check_rule_table.py BIN SRCDIR

Compares the rule ids that `BIN --list-rules` prints (the registry, which
the build generates from checker/checks/*.c) with the first column of the
table under README.md's "## What it finds", and checks that every rule has
rules/docs/ID.md and a fixture directory testdata/ID/. Prints each mismatch;
exit 0 when all agree, 1 otherwise, 2 when the binary fails.
"""
import os
import re
import subprocess
import sys


def listed(binary):
    proc = subprocess.run([binary, "--list-rules"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode != 0:
        sys.stderr.write("check_rule_table: %s --list-rules exited %d\n%s" % (binary, proc.returncode, proc.stderr))
        return None
    ids = []
    for line in proc.stdout.splitlines():
        if not line.strip():
            break  # the rule packs follow
        ids.append(line.split()[0])
    return ids


def readme_table(path):
    ids, in_section = [], False
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("## "):
                in_section = line.strip() == "## What it finds"
                continue
            m = re.match(r"^\|\s*`([a-z0-9-]+)`\s*\|", line)
            if in_section and m:
                ids.append(m.group(1))
    return ids


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    binary, src = argv
    rules = listed(binary)
    if rules is None:
        return 2
    table = readme_table(os.path.join(src, "README.md"))
    bad = []
    for r in sorted(set(rules) - set(table)):
        bad.append("README.md: rule %s is missing from the table under '## What it finds'" % r)
    for r in sorted(set(table) - set(rules)):
        bad.append("README.md: the table lists %s, which leaklint does not have" % r)
    for r in rules:
        if not os.path.isfile(os.path.join(src, "rules", "docs", r + ".md")):
            bad.append("rules/docs/%s.md: missing" % r)
        if not os.path.isdir(os.path.join(src, "testdata", r)):
            bad.append("testdata/%s/: missing (the rule's fixtures)" % r)
    for b in bad:
        print(b)
    print("%d rule(s), %d mismatch(es)" % (len(rules), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
