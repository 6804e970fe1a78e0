/* newfromrev.c - report only findings on lines changed since a revision
 * (newfromrev.h). */
#include "newfromrev.h"

#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "relpath.h"
#include "util.h"

typedef struct range {
  unsigned lo, hi; /* changed new-side lines lo..hi; hi == 0: the whole file */
} range;

typedef struct changed_file {
  char *path; /* relative to the git top level */
  LL_VEC(range) ranges;
} changed_file;

typedef LL_VEC(changed_file) change_set;

static changed_file *file_of(change_set *cs, const char *path) {
  for (size_t i = 0; i < cs->n; i++)
    if (strcmp(cs->v[i].path, path) == 0) return &cs->v[i];
  changed_file f = {ll_xstrdup(path), {0}};
  LL_VEC_PUSH(cs, f);
  return &cs->v[cs->n - 1];
}

static void change_set_free(change_set *cs) {
  for (size_t i = 0; i < cs->n; i++) {
    free(cs->v[i].path);
    free(cs->v[i].ranges.v);
  }
  free(cs->v);
}

/* The path of a "+++ b/PATH" line: git C-quotes a path with unusual bytes
 * ("b/a\tb.c" in double quotes). Caller frees; NULL for /dev/null. */
static char *diff_path(const char *s, size_t n) {
  ll_buf b = {0};
  if (n && s[0] == '"') {
    for (size_t i = 1; i < n && s[i] != '"'; i++) {
      char c = s[i];
      if (c == '\\' && i + 1 < n) {
        c = s[++i];
        if (c >= '0' && c <= '7' && i + 2 < n) {
          c = (char)(((s[i] - '0') << 6) | ((s[i + 1] - '0') << 3) | (s[i + 2] - '0'));
          i += 2;
        } else {
          c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
        }
      }
      ll_buf_putc(&b, c);
    }
  } else {
    ll_buf_append(&b, s, n);
  }
  char *p = b.data ? ll_buf_take(&b) : ll_xstrdup("");
  if (strncmp(p, "b/", 2) != 0) {
    free(p);
    return NULL;
  }
  char *r = ll_xstrdup(p + 2);
  free(p);
  return r;
}

/* "@@ -a[,b] +c[,d] @@": the new-side lines c..c+d-1, or the lines around a
 * pure deletion (d == 0: the deletion sits after line c). */
static void add_hunk(changed_file *f, const char *line) {
  const char *plus = strstr(line, " +");
  if (!f || !plus) return;
  char *end;
  unsigned long c = strtoul(plus + 2, &end, 10), d = 1;
  if (*end == ',') d = strtoul(end + 1, NULL, 10);
  range r = d ? (range){(unsigned)c, (unsigned)(c + d - 1)}
              : (range){(unsigned)(c ? c : 1), (unsigned)c + 1};
  LL_VEC_PUSH(&f->ranges, r);
}

static void parse_diff(change_set *cs, const char *out, size_t len) {
  changed_file *cur = NULL;
  for (const char *p = out; p < out + len;) {
    const char *nl = memchr(p, '\n', (size_t)(out + len - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(out + len - p);
    if (n > 4 && strncmp(p, "+++ ", 4) == 0) {
      char *path = diff_path(p + 4, n - 4);
      cur = path ? file_of(cs, path) : NULL;
      free(path);
    } else if (n > 3 && strncmp(p, "@@ ", 3) == 0) {
      char *line = ll_xstrndup(p, n);
      add_hunk(cur, line);
      free(line);
    }
    p += n + 1;
  }
}

/* Untracked (and not ignored) files are new: every line counts. */
static void add_untracked(change_set *cs, const char *out, size_t len) {
  for (size_t i = 0; i < len;) {
    size_t n = strnlen(out + i, len - i);
    if (n) {
      changed_file *f = file_of(cs, out + i);
      range all = {1, 0};
      LL_VEC_PUSH(&f->ranges, all);
    }
    i += n + 1;
  }
}

static int git_out(const char *dir, char *const args[], char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  return ll_discover_git(dir, args, out, len);
}

/* Fills cs from git, run in root. 0, or -1 with *err. *top = the top level. */
static int collect(const char *root, const char *rev, change_set *cs, char **top, char **err) {
  char *out;
  size_t len;
  char *const top_args[] = {"rev-parse", "--show-toplevel", NULL};
  if (git_out(root, top_args, &out, &len) != 0) {
    free(out);
    *err = ll_xasprintf("--new-from-rev: %s is not inside a git work tree (or git did not answer)",
                        root);
    return -1;
  }
  while (len && (out[len - 1] == '\n' || out[len - 1] == '\r')) out[--len] = '\0';
  *top = out;
  char *spec = ll_xasprintf("%s^{commit}", rev);
  char *const verify[] = {"rev-parse", "--verify", "--quiet", "--end-of-options", spec, NULL};
  int rc = git_out(*top, verify, &out, &len);
  free(spec);
  free(out);
  if (rc != 0) {
    *err = ll_xasprintf("--new-from-rev: '%s' is not a commit of the repository at %s", rev, *top);
    return -1;
  }
  /* the work tree against rev; no external diff or textconv driver runs, no
     rename pairing (a renamed file counts as new), fixed prefixes */
  char *const diff[] = {"diff", "--no-ext-diff", "--no-textconv", "--no-color", "--no-renames",
                        "-U0", "--src-prefix=a/", "--dst-prefix=b/", (char *)rev, "--", NULL};
  if (git_out(*top, diff, &out, &len) != 0) {
    free(out);
    *err = ll_xasprintf("--new-from-rev: git diff %s failed", rev);
    return -1;
  }
  parse_diff(cs, out, len);
  free(out);
  char *const others[] = {"ls-files", "--others", "--exclude-standard", "-z", NULL};
  if (git_out(*top, others, &out, &len) == 0) add_untracked(cs, out, len);
  free(out);
  return 0;
}

static int changed(const change_set *cs, const char *top, const ll_span *s) {
  if (!s->file || !s->line) return 0;
  char *rel;
  int hit = 0;
  if (ll_relpath_report(top, s->file, 1, &rel) == LL_REL_INSIDE) {
    for (size_t i = 0; i < cs->n && !hit; i++) {
      if (strcmp(cs->v[i].path, rel) != 0) continue;
      for (size_t k = 0; k < cs->v[i].ranges.n && !hit; k++) {
        range r = cs->v[i].ranges.v[k];
        hit = r.hi == 0 || (s->line >= r.lo && s->line <= r.hi);
      }
    }
  }
  free(rel);
  return hit;
}

int ll_newfromrev_filter(const char *root, const char *rev, ll_findings *findings, char **err) {
  change_set cs = {0};
  char *top = NULL;
  if (collect(root, rev, &cs, &top, err) < 0) {
    change_set_free(&cs);
    free(top);
    return -1;
  }
  size_t w = 0;
  int dropped = 0;
  for (size_t i = 0; i < findings->n; i++) {
    ll_finding *f = &findings->v[i];
    int keep = f->suppressed || changed(&cs, top, &f->loc);
    for (size_t k = 0; k < f->nrelated && !keep; k++) keep = changed(&cs, top, &f->related[k].span);
    if (keep) {
      findings->v[w++] = *f;
    } else {
      ll_finding_free(f);
      dropped++;
    }
  }
  findings->n = w;
  change_set_free(&cs);
  free(top);
  return dropped;
}
