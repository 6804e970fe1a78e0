/* report_ci.c - CI formats.
 *
 * github: one workflow command per finding,
 *   ::warning file=F,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE
 * (related locations and the hint follow the message on their own lines),
 * and one per notification (title=leaklint). Property values escape % \r \n
 * : and ,; the message escapes % \r \n (GitHub's workflow-command rules).
 *
 * gitlab: a Code Quality report, a JSON array of
 *   {"description","check_name","fingerprint","severity",
 *    "location":{"path","lines":{"begin"}}}
 * Fingerprints are unique within a report and survive line moves: the
 * finding's fingerprint plus its occurrence number among equal ones.
 *
 * Paths are relative to ctx->base_dir (the repository root in CI).
 * Suppressed findings are left out of both. */
#include "report.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ------------------------------------------------------------------ github */

static void gh_escape(ll_buf *b, const char *s, int property) {
  for (; s && *s; s++) {
    switch (*s) {
    case '%': ll_buf_puts(b, "%25"); break;
    case '\r': ll_buf_puts(b, "%0D"); break;
    case '\n': ll_buf_puts(b, "%0A"); break;
    case ':':
      if (property) ll_buf_puts(b, "%3A"); else ll_buf_putc(b, ':');
      break;
    case ',':
      if (property) ll_buf_puts(b, "%2C"); else ll_buf_putc(b, ',');
      break;
    default: ll_buf_putc(b, *s); break;
    }
  }
}

static const char *gh_command(ll_level l) { return ll_level_pick(l, "notice", "warning", "error"); }

/* Appends "file=..,line=..,col=..[,endLine=..,endColumn=..]" (no trailing comma). */
static void gh_location(ll_buf *b, const ll_report_ctx *ctx, const char *file, unsigned line,
                        unsigned col, unsigned end_line, unsigned end_col) {
  char *rel = ll_report_path(ctx, file);
  ll_buf_puts(b, "file=");
  gh_escape(b, rel, 1);
  free(rel);
  if (line) ll_buf_printf(b, ",line=%u", line);
  if (line && col) ll_buf_printf(b, ",col=%u", col);
  if (line && end_line) {
    ll_buf_printf(b, ",endLine=%u", end_line);
    if (col && end_col) ll_buf_printf(b, ",endColumn=%u", end_col);
  }
}

int ll_report_github(FILE *out, const ll_report_ctx *ctx) {
  ll_buf b = {0};
  if (ctx->findings) {
    for (size_t i = 0; i < ctx->findings->n; i++) {
      const ll_finding *f = &ctx->findings->v[i];
      if (f->suppressed) continue;
      ll_buf_printf(&b, "::%s ", gh_command(f->level));
      gh_location(&b, ctx, f->loc.file, f->loc.line, f->loc.col, f->loc.end_line,
                  f->loc.end_col);
      ll_buf_puts(&b, ",title=");
      gh_escape(&b, f->rule, 1);
      ll_buf_puts(&b, "::");
      ll_buf msg = {0};
      ll_buf_puts(&msg, f->message ? f->message : "");
      for (size_t j = 0; j < f->nrelated; j++) {
        const ll_related *r = &f->related[j];
        char *rel = ll_report_path(ctx, r->span.file);
        ll_buf_printf(&msg, "\nnote: %s:%u:%u: %s", rel, r->span.line, r->span.col,
                      r->message ? r->message : "");
        free(rel);
      }
      if (f->hint && *f->hint) ll_buf_printf(&msg, "\nhint: %s", f->hint);
      gh_escape(&b, msg.data, 0);
      ll_buf_free(&msg);
      ll_buf_putc(&b, '\n');
    }
  }
  if (ctx->notes) {
    for (size_t i = 0; i < ctx->notes->n; i++) {
      const ll_notification *n = &ctx->notes->v[i];
      ll_buf_printf(&b, "::%s ", gh_command(n->level));
      if (n->file && *n->file) {
        gh_location(&b, ctx, n->file, n->line, n->col, 0, 0);
        ll_buf_putc(&b, ',');
      }
      ll_buf_puts(&b, "title=leaklint::");
      char *msg = ll_report_note_message(ctx, n);
      gh_escape(&b, msg, 0);
      free(msg);
      ll_buf_putc(&b, '\n');
    }
  }
  int rc = 0;
  if (b.len && fwrite(b.data, 1, b.len, out) != b.len) rc = -1;
  ll_buf_free(&b);
  if (fflush(out) != 0 || ferror(out)) rc = -1;
  return rc;
}

/* ------------------------------------------------------------------ gitlab */

static const char *gl_severity(ll_level l) { return ll_level_pick(l, "minor", "major", "critical"); }

/* Occurrence numbers: occ[i] = 1 + the number of earlier findings with the
 * same fingerprint as finding i (NULL fps are skipped). Sorting an index
 * keeps this O(n log n); comparing each finding with every earlier one was
 * quadratic (25,000 findings: seconds). */
typedef struct fp_at {
  const char *fp;
  size_t i;
} fp_at;

static int cmp_fp_at(const void *a, const void *b) {
  const fp_at *x = a, *y = b;
  int c = strcmp(x->fp, y->fp);
  return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

static unsigned *occurrences(char **fps, size_t n) {
  unsigned *occ = ll_xcalloc(n ? n : 1, sizeof *occ);
  fp_at *v = ll_xcalloc(n ? n : 1, sizeof *v);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (fps[i]) v[m++] = (fp_at){fps[i], i};
  qsort(v, m, sizeof *v, cmp_fp_at);
  for (size_t k = 0; k < m; k++)
    occ[v[k].i] = k > 0 && strcmp(v[k - 1].fp, v[k].fp) == 0 ? occ[v[k - 1].i] + 1 : 1;
  free(v);
  return occ;
}

int ll_report_gitlab(FILE *out, const ll_report_ctx *ctx) {
  cJSON *arr = cJSON_CreateArray();
  size_t n = ctx->findings ? ctx->findings->n : 0;
  char **fps = ll_xcalloc(n ? n : 1, sizeof *fps);
  for (size_t i = 0; i < n; i++)
    if (!ctx->findings->v[i].suppressed) fps[i] = ll_report_fingerprint(&ctx->findings->v[i]);
  unsigned *occs = occurrences(fps, n);
  for (size_t i = 0; i < n; i++) {
    const ll_finding *f = &ctx->findings->v[i];
    if (f->suppressed) continue;
    unsigned occ = occs[i];
    char *rel = ll_report_path(ctx, f->loc.file);
    char *key = ll_xasprintf("%s\n%s\n%s\n%u", f->rule ? f->rule : "", rel, fps[i], occ);
    uint64_t h1 = ll_hash64(key, strlen(key), LL_HASH_SEED);
    uint64_t h2 = ll_hash64(key, strlen(key), h1 ^ 0x9e3779b97f4a7c15ULL);
    char *gfp = ll_xasprintf("%016" PRIx64 "%016" PRIx64, h1, h2);
    free(key);

    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "description", f->message ? f->message : "");
    cJSON_AddStringToObject(o, "check_name", f->rule ? f->rule : "");
    cJSON_AddStringToObject(o, "fingerprint", gfp);
    cJSON_AddStringToObject(o, "severity", gl_severity(f->level));
    cJSON *loc = cJSON_AddObjectToObject(o, "location");
    cJSON_AddStringToObject(loc, "path", rel);
    cJSON *lines = cJSON_AddObjectToObject(loc, "lines");
    cJSON_AddNumberToObject(lines, "begin", (double)(f->loc.line ? f->loc.line : 1));
    cJSON_AddItemToArray(arr, o);
    free(gfp);
    free(rel);
  }
  for (size_t i = 0; i < n; i++) free(fps[i]);
  free(fps);
  free(occs);
  int rc = ll_json_write(out, arr);
  cJSON_Delete(arr);
  return rc;
}
