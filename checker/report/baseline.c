/* baseline.c - finding fingerprints and the --baseline / --write-baseline file.
 *
 * fingerprint = 16 hex digits of FNV-1a over
 *   rule \0 file \0 enclosing function \0 primary line
 * where file is relative to the project root (relpath.h), so a run from a
 * sub-directory or another checkout gives the same fingerprints, and
 * where the primary line has its comments removed and its blank runs
 * collapsed, so the fingerprint survives line shifts, re-indentation and
 * comment edits, but not a change to the code of the line itself.
 *
 * File format (written sorted, one finding per line, for reviewable diffs):
 *   {"version": 1, "findings": [{"rule": .., "file": .., "function": .., "fingerprint": ..}]}
 * Matching is a multiset on (rule, file, fingerprint): two identical findings
 * in the baseline absorb at most two current ones. */
#include "baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "readfile.h"
#include "relpath.h"
#include "util.h"

#define MAX_SOURCE_BYTES (64u * 1024u * 1024u)

/* ---- fingerprints ---- */

typedef struct src_cache {
  char *path;
  char *text; /* NULL when unreadable */
  size_t len;
  size_t *starts; /* offset of each line's first byte, built once per file: */
  size_t nlines;  /* looking a line up must not rescan the file per finding */
} src_cache;

/* Line starts with the ends find_line used to accept: LF, CRLF or CR. */
static void index_lines(src_cache *c) {
  size_t cap = 64;
  c->starts = ll_xmalloc(cap * sizeof *c->starts);
  c->nlines = 0;
  c->starts[c->nlines++] = 0;
  for (size_t i = 0; i < c->len; i++) {
    if (c->text[i] != '\n' && c->text[i] != '\r') continue;
    if (c->text[i] == '\r' && i + 1 < c->len && c->text[i + 1] == '\n') i++;
    if (c->nlines == cap) c->starts = ll_xrealloc(c->starts, (cap *= 2) * sizeof *c->starts);
    c->starts[c->nlines++] = i + 1;
  }
}

static void cache_load(src_cache *c, const char *path) {
  if (c->path && strcmp(c->path, path) == 0) return;
  free(c->path);
  free(c->text);
  free(c->starts);
  c->path = ll_xstrdup(path);
  c->text = NULL;
  c->len = 0;
  c->starts = NULL;
  c->nlines = 0;
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
      (unsigned long long)st.st_size > MAX_SOURCE_BYTES)
    return;
  if (ll_read_file(path, &c->text, &c->len) != 0) c->text = NULL;
  if (c->text) index_lines(c);
}

/* Finds line `line` (1-based; CRLF, LF or CR ends); sets the begin and end offsets. */
static int find_line(const src_cache *c, unsigned line, size_t *b, size_t *e) {
  if (line == 0 || line > c->nlines) return 0;
  size_t i = c->starts[line - 1], j = i;
  while (j < c->len && c->text[j] != '\n' && c->text[j] != '\r') j++;
  *b = i;
  *e = j;
  return 1;
}

/* The line without comments, blank runs collapsed, trimmed. Strings and
 * character literals are kept verbatim. A block comment left open at the end
 * of the line is cut; one closed on the line from an earlier line is not
 * recognised (the line's text is then used as is, which is still stable). */
static char *normalise(const char *p, const char *end) {
  ll_buf b = {0};
  int pending = 0;
  char quote = 0;
  while (p < end) {
    char c = *p;
    if (!quote) {
      if (c == '/' && p + 1 < end && p[1] == '/') break;
      if (c == '/' && p + 1 < end && p[1] == '*') {
        const char *q = p + 2;
        while (q + 1 < end && !(q[0] == '*' && q[1] == '/')) q++;
        if (q + 1 >= end) break;
        p = q + 2;
        pending = b.len > 0;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
        pending = b.len > 0;
        p++;
        continue;
      }
      if (c == '"' || c == '\'') quote = c;
    } else if (c == '\\' && p + 1 < end) {
      if (pending) ll_buf_putc(&b, ' ');
      pending = 0;
      ll_buf_append(&b, p, 2);
      p += 2;
      continue;
    } else if (c == quote) {
      quote = 0;
    }
    if (pending) ll_buf_putc(&b, ' ');
    pending = 0;
    ll_buf_putc(&b, c);
    p++;
  }
  return ll_buf_take(&b);
}

void ll_findings_fingerprint(ll_findings *findings, const char *root) {
  src_cache c = {0};
  for (size_t i = 0; i < findings->n; i++) {
    ll_finding *f = &findings->v[i];
    char *norm = NULL;
    if (f->loc.file) {
      cache_load(&c, f->loc.file);
      size_t b, e;
      if (c.text && f->loc.line && find_line(&c, f->loc.line, &b, &e))
        norm = normalise(c.text + b, c.text + e);
    }
    /* the root-relative path: the same from any directory or checkout */
    char *file = ll_relpath_show(root, f->loc.file, 0);
    const char *parts[4] = {f->rule ? f->rule : "", file, f->function ? f->function : "",
                            norm ? norm : ""};
    uint64_t h = LL_HASH_SEED;
    for (int k = 0; k < 4; k++) h = ll_hash64(parts[k], strlen(parts[k]) + 1, h);
    free(norm);
    free(file);
    free(f->fingerprint);
    f->fingerprint = ll_xasprintf("%016llx", (unsigned long long)h);
  }
  free(c.path);
  free(c.text);
  free(c.starts);
}

/* ---- writing ---- */

static void json_str(ll_buf *b, const char *s) {
  ll_buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    switch (*p) {
    case '"': ll_buf_puts(b, "\\\""); break;
    case '\\': ll_buf_puts(b, "\\\\"); break;
    case '\n': ll_buf_puts(b, "\\n"); break;
    case '\r': ll_buf_puts(b, "\\r"); break;
    case '\t': ll_buf_puts(b, "\\t"); break;
    default:
      if (*p < 0x20) ll_buf_printf(b, "\\u%04x", *p);
      else ll_buf_putc(b, (char)*p);
    }
  }
  ll_buf_putc(b, '"');
}

static int str_cmp0(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

typedef struct out_entry {
  const ll_finding *f;
  char *file; /* root-relative */
} out_entry;

static int entry_order(const void *pa, const void *pb) {
  const out_entry *x = pa, *y = pb;
  const ll_finding *a = x->f, *b = y->f;
  int c;
  if ((c = str_cmp0(x->file, y->file))) return c;
  if ((c = str_cmp0(a->rule, b->rule))) return c;
  if ((c = str_cmp0(a->function, b->function))) return c;
  return str_cmp0(a->fingerprint, b->fingerprint);
}

int ll_baseline_write(const char *path, const ll_findings *findings, const char *root, char **err) {
  out_entry *v = ll_xcalloc(findings->n + 1, sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < findings->n; i++)
    if (!findings->v[i].suppressed) {
      v[n].f = &findings->v[i];
      v[n++].file = ll_relpath_show(root, findings->v[i].loc.file, 0);
    }
  qsort(v, n, sizeof *v, entry_order);
  ll_buf b = {0};
  ll_buf_puts(&b, "{\n  \"version\": 1,\n  \"findings\": [");
  for (size_t i = 0; i < n; i++) {
    ll_buf_puts(&b, i ? ",\n    {\"rule\": " : "\n    {\"rule\": ");
    json_str(&b, v[i].f->rule);
    ll_buf_puts(&b, ", \"file\": ");
    json_str(&b, v[i].file);
    ll_buf_puts(&b, ", \"function\": ");
    if (v[i].f->function) json_str(&b, v[i].f->function);
    else ll_buf_puts(&b, "null");
    ll_buf_puts(&b, ", \"fingerprint\": ");
    json_str(&b, v[i].f->fingerprint);
    ll_buf_putc(&b, '}');
    free(v[i].file);
  }
  ll_buf_puts(&b, n ? "\n  ]\n}\n" : "]\n}\n");
  free(v);
  int rc = ll_atomic_write(path, b.data, b.len, err);
  ll_buf_free(&b);
  return rc;
}

/* ---- reading and filtering ---- */

typedef struct entry {
  const char *rule, *file, *fingerprint; /* borrowed from the cJSON tree */
  int taken;
} entry;

static int entry_cmp(const void *pa, const void *pb) {
  const entry *a = pa, *b = pb;
  int c;
  if ((c = strcmp(a->fingerprint, b->fingerprint))) return c;
  if ((c = strcmp(a->rule, b->rule))) return c;
  return strcmp(a->file, b->file);
}

static void line_col(const char *text, size_t off, unsigned *line, unsigned *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

static int string_field(const cJSON *o, const char *key, size_t i, int nullable, const char *path,
                        const char **out, char **err) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (nullable && (!v || cJSON_IsNull(v))) {
    *out = NULL;
    return 0;
  }
  if (!cJSON_IsString(v) || !v->valuestring) {
    *err = ll_xasprintf("%s: /findings/%zu/%s: %s", path, i, key,
                        v ? "expected a string" : "missing");
    return -1;
  }
  *out = v->valuestring;
  return 0;
}

int ll_baseline_filter(const char *path, ll_findings *findings, const char *proj_root, char **err) {
  char *text = NULL;
  size_t len = 0;
  int rc = ll_read_bounded(path, LL_READ_CONFIG, &text, &len, NULL);
  if (rc < 0) {
    *err = ll_xasprintf("%s: cannot read the baseline: %s", path, ll_read_strerror(rc, LL_READ_CONFIG));
    return -1;
  }
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  int result = -1;
  entry *ents = NULL;
  if (!root) {
    unsigned line, col;
    size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    line_col(text, off, &line, &col);
    *err = ll_xasprintf("%s: invalid JSON at %u:%u", path, line, col);
    goto out;
  }
  if (!cJSON_IsObject(root)) {
    *err = ll_xasprintf("%s: /: expected an object with \"version\" and \"findings\"", path);
    goto out;
  }
  const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
  if (!cJSON_IsNumber(ver) || ver->valuedouble != 1.0) {
    *err = ll_xasprintf("%s: /version: %s", path,
                        ver ? "unsupported version (this leaklint reads version 1)" : "missing");
    goto out;
  }
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "findings");
  if (!cJSON_IsArray(arr)) {
    *err = ll_xasprintf("%s: /findings: %s", path, arr ? "expected an array" : "missing");
    goto out;
  }
  size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
  ents = ll_xcalloc(n + 1, sizeof *ents);
  for (const cJSON *it = arr->child; it; it = it->next, i++) {
    if (!cJSON_IsObject(it)) {
      *err = ll_xasprintf("%s: /findings/%zu: expected an object", path, i);
      goto out;
    }
    const char *fn;
    if (string_field(it, "rule", i, 0, path, &ents[i].rule, err) ||
        string_field(it, "file", i, 0, path, &ents[i].file, err) ||
        string_field(it, "function", i, 1, path, &fn, err) ||
        string_field(it, "fingerprint", i, 0, path, &ents[i].fingerprint, err))
      goto out;
  }
  qsort(ents, n, sizeof *ents, entry_cmp);

  size_t w = 0;
  int removed = 0;
  for (size_t k = 0; k < findings->n; k++) {
    ll_finding *f = &findings->v[k];
    int drop = 0;
    if (!f->suppressed && f->fingerprint && f->rule && f->loc.file) {
      char *file = ll_relpath_show(proj_root, f->loc.file, 0);
      entry key = {f->rule, file, f->fingerprint, 0};
      entry *hit = bsearch(&key, ents, n, sizeof *ents, entry_cmp);
      if (hit) {
        /* the first untaken among equal entries */
        while (hit > ents && entry_cmp(hit - 1, &key) == 0) hit--;
        for (; hit < ents + n && entry_cmp(hit, &key) == 0; hit++)
          if (!hit->taken) {
            hit->taken = 1;
            drop = 1;
            break;
          }
      }
      free(file);
    }
    if (drop) {
      ll_finding_free(f);
      removed++;
    } else {
      findings->v[w++] = *f;
    }
  }
  findings->n = w;
  result = removed;
out:
  free(ents);
  cJSON_Delete(root);
  free(text);
  return result;
}
