#!/usr/bin/env python3
"""Fails when a library API name is quoted in the rule or analysis C code.

    tools/check_api_names.py [SRCDIR]

Library knowledge belongs in the rule packs (rules/*.json, rules/README.md):
a rule or analysis that writes "pthread_cancel" or "std::move" in a string
literal knows a library by name. Every string literal in checker/checks and
checker/analysis (.c and .h) is read (comments and character literals are
skipped); one whose whole text is spelled like an API - a C identifier with
an underscore (pthread_cancel, value_pop, async_) or a qualified name
(std::ref, ::push_back) - is an error. Rule ids (dashes), messages (spaces)
and format strings do not look like that. There is no allow-list: a name a
rule needs must come from a pack. Exit 0 when clean, 1 with one
`FILE:LINE: "NAME"` line per hit.
"""
import os
import re
import sys

API_RE = re.compile(r"^(?:::)?[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_~][A-Za-z0-9_]*)*(?:::)?$")
DIRS = ("checker/checks", "checker/analysis")


def literals(text):
    """(line, content) of every string literal, outside comments and char literals."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += text.count("\n", i, j)
            i = j
        elif c in "\"'":
            j, buf = i + 1, []
            while j < n and text[j] != c:
                if text[j] == "\\" and j + 1 < n:
                    buf.append(text[j:j + 2])
                    j += 2
                    continue
                if text[j] == "\n":
                    break
                buf.append(text[j])
                j += 1
            if c == '"':
                yield line, "".join(buf)
            i = j + 1
        else:
            i += 1


def looks_like_api(s):
    return bool(API_RE.match(s)) and ("_" in s or "::" in s)


def main(argv):
    root = argv[0] if argv else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    hits, files = [], 0
    for d in DIRS:
        base = os.path.join(root, d)
        for name in sorted(os.listdir(base)):
            if not name.endswith((".c", ".h")):
                continue
            files += 1
            path = os.path.join(base, name)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            for line, s in literals(text):
                if looks_like_api(s):
                    hits.append("%s/%s:%d: \"%s\"" % (d, name, line, s))
    if files == 0:
        print("check_api_names: no C files under %s" % ", ".join(DIRS))
        return 1
    for h in hits:
        print(h)
    print("%d file(s), %d quoted API name(s)" % (files, len(hits)))
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
