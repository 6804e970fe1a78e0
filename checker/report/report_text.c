/* report_text.c - the human-readable report (compiler style):
 *   path:line:col: warning: MESSAGE [RULE]
 *   path:line:col: note: RELATED MESSAGE
 *     hint: HINT
 * plus the stderr summary. Colour only when ctx->color. Suppressed findings
 * are counted in the summary, never printed. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"
#define C_RESET "\033[0m"

static const char *level_color(ll_level l) { return ll_level_pick(l, C_CYAN, C_YELLOW, C_RED); }

/* "path:line:col" (parts that are unknown are left out); the path relative
 * to the project root like every report's (relpath.h). */
static void put_loc(ll_buf *b, const ll_report_ctx *ctx, const char *file, unsigned line,
                    unsigned col) {
  int color = ctx->color;
  if (color) ll_buf_puts(b, C_BOLD);
  char *shown = file && *file ? ll_report_path(ctx, file) : NULL;
  ll_buf_puts(b, shown && *shown ? shown : "<unknown>");
  free(shown);
  if (line) {
    ll_buf_printf(b, ":%u", line);
    if (col) ll_buf_printf(b, ":%u", col);
  }
  ll_buf_putc(b, ':');
  if (color) ll_buf_puts(b, C_RESET);
}

static void put_level(ll_buf *b, int color, ll_level l) {
  if (color) ll_buf_puts(b, level_color(l));
  ll_buf_printf(b, "%s:", ll_level_name(l));
  if (color) ll_buf_puts(b, C_RESET);
}

static int flush(FILE *out, ll_buf *b) {
  int rc = 0;
  if (b->len && fwrite(b->data, 1, b->len, out) != b->len) rc = -1;
  ll_buf_free(b);
  return rc;
}

int ll_report_text(FILE *out, const ll_report_ctx *ctx) {
  ll_buf b = {0};
  int color = ctx->color;
  if (ctx->findings) {
    for (size_t i = 0; i < ctx->findings->n; i++) {
      const ll_finding *f = &ctx->findings->v[i];
      if (f->suppressed) continue;
      put_loc(&b, ctx, f->loc.file, f->loc.line, f->loc.col);
      ll_buf_putc(&b, ' ');
      put_level(&b, color, f->level);
      ll_buf_printf(&b, " %s [%s]\n", f->message ? f->message : "", f->rule ? f->rule : "");
      for (size_t j = 0; j < f->nrelated; j++) {
        const ll_related *r = &f->related[j];
        put_loc(&b, ctx, r->span.file, r->span.line, r->span.col);
        ll_buf_putc(&b, ' ');
        put_level(&b, color, LL_LEVEL_NOTE);
        ll_buf_printf(&b, " %s\n", r->message ? r->message : "");
      }
      if (f->hint && *f->hint) ll_buf_printf(&b, "  hint: %s\n", f->hint);
      if (b.len > 65536 && flush(out, &b) != 0) return -1;
    }
  }
  if (flush(out, &b) != 0) return -1;
  return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

static const char *plural(size_t n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

/* min_level: the notifications printed before the summary line. */
static void summary(FILE *err, const ll_report_ctx *ctx, ll_level min_level) {
  ll_buf b = {0};
  int color = ctx->color;
  /* Notifications first (parse errors, skipped files, config notes). */
  if (ctx->notes) {
    for (size_t i = 0; i < ctx->notes->n; i++) {
      const ll_notification *n = &ctx->notes->v[i];
      if (n->level < min_level) continue;
      if (n->file && *n->file)
        put_loc(&b, ctx, n->file, n->line, n->col);
      else
        ll_buf_puts(&b, "leaklint:");
      ll_buf_putc(&b, ' ');
      put_level(&b, color, n->level);
      char *msg = ll_report_note_message(ctx, n);
      ll_buf_printf(&b, " %s\n", msg);
      free(msg);
    }
  }
  size_t shown = 0, suppressed = 0;
  if (ctx->findings) {
    for (size_t i = 0; i < ctx->findings->n; i++) {
      if (ctx->findings->v[i].suppressed)
        suppressed++;
      else
        shown++;
    }
  }
  ll_buf_printf(&b, "leaklint: %zu %s", shown, plural(shown, "finding", "findings"));
  if (suppressed) ll_buf_printf(&b, " (%zu suppressed)", suppressed);
  ll_buf_printf(&b, " in %zu %s", ctx->files_total, plural(ctx->files_total, "file", "files"));
  if (ctx->files_failed)
    ll_buf_printf(&b, "; %zu %s to parse%s", ctx->files_failed,
                  plural(ctx->files_failed, "file failed", "files failed"),
                  ctx->opts && ctx->opts->allow_parse_errors
                      ? " (allowed)" : " (exit code 2 unless --allow-parse-errors)");
  if (ctx->fixes_applied)
    ll_buf_printf(&b, "; %zu %s applied", ctx->fixes_applied,
                  plural(ctx->fixes_applied, "fix", "fixes"));
  if (ctx->notes && ctx->notes->n)
    ll_buf_printf(&b, "; %zu %s", ctx->notes->n,
                  plural(ctx->notes->n, "notification", "notifications"));
  ll_buf_putc(&b, '\n');
  (void)flush(err, &b);
  fflush(err);
}

void ll_report_summary(FILE *err, const ll_report_ctx *ctx) {
  summary(err, ctx, LL_LEVEL_NOTE);
}

void ll_report_stderr(FILE *err, const ll_report_ctx *ctx) {
  const ll_options *o = ctx->opts;
  int text = !o || o->format == LL_FMT_TEXT;
  int failing = ctx->files_failed && !(o && o->allow_parse_errors);
  if (o && o->quiet) {
    /* -q drops the summary, but never the reason for an exit code 2 */
    if (failing) summary(err, ctx, LL_LEVEL_ERROR);
    return;
  }
  /* machine formats carry every notification in the report; stderr (the CI
     log) still gets the errors and the one-line summary */
  summary(err, ctx, text ? LL_LEVEL_NOTE : LL_LEVEL_ERROR);
}

void ll_report_errors(FILE *err, const ll_report_ctx *ctx) {
  for (size_t i = 0; ctx->notes && i < ctx->notes->n; i++) {
    const ll_notification *n = &ctx->notes->v[i];
    if (n->level != LL_LEVEL_ERROR) continue;
    char *file = n->file ? ll_report_path(ctx, n->file) : ll_xstrdup("leaklint");
    char *msg = ll_report_note_message(ctx, n);
    fprintf(err, "%s: error: %s\n", file, msg);
    free(file);
    free(msg);
  }
}
