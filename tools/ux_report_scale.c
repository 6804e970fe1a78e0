/* ux_report_scale.c - the report side stays linear in the number of
 * findings: 40,000 findings, one per line of a 40,000-line file, are
 * fingerprinted and written as gitlab and SARIF reports within a CPU-time
 * budget that a per-finding rescan of the file (fingerprints: 40,000 x ~0.7
 * MB) or a per-finding pass over earlier findings (gitlab occurrence
 * numbers) exceeds many times over. Also checks the fingerprints themselves
 * (identical lines alike, CR-only line ends found) and the SARIF cap of
 * 25,000 results per run (the most severe kept, a notification says what
 * was left out).
 * Usage: ux_report_scale TMPDIR   (exit 0 = all passed) */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baseline.h"
#include "report.h"
#include "util.h"

#define N_FINDINGS 40000
#define CPU_BUDGET_S 3.0 /* linear: ~0.1 s here (ASan: ~1 s); quadratic: minutes */

#include "unit_check.h"

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static double cpu_now(void) { return (double)clock() / CLOCKS_PER_SEC; }

/* A file of n lines; every 1000th line repeats line 1's text. */
static char *write_source(const char *dir, const char *eol) {
  char *path = ll_xasprintf("%s/scale_%s.c", dir, eol[0] == '\r' && !eol[1] ? "cr" : "lf");
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  for (int i = 1; i <= N_FINDINGS; i++)
    fprintf(f, "    timerfd_create(CLOCK_MONOTONIC, %d);%s", i % 1000 == 1 ? 1 : i, eol);
  fclose(f);
  return path;
}

static void make_findings(ll_findings *fs, const char *path) {
  for (unsigned i = 1; i <= N_FINDINGS; i++) {
    ll_finding f = ll_finding_make("timer-per-iteration", LL_LEVEL_WARNING, "a timer per iteration",
                                   ll_span_make(path, i, 5, i, 19));
    f.function = ll_xstrdup("f");
    ll_findings_push(fs, f);
  }
}

static void check_fingerprints(const char *dir) {
  char *lf = write_source(dir, "\n"), *cr = write_source(dir, "\r");
  ll_findings a = {0}, b = {0};
  make_findings(&a, lf);
  make_findings(&b, cr);
  double t0 = cpu_now();
  ll_findings_fingerprint(&a, NULL);
  ll_findings_fingerprint(&b, NULL);
  double t = cpu_now() - t0;
  printf("fingerprints: %d findings x 2 files in %.3f s CPU\n", N_FINDINGS, t);
  CHECK(t < CPU_BUDGET_S, "fingerprinting took %.2f s CPU (budget %.1f s): not linear", t, CPU_BUDGET_S);
  CHECK(strcmp(a.v[0].fingerprint, a.v[1000].fingerprint) == 0, "identical lines, same fingerprint");
  CHECK(strcmp(a.v[0].fingerprint, a.v[1].fingerprint) != 0, "different lines, different fingerprints");
  /* the same text with CR line ends: line n is found (the path differs, so
     compare the pattern of equalities rather than the values) */
  CHECK(strcmp(b.v[0].fingerprint, b.v[N_FINDINGS - 1000].fingerprint) == 0 &&
            strcmp(b.v[N_FINDINGS - 1].fingerprint, b.v[N_FINDINGS - 2].fingerprint) != 0,
        "CR-only line ends: lines are found to the end of the file");
  ll_findings_free(&a);
  ll_findings_free(&b);
  unlink(lf);
  unlink(cr);
  free(lf);
  free(cr);
}

static ll_report_ctx ctx_for(const ll_findings *fs, const ll_notifications *notes,
                             const ll_options *o) {
  ll_report_ctx rc;
  memset(&rc, 0, sizeof rc);
  rc.opts = o;
  rc.findings = fs;
  rc.notes = notes;
  rc.files_total = rc.files_analyzed = 1;
  return rc;
}

/* 40,000 findings, the last 10 errors: 25,000 results with all 10 errors, and
 * a notification that names the 15,000 warnings left out. */
static void check_sarif_cap(const char *path) {
  char *text = NULL;
  size_t len = 0;
  cJSON *doc = ll_read_file(path, &text, &len) == 0 ? cJSON_Parse(text) : NULL;
  const cJSON *run = doc ? cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0) : NULL;
  const cJSON *results = run ? cJSON_GetObjectItem(run, "results") : NULL;
  int n = cJSON_GetArraySize(results), errors = 0;
  for (const cJSON *r = results ? results->child : NULL; r; r = r->next) {
    const cJSON *l = cJSON_GetObjectItem(r, "level");
    errors += cJSON_IsString(l) && strcmp(l->valuestring, "error") == 0;
  }
  CHECK(n == 25000 && errors == 10, "SARIF: %d results (want 25000), %d errors (want all 10)", n,
        errors);
  const cJSON *inv = run ? cJSON_GetArrayItem(cJSON_GetObjectItem(run, "invocations"), 0) : NULL;
  const cJSON *notes = inv ? cJSON_GetObjectItem(inv, "toolExecutionNotifications") : NULL;
  int said = 0;
  for (const cJSON *e = notes ? notes->child : NULL; e; e = e->next) {
    const cJSON *m = cJSON_GetObjectItem(cJSON_GetObjectItem(e, "message"), "text");
    said |= cJSON_IsString(m) && strstr(m->valuestring, "15000 results were left out") &&
            strstr(m->valuestring, "(left out: 15000 warning)");
  }
  CHECK(said, "SARIF: a notification says 15000 warnings were left out");
  cJSON_Delete(doc);
  free(text);
}

static void check_reports(const char *dir) {
  char *lf = write_source(dir, "\n");
  ll_findings fs = {0};
  ll_notifications notes = {0};
  ll_options o;
  memset(&o, 0, sizeof o);
  make_findings(&fs, lf);
  ll_findings_fingerprint(&fs, NULL);
  for (size_t i = N_FINDINGS - 10; i < N_FINDINGS; i++) fs.v[i].level = LL_LEVEL_ERROR;
  ll_report_ctx rc = ctx_for(&fs, &notes, &o);
  char *out_path = ll_xasprintf("%s/scale.out", dir);

  FILE *out = fopen(out_path, "w");
  double t0 = cpu_now();
  CHECK(out && ll_report_sarif(out, &rc) == 0, "SARIF report written");
  double t = cpu_now() - t0;
  if (out) fclose(out);
  printf("SARIF report: %d findings in %.3f s CPU\n", N_FINDINGS, t);
  CHECK(t < CPU_BUDGET_S, "SARIF report took %.2f s CPU (budget %.1f s)", t, CPU_BUDGET_S);
  check_sarif_cap(out_path);

  ll_findings_free(&fs);
  ll_notifications_free(&notes);
  unlink(out_path);
  unlink(lf);
  free(out_path);
  free(lf);
}

/* gitlab numbers equal fingerprints by occurrence: 100,000 findings whose
 * fingerprints are given (half of them shared by two findings), no file. */
#define N_GITLAB 100000
static void check_gitlab(const char *dir) {
  ll_findings fs = {0};
  ll_options o;
  memset(&o, 0, sizeof o);
  for (unsigned i = 0; i < N_GITLAB; i++) {
    ll_finding f = ll_finding_make("timer-per-iteration", LL_LEVEL_WARNING, "m",
                                   ll_span_make("x.c", i + 1, 1, 0, 0));
    f.fingerprint = ll_xasprintf("%016x", i < N_GITLAB / 2 ? i / 2 : i);
    ll_findings_push(&fs, f);
  }
  ll_report_ctx rc = ctx_for(&fs, NULL, &o);
  char *out_path = ll_xasprintf("%s/gitlab.json", dir);
  FILE *out = fopen(out_path, "w");
  double t0 = cpu_now();
  CHECK(out && ll_report_gitlab(out, &rc) == 0, "gitlab report written");
  double t = cpu_now() - t0;
  if (out) fclose(out);
  printf("gitlab report: %d findings in %.3f s CPU\n", N_GITLAB, t);
  CHECK(t < CPU_BUDGET_S, "gitlab report took %.2f s CPU (budget %.1f s): not linear", t,
        CPU_BUDGET_S);
  /* every entry's fingerprint is unique, also for the pairs */
  char *text = NULL;
  size_t len = 0;
  cJSON *doc = ll_read_file(out_path, &text, &len) == 0 ? cJSON_Parse(text) : NULL;
  size_t n = 0, dups = 0;
  char **seen = ll_xcalloc(N_GITLAB, sizeof *seen);
  for (const cJSON *e = doc ? doc->child : NULL; e; e = e->next) {
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(e, "fingerprint");
    if (cJSON_IsString(fp) && n < N_GITLAB) seen[n++] = fp->valuestring;
  }
  qsort(seen, n, sizeof *seen, cmp_str);
  for (size_t i = 1; i < n; i++) dups += strcmp(seen[i - 1], seen[i]) == 0;
  CHECK(n == N_GITLAB && dups == 0, "gitlab: %zu entries, %zu duplicate fingerprints", n, dups);
  free(seen);
  cJSON_Delete(doc);
  free(text);
  unlink(out_path);
  free(out_path);
  ll_findings_free(&fs);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: ux_report_scale TMPDIR\n");
    return 2;
  }
  char *dir = ll_xasprintf("%s/ux_report_scale.tmp", argv[1]);
  mkdir(dir, 0777);
  check_fingerprints(dir);
  check_reports(dir);
  check_gitlab(dir);
  rmdir(dir);
  free(dir);
  if (fails) printf("%d check(s) failed\n", fails);
  else printf("all report scale checks passed\n");
  return fails ? 1 : 0;
}
