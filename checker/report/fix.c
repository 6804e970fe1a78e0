/* fix.c - --fix / --diff: applies the first safe fix of every unsuppressed
 * finding. A fix is all-or-nothing: when one of its edits is out of range or
 * overlaps an edit already accepted (findings arrive sorted, so the earlier
 * finding wins), the whole fix is skipped. Files are rewritten atomically
 * (temporary file in the same directory, fsync, rename; mode kept; a symlink
 * is followed and its target rewritten). The diff is `diff -u`/git style with
 * 3 lines of context, `--- a/F` / `+++ b/F` headers, ready for `patch -p1`. */
#include "fix.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "util.h"

#define CONTEXT 3

typedef struct pedit {
  size_t s, e;
  const char *repl; /* borrowed from the finding */
} pedit;

typedef struct ffile {
  char *path;   /* display path, as in the findings */
  char *text;   /* NULL: not loaded yet */
  size_t len;
  int unusable; /* binary or unreadable-but-tolerated */
  size_t *ls;   /* line starts; ls[nlines] == len */
  size_t nlines;
  pedit *v;
  size_t n, cap;
} ffile;

typedef struct fixset {
  ffile *f;
  size_t n, cap;
} fixset;

static ffile *get_file(fixset *fs, const char *path) {
  for (size_t i = 0; i < fs->n; i++)
    if (strcmp(fs->f[i].path, path) == 0) return &fs->f[i];
  if (fs->n == fs->cap) {
    fs->cap = fs->cap ? fs->cap * 2 : 8;
    fs->f = ll_xrealloc(fs->f, fs->cap * sizeof *fs->f);
  }
  ffile *f = &fs->f[fs->n++];
  memset(f, 0, sizeof *f);
  f->path = ll_xstrdup(path);
  return f;
}

/* Line ends: LF, CRLF or a lone CR (as clang counts lines). */
static void index_lines(ffile *f) {
  size_t cap = 64, n = 0;
  f->ls = ll_xmalloc(cap * sizeof *f->ls);
  size_t i = 0;
  while (i < f->len) {
    if (n + 2 > cap) {
      cap *= 2;
      f->ls = ll_xrealloc(f->ls, cap * sizeof *f->ls);
    }
    f->ls[n++] = i;
    while (i < f->len && f->text[i] != '\n' && f->text[i] != '\r') i++;
    if (i < f->len) i += (f->text[i] == '\r' && i + 1 < f->len && f->text[i + 1] == '\n') ? 2 : 1;
  }
  f->ls[n] = f->len;
  f->nlines = n;
}

static int load(ffile *f, char **err) {
  if (f->text || f->unusable) return f->unusable ? 1 : 0;
  int rc = ll_read_file(f->path, &f->text, &f->len);
  if (rc < 0) {
    *err = ll_xasprintf("%s: cannot read the file to fix: %s", f->path, strerror(-rc));
    return -1;
  }
  if (memchr(f->text, '\0', f->len)) {
    f->unusable = 1;
    return 1;
  }
  index_lines(f);
  return 0;
}

/* End of line k's content (before its line break). */
static size_t content_end(const ffile *f, size_t k) {
  size_t e = f->ls[k + 1];
  while (e > f->ls[k] && (f->text[e - 1] == '\n' || f->text[e - 1] == '\r')) e--;
  return e;
}

/* 1-based line/col -> offset; col may point just past the line's content. */
static int offset_of(const ffile *f, unsigned line, unsigned col, size_t *off) {
  if (line == 0 || col == 0) return 0;
  if (f->nlines == 0) {
    if (line == 1 && col == 1) {
      *off = 0;
      return 1;
    }
    return 0;
  }
  if (line > f->nlines) {
    /* just past a final line break */
    if (line == f->nlines + 1 && col == 1 && content_end(f, f->nlines - 1) != f->len) {
      *off = f->len;
      return 1;
    }
    return 0;
  }
  size_t b = f->ls[line - 1], e = content_end(f, line - 1);
  if ((size_t)col - 1 > e - b) return 0;
  *off = b + col - 1;
  return 1;
}

static int overlaps(size_t s1, size_t e1, size_t s2, size_t e2) {
  if (s1 == e1 && s2 == e2) return s1 == s2; /* two insertions at one point: order unknown */
  if (s1 == e1) return s2 < s1 && s1 < e2;
  if (s2 == e2) return s1 < s2 && s2 < e1;
  return s1 < e2 && s2 < e1;
}

static int pedit_cmp(const void *a, const void *b) {
  const pedit *x = a, *y = b;
  if (x->s != y->s) return x->s < y->s ? -1 : 1;
  return x->e < y->e ? -1 : x->e > y->e;
}

/* Tries to accept all edits of one fix. Returns 1 accepted, 0 skipped, -1 error. */
static int try_fix(fixset *fs, const ll_fix *x, char **err) {
  pedit *cand = ll_xcalloc(x->nedits + 1, sizeof *cand);
  ffile **files = ll_xcalloc(x->nedits + 1, sizeof *files);
  int result = 0;
  for (size_t i = 0; i < x->nedits; i++) {
    const ll_edit *ed = &x->edits[i];
    if (!ed->span.file || !ed->replacement) goto out;
    ffile *f = get_file(fs, ed->span.file);
    int rc = load(f, err);
    if (rc < 0) {
      result = -1;
      goto out;
    }
    if (rc > 0) goto out;
    size_t s, e;
    if (!offset_of(f, ed->span.line, ed->span.col, &s)) goto out;
    if (ed->span.end_line == 0) e = s;
    else if (!offset_of(f, ed->span.end_line, ed->span.end_col, &e) || e < s) goto out;
    for (size_t k = 0; k < f->n; k++)
      if (overlaps(s, e, f->v[k].s, f->v[k].e)) goto out;
    for (size_t k = 0; k < i; k++)
      if (files[k] == f && overlaps(s, e, cand[k].s, cand[k].e)) goto out;
    cand[i] = (pedit){s, e, ed->replacement};
    files[i] = f;
  }
  for (size_t i = 0; i < x->nedits; i++) {
    ffile *f = files[i];
    if (f->n == f->cap) {
      f->cap = f->cap ? f->cap * 2 : 4;
      f->v = ll_xrealloc(f->v, f->cap * sizeof *f->v);
    }
    f->v[f->n++] = cand[i];
  }
  result = 1;
out:
  free(cand);
  free(files);
  return result;
}

static char *apply_edits(const ffile *f, size_t *outlen) {
  ll_buf b = {0};
  size_t at = 0;
  for (size_t i = 0; i < f->n; i++) {
    ll_buf_append(&b, f->text + at, f->v[i].s - at);
    ll_buf_puts(&b, f->v[i].repl);
    at = f->v[i].e;
  }
  ll_buf_append(&b, f->text + at, f->len - at);
  *outlen = b.len;
  return ll_buf_take(&b);
}

/* ---- unified diff ---- */

typedef struct block {
  size_t a, b;       /* old lines a..b (0-based, inclusive) */
  char *text;        /* their new text */
  size_t tlen;
  size_t nnew;       /* lines in text */
} block;

static size_t line_of(const ffile *f, size_t off) {
  size_t lo = 0, hi = f->nlines; /* ls[lo] <= off */
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (f->ls[mid] <= off) lo = mid;
    else hi = mid;
  }
  return lo;
}

static size_t count_lines(const char *t, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n;) {
    c++;
    while (i < n && t[i] != '\n' && t[i] != '\r') i++;
    if (i < n) i += (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n') ? 2 : 1;
  }
  return c;
}

/* Prints one line with prefix; marks a missing final line break like diff does. */
static void put_line(FILE *out, char prefix, const char *p, size_t n) {
  fputc(prefix, out);
  fwrite(p, 1, n, out);
  if (n == 0 || (p[n - 1] != '\n' && p[n - 1] != '\r')) fputs("\n\\ No newline at end of file\n", out);
  else if (p[n - 1] == '\r') fputc('\n', out); /* lone CR: end the diff line */
}

static void put_text_lines(FILE *out, char prefix, const char *t, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t s = i;
    while (i < n && t[i] != '\n' && t[i] != '\r') i++;
    if (i < n) i += (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n') ? 2 : 1;
    put_line(out, prefix, t + s, i - s);
  }
}

static void print_diff(FILE *out, const ffile *f) {
  block *bl = ll_xcalloc(f->n + 1, sizeof *bl);
  size_t nb = 0;
  for (size_t i = 0; i < f->n;) {
    const pedit *p = &f->v[i];
    size_t a = line_of(f, p->s);
    size_t b = line_of(f, p->e > p->s ? p->e - 1 : p->s);
    size_t j = i + 1;
    while (j < f->n && line_of(f, f->v[j].s) <= b) {
      const pedit *q = &f->v[j];
      size_t qb = line_of(f, q->e > q->s ? q->e - 1 : q->s);
      if (qb > b) b = qb;
      j++;
    }
    ll_buf t = {0};
    size_t at = f->nlines ? f->ls[a] : 0;
    for (size_t k = i; k < j; k++) {
      ll_buf_append(&t, f->text + at, f->v[k].s - at);
      ll_buf_puts(&t, f->v[k].repl);
      at = f->v[k].e;
    }
    size_t stop = f->nlines ? f->ls[b + 1] : 0;
    if (at < stop) ll_buf_append(&t, f->text + at, stop - at);
    bl[nb].a = a;
    bl[nb].b = f->nlines ? b : (size_t)-1; /* empty file: no old line */
    bl[nb].tlen = t.len;
    bl[nb].text = ll_buf_take(&t);
    bl[nb].nnew = count_lines(bl[nb].text, bl[nb].tlen);
    nb++;
    i = j;
  }
  int abs = f->path[0] == '/';
  fprintf(out, "--- %s%s\n+++ %s%s\n", abs ? "" : "a/", f->path, abs ? "" : "b/", f->path);
  long delta = 0;
  for (size_t h = 0; h < nb;) {
    size_t e = h + 1;
    while (e < nb && bl[e].a <= bl[e - 1].b + 1 + 2 * CONTEXT) e++;
    size_t from = bl[h].a > CONTEXT ? bl[h].a - CONTEXT : 0;
    size_t to = f->nlines ? bl[e - 1].b + CONTEXT : 0; /* exclusive bound below */
    if (f->nlines && to > f->nlines - 1) to = f->nlines - 1;
    size_t oldc = f->nlines ? to - from + 1 : 0, newc = oldc;
    for (size_t k = h; k < e; k++) {
      size_t olds = f->nlines ? bl[k].b - bl[k].a + 1 : 0;
      newc = newc - olds + bl[k].nnew;
    }
    size_t ostart = oldc ? from + 1 : from;
    long nstart = (long)from + 1 + delta;
    if (newc == 0) nstart--;
    fprintf(out, "@@ -%zu,%zu +%ld,%zu @@\n", ostart, oldc, nstart, newc);
    size_t k = h;
    for (size_t ln = from; f->nlines && ln <= to;) {
      if (k < e && ln == bl[k].a) {
        for (size_t m = bl[k].a; m <= bl[k].b; m++)
          put_line(out, '-', f->text + f->ls[m], f->ls[m + 1] - f->ls[m]);
        put_text_lines(out, '+', bl[k].text, bl[k].tlen);
        ln = bl[k].b + 1;
        k++;
        continue;
      }
      put_line(out, ' ', f->text + f->ls[ln], f->ls[ln + 1] - f->ls[ln]);
      ln++;
    }
    if (!f->nlines) put_text_lines(out, '+', bl[h].text, bl[h].tlen);
    delta += (long)newc - (long)oldc;
    h = e;
  }
  for (size_t k = 0; k < nb; k++) free(bl[k].text);
  free(bl);
}

/* ---- writing ---- */

/* A fixed file replaces the file the path names (through symbolic links: a
 * linked source is the project's file), keeping its permission bits. */
static int write_in_place(const char *path, const char *data, size_t len, char **err) {
  char *real = realpath(path, NULL);
  if (!real) {
    *err = ll_xasprintf("%s: %s", path, strerror(errno));
    return -1;
  }
  char *e = NULL;
  int rc = ll_atomic_write(real, data, len, &e);
  if (rc != 0) *err = ll_xasprintf("%s: cannot write the fixed file (%s)", path, e);
  free(e);
  free(real);
  return rc;
}

static int ffile_cmp(const void *a, const void *b) {
  return strcmp(((const ffile *)a)->path, ((const ffile *)b)->path);
}

int ll_fix_apply(const ll_findings *findings, int write, FILE *diff_out, char **err) {
  return ll_fix_apply_marked(findings, write, diff_out, NULL, err);
}

int ll_fix_apply_marked(const ll_findings *findings, int write, FILE *diff_out,
                        unsigned char *fixed, char **err) {
  fixset fs = {0};
  int applied = 0, result = 0;
  for (size_t i = 0; i < findings->n; i++) {
    const ll_finding *fd = &findings->v[i];
    if (fd->suppressed) continue;
    for (size_t k = 0; k < fd->nfixes; k++) {
      const ll_fix *x = &fd->fixes[k];
      if (x->safety != LL_FIX_SAFE || x->nedits == 0) continue;
      int rc = try_fix(&fs, x, err);
      if (rc < 0) {
        result = -1;
        goto out;
      }
      if (rc > 0 && fixed) fixed[i] = 1;
      break; /* fixes are alternatives: only the first safe one is tried */
    }
  }
  if (fs.n) qsort(fs.f, fs.n, sizeof *fs.f, ffile_cmp);
  for (size_t i = 0; i < fs.n; i++) {
    ffile *f = &fs.f[i];
    if (f->n == 0) continue;
    qsort(f->v, f->n, sizeof *f->v, pedit_cmp);
    size_t nlen;
    char *ntext = apply_edits(f, &nlen);
    int same = nlen == f->len && memcmp(ntext, f->text, nlen) == 0;
    if (!same) {
      if (diff_out) print_diff(diff_out, f);
      if (write && write_in_place(f->path, ntext, nlen, err) != 0) {
        free(ntext);
        result = -1;
        goto out;
      }
      applied += (int)f->n;
    }
    free(ntext);
  }
  result = applied;
out:
  for (size_t i = 0; i < fs.n; i++) {
    free(fs.f[i].path);
    free(fs.f[i].text);
    free(fs.f[i].ls);
    free(fs.f[i].v);
  }
  free(fs.f);
  return result;
}
