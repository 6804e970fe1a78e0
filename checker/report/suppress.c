/* suppress.c - inline suppressions (see suppress.h).
 *
 *   // leaklint:ignore[RULE,...] REASON       the comment's line(s) and the next line
 *   // leaklint:ignore-file[RULE,...] REASON  the whole file
 *   // leaklint:ignore REASON                 every rule (also -file)
 *
 * The directive opens the comment (after blanks, and after the '*' or '!' of
 * doc comments), opens a line of a block comment, or follows a "//" inside
 * the comment ("// TODO // leaklint:ignore...").
 * A block comment covers its first through last line, plus the line after it.
 * The reason may be introduced by ':' or '--'; it is required. */
#include "suppress.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "registry.h"
#include "util.h"

#define MAX_SCAN_BYTES (64u * 1024u * 1024u)

/* ---- the directive parser ---- */

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
static int is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
static int is_rule_char(char c) { return is_word(c) || c == '.'; }

static int has_prefix(const char *p, const char *end, const char *lit) {
  size_t n = strlen(lit);
  return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* Finds "leaklint:" at the start of the comment body or right after a "//"
 * inside it. */
static const char *find_directive(const char *p, const char *end, int block) {
  while (p < end && (is_blank(*p) || *p == '*' || *p == '!' || *p == '/')) p++;
  if (has_prefix(p, end, "leaklint:")) return p;
  for (const char *q = p; q + 1 < end; q++) {
    if (q[0] == '/' && q[1] == '/') {
      const char *r = q + 2;
      while (r < end && (is_blank(*r) || *r == '/')) r++;
      if (has_prefix(r, end, "leaklint:")) return r;
    } else if (block && (q[0] == '\n' || q[0] == '\r')) {
      /* a block comment line of its own: " * leaklint:..." */
      const char *r = q + 1;
      while (r < end && is_blank(*r)) r++;
      if (r < end && *r == '*') r++;
      while (r < end && (*r == ' ' || *r == '\t')) r++;
      if (has_prefix(r, end, "leaklint:")) return r;
    }
  }
  return NULL;
}

/* Copies [p, end) with blank runs and line splices collapsed to one space,
 * trimmed; in block comments a '*' opening a continuation line is dropped.
 * NULL when empty. */
static char *collapse(const char *p, const char *end, int block) {
  ll_buf b = {0};
  int pending = 0, line_start = 0;
  for (; p < end; p++) {
    if (*p == '\0') continue; /* the reason is a C string */
    if (*p == '\\' && p + 1 < end && (p[1] == '\n' || p[1] == '\r')) continue;
    if (is_blank(*p)) {
      if (*p == '\n' || *p == '\r') line_start = 1;
      pending = b.len > 0;
      continue;
    }
    if (block && line_start && *p == '*') {
      line_start = 0;
      continue;
    }
    line_start = 0;
    if (pending) ll_buf_putc(&b, ' ');
    pending = 0;
    ll_buf_putc(&b, *p);
  }
  return b.len ? ll_buf_take(&b) : NULL;
}

static int malformed(char **err, ll_directive *d, const char *fmt, const char *a, size_t alen) {
  ll_directive_free(d);
  *err = ll_xasprintf(fmt, (int)alen, a);
  return -1;
}

int ll_directive_parse(const char *text, size_t len, ll_directive *d, char **err) {
  memset(d, 0, sizeof *d);
  *err = NULL;
  if (!text || len < 2 || text[0] != '/' || (text[1] != '/' && text[1] != '*')) return 0;
  int block = text[1] == '*';
  const char *p = text + 2, *end = text + len;
  if (block && end - p >= 2 && end[-2] == '*' && end[-1] == '/') end -= 2;
  const char *dir = find_directive(p, end, block);
  if (!dir) return 0;
  const char *q = dir + strlen("leaklint:");
  const char *word = q;
  while (q < end && is_word(*q)) q++;
  size_t wlen = (size_t)(q - word);
  if (wlen == 0) return 0; /* "leaklint: some prose" is not a directive */
  if (wlen == 11 && memcmp(word, "ignore-file", 11) == 0)
    d->file_wide = 1;
  else if (!(wlen == 6 && memcmp(word, "ignore", 6) == 0))
    return malformed(err, d,
                     "unknown directive 'leaklint:%.*s' (expected leaklint:ignore[RULE] REASON or "
                     "leaklint:ignore-file[RULE] REASON)",
                     word, wlen);
  const char *r = q;
  while (r < end && (*r == ' ' || *r == '\t')) r++;
  if (r < end && *r == '[') {
    const char *close = memchr(r, ']', (size_t)(end - r));
    if (!close)
      return malformed(err, d, "missing ']' after 'leaklint:%.*s['", word, wlen);
    const char *s = r + 1;
    for (;;) {
      const char *comma = memchr(s, ',', (size_t)(close - s));
      const char *e = comma ? comma : close;
      const char *a = s, *b = e;
      while (a < b && is_blank(*a)) a++;
      while (b > a && is_blank(b[-1])) b--;
      if (a == b) return malformed(err, d, "empty rule id in 'leaklint:%.*s[...]'", word, wlen);
      for (const char *c = a; c < b; c++)
        if (!is_rule_char(*c))
          return malformed(err, d, "invalid rule id '%.*s' in suppression", a, (size_t)(b - a));
      d->rules = ll_xrealloc(d->rules, (d->nrules + 1) * sizeof *d->rules);
      d->rules[d->nrules++] = ll_xstrndup(a, (size_t)(b - a));
      if (!comma) break;
      s = comma + 1;
    }
    r = close + 1;
  } else if (r < end && r == q && !is_blank(*r)) {
    return malformed(err, d, "expected '[' or a blank after 'leaklint:%.*s'", word, wlen);
  }
  /* reason: optional ':' or '--' separator */
  int newline = 0;
  for (; r < end && is_blank(*r); r++) newline |= *r == '\n' || *r == '\r';
  if (block && newline && r < end && *r == '*') r++;
  if (r < end && *r == ':') r++;
  else if (end - r >= 2 && r[0] == '-' && r[1] == '-') r += 2;
  d->reason = collapse(r, end, block);
  return 1;
}

void ll_directive_free(ll_directive *d) {
  if (!d) return;
  for (size_t i = 0; i < d->nrules; i++) free(d->rules[i]);
  free(d->rules);
  free(d->reason);
  memset(d, 0, sizeof *d);
}

/* ---- the comment scanner ---- */

typedef struct lexer {
  const char *t;
  size_t n, i;
  unsigned line;
  size_t line_start;
} lexer;

/* At a line break: consumes it (CRLF, LF or CR) and returns 1. */
static int eat_newline(lexer *lx) {
  if (lx->i >= lx->n) return 0;
  char c = lx->t[lx->i];
  if (c == '\n' || c == '\r') {
    lx->i += (c == '\r' && lx->i + 1 < lx->n && lx->t[lx->i + 1] == '\n') ? 2 : 1;
    lx->line++;
    lx->line_start = lx->i;
    return 1;
  }
  return 0;
}

/* Backslash followed by a line break (a line splice). */
static int at_splice(const lexer *lx) {
  if (lx->i + 1 >= lx->n || lx->t[lx->i] != '\\') return 0;
  char c = lx->t[lx->i + 1];
  return c == '\n' || c == '\r';
}

static void skip_quoted(lexer *lx, char q) {
  lx->i++; /* opening quote */
  while (lx->i < lx->n) {
    char c = lx->t[lx->i];
    if (c == q) {
      lx->i++;
      return;
    }
    if (c == '\\') {
      if (at_splice(lx)) {
        lx->i++;
        eat_newline(lx);
      } else {
        lx->i += lx->i + 1 < lx->n ? 2 : 1;
      }
      continue;
    }
    if (c == '\n' || c == '\r') return; /* unterminated: ends at the line */
    lx->i++;
  }
}

/* C++ raw string R"delim( ... )delim"; lx->i is at the '"'. */
static void skip_raw(lexer *lx) {
  size_t s = lx->i + 1, k = s;
  while (k < lx->n && k - s <= 16 && lx->t[k] != '(' && lx->t[k] != '"' && !is_blank(lx->t[k])) k++;
  if (k >= lx->n || lx->t[k] != '(' || k - s > 16) {
    skip_quoted(lx, '"');
    return;
  }
  const char *delim = lx->t + s;
  size_t dlen = k - s;
  lx->i = k + 1;
  while (lx->i < lx->n) {
    if (lx->t[lx->i] == ')' && lx->n - lx->i >= dlen + 2 &&
        memcmp(lx->t + lx->i + 1, delim, dlen) == 0 && lx->t[lx->i + 1 + dlen] == '"') {
      lx->i += dlen + 2;
      return;
    }
    if (!eat_newline(lx)) lx->i++;
  }
}

static void found(ll_scanned **out, size_t *n, size_t *cap, const char *text, size_t len,
                  unsigned line, unsigned col, unsigned end_line) {
  ll_directive d;
  char *err = NULL;
  int rc = ll_directive_parse(text, len, &d, &err);
  if (rc == 0) return;
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    *out = ll_xrealloc(*out, *cap * sizeof **out);
  }
  ll_scanned *s = &(*out)[(*n)++];
  memset(s, 0, sizeof *s);
  s->status = rc;
  if (rc == 1) s->d = d;
  s->err = err;
  s->d.line = line;
  s->d.col = col;
  s->d.end_line = end_line;
}

static int ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (unsigned char)c >= 0x80;
}
static int ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

size_t ll_suppress_scan(const char *text, size_t len, ll_scanned **out) {
  lexer lx = {text, len, 0, 1, 0};
  size_t n = 0, cap = 0;
  *out = NULL;
  if (!memmem(text, len, "leaklint", 8)) return 0; /* every directive names leaklint */
  while (lx.i < lx.n) {
    char c = lx.t[lx.i];
    if (eat_newline(&lx)) continue;
    if (c == '/' && lx.i + 1 < lx.n && lx.t[lx.i + 1] == '/') {
      size_t s = lx.i;
      unsigned line = lx.line, col = (unsigned)(s - lx.line_start + 1);
      lx.i += 2;
      while (lx.i < lx.n) {
        if (at_splice(&lx)) {
          lx.i++;
          eat_newline(&lx);
          continue;
        }
        if (lx.t[lx.i] == '\n' || lx.t[lx.i] == '\r') break;
        lx.i++;
      }
      found(out, &n, &cap, lx.t + s, lx.i - s, line, col, lx.line);
      continue;
    }
    if (c == '/' && lx.i + 1 < lx.n && lx.t[lx.i + 1] == '*') {
      size_t s = lx.i;
      unsigned line = lx.line, col = (unsigned)(s - lx.line_start + 1);
      lx.i += 2;
      while (lx.i < lx.n) {
        if (lx.t[lx.i] == '*' && lx.i + 1 < lx.n && lx.t[lx.i + 1] == '/') {
          lx.i += 2;
          break;
        }
        if (!eat_newline(&lx)) lx.i++;
      }
      found(out, &n, &cap, lx.t + s, lx.i - s, line, col, lx.line);
      continue;
    }
    if (c == '"' || c == '\'') {
      skip_quoted(&lx, c);
      continue;
    }
    if (c >= '0' && c <= '9') { /* pp-number, with C++14 digit separators */
      while (lx.i < lx.n) {
        char d = lx.t[lx.i];
        if ((d == '+' || d == '-') && strchr("eEpP", lx.t[lx.i - 1])) lx.i++;
        else if (ident_char(d) || d == '.' ||
                 (d == '\'' && lx.i + 1 < lx.n && ident_char(lx.t[lx.i + 1])))
          lx.i++;
        else
          break;
      }
      continue;
    }
    if (ident_start(c)) {
      size_t s = lx.i;
      while (lx.i < lx.n && ident_char(lx.t[lx.i])) lx.i++;
      size_t w = lx.i - s;
      if (lx.i < lx.n && lx.t[lx.i] == '"' && w <= 3 && lx.t[lx.i - 1] == 'R' &&
          (w == 1 || (w == 2 && strchr("uUL", lx.t[s])) ||
           (w == 3 && lx.t[s] == 'u' && lx.t[s + 1] == '8')))
        skip_raw(&lx);
      continue;
    }
    lx.i++;
  }
  return n;
}

void ll_scanned_free(ll_scanned *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    ll_directive_free(&v[i].d);
    free(v[i].err);
  }
  free(v);
}

/* ---- applying ---- */

typedef struct sfile {
  char *path;        /* display path */
  ll_scanned *dirs;
  size_t ndirs;
  unsigned char **used; /* per directive: per rule (or [0] for "all") */
} sfile;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}
static int cmp_sfile(const void *a, const void *b) {
  return strcmp(((const sfile *)a)->path, ((const sfile *)b)->path);
}

/* Reads a file for scanning: regular, not too big, not binary. 0 on success. */
static int read_source(const char *path, char **text, size_t *len, ll_notifications *notes) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return -1;
  if ((unsigned long long)st.st_size > MAX_SCAN_BYTES) {
    ll_notify(notes, LL_LEVEL_WARNING, path, 0, 0,
              "file is larger than %u MiB; its leaklint:ignore comments were not read",
              MAX_SCAN_BYTES / (1024u * 1024u));
    return -1;
  }
  if (ll_read_file(path, text, len) != 0) return -1;
  size_t head = *len < 8192 ? *len : 8192;
  if (memchr(*text, '\0', head)) {
    free(*text);
    return -1;
  }
  return 0;
}

static const char *kind(const ll_directive *d) {
  return d->file_wide ? "leaklint:ignore-file" : "leaklint:ignore";
}

static void join_rules(ll_buf *b, const ll_directive *d, const unsigned char *mask, int want) {
  int first = 1;
  for (size_t k = 0; k < d->nrules; k++) {
    if (mask && (mask[k] != 0) != want) continue;
    if (!first) ll_buf_putc(b, ',');
    ll_buf_puts(b, d->rules[k]);
    first = 0;
  }
}

/* Does directive d cover rule id? Returns the rule slot (0 for "all"), or -1. */
static int covers(const ll_directive *d, const char *rule) {
  if (d->nrules == 0) return 0;
  for (size_t k = 0; k < d->nrules; k++)
    if (strcmp(d->rules[k], rule) == 0) return (int)k;
  return -1;
}

void ll_suppress_apply(ll_findings *findings, ll_notifications *notes, int report_unused,
                       const char *const *files, size_t nfiles) {
  /* every analysed file, plus every file a finding points into */
  char **paths = ll_xcalloc(nfiles + findings->n + 1, sizeof *paths);
  size_t np = 0;
  for (size_t i = 0; i < nfiles; i++)
    if (files[i]) paths[np++] = ll_path_display(files[i]);
  for (size_t i = 0; i < findings->n; i++)
    if (findings->v[i].loc.file) paths[np++] = ll_xstrdup(findings->v[i].loc.file);
  qsort(paths, np, sizeof *paths, cmp_str);
  sfile *sf = ll_xcalloc(np + 1, sizeof *sf);
  size_t nsf = 0;
  for (size_t i = 0; i < np; i++) {
    if (nsf && strcmp(sf[nsf - 1].path, paths[i]) == 0) {
      free(paths[i]);
      continue;
    }
    sf[nsf++].path = paths[i];
  }
  free(paths);

  for (size_t i = 0; i < nsf; i++) {
    char *text = NULL;
    size_t len = 0;
    if (read_source(sf[i].path, &text, &len, notes) != 0) continue;
    sf[i].ndirs = ll_suppress_scan(text, len, &sf[i].dirs);
    free(text);
    sf[i].used = ll_xcalloc(sf[i].ndirs + 1, sizeof *sf[i].used);
    for (size_t k = 0; k < sf[i].ndirs; k++) {
      ll_scanned *s = &sf[i].dirs[k];
      const ll_directive *d = &s->d;
      if (s->status < 0) {
        ll_notify(notes, LL_LEVEL_WARNING, sf[i].path, d->line, d->col,
                  "malformed suppression: %s", s->err);
        continue;
      }
      sf[i].used[k] = ll_xcalloc(d->nrules + 1, 1);
      for (size_t r = 0; r < d->nrules; r++)
        if (ll_registry_find(d->rules[r]) < 0)
          ll_notify(notes, LL_LEVEL_WARNING, sf[i].path, d->line, d->col,
                    "unknown rule '%s' in %s (see 'leaklint --list-rules')", d->rules[r],
                    kind(d));
      if (!d->reason) {
        ll_buf b = {0};
        if (d->nrules) {
          ll_buf_putc(&b, '[');
          join_rules(&b, d, NULL, 1);
          ll_buf_putc(&b, ']');
        }
        ll_notify(notes, LL_LEVEL_WARNING, sf[i].path, d->line, d->col,
                  "suppression without a reason does not apply: write why after the directive, "
                  "as in // %s%s REASON",
                  kind(d), b.data ? b.data : "");
        ll_buf_free(&b);
      }
    }
  }

  for (size_t i = 0; i < findings->n; i++) {
    ll_finding *f = &findings->v[i];
    if (!f->loc.file || !f->rule) continue;
    sfile key = {f->loc.file, NULL, 0, NULL};
    sfile *s = bsearch(&key, sf, nsf, sizeof *sf, cmp_sfile);
    if (!s) continue;
    /* line directives first (their reason wins), then file-wide ones */
    for (int pass = 0; pass < 2; pass++) {
      for (size_t k = 0; k < s->ndirs; k++) {
        const ll_directive *d = &s->dirs[k].d;
        if (s->dirs[k].status != 1 || !d->reason || d->file_wide != pass) continue;
        if (!pass && !(f->loc.line >= d->line && f->loc.line <= d->end_line + 1)) continue;
        int slot = covers(d, f->rule);
        if (slot < 0) continue;
        s->used[k][slot] = 1;
        if (!f->suppressed) {
          f->suppressed = 1;
          free(f->suppress_reason);
          f->suppress_reason = ll_xstrdup(d->reason);
        }
      }
    }
  }

  for (size_t i = 0; i < nsf; i++) {
    for (size_t k = 0; k < sf[i].ndirs; k++) {
      const ll_directive *d = &sf[i].dirs[k].d;
      const unsigned char *used = sf[i].used[k];
      if (report_unused && sf[i].dirs[k].status == 1 && d->reason) {
        const char *where = d->file_wide ? "in this file" : "on this line or the next";
        if (d->nrules == 0) {
          if (!used[0])
            ll_notify(notes, LL_LEVEL_WARNING, sf[i].path, d->line, d->col,
                      "unused suppression: %s matched no finding %s", kind(d), where);
        } else {
          size_t nunused = 0;
          for (size_t r = 0; r < d->nrules; r++) nunused += !used[r];
          if (nunused) {
            ll_buf b = {0};
            join_rules(&b, d, used, 0);
            ll_notify(notes, LL_LEVEL_WARNING, sf[i].path, d->line, d->col,
                      "unused suppression: %s[%s] matched no finding %s", kind(d), b.data, where);
            ll_buf_free(&b);
          }
        }
      }
      free(sf[i].used[k]);
    }
    free(sf[i].used);
    ll_scanned_free(sf[i].dirs, sf[i].ndirs);
    free(sf[i].path);
  }
  free(sf);
}
