/* report.h - reporters. Each writes the whole report for one run to `out`
 * and returns 0, or -1 on a write error. Findings arrive sorted. */
#ifndef LL_REPORT_H
#define LL_REPORT_H

#include <stdio.h>
#include "diag.h"
#include "options.h"

typedef struct ll_report_ctx {
  const ll_options *opts;
  const ll_findings *findings;    /* includes suppressed ones (f->suppressed) */
  const ll_notifications *notes;
  size_t files_total, files_analyzed, files_failed, files_cached, files_skipped;
  size_t fixes_applied;           /* --fix: findings whose safe fix was written */
  int color;                      /* text: emit ANSI colour */
  const char *base_dir;           /* the project root (o->root): every path is shown relative
                                     to it (relpath.h), SARIF %SRCROOT% */
} ll_report_ctx;

int ll_report_text(FILE *out, const ll_report_ctx *ctx);
/* Every notification, then a one-line summary ("3 findings (1 suppressed) in
 * 12 files; 1 file failed to parse"), for stderr. */
void ll_report_summary(FILE *err, const ll_report_ctx *ctx);
/* What reaches stderr after the report, in every format: text prints
 * ll_report_summary; the machine formats print the error notifications and
 * the summary line; -q prints nothing unless files failed to parse and that
 * is not allowed (then the errors and the summary: the reason for exit 2). */
void ll_report_stderr(FILE *err, const ll_report_ctx *ctx);
/* The error notifications alone, "FILE: error: MESSAGE" (paths and messages
 * as every report shows them), for a run that analysed no file. */
void ll_report_errors(FILE *err, const ll_report_ctx *ctx);
int ll_report_json(FILE *out, const ll_report_ctx *ctx);
int ll_report_sarif(FILE *out, const ll_report_ctx *ctx);
int ll_report_github(FILE *out, const ll_report_ctx *ctx);
int ll_report_gitlab(FILE *out, const ll_report_ctx *ctx);

/* ---- shared by the reporters and merge_sarif.c (report_json.c) ---- */
struct cJSON;
/* Writes doc as JSON indented by two spaces, plus a final newline. Bytes that
 * are not valid UTF-8 are written as U+FFFD. 0, or -1 on a write error. */
int ll_json_write(FILE *out, const struct cJSON *doc);
/* file as a report shows it against the root base_dir (NULL = the current
 * directory): relpath.h's policy, never an absolute home path. Caller frees. */
char *ll_report_relpath(const char *base_dir, const char *file);
/* The same for this report (absolute paths outside the root with --absolute-paths). */
char *ll_report_path(const ll_report_ctx *ctx, const char *file);
/* n's message as reports show it: quoted source text ('...') replaced by
 * '…' when n lies in a file outside the root (an -include'd secrets file
 * must not reach an uploaded report), and the root's and $HOME's absolute
 * prefixes cut ("~/" for home) unless --absolute-paths. Caller frees. */
char *ll_report_note_message(const ll_report_ctx *ctx, const ll_notification *n);
/* Absolute form of base_dir (NULL = the current directory) ending in '/'. Caller frees. */
char *ll_report_base_abs(const char *base_dir);
/* f->fingerprint, or a stable hash of rule, file, whitespace-free primary
 * line text and function (16 hex digits). Caller frees. */
char *ll_report_fingerprint(const ll_finding *f);

#endif
