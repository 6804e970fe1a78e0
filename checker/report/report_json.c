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

#include "relpath.h"
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

char *ll_report_base_abs(const char *base_dir) {
  char *abs = ll_relpath_abs(base_dir && *base_dir ? base_dir : ".");
  size_t n = strlen(abs);
  if (n > 0 && abs[n - 1] == '/') return abs;
  char *r = ll_xasprintf("%s/", abs);
  free(abs);
  return r;
}

char *ll_report_relpath(const char *base_dir, const char *file) {
  return ll_relpath_show(base_dir, file, 0);
}

char *ll_report_path(const ll_report_ctx *ctx, const char *file) {
  return ll_relpath_show(ctx->base_dir, file, ctx->opts && ctx->opts->absolute_paths);
}

/* Replaces each occurrence of prefix in b's text by with. */
static void replace_all(ll_buf *b, const char *prefix, const char *with) {
  size_t pl = strlen(prefix);
  if (!b->data || pl < 2) return;
  ll_buf out = {0};
  const char *p = b->data;
  for (const char *hit; (hit = strstr(p, prefix)) != NULL; p = hit + pl) {
    ll_buf_append(&out, p, (size_t)(hit - p));
    ll_buf_puts(&out, with);
  }
  ll_buf_puts(&out, p);
  ll_buf_free(b);
  *b = out;
}

/* 'text' -> '…': clang quotes the tokens it complains about. */
static void redact_quoted(ll_buf *b) {
  if (!b->data) return;
  ll_buf out = {0};
  for (const char *p = b->data; *p; p++) {
    const char *close = *p == '\'' ? strchr(p + 1, '\'') : NULL;
    if (close && close > p + 1) {
      ll_buf_puts(&out, "'\xe2\x80\xa6'"); /* U+2026 */
      p = close;
    } else {
      ll_buf_putc(&out, *p);
    }
  }
  ll_buf_free(b);
  *b = out;
}

char *ll_report_note_message(const ll_report_ctx *ctx, const ll_notification *n) {
  ll_buf b = {0};
  ll_buf_puts(&b, n->message ? n->message : "");
  int absolute = ctx->opts && ctx->opts->absolute_paths;
  if (n->file && *n->file && !ll_relpath_inside(ctx->base_dir, n->file)) redact_quoted(&b);
  if (!absolute) {
    char *root = ll_report_base_abs(ctx->base_dir);
    replace_all(&b, root, "");
    free(root);
    const char *home = getenv("HOME");
    if (home && home[0] == '/' && home[1]) {
      char *h = ll_xasprintf("%s/", home);
      replace_all(&b, h, "~/");
      free(h);
    }
  }
  return b.data ? ll_buf_take(&b) : ll_xstrdup("");
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

static void add_span(const ll_report_ctx *ctx, cJSON *o, const ll_span *s) {
  char *file = s->file ? ll_report_path(ctx, s->file) : NULL;
  add_str(o, "file", file);
  free(file);
  add_pos(o, "line", s->line);
  add_pos(o, "column", s->col);
  add_pos(o, "end_line", s->end_line);
  add_pos(o, "end_column", s->end_col);
}

static cJSON *finding_json(const ll_report_ctx *ctx, const ll_finding *f) {
  cJSON *o = cJSON_CreateObject();
  add_str(o, "rule", f->rule);
  add_str(o, "level", ll_level_name(f->level));
  add_str(o, "confidence", ll_confidence_name(f->confidence));
  add_str(o, "message", f->message);
  add_span(ctx, o, &f->loc);
  add_str(o, "function", f->function);
  cJSON *rel = cJSON_AddArrayToObject(o, "related");
  for (size_t i = 0; i < f->nrelated; i++) {
    cJSON *r = cJSON_CreateObject();
    add_span(ctx, r, &f->related[i].span);
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
      add_span(ctx, e, &x->edits[j].span);
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
      cJSON_AddItemToArray(arr, finding_json(ctx, f));
    }
  }
  cJSON_AddNumberToObject(doc, "suppressed", (double)suppressed);
  cJSON *notes = cJSON_AddArrayToObject(doc, "notifications");
  if (ctx->notes) {
    for (size_t i = 0; i < ctx->notes->n; i++) {
      const ll_notification *n = &ctx->notes->v[i];
      cJSON *o = cJSON_CreateObject();
      add_str(o, "level", ll_level_name(n->level));
      char *file = n->file ? ll_report_path(ctx, n->file) : NULL;
      char *msg = ll_report_note_message(ctx, n);
      add_str(o, "file", file);
      add_pos(o, "line", n->line);
      add_pos(o, "column", n->col);
      add_str(o, "message", msg);
      free(file);
      free(msg);
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
