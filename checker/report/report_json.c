/* report_json.c - the JSON report, plus helpers every machine-readable
 * reporter shares (a deterministic JSON writer, relative paths, fingerprints).
 *
 * Document shape (key order is fixed):
 *   {"version", "findings": [{"rule","level","confidence","message","file",
 *    "line","column","end_line","end_column","function","related":[...],
 *    "hint","fixes":[...],"fingerprint"}], "suppressed", "notifications":[...],
 *    "files": {"total","analyzed","failed","cached","skipped"}}
 * Suppressed findings are counted, not listed. Unknown values are null. */
#include "report.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#ifndef LEAKLINT_VERSION
#define LEAKLINT_VERSION "0.0.0"
#endif

/* ------------------------------------------------------------------ writer */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len;
  unsigned min;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
  else return 0;
  if (n < len) return 0;
  unsigned cp = c & (0xFF >> (len + 1));
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

static void put_string(ll_buf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t n = strlen((const char *)p);
  ll_buf_putc(b, '"');
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    switch (c) {
    case '"': ll_buf_puts(b, "\\\""); i++; continue;
    case '\\': ll_buf_puts(b, "\\\\"); i++; continue;
    case '\n': ll_buf_puts(b, "\\n"); i++; continue;
    case '\r': ll_buf_puts(b, "\\r"); i++; continue;
    case '\t': ll_buf_puts(b, "\\t"); i++; continue;
    case '\b': ll_buf_puts(b, "\\b"); i++; continue;
    case '\f': ll_buf_puts(b, "\\f"); i++; continue;
    default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      ll_buf_printf(b, "\\u%04x", c);
      i++;
      continue;
    }
    size_t len = utf8_len(p + i, n - i);
    if (len == 0) {
      ll_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD */
      i++;
    } else {
      ll_buf_append(b, (const char *)p + i, len);
      i += len;
    }
  }
  ll_buf_putc(b, '"');
}

static void put_indent(ll_buf *b, int depth) {
  for (int i = 0; i < depth; i++) ll_buf_puts(b, "  ");
}

static void put_value(ll_buf *b, const cJSON *v, int depth) {
  if (cJSON_IsNull(v) || cJSON_IsInvalid(v)) {
    ll_buf_puts(b, "null");
  } else if (cJSON_IsFalse(v)) {
    ll_buf_puts(b, "false");
  } else if (cJSON_IsTrue(v)) {
    ll_buf_puts(b, "true");
  } else if (cJSON_IsNumber(v)) {
    double d = v->valuedouble;
    if (!isfinite(d))
      ll_buf_puts(b, "null");
    else if (d == floor(d) && fabs(d) < 9007199254740992.0)
      ll_buf_printf(b, "%.0f", d);
    else
      ll_buf_printf(b, "%.17g", d);
  } else if (cJSON_IsString(v)) {
    put_string(b, v->valuestring);
  } else if (cJSON_IsRaw(v)) {
    ll_buf_puts(b, v->valuestring ? v->valuestring : "null");
  } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
    int obj = cJSON_IsObject(v);
    const cJSON *c = v->child;
    ll_buf_putc(b, obj ? '{' : '[');
    if (!c) {
      ll_buf_putc(b, obj ? '}' : ']');
      return;
    }
    ll_buf_putc(b, '\n');
    for (; c; c = c->next) {
      put_indent(b, depth + 1);
      if (obj) {
        put_string(b, c->string);
        ll_buf_puts(b, ": ");
      }
      put_value(b, c, depth + 1);
      if (c->next) ll_buf_putc(b, ',');
      ll_buf_putc(b, '\n');
    }
    put_indent(b, depth);
    ll_buf_putc(b, obj ? '}' : ']');
  } else {
    ll_buf_puts(b, "null");
  }
}

int ll_json_write(FILE *out, const cJSON *doc) {
  ll_buf b = {0};
  put_value(&b, doc, 0);
  ll_buf_putc(&b, '\n');
  size_t w = fwrite(b.data, 1, b.len, out);
  int rc = (w == b.len && fflush(out) == 0 && !ferror(out)) ? 0 : -1;
  ll_buf_free(&b);
  return rc;
}

/* ------------------------------------------------------------------ paths */

/* Lexically normalises an absolute path: removes ".", "..", "//" and a
 * trailing '/'. Caller frees. */
static char *normalize_abs(const char *path) {
  size_t n = strlen(path);
  char *out = ll_xmalloc(n + 2);
  size_t len = 0;
  const char *p = path;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *e = strchr(p, '/');
    size_t seg = e ? (size_t)(e - p) : strlen(p);
    if (seg == 1 && p[0] == '.') {
      /* skip */
    } else if (seg == 2 && p[0] == '.' && p[1] == '.') {
      while (len > 0 && out[len - 1] != '/') len--;
      if (len > 0) len--; /* drop the '/' */
    } else {
      out[len++] = '/';
      memcpy(out + len, p, seg);
      len += seg;
    }
    p += seg;
  }
  if (len == 0) out[len++] = '/';
  out[len] = '\0';
  return out;
}

static char *cwd_dup(void) {
  size_t cap = 256;
  for (;;) {
    char *buf = ll_xmalloc(cap);
    if (getcwd(buf, cap)) return buf;
    free(buf);
    if (errno != ERANGE) return ll_xstrdup("/");
    cap *= 2;
  }
}

/* Absolute, normalised form of path (relative paths are taken from the cwd). */
static char *absolutize(const char *path) {
  if (path[0] == '/') return normalize_abs(path);
  char *cwd = cwd_dup();
  char *joined = ll_xasprintf("%s/%s", cwd, path);
  char *r = normalize_abs(joined);
  free(cwd);
  free(joined);
  return r;
}

char *ll_report_base_abs(const char *base_dir) {
  char *abs = base_dir && *base_dir ? absolutize(base_dir) : absolutize(".");
  size_t n = strlen(abs);
  if (n > 0 && abs[n - 1] == '/') return abs;
  char *r = ll_xasprintf("%s/", abs);
  free(abs);
  return r;
}

char *ll_report_relpath(const char *base_dir, const char *file) {
  if (!file || !*file) return ll_xstrdup("");
  char *abs = absolutize(file);
  char *base = ll_report_base_abs(base_dir); /* ends in '/' */
  size_t bn = strlen(base);
  char *r;
  if (strncmp(abs, base, bn) == 0 && abs[bn] != '\0')
    r = ll_xstrdup(abs + bn);
  else
    r = ll_xstrdup(abs);
  free(abs);
  free(base);
  return r;
}

/* ------------------------------------------------------------ fingerprints */

/* Text of line `line` (1-based) of file with every space and tab removed, or
 * NULL when the file or line cannot be read. Caller frees. */
static char *line_text_squeezed(const char *file, unsigned line) {
  char *data = NULL;
  size_t len = 0;
  if (!file || line == 0 || ll_read_file(file, &data, &len) != 0) return NULL;
  const char *p = data, *end = data + len;
  for (unsigned l = 1; l < line && p < end; l++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    p = nl ? nl + 1 : end;
  }
  if (p >= end) {
    free(data);
    return NULL;
  }
  ll_buf b = {0};
  for (; p < end && *p != '\n'; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r') ll_buf_putc(&b, *p);
  free(data);
  return b.data ? ll_buf_take(&b) : ll_xstrdup("");
}

char *ll_report_fingerprint(const ll_finding *f) {
  if (f->fingerprint && *f->fingerprint) return ll_xstrdup(f->fingerprint);
  char *text = line_text_squeezed(f->loc.file, f->loc.line);
  /* Without the source, the line number is the best stable stand-in. */
  char *key = text ? ll_xasprintf("%s\n%s\n%s\n%s", f->rule ? f->rule : "",
                                  f->loc.file ? f->loc.file : "", text,
                                  f->function ? f->function : "")
                   : ll_xasprintf("%s\n%s\n#%u\n%s", f->rule ? f->rule : "",
                                  f->loc.file ? f->loc.file : "", f->loc.line,
                                  f->function ? f->function : "");
  uint64_t h = ll_hash64(key, strlen(key), LL_HASH_SEED);
  free(text);
  free(key);
  return ll_xasprintf("%016" PRIx64, h);
}

/* ------------------------------------------------------------- the report */

static const char *safety_name(ll_fix_safety s) {
  switch (s) {
  case LL_FIX_SAFE: return "safe";
  case LL_FIX_UNSAFE: return "unsafe";
  case LL_FIX_DISPLAY: return "display";
  }
  return "display";
}

static void add_str(cJSON *o, const char *key, const char *s) {
  if (s)
    cJSON_AddStringToObject(o, key, s);
  else
    cJSON_AddNullToObject(o, key);
}

/* Positions: 0 means unknown and becomes null. */
static void add_pos(cJSON *o, const char *key, unsigned v) {
  if (v)
    cJSON_AddNumberToObject(o, key, (double)v);
  else
    cJSON_AddNullToObject(o, key);
}

static void add_span(cJSON *o, const ll_span *s) {
  add_str(o, "file", s->file);
  add_pos(o, "line", s->line);
  add_pos(o, "column", s->col);
  add_pos(o, "end_line", s->end_line);
  add_pos(o, "end_column", s->end_col);
}

static cJSON *finding_json(const ll_finding *f) {
  cJSON *o = cJSON_CreateObject();
  add_str(o, "rule", f->rule);
  add_str(o, "level", ll_level_name(f->level));
  add_str(o, "confidence", ll_confidence_name(f->confidence));
  add_str(o, "message", f->message);
  add_span(o, &f->loc);
  add_str(o, "function", f->function);
  cJSON *rel = cJSON_AddArrayToObject(o, "related");
  for (size_t i = 0; i < f->nrelated; i++) {
    cJSON *r = cJSON_CreateObject();
    add_span(r, &f->related[i].span);
    add_str(r, "message", f->related[i].message);
    cJSON_AddItemToArray(rel, r);
  }
  add_str(o, "hint", f->hint);
  cJSON *fixes = cJSON_AddArrayToObject(o, "fixes");
  for (size_t i = 0; i < f->nfixes; i++) {
    const ll_fix *x = &f->fixes[i];
    cJSON *fx = cJSON_CreateObject();
    add_str(fx, "title", x->title);
    add_str(fx, "safety", safety_name(x->safety));
    cJSON *edits = cJSON_AddArrayToObject(fx, "edits");
    for (size_t j = 0; j < x->nedits; j++) {
      cJSON *e = cJSON_CreateObject();
      add_span(e, &x->edits[j].span);
      add_str(e, "replacement", x->edits[j].replacement ? x->edits[j].replacement : "");
      cJSON_AddItemToArray(edits, e);
    }
    cJSON_AddItemToArray(fixes, fx);
  }
  char *fp = ll_report_fingerprint(f);
  add_str(o, "fingerprint", fp);
  free(fp);
  return o;
}

int ll_report_json(FILE *out, const ll_report_ctx *ctx) {
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddStringToObject(doc, "version", LEAKLINT_VERSION);
  cJSON *arr = cJSON_AddArrayToObject(doc, "findings");
  size_t suppressed = 0;
  if (ctx->findings) {
    for (size_t i = 0; i < ctx->findings->n; i++) {
      const ll_finding *f = &ctx->findings->v[i];
      if (f->suppressed) {
        suppressed++;
        continue;
      }
      cJSON_AddItemToArray(arr, finding_json(f));
    }
  }
  cJSON_AddNumberToObject(doc, "suppressed", (double)suppressed);
  cJSON *notes = cJSON_AddArrayToObject(doc, "notifications");
  if (ctx->notes) {
    for (size_t i = 0; i < ctx->notes->n; i++) {
      const ll_notification *n = &ctx->notes->v[i];
      cJSON *o = cJSON_CreateObject();
      add_str(o, "level", ll_level_name(n->level));
      add_str(o, "file", n->file);
      add_pos(o, "line", n->line);
      add_pos(o, "column", n->col);
      add_str(o, "message", n->message);
      cJSON_AddItemToArray(notes, o);
    }
  }
  cJSON *files = cJSON_AddObjectToObject(doc, "files");
  cJSON_AddNumberToObject(files, "total", (double)ctx->files_total);
  cJSON_AddNumberToObject(files, "analyzed", (double)ctx->files_analyzed);
  cJSON_AddNumberToObject(files, "failed", (double)ctx->files_failed);
  cJSON_AddNumberToObject(files, "cached", (double)ctx->files_cached);
  cJSON_AddNumberToObject(files, "skipped", (double)ctx->files_skipped);
  int rc = ll_json_write(out, doc);
  cJSON_Delete(doc);
  return rc;
}
