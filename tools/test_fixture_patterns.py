#!/usr/bin/env python3
"""check_fixtures.py's message patterns (`// want: RULE "regex"`), both ways.

    tools/test_fixture_patterns.py BIN SRCDIR

Copies testdata/wait-without-cancel/c11_forever.c to a temporary directory
three times: with its plain `// want:` (passes), with a pattern the message
matches (passes) and with one it does not match (must fail, naming the
pattern). Exit 0 when check_fixtures.py behaves so, 1 otherwise.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def run(src, binary, d):
    p = subprocess.run([sys.executable, os.path.join(src, "tools", "check_fixtures.py"), binary, d],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return p.returncode, p.stdout


def main(argv):
    binary, src = os.path.abspath(argv[0]), os.path.abspath(argv[1])
    with open(os.path.join(src, "testdata", "wait-without-cancel", "c11_forever.c"), encoding="utf-8") as fh:
        text = fh.read()
    if "// want: wait-without-cancel" not in text:
        print("fixture changed: no `// want: wait-without-cancel` in c11_forever.c")
        return 1
    cases = [
        ("plain", text, 0, None),
        ("match", text.replace("// want: wait-without-cancel",
                               '// want: wait-without-cancel "never finishes: it waits in cnd_wait"'), 0, None),
        ("mismatch", text.replace("// want: wait-without-cancel", '// want: wait-without-cancel "sends forever"'),
         1, re.compile(r'wait-without-cancel message does not match "sends forever": task started by')),
    ]
    bad = 0
    tmp = tempfile.mkdtemp(prefix="leaklint-patterns-")
    try:
        for name, body, want_rc, want_out in cases:
            d = os.path.join(tmp, name)
            os.mkdir(d)
            with open(os.path.join(d, "c11_forever.c"), "w", encoding="utf-8") as fh:
                fh.write(body)
            rc, out = run(src, binary, d)
            if rc != want_rc or (want_out and not want_out.search(out)):
                bad += 1
                print("%s: exit %d (want %d)\n%s" % (name, rc, want_rc, out))
            else:
                print("%s: ok" % name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
