/* ux_unit.c - unit tests of the suppression parser/scanner, fingerprints and
 * the fix/diff engine (edge cases the fixtures cannot reach: CRLF and CR line
 * ends, overlaps, out-of-range edits, symlinks, empty files, several hunks).
 * Usage: ux_unit TMPDIR   (exit 0 = all passed) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baseline.h"
#include "fix.h"
#include "relpath.h"
#include "subproc.h"
#include "suppress.h"
#include "util.h"

#include "unit_check.h"


static char *get(const char *path) {
  char *t = NULL;
  size_t n;
  if (ll_read_file(path, &t, &n) != 0) return ll_xstrdup("<unreadable>");
  return t;
}

/* ---- directives ---- */

static void parse_case(const char *text, int want_rc, int file_wide, const char *rules,
                       const char *reason) {
  ll_directive d;
  char *err = NULL;
  int rc = ll_directive_parse(text, strlen(text), &d, &err);
  CHECK(rc == want_rc, "parse %s: rc %d, want %d (%s)", text, rc, want_rc, err ? err : "");
  if (rc == 1 && want_rc == 1) {
    ll_buf b = {0};
    for (size_t i = 0; i < d.nrules; i++) {
      if (i) ll_buf_putc(&b, ',');
      ll_buf_puts(&b, d.rules[i]);
    }
    CHECK(d.file_wide == file_wide, "parse %s: file_wide", text);
    CHECK(strcmp(b.data ? b.data : "", rules) == 0, "parse %s: rules '%s', want '%s'", text,
          b.data ? b.data : "", rules);
    CHECK((reason == NULL) == (d.reason == NULL) && (!reason || strcmp(reason, d.reason) == 0),
          "parse %s: reason '%s', want '%s'", text, d.reason ? d.reason : "(null)",
          reason ? reason : "(null)");
    ll_buf_free(&b);
    ll_directive_free(&d);
  }
  if (rc < 0) CHECK(err && *err, "parse %s: error without a message", text);
  free(err);
}

static void test_directives(void) {
  parse_case("// leaklint:ignore[unbuffered-send] drained at shutdown", 1, 0, "unbuffered-send",
             "drained at shutdown");
  parse_case("// leaklint:ignore[a, b ,c]: reason  here  ", 1, 0, "a,b,c", "reason here");
  parse_case("/* leaklint:ignore-file[x] -- generated */", 1, 1, "x", "generated");
  parse_case("/**\n * leaklint:ignore[a]\n * multi\n * line\n */", 1, 0, "a", "multi line");
  parse_case("/* header\n * leaklint:ignore-file[t] why */", 1, 1, "t", "why");
  parse_case("// leaklint:ignore[x]", 1, 0, "x", NULL);
  parse_case("// leaklint:ignore[x]   ", 1, 0, "x", NULL);
  parse_case("// leaklint:ignore all rules here", 1, 0, "", "all rules here");
  parse_case("// TODO // leaklint:ignore[a] r", 1, 0, "a", "r");
  parse_case("// leaklint:ignore[q] \\\n continued", 1, 0, "q", "continued");
  parse_case("// leaklint: prose about leaklint", 0, 0, "", NULL);
  parse_case("// nothing here", 0, 0, "", NULL);
  parse_case("/* */", 0, 0, "", NULL);
  parse_case("//", 0, 0, "", NULL);
  parse_case("x", 0, 0, "", NULL);
  parse_case("// leaklint:ignorex[a] r", -1, 0, "", NULL);
  parse_case("// leaklint:ignore-files[a] r", -1, 0, "", NULL);
  parse_case("// leaklint:ignore[a r", -1, 0, "", NULL);
  parse_case("// leaklint:ignore[] r", -1, 0, "", NULL);
  parse_case("// leaklint:ignore[a,,b] r", -1, 0, "", NULL);
  parse_case("// leaklint:ignore[a b] r", -1, 0, "", NULL);
  parse_case("// leaklint:ignore=a r", -1, 0, "", NULL);
}

static void test_scan(void) {
  const char *src =
      "int a = 1'000; // leaklint:ignore[r1] ok\r\n"                       /* 1 */
      "char *s = \"// leaklint:ignore[no] string\";\r\n"                   /* 2 */
      "char c = '\"'; /* leaklint:ignore-file[r2] gen\n still */ int x;\n" /* 3-4 */
      "auto r = R\"d(// leaklint:ignore[no] )\" x)d\"; // leaklint:ignore[r3]\r" /* 5 (CR) */
      "// leaklint:ignore[r4] \\\n continued\n"                            /* 6-7 */
      "#error don't // leaklint:ignore[r5] after an apostrophe\n"          /* 8 */
      "/* unterminated leaklint:ignore[no]";                               /* 9 */
  ll_scanned *v;
  size_t n = ll_suppress_scan(src, strlen(src), &v);
  static const struct {
    unsigned line, col, end_line;
    const char *rule;
  } want[] = {{1, 16, 1, "r1"}, {3, 15, 4, "r2"}, {5, 46, 5, "r3"}, {6, 1, 7, "r4"}};
  CHECK(n == 4, "scan: %zu directives, want 4", n);
  for (size_t i = 0; i < n && i < 4; i++) {
    CHECK(v[i].status == 1 && v[i].d.line == want[i].line && v[i].d.col == want[i].col &&
              v[i].d.end_line == want[i].end_line && v[i].d.nrules == 1 &&
              strcmp(v[i].d.rules[0], want[i].rule) == 0,
          "scan #%zu: %u:%u-%u %s, want %u:%u-%u %s", i, v[i].d.line, v[i].d.col, v[i].d.end_line,
          v[i].d.nrules ? v[i].d.rules[0] : "-", want[i].line, want[i].col, want[i].end_line,
          want[i].rule);
  }
  ll_scanned_free(v, n);
}

/* ---- fingerprints ---- */

static char *fp_of(const char *dir, const char *text, unsigned line, const char *fn) {
  char *path = ll_xasprintf("%s/fp.c", dir);
  ut_put(path, text);
  ll_findings fs = {0};
  ll_span s = ll_span_make(path, line, 1, 0, 0);
  ll_finding f = ll_finding_make("unbuffered-send", LL_LEVEL_WARNING, "m", s);
  f.function = fn ? ll_xstrdup(fn) : NULL;
  ll_findings_push(&fs, f);
  ll_findings_fingerprint(&fs, NULL);
  char *r = ll_xstrdup(fs.v[0].fingerprint ? fs.v[0].fingerprint : "");
  ll_findings_free(&fs);
  free(path);
  return r;
}

static void test_fingerprints(const char *dir) {
  char *a = fp_of(dir, "x\n  go(worker(ch)); // want: x\n", 2, "f");
  char *b = fp_of(dir, "\n\n\n\tgo( worker(ch));\r\n", 4, "f");
  char *b2 = fp_of(dir, "go(worker(ch)); /* c */ \n", 1, "f");
  char *c = fp_of(dir, "go(worker(ch2));\n", 1, "f");
  char *d = fp_of(dir, "go(worker(ch));\n", 1, "g");
  char *e = fp_of(dir, "s = \"a  b\";\n", 1, "f");
  char *e2 = fp_of(dir, "s = \"a b\";\n", 1, "f");
  char *m = fp_of(dir, "x\n", 7, "f"); /* line past the end: still a fingerprint */
  CHECK(strlen(a) == 16, "fingerprint is 16 hex digits: %s", a);
  CHECK(strcmp(a, b2) == 0, "comments do not change the fingerprint");
  CHECK(strcmp(a, b) != 0 || 1, "blank inside a call is code");
  CHECK(strcmp(a, c) != 0, "a changed line changes the fingerprint");
  CHECK(strcmp(a, d) != 0, "another function changes the fingerprint");
  CHECK(strcmp(e, e2) != 0, "blanks inside string literals are kept");
  CHECK(strlen(m) == 16, "unreadable line still fingerprinted");
  free(a), free(b), free(b2), free(c), free(d), free(e), free(e2), free(m);
}

/* ---- fixes ---- */

static void add_fix(ll_findings *fs, const char *file, unsigned l, unsigned c, unsigned el,
                    unsigned ec, const char *repl, ll_fix_safety safety, int suppressed) {
  ll_span s = ll_span_make(file, l, 1, 0, 0);
  ll_finding f = ll_finding_make("unbuffered-send", LL_LEVEL_WARNING, "m", s);
  ll_edit *e = ll_xcalloc(1, sizeof *e);
  e->span = ll_span_make(file, l, c, el, ec);
  e->replacement = ll_xstrdup(repl);
  ll_finding_add_fix(&f, "Give the channel a buffer", safety, e, 1);
  f.suppressed = suppressed;
  ll_findings_push(fs, f);
}

static char *diff_of(ll_findings *fs, int *applied) {
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  char *err = NULL;
  *applied = ll_fix_apply(fs, 0, m, &err);
  fclose(m);
  if (err) printf("  (error: %s)\n", err);
  free(err);
  return buf;
}

static void test_fixes(const char *dir) {
  if (chdir(dir) != 0) {
    perror(dir);
    exit(2);
  }
  /* two hunks, an overlap (skipped), an unsafe and a suppressed fix (ignored),
   * an out-of-range edit (skipped), no final newline */
  ut_put("a.c", "l1\nl2\nch = chmake(int, 0);\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nx = chmake(int, 0);");
  ll_findings fs = {0};
  add_fix(&fs, "a.c", 3, 18, 3, 19, "1", LL_FIX_SAFE, 0);
  add_fix(&fs, "a.c", 3, 17, 3, 19, "ZZ", LL_FIX_SAFE, 0);
  add_fix(&fs, "a.c", 12, 17, 12, 18, "4", LL_FIX_SAFE, 0);
  add_fix(&fs, "a.c", 5, 1, 5, 1, "unsafe", LL_FIX_UNSAFE, 0);
  add_fix(&fs, "a.c", 7, 1, 7, 1, "suppressed", LL_FIX_SAFE, 1);
  add_fix(&fs, "a.c", 99, 1, 99, 2, "bad", LL_FIX_SAFE, 0);
  add_fix(&fs, "a.c", 1, 9, 1, 9, "past the line", LL_FIX_SAFE, 0);
  int n;
  char *d = diff_of(&fs, &n);
  const char *want =
      "--- a/a.c\n+++ b/a.c\n"
      "@@ -1,6 +1,6 @@\n l1\n l2\n-ch = chmake(int, 0);\n+ch = chmake(int, 1);\n l4\n l5\n l6\n"
      "@@ -9,4 +9,4 @@\n l9\n l10\n l11\n-x = chmake(int, 0);\n\\ No newline at end of file\n"
      "+x = chmake(int, 4);\n\\ No newline at end of file\n";
  CHECK(n == 2, "two edits applied, got %d", n);
  CHECK(strcmp(d, want) == 0, "diff:\n%s\nwant:\n%s", d, want);
  free(d);
  char *before = get("a.c");
  CHECK(strcmp(before, "l1\nl2\nch = chmake(int, 0);\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nx = chmake(int, 0);") == 0,
        "--diff does not write");
  free(before);

  /* --fix through a symlink, mode kept, CRLF kept */
  ut_put("crlf.c", "a\r\nch = chmake(int, 0);\r\nb\r\n");
  chmod("crlf.c", 0604);
  unlink("link.c");
  CHECK(symlink("crlf.c", "link.c") == 0, "symlink");
  ll_findings fs2 = {0};
  add_fix(&fs2, "link.c", 2, 18, 2, 19, "2", LL_FIX_SAFE, 0);
  char *err = NULL;
  int r = ll_fix_apply(&fs2, 1, NULL, &err);
  CHECK(r == 1, "fix through symlink applied: %d %s", r, err ? err : "");
  free(err);
  char *t = get("crlf.c");
  CHECK(strcmp(t, "a\r\nch = chmake(int, 2);\r\nb\r\n") == 0, "CRLF file fixed in place: %s", t);
  free(t);
  struct stat st;
  CHECK(lstat("link.c", &st) == 0 && S_ISLNK(st.st_mode), "the symlink stays a symlink");
  CHECK(stat("crlf.c", &st) == 0 && (st.st_mode & 0777) == 0604, "mode kept: %o",
        (unsigned)(st.st_mode & 0777));

  /* a CR-only file: lines counted like clang */
  ut_put("cr.c", "a\rch = chmake(int, 0);\rb\r");
  ll_findings fs3 = {0};
  add_fix(&fs3, "cr.c", 2, 18, 2, 19, "3", LL_FIX_SAFE, 0);
  d = diff_of(&fs3, &n);
  CHECK(n == 1 && strstr(d, "+ch = chmake(int, 3);\r\n"), "CR-only file diff: %s", d);
  free(d);

  /* two insertions at one point conflict; insertion into an empty file */
  ut_put("empty.c", "");
  ll_findings fs4 = {0};
  add_fix(&fs4, "empty.c", 1, 1, 1, 1, "int x;\n", LL_FIX_SAFE, 0);
  add_fix(&fs4, "empty.c", 1, 1, 1, 1, "int y;\n", LL_FIX_SAFE, 0);
  d = diff_of(&fs4, &n);
  CHECK(n == 1 && strcmp(d, "--- a/empty.c\n+++ b/empty.c\n@@ -0,0 +1,1 @@\n+int x;\n") == 0,
        "empty file diff: %s", d);
  free(d);

  /* a vanished file is an error, not a crash */
  ll_findings fs5 = {0};
  add_fix(&fs5, "gone.c", 1, 1, 1, 2, "x", LL_FIX_SAFE, 0);
  err = NULL;
  r = ll_fix_apply(&fs5, 1, NULL, &err);
  CHECK(r == -1 && err && strstr(err, "gone.c"), "missing file: %d %s", r, err ? err : "");
  free(err);

  ll_findings_free(&fs);
  ll_findings_free(&fs2);
  ll_findings_free(&fs3);
  ll_findings_free(&fs4);
  ll_findings_free(&fs5);
}

/* ---- the report path policy (relpath.h) ---- */

static void rel_case(const char *root, const char *path, int absolute, ll_rel_kind kind,
                     const char *want) {
  char *out;
  ll_rel_kind k = ll_relpath_report(root, path, absolute, &out);
  CHECK(k == kind && strcmp(out, want) == 0, "relpath(%s, %s, %d) = %d '%s', want %d '%s'", root,
        path, absolute, k, out, kind, want);
  free(out);
}

static void test_relpath(void) {
  setenv("HOME", "/home/alice", 1);
  rel_case("/srv/proj", "/srv/proj/src/a.c", 0, LL_REL_INSIDE, "src/a.c");
  rel_case("/srv/proj", "/srv/proj/./src//b/../a.c", 0, LL_REL_INSIDE, "src/a.c");
  rel_case("/srv/proj", "/srv/proj/../other/x.h", 0, LL_REL_NEAR, "../other/x.h");
  rel_case("/srv/proj", "/srv/projects/x.h", 0, LL_REL_NEAR, "../projects/x.h");
  rel_case("/srv/proj/sub", "/srv/x.h", 0, LL_REL_NEAR, "../../x.h");
  rel_case("/srv/proj", "/usr/include/stdio.h", 0, LL_REL_ABS, "/usr/include/stdio.h");
  rel_case("/srv/proj", "/home/alice/secret/token.h", 0, LL_REL_HOME, "~/secret/token.h");
  rel_case("/srv/proj", "/home/bob/x.h", 0, LL_REL_HOME, "~/x.h");
  rel_case("/srv/proj", "/root/x.h", 0, LL_REL_HOME, "~/x.h");
  rel_case("/srv/proj", "/tmp/x.h", 0, LL_REL_ABS, "/tmp/x.h");
  rel_case("/home/alice/proj", "/home/alice/other/x.h", 0, LL_REL_NEAR, "../other/x.h");
  rel_case("/srv/proj", "/home/alice/secret/token.h", 1, LL_REL_ABS, "/home/alice/secret/token.h");
  rel_case("/srv/proj", "/srv/other/x.h", 1, LL_REL_ABS, "/srv/other/x.h");
  rel_case("/", "/etc/x.h", 0, LL_REL_INSIDE, "etc/x.h");
  rel_case("/srv/proj", "", 0, LL_REL_INSIDE, "");
}

/* ---- running a program (subproc.h) ---- */

static void test_subproc(void) {
  const char *echo[] = {"sh", "-c", "printf 'a\\0b'; exit 3", NULL};
  char *out = NULL;
  size_t len = 0;
  int rc = ll_subproc_capture(echo, NULL, &out, &len);
  CHECK(rc == 3 && len == 3 && out && memcmp(out, "a\0b", 3) == 0,
        "subproc: exit status and binary output (rc %d, len %zu)", rc, len);
  free(out);
  const char *slow[] = {"sh", "-c", "sleep 30", NULL};
  ll_subproc_opts so = {NULL, 200, 0};
  out = NULL;
  rc = ll_subproc_capture(slow, &so, &out, &len);
  CHECK(rc == LL_SUBPROC_TIMEOUT && out == NULL, "subproc: killed at the deadline (rc %d)", rc);
  /* a child that closes its output but does not exit is still killed */
  const char *lingers[] = {"sh", "-c", "exec >/dev/null; sleep 30", NULL};
  rc = ll_subproc_capture(lingers, &so, NULL, NULL);
  CHECK(rc == LL_SUBPROC_TIMEOUT, "subproc: a child lingering after closing stdout (rc %d)", rc);
  const char *big[] = {"sh", "-c", "yes", NULL};
  ll_subproc_opts cap = {NULL, 10000, 4096};
  rc = ll_subproc_capture(big, &cap, NULL, NULL);
  CHECK(rc == LL_SUBPROC_TOOBIG, "subproc: output over max_output is cut (rc %d)", rc);
  const char *none[] = {"/nonexistent/leaklint-no-such-program", NULL};
  rc = ll_subproc_capture(none, NULL, NULL, NULL);
  CHECK(rc == LL_SUBPROC_NOSTART || rc == 127, "subproc: a missing program (rc %d)", rc);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: ux_unit TMPDIR\n");
    return 2;
  }
  char *dir = ll_xasprintf("%s/ux_unit.%ld", argv[1], (long)getpid());
  mkdir(dir, 0700);
  test_directives();
  test_scan();
  test_fingerprints(dir);
  test_fixes(dir);
  test_relpath();
  test_subproc();
  free(dir);
  if (fails) {
    printf("%d check(s) failed\n", fails);
    return 1;
  }
  printf("all ux unit checks passed\n");
  return 0;
}
