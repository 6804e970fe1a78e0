#!/usr/bin/env python3
"""tools/gen-docs.py - the man page and shell completions, from `leaklint --help`.

    tools/gen-docs.py LEAKLINT_BIN OUTDIR

Writes OUTDIR/leaklint.1 (man), OUTDIR/leaklint.bash, OUTDIR/_leaklint (zsh) and
OUTDIR/leaklint.fish. The only source is the binary's own `--help` (and
`--list-rules` for the RULES section), so the man page and the completions can
never drift from the options the program accepts. help2man was not used: the
completions need the same parse of the option table anyway, and the page it
writes from this help is no better than the one below.
"""
import os
import re
import subprocess
import sys

# "  -p, --compile-commands DIR|FILE  text" or "      --fix   text"
OPT_RE = re.compile(r"^  (?:(-\w), )?\s*(--[\w-]+)(?: ([A-Z][\w|/,\[\]]*))?\s+(.*)$")
# options whose help text starts with the list of their values: "text (default), json or sarif; ..."
ENUM_OPTS = ("--format", "--color")
CHOICES = {}
FILE_ARGS = {"FILE", "DIR|FILE", "DIR", "OUT"}


class Option:
    def __init__(self, short, long, arg, text):
        self.short, self.long, self.arg, self.text = short, long, arg, [text.strip()]

    def doc(self):
        return " ".join(self.text)


def run(bin_, *args):
    p = subprocess.run([bin_] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("gen-docs: %s %s exited %d: %s" % (bin_, " ".join(args), p.returncode, p.stderr.strip()))
    return p.stdout


def parse_help(text):
    """-> (usage lines, description paragraph, [(section, [Option])], trailer lines)"""
    lines = text.rstrip("\n").split("\n")
    usage, i = [], 0
    while i < len(lines) and lines[i].strip():
        usage.append(re.sub(r"^(usage:)?\s+", "", lines[i]))
        i += 1
    desc = []
    i += 1
    while i < len(lines) and lines[i].strip():
        desc.append(lines[i].strip())
        i += 1
    sections, trailer, cur = [], [], None
    for line in lines[i:]:
        m = OPT_RE.match(line)
        if re.match(r"^[A-Z][\w ]*:$", line):
            cur = (line[:-1], [])
            sections.append(cur)
        elif m:
            opt = Option(*m.groups())
            if cur is None:
                cur = ("General", [])
                sections.append(cur)
            cur[1].append(opt)
        elif line.startswith("      ") and cur and cur[1] and line.strip():
            cur[1][-1].text.append(line.strip())
        elif line.strip() and not line.startswith(" "):
            trailer.append(line.strip())
    if not sections:
        sys.exit("gen-docs: no options found in --help (has its layout changed?)")
    for o in (o for _, opts in sections for o in opts if o.long in ENUM_OPTS):
        head = o.doc().split(";")[0].replace("(default)", " ")
        CHOICES[o.long] = " ".join(w for w in re.split(r"[\s,]+", head) if w and w != "or")
    return usage, " ".join(desc), sections, trailer


def roff(s):
    s = s.replace("\\", "\\\\").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", s)


def man_page(version, usage, desc, sections, trailer, rules):
    out = ['.TH LEAKLINT 1 "" "leaklint %s" "User Commands"' % roff(version),
           ".SH NAME", "leaklint \\- find leak\\-prone concurrency in C and C++", ".SH SYNOPSIS"]
    for u in usage:
        out += [".nf", roff(u), ".fi"]
    out += [".SH DESCRIPTION", roff(desc), ".SH OPTIONS"]
    for name, opts in sections:
        out += [".SS %s" % roff(name)]
        for o in opts:
            flags = ", ".join(roff(f) for f in (o.short, o.long) if f)
            out += [".TP", "\\fB%s\\fR%s" % (flags, " \\fI%s\\fR" % roff(o.arg) if o.arg else ""), roff(o.doc())]
    if rules:
        out += [".SH RULES"]
        for rid, summary in rules:
            out += [".TP", "\\fB%s\\fR" % roff(rid), roff(summary)]
        out += ["", "\\fBleaklint \\-\\-explain\\fR \\fIRULE\\fR prints a rule's documentation."]
    for t in trailer:
        m = re.match(r"^Exit status: (.*)$", t)
        if m:
            out += [".SH EXIT STATUS", roff(m.group(1))]
        else:
            out += [".PP", roff(t)]
    out += [".SH SEE ALSO", "clang(1), clang\\-tidy(1)"]
    return "\n".join(out) + "\n"


def all_opts(sections):
    return [o for _, opts in sections for o in opts]


def bash_completion(sections, rules):
    opts = all_opts(sections)
    words = " ".join(f for o in opts for f in (o.short, o.long) if f)
    cases = []
    for o in opts:
        pat = "|".join(f for f in (o.short, o.long) if f)
        if o.long in CHOICES:
            cases.append('    %s) COMPREPLY=($(compgen -W "%s" -- "$cur")); return ;;' % (pat, CHOICES[o.long]))
        elif o.long in ("--select", "--ignore", "--explain"):
            cases.append('    %s) COMPREPLY=($(compgen -W "%s" -- "$cur")); return ;;' % (pat, " ".join(r for r, _ in rules)))
        elif o.arg in FILE_ARGS or (o.arg or "").startswith(("DIR", "FILE")):
            cases.append('    %s) COMPREPLY=($(compgen -f -- "$cur")); return ;;' % pat)
        elif o.arg:
            cases.append("    %s) return ;;" % pat)
    return """# bash completion for leaklint (generated by tools/gen-docs.py from leaklint --help)
_leaklint() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
%s
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "%s" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _leaklint leaklint
""" % ("\n".join(cases), words)


def zsh_quote(s):
    return s.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def zsh_completion(sections, rules):
    specs = []
    for o in all_opts(sections):
        doc = zsh_quote(o.doc())
        if o.long in CHOICES:
            action = ":%s:(%s)" % (o.arg.lower(), CHOICES[o.long])
        elif o.long in ("--select", "--ignore", "--explain"):
            action = ":rule:(%s)" % " ".join(r for r, _ in rules)
        elif o.arg:
            action = ":%s:_files" % o.arg.lower().replace("|", " or ") if (o.arg in FILE_ARGS or o.arg.startswith(("DIR", "FILE"))) else ":%s: " % o.arg.lower()
        else:
            action = ""
        for f in (o.short, o.long):
            if f:
                specs.append("  '%s[%s]%s'" % (f, doc, action))
    return "#compdef leaklint\n# zsh completion (generated by tools/gen-docs.py from leaklint --help)\n" \
           "_arguments -s \\\n%s \\\n  '*:path:_files'\n" % " \\\n".join(specs)


def fish_completion(sections, rules):
    out = ["# fish completion for leaklint (generated by tools/gen-docs.py from leaklint --help)"]
    for o in all_opts(sections):
        parts = ["complete -c leaklint"]
        if o.short:
            parts.append("-s %s" % o.short[1:])
        parts.append("-l %s" % o.long[2:])
        if o.long in CHOICES:
            parts.append("-x -a '%s'" % CHOICES[o.long])
        elif o.long in ("--select", "--ignore", "--explain"):
            parts.append("-x -a '%s'" % " ".join(r for r, _ in rules))
        elif o.arg and not (o.arg in FILE_ARGS or o.arg.startswith(("DIR", "FILE"))):
            parts.append("-x")
        elif o.arg:
            parts.append("-r -F")
        parts.append("-d '%s'" % o.doc().replace("\\", "\\\\").replace("'", "\\'"))
        out.append(" ".join(parts))
    return "\n".join(out) + "\n"


def list_rules(bin_):
    """(id, summary) for each rule line of --list-rules: 'ID  summary' rows."""
    rules = []
    for line in run(bin_, "--list-rules").split("\n"):
        m = re.match(r"^\s*([a-z][a-z0-9]*(?:-[a-z0-9]+)+)\s{2,}(?:\w+\s{2,})?(.*)$", line)
        if m:
            rules.append((m.group(1), m.group(2).strip()))
    return rules


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: tools/gen-docs.py LEAKLINT_BIN OUTDIR")
    bin_, outdir = sys.argv[1], sys.argv[2]
    version = run(bin_, "--version").split()[1]
    usage, desc, sections, trailer = parse_help(run(bin_, "--help"))
    rules = list_rules(bin_)
    os.makedirs(outdir, exist_ok=True)
    files = {"leaklint.1": man_page(version, usage, desc, sections, trailer, rules),
             "leaklint.bash": bash_completion(sections, rules),
             "_leaklint": zsh_completion(sections, rules),
             "leaklint.fish": fish_completion(sections, rules)}
    for name, text in files.items():
        tmp = os.path.join(outdir, "." + name + ".tmp")
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, os.path.join(outdir, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
