/* run.c - the pipeline: config, rule packs, discovery, flags, parallel
 * parse + extraction (with prefilter and cache), analysis, suppressions,
 * baseline, report, fixes. */
#include "run.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "baseline.h"
#include "cache.h"
#include "clangapi.h"
#include "compdb.h"
#include "config.h"
#include "diag.h"
#include "discover.h"
#include "facts.h"
#include "fix.h"
#include "ir.h"
#include "newfromrev.h"
#include "parseproc.h"
#include "pool.h"
#include "prefilter.h"
#include "readfile.h"
#include "registry.h"
#include "report.h"
#include "rulepack.h"
#include "summary.h"
#include "suppress.h"
#include "tasklist.h"
#include "util.h"

#ifndef LEAKLINT_VERSION
#define LEAKLINT_VERSION "0.0.0"
#endif

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *ll_data_path(const char *sub) {
  const char *env = getenv("LEAKLINT_DATA_DIR");
  if (env && *env) {
    char *p = ll_xasprintf("%s/%s", env, sub);
    if (is_dir(p)) return p;
    free(p);
  }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = '\0';
      /* installed: <prefix>/bin/leaklint -> <prefix>/share/leaklint/<sub> */
      char *p = ll_xasprintf("%s/../share/leaklint/%s", exe, sub);
      if (is_dir(p)) return p;
      free(p);
    }
  }
#ifdef LEAKLINT_INSTALL_DATADIR
  {
    char *p = ll_xasprintf("%s/%s", LEAKLINT_INSTALL_DATADIR, sub);
    if (is_dir(p)) return p;
    free(p);
  }
#endif
#ifdef LEAKLINT_SOURCE_DIR
  {
    char *p = ll_xasprintf("%s/%s", LEAKLINT_SOURCE_DIR, sub);
    if (is_dir(p)) return p;
    free(p);
  }
#endif
  return NULL;
}

/* ---- rule packs ---- */

static int load_packs(const ll_options *o, ll_rules *rules, char **err) {
  char *dir = ll_data_path("rules");
  if (!dir) {
    *err = ll_xstrdup("cannot find the built-in rule packs (set LEAKLINT_DATA_DIR)");
    return -1;
  }
  int rc = ll_rules_load_dir(rules, dir, err);
  free(dir);
  if (rc) return -1;
  for (size_t i = 0; i < o->rule_dirs.n; i++) {
    const char *p = o->rule_dirs.v[i];
    struct stat st;
    if (stat(p, &st) != 0) {
      *err = ll_xasprintf("%s: %s", p, strerror(errno));
      return -1;
    }
    rc = S_ISDIR(st.st_mode) ? ll_rules_load_dir(rules, p, err) : ll_rules_load_file(rules, p, err);
    if (rc) return -1;
  }
  if (o->inline_models &&
      ll_rules_load_text(rules, o->inline_models_origin ? o->inline_models_origin : "config: /models",
                         o->inline_models, err))
    return -1;
  ll_rules_freeze(rules);
  return 0;
}

int ll_run_load_packs(const ll_options *opts, ll_rules *rules, char **err) {
  return load_packs(opts, rules, err);
}

/* ---- parallel parse ---- */

enum { ST_OK, ST_FAILED, ST_SKIPPED, ST_CACHED, ST_EMPTY, ST_RESCAN /* skipped, to be parsed now */ };

typedef struct job {
  const char *file;
  ll_strlist args;
  char *workdir;
  ll_tu *tu;
  ll_cache_entry *entry; /* a cache hit not decoded yet */
  ll_digest id;          /* the cache entry's id (SHA-256 of the entry), when has_id */
  int has_id;
  ll_notifications notes;
  int status;
  int resolved; /* the probe settled the job (cache hit or cached skip) */
} job;

typedef struct shared {
  job *jobs;
  size_t *order; /* pass 2 takes jobs[order[0]], jobs[order[1]], ...: largest files first */
  size_t n;
  const ll_rules *rules;
  const ll_options *opts;
  ll_prefilter *pf;
  ll_prefilter *round_pf; /* a later round's filter: the wrappers inferred since */
  ll_cache *cache;
  ll_pproc *pp; /* the worker processes' fork server, or NULL: parse in-process */
  pthread_mutex_t mu;
  size_t done;
  struct timespec t0;
} shared;

typedef struct worker {
  ll_pworker *proc;  /* this thread's parser process, started on the first parse */
  ll_parser *parser; /* without worker processes: created on the first parse */
} worker;

static void *worker_init(void *sh) {
  (void)sh;
  return ll_xcalloc(1, sizeof(worker));
}

static void worker_fini(void *sh, void *w) {
  (void)sh;
  worker *wk = w;
  ll_pworker_free(wk->proc);
  ll_parser_free(wk->parser);
  free(wk);
}

/* Binary, not source: at least 8 and at least 1/32 of the first bytes are
 * control characters other than whitespace. One stray NUL byte is not
 * enough (clang parses such a file: the NUL is whitespace, with a warning). */
static int looks_binary(const char *p, size_t n) {
  size_t ctl = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    ctl += c == 0x7f || (c < 0x20 && (c == 0 || !strchr("\t\n\v\f\r\033", c)));
  }
  return ctl >= 8 && ctl * 32 >= n;
}

/* libclang opens the main file and the headers itself: a FIFO there would
 * block the parse forever and /dev/zero would be read until memory runs out.
 * So before parsing, the main file and every header the include walker
 * resolves must be regular files within the source limit (readfile.h).
 * 0, or -1 with an error notification on the job. (A NUL byte does not
 * make a file unparsable: clang reads it as whitespace with a warning.) */
static int check_inputs(job *j) {
  char head[8192];
  size_t n = 0;
  int rc = ll_read_head(j->file, LL_READ_SOURCE, head, sizeof head, &n);
  if (rc) {
    ll_notify(&j->notes, LL_LEVEL_ERROR, j->file, 0, 0, "cannot read %s: %s", j->file,
              ll_read_strerror(rc, LL_READ_SOURCE));
    return -1;
  }
  if (looks_binary(head, n)) {
    ll_notify(&j->notes, LL_LEVEL_ERROR, j->file, 0, 0, "%s looks like a binary file; skipped", j->file);
    return -1;
  }
  ll_strlist inc = {0};
  ll_prefilter_includes(j->file, &j->args, j->workdir, &inc);
  unsigned long long limit = ll_read_limit(LL_READ_SOURCE);
  for (size_t i = 0; i < inc.n && !rc; i++) {
    struct stat st;
    if (stat(inc.v[i], &st) != 0) continue; /* gone: clang reports it */
    if (!S_ISREG(st.st_mode)) rc = LL_READ_ENOTREG;
    else if ((unsigned long long)st.st_size > limit) rc = LL_READ_ETOOBIG;
    if (rc)
      ll_notify(&j->notes, LL_LEVEL_ERROR, j->file, 0, 0, "cannot analyse %s: header %s is %s", j->file,
                inc.v[i], ll_read_strerror(rc, LL_READ_SOURCE));
  }
  ll_strlist_free(&inc);
  return rc ? -1 : 0;
}

static void progress(shared *s) {
  if (!s->opts->progress) return;
  pthread_mutex_lock(&s->mu);
  s->done++;
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  double el = (double)(t.tv_sec - s->t0.tv_sec) + (double)(t.tv_nsec - s->t0.tv_nsec) / 1e9;
  fprintf(stderr, "\r\033[Kleaklint: %zu/%zu files, %.1fs", s->done, s->n, el);
  if (s->done == s->n) fputs("\r\033[K", stderr);
  fflush(stderr);
  pthread_mutex_unlock(&s->mu);
}

/* Pass 1 (with a cache): look every file up without decoding its IR. */
static void probe_job(void *sh, void *w, size_t i) {
  shared *s = sh;
  job *j = &s->jobs[i];
  (void)w;
  ll_cache_result cr = ll_cache_get(s->cache, j->file, &j->args, j->workdir, s->pf != NULL, &j->entry, &j->id);
  if (cr != LL_CACHE_MISS) {
    j->has_id = 1;
    j->status = cr == LL_CACHE_HIT ? ST_CACHED : ST_SKIPPED;
    j->resolved = 1;
  }
}

/* In this worker's parser process (a crash there fails this file only; the
 * next file gets a new process), or in-process when there are none. */
static ll_tu *parse(shared *s, worker *wk, job *j) {
  if (s->pp && !wk->proc) wk->proc = ll_pworker_new(s->pp);
  if (wk->proc) {
    int dead = 0;
    ll_tu *tu = ll_pworker_parse(wk->proc, j->file, (const char *const *)j->args.v, (int)j->args.n,
                                 j->workdir, s->rules, &j->notes, &dead);
    if (dead) {
      ll_pworker_free(wk->proc);
      wk->proc = NULL;
    }
    return tu;
  }
  if (!wk->parser) wk->parser = ll_parser_new();
  if (!wk->parser) {
    const char *lerr = "cannot load libclang";
    ll_clang_load(&lerr);
    ll_notify(&j->notes, LL_LEVEL_ERROR, j->file, 0, 0, "cannot analyse %s: %s", j->file, lerr);
    return NULL;
  }
  return ll_facts_parse(wk->parser, j->file, (const char *const *)j->args.v, (int)j->args.n,
                        j->workdir, s->rules, &j->notes);
}

/* Parses j (its inputs checked) and caches a clean parse. */
static void parse_job(shared *s, worker *wk, job *j) {
  size_t errs0 = 0;
  for (size_t k = 0; k < j->notes.n; k++) errs0 += j->notes.v[k].level == LL_LEVEL_ERROR;
  j->tu = parse(s, wk, j);
  size_t errs = 0;
  for (size_t k = 0; k < j->notes.n; k++) errs += j->notes.v[k].level == LL_LEVEL_ERROR;
  j->status = (!j->tu || errs > errs0) ? ST_FAILED : ST_OK;
  /* only clean parses are cached: a failed parse must be retried */
  if (s->cache && j->tu && j->status == ST_OK)
    j->has_id = ll_cache_put(s->cache, j->file, &j->args, j->workdir, j->tu, s->rules, &j->id);
}

/* Pass 2: decode cache hits; filter and parse the rest. */
static void worker_job(void *sh, void *w, size_t i) {
  shared *s = sh;
  job *j = &s->jobs[s->order[i]];
  worker *wk = w;
  if (j->resolved) {
    if (j->status == ST_SKIPPED) {
      progress(s);
      return;
    }
    j->tu = ll_cache_entry_decode(j->entry, s->rules);
    j->entry = NULL;
    if (j->tu) {
      progress(s);
      return;
    }
    j->resolved = 0; /* changed under us: parse */
    j->status = ST_OK;
    j->has_id = 0;
  }
  if (check_inputs(j) != 0) {
    j->status = ST_FAILED;
    progress(s);
    return;
  }
  if (s->pf && !ll_prefilter_check(s->pf, j->file, &j->args, j->workdir)) {
    j->status = ST_SKIPPED;
    if (s->cache) j->has_id = ll_cache_put_skip(s->cache, j->file, &j->args, j->workdir, s->rules, &j->id);
    progress(s);
    return;
  }
  parse_job(s, wk, j);
  progress(s);
}

/* A later round: a file skipped so far is parsed (reparse_job) when it
 * names one of the wrappers inferred since (s->round_pf). Its skip entry in
 * the cache is replaced by the parse (same key), so a warm run finds it
 * parsed. */
static void rescan_job(void *sh, void *w, size_t i) {
  shared *s = sh;
  job *j = &s->jobs[s->order[i]];
  (void)w;
  if (ll_prefilter_check(s->round_pf, j->file, &j->args, j->workdir)) j->status = ST_RESCAN;
}

static void reparse_job(void *sh, void *w, size_t i) {
  shared *s = sh;
  job *j = &s->jobs[s->order[i]];
  j->status = ST_OK;
  j->resolved = 0;
  j->has_id = 0;
  if (check_inputs(j) != 0) {
    j->status = ST_FAILED;
    return;
  }
  parse_job(s, w, j);
}

/* Longest processing time first: parsing the largest files first keeps one
 * big file from running alone at the end while the other workers idle. */
typedef struct sized {
  long long size;
  size_t i;
} sized;

static int cmp_sized(const void *a, const void *b) {
  const sized *x = a, *y = b;
  if (x->size != y->size) return x->size < y->size ? 1 : -1;
  return x->i < y->i ? -1 : x->i > y->i;
}

static size_t *schedule(const job *jobs, size_t n) {
  sized *v = ll_xcalloc(n ? n : 1, sizeof(sized));
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    v[i].i = i;
    /* a cache hit only decodes: cheap whatever the file's size */
    v[i].size = jobs[i].resolved ? 0 : stat(jobs[i].file, &st) == 0 ? (long long)st.st_size : 0;
  }
  qsort(v, n, sizeof(sized), cmp_sized);
  size_t *order = ll_xcalloc(n ? n : 1, sizeof(size_t));
  for (size_t i = 0; i < n; i++) order[i] = v[i].i;
  free(v);
  return order;
}

/* The entry ids of every job, when each has one (else NULL). Caller frees. */
static ll_digest *job_ids(const job *jobs, size_t n) {
  if (n == 0) return NULL;
  for (size_t i = 0; i < n; i++)
    if (!jobs[i].has_id) return NULL;
  ll_digest *ids = ll_xcalloc(n, sizeof(ll_digest));
  for (size_t i = 0; i < n; i++) ids[i] = jobs[i].id;
  return ids;
}

/* ---- rule selection ---- */

static int rule_enabled(const ll_options *o, const char *rule) {
  if (o->select.n && !ll_strlist_contains(&o->select, rule)) return 0;
  if (ll_strlist_contains(&o->ignore, rule)) return 0;
  return 1;
}

static void select_rules(const ll_options *o, ll_findings *f) {
  size_t w = 0;
  for (size_t i = 0; i < f->n; i++) {
    if (!rule_enabled(o, f->v[i].rule)) {
      ll_finding_free(&f->v[i]);
      continue;
    }
    /* findings reused from the run cache carry the levels of the run that
       stored them (its key is the inputs only): stamp the configured one */
    int idx = ll_registry_find(f->v[i].rule);
    if (idx >= 0) f->v[i].level = ll_registry_level(o->rule_level, (size_t)idx);
    f->v[w++] = f->v[i];
  }
  f->n = w;
}

/* ---- output ---- */

/* --list-tasks: the spawn sites and inferred APIs, to -o FILE or stdout. */
static int list_tasks(const ll_options *o, const ll_program *prog, const ll_rules *rules, char **err) {
  FILE *file = stdout;
  if (o->output && strcmp(o->output, "-") != 0 && !(file = fopen(o->output, "w"))) {
    *err = ll_xasprintf("%s: cannot write the task list", o->output);
    return 2;
  }
  ll_summaries *sums = ll_summaries_infer(prog, rules);
  int rc = ll_tasklist_write(file, prog, rules, sums, o->format == LL_FMT_JSON);
  ll_summaries_free(sums);
  if (file != stdout && fclose(file) != 0) rc = -1;
  if (rc) *err = ll_xasprintf("%s: cannot write the task list", o->output ? o->output : "stdout");
  return rc ? 2 : 0;
}

static int write_report(const ll_options *o, const ll_report_ctx *rc, char **err) {
  FILE *out = stdout;
  ll_atomic *file = NULL;
  if (o->output && strcmp(o->output, "-") != 0) {
    if (!(file = ll_atomic_open(o->output, err))) return -1;
    out = ll_atomic_stream(file);
  }
  int r;
  switch (o->format) {
  case LL_FMT_JSON: r = ll_report_json(out, rc); break;
  case LL_FMT_SARIF: r = ll_report_sarif(out, rc); break;
  case LL_FMT_GITHUB: r = ll_report_github(out, rc); break;
  case LL_FMT_GITLAB: r = ll_report_gitlab(out, rc); break;
  default: r = ll_report_text(out, rc); break;
  }
  if (file) {
    if (r != 0) {
      ll_atomic_abort(file);
      *err = ll_xasprintf("%s: cannot write the report", o->output);
      return -1;
    }
    return ll_atomic_commit(file, err);
  }
  if (fflush(out) != 0) r = -1;
  if (r != 0) *err = ll_xstrdup("cannot write the report to standard output");
  return r;
}

static void print_statistics(const ll_options *o, const ll_findings *f) {
  FILE *out = (o->format == LL_FMT_TEXT && !o->output) ? stdout : stderr;
  for (size_t r = 0; r < ll_registry_count(); r++) {
    const char *id = ll_registry_at(r)->id;
    size_t n = 0, sup = 0;
    for (size_t i = 0; i < f->n; i++) {
      if (strcmp(f->v[i].rule, id) != 0) continue;
      if (f->v[i].suppressed)
        sup++;
      else
        n++;
    }
    if (!n && !sup) continue;
    fprintf(out, "%5zu  %-22s %s", n, id, ll_registry_at(r)->summary);
    if (sup) fprintf(out, " (%zu suppressed)", sup);
    fputc('\n', out);
  }
}

/* --fix: writes the safe fixes and drops the findings they fixed (they are
 * no longer open); *applied = their number. 0, or -1 with *err. */
static int apply_fixes(ll_findings *f, size_t *applied, char **err) {
  unsigned char *fixed = ll_xcalloc(f->n ? f->n : 1, 1);
  int rc = ll_fix_apply_marked(f, 1, NULL, fixed, err);
  size_t w = 0;
  *applied = 0;
  for (size_t i = 0; i < f->n; i++) {
    if (rc >= 0 && fixed[i]) {
      ll_finding_free(&f->v[i]);
      (*applied)++;
      continue;
    }
    f->v[w++] = f->v[i];
  }
  f->n = w;
  free(fixed);
  return rc < 0 ? -1 : 0;
}

/* 2 when a file failed to parse and that is not allowed: a partial run must
 * not pass a gate by accident. Else 1 while findings are open (and unused
 * suppressions, when asked for), unless --exit-zero or --write-baseline (the
 * findings just recorded are accepted). --fix has removed what it fixed;
 * --diff changes nothing, so it exits like a plain run. */
static int exit_code(const ll_options *o, const ll_findings *f, const ll_notifications *notes,
                     size_t failed) {
  if (failed && !o->allow_parse_errors) return 2;
  if (o->exit_zero || o->write_baseline) return 0;
  size_t active = 0;
  for (size_t i = 0; i < f->n; i++) active += !f->v[i].suppressed;
  if (o->report_unused_suppressions)
    for (size_t i = 0; i < notes->n; i++)
      if (notes->v[i].level == LL_LEVEL_WARNING && strstr(notes->v[i].message, "unused suppression"))
        active++;
  return active ? 1 : 0;
}

static void fail(const char *msg) { fprintf(stderr, "leaklint: error: %s\n", msg); }

/* ---- the stages of one run ----
 *
 * ll_run: session_open (options + config, frozen) -> collect (packs, files,
 * flags) -> extract (cache probe, prefilter, parse) -> analyse (program,
 * rules, suppressions, baseline) -> finish (report, exit code). Every stage
 * reads the frozen options and owns what it adds to the session; session_free
 * releases it all. A stage returns 0, or -1 with s->err (a usage error). */

typedef struct session {
  ll_options o; /* the command line with the config merged in; not changed after session_open */
  char *err;
  ll_rules *rules;
  ll_strlist files;
  ll_notifications notes;
  ll_compdb *db;
  job *jobs;
  size_t njobs;
  ll_prefilter *pf;
  ll_cache *cache;
  int run_hit; /* the cache held the findings of exactly this set of entries */
  ll_program *prog;
  ll_findings findings;
  size_t analyzed, failed, skipped, cached;
} session;

/* The run's own copy of the options, with the config merged in once. */
static int session_open(session *s, const ll_options *cli) {
  memset(s, 0, sizeof *s);
  ll_options_copy(&s->o, cli);
  s->rules = ll_rules_new();
  return ll_config_load(&s->o, &s->err) ? -1 : 0;
}

static void session_free(session *s) {
  free(s->err);
  ll_findings_free(&s->findings);
  ll_program_free(s->prog);
  for (size_t i = 0; i < s->njobs; i++) {
    ll_strlist_free(&s->jobs[i].args);
    free(s->jobs[i].workdir);
    ll_notifications_free(&s->jobs[i].notes);
    ll_tu_free(s->jobs[i].tu);
    ll_cache_entry_free(s->jobs[i].entry);
  }
  free(s->jobs);
  ll_compdb_free(s->db);
  ll_prefilter_free(s->pf);
  ll_cache_close(s->cache);
  ll_notifications_free(&s->notes);
  ll_strlist_free(&s->files);
  ll_rules_free(s->rules);
  ll_options_free(&s->o);
}

/* --clear-cache: empties the cache directory and analyses nothing. */
static int clear_cache(session *s) {
  const ll_options *o = &s->o;
  if (!o->cache_dir) {
    s->err = ll_xstrdup("no cache directory: set --cache-dir, XDG_CACHE_HOME or HOME");
    return -1;
  }
  size_t n = 0;
  unsigned long long bytes = 0;
  if (ll_cache_clear(o->cache_dir, &n, &bytes, &s->err)) return -1;
  if (!o->quiet)
    fprintf(stderr, "leaklint: removed %zu cache entries (%.1f MiB) from %s\n", n,
            (double)bytes / (1024.0 * 1024.0), o->cache_dir);
  return 0;
}

static void shard_files(const ll_options *o, ll_strlist *files) {
  if (o->shard_n <= 1) return;
  size_t w = 0;
  for (size_t i = 0; i < files->n; i++) {
    if (ll_shard_select(files->v[i], o->shard_k, o->shard_n))
      files->v[w++] = files->v[i];
    else
      free(files->v[i]);
  }
  files->n = w;
}

/* Collect: the rule packs, the files to analyse (this shard's) and each
 * file's compile flags, as one job per file. */
static int stage_collect(session *s) {
  const ll_options *o = &s->o;
  if (load_packs(o, s->rules, &s->err)) return -1;
  if (ll_discover(o, &s->files, &s->notes, &s->err)) return -1;
  shard_files(o, &s->files);
  if (ll_compdb_open(o, &s->db, &s->notes, &s->err)) return -1;
  s->njobs = s->files.n;
  s->jobs = ll_xcalloc(s->njobs ? s->njobs : 1, sizeof(job));
  for (size_t i = 0; i < s->njobs; i++) {
    s->jobs[i].file = s->files.v[i];
    ll_compdb_args(s->db, o, s->files.v[i], &s->jobs[i].args, &s->jobs[i].workdir, &s->notes);
  }
  return 0;
}

static void open_cache(session *s) {
  const ll_options *o = &s->o;
  if (o->no_cache || !o->cache_dir) return;
  char *why = NULL;
  int untrusted = 0;
  s->cache = ll_cache_open(o->cache_dir, s->rules, &why, &untrusted);
  /* a directory we may not trust is worth saying even without -v: the run
     is slower and someone may be tampering; an uncreatable one only with -v */
  if (!s->cache && why && !o->quiet && (untrusted || o->verbose))
    fprintf(stderr, "leaklint: note: not using the result cache: %s\n", why);
  free(why);
  if (s->cache) ll_config_ignore_cache_dir(o->cache_dir);
}

static int needs_parse(const job *jobs, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!jobs[i].resolved) return 1;
  return 0;
}

/* Moves every job's IR parsed or decoded so far into the session's program. */
static void take_tus(session *s) {
  if (!s->prog) s->prog = ll_program_new();
  for (size_t i = 0; i < s->njobs; i++) {
    if (!s->jobs[i].tu) continue;
    ll_program_add(s->prog, s->jobs[i].tu);
    s->jobs[i].tu = NULL;
  }
}

/* Another file may call fn: it has external linkage (C USRs of static
 * functions carry their file, "c:f.c@F@x"; anonymous namespaces are "@aN"),
 * or it is defined in a header (a static inline wrapper). */
static int callable_elsewhere(const ll_func *fn) {
  if (!fn->usr || !fn->tu || !fn->loc.file || !fn->tu->main_file) return 1;
  if (strcmp(fn->loc.file, fn->tu->main_file) != 0) return 1;
  return strncmp(fn->usr, "c:@", 3) == 0 && !strstr(fn->usr, "@aN");
}

/* The names of the functions the summaries of the program so far infer
 * (summary.h) that another file may call and that are not in *seen yet;
 * they are added to *seen too. Per-site entries (a select block's wait)
 * name no function of their own. */
static void new_wrapper_names(session *s, ll_strlist *seen, ll_strlist *out) {
  take_tus(s);
  ll_program_index(s->prog);
  ll_summaries *sums = ll_summaries_infer(s->prog, s->rules);
  for (size_t i = 0; i < ll_summaries_count(sums); i++) {
    const ll_api *a = ll_summaries_api(sums, i);
    const ll_func *fn = ll_summaries_func(sums, i);
    if (!fn || !a->name || a->name != fn->name || !callable_elsewhere(fn) || ll_strlist_contains(seen, a->name))
      continue;
    ll_strlist_push(seen, a->name);
    ll_strlist_push(out, a->name);
  }
  ll_summaries_free(sums);
}

/* The jobs with status st, as indices into s->jobs; *n of them. */
static size_t *jobs_with(const session *s, int st, size_t *n) {
  size_t *v = ll_xcalloc(s->njobs ? s->njobs : 1, sizeof(size_t));
  *n = 0;
  for (size_t i = 0; i < s->njobs; i++)
    if (s->jobs[i].status == st) v[(*n)++] = i;
  return v;
}

#define LATER_ROUNDS 8 /* wrapper-of-wrapper depth the prefilter follows */

/* The prefilter's later rounds. A file that starts its threads, or waits,
 * only through the project's own layer (nng's nni_thr_init) names no pack
 * API and was skipped; once the files parsed so far show that layer as
 * inferred APIs, the skipped files that name them are parsed too, and so on
 * while new wrappers appear (a wrapper of a wrapper). A round costs one
 * summary inference over the program and a text scan of the files still
 * skipped; only names another file can call count (a static function's
 * callers are in its own, parsed, file). */
static void later_rounds(session *s, shared *sh, int workers) {
  ll_strlist seen = {0};
  for (int round = 0; round < LATER_ROUNDS; round++) {
    size_t n = 0, nparse = 0;
    size_t *todo = jobs_with(s, ST_SKIPPED, &n);
    ll_strlist names = {0};
    if (n) new_wrapper_names(s, &seen, &names);
    if (names.n) {
      sh->round_pf = ll_prefilter_new_names((const char *const *)names.v, names.n);
      sh->order = todo;
      ll_pool_run(n, workers, sh, NULL, rescan_job, NULL);
      ll_prefilter_free(sh->round_pf);
      sh->round_pf = NULL;
      free(todo);
      todo = jobs_with(s, ST_RESCAN, &nparse);
    }
    if (nparse) {
      if (!sh->pp) sh->pp = ll_pproc_start(s->rules); /* no other thread runs here */
      sh->order = todo;
      ll_pool_run(nparse, workers, sh, worker_init, reparse_job, worker_fini);
    }
    free(todo);
    ll_strlist_free(&names);
    if (!nparse) break;
  }
  sh->order = NULL;
  ll_strlist_free(&seen);
}

/* Extract: every job gets its IR (a cache hit, or a parse), or is skipped by
 * the prefilter, or fails; unless the run cache already holds the findings. */
static int stage_extract(session *s) {
  const ll_options *o = &s->o;
  if (!o->no_prefilter) s->pf = ll_prefilter_new(s->rules);
  open_cache(s);
  shared sh = {0};
  sh.jobs = s->jobs;
  sh.n = s->njobs;
  sh.rules = s->rules;
  sh.opts = o;
  sh.pf = s->pf;
  sh.cache = s->cache;
  pthread_mutex_init(&sh.mu, NULL);
  clock_gettime(CLOCK_MONOTONIC, &sh.t0);
  int workers = o->jobs > 0 ? o->jobs : ll_cpu_count();
  if (s->cache && !o->list_tasks) {
    ll_pool_run(s->njobs, workers, &sh, NULL, probe_job, NULL);
    ll_digest *ids = job_ids(s->jobs, s->njobs);
    if (ids) s->run_hit = ll_cache_get_run(s->cache, ids, s->njobs, &s->findings);
    free(ids);
  }
  if (!s->run_hit) {
    sh.order = schedule(s->jobs, s->njobs);
    /* forked here, while no other thread runs; not when every file is a cache hit */
    if (needs_parse(s->jobs, s->njobs)) sh.pp = ll_pproc_start(s->rules);
    ll_pool_run(s->njobs, workers, &sh, worker_init, worker_job, worker_fini);
    free(sh.order);
    if (s->pf) later_rounds(s, &sh, workers);
    ll_pproc_stop(sh.pp);
  }
  pthread_mutex_destroy(&sh.mu);
  return 0;
}

/* Moves each job's notes and IR into the session and counts the outcomes. */
static void gather_jobs(session *s) {
  take_tus(s);
  for (size_t i = 0; i < s->njobs; i++) {
    job *j = &s->jobs[i];
    ll_notifications_append(&s->notes, &j->notes);
    switch (j->status) {
    case ST_FAILED: s->failed++; break;
    case ST_SKIPPED: s->skipped++; break;
    case ST_CACHED: s->cached++; s->analyzed++; break;
    default: s->analyzed++; break;
    }
  }
}

/* Analyse: the program's findings (from the rules or the run cache), then
 * rule selection, suppressions, fingerprints and the baseline. */
static int stage_analyse(session *s) {
  const ll_options *o = &s->o;
  gather_jobs(s);
  if (!s->run_hit) {
    ll_program_index(s->prog);
    ll_registry_run(s->prog, s->rules, o->rule_level, &s->findings);
    ll_digest *ids = s->cache ? job_ids(s->jobs, s->njobs) : NULL;
    if (ids) ll_cache_put_run(s->cache, ids, s->njobs, &s->findings);
    free(ids);
  }
  select_rules(o, &s->findings);
  ll_findings_sort_dedup(&s->findings);
  if (s->njobs == 0) ll_notify(&s->notes, LL_LEVEL_NOTE, NULL, 0, 0, "no C/C++ sources found");
  ll_suppress_apply(&s->findings, &s->notes, o->report_unused_suppressions,
                    (const char *const *)s->files.v, s->files.n);
  ll_findings_fingerprint(&s->findings, o->root);
  if (o->baseline && ll_baseline_filter(o->baseline, &s->findings, o->root, &s->err) < 0) return -1;
  if (o->new_from_rev && ll_newfromrev_filter(o->root, o->new_from_rev, &s->findings, &s->err) < 0)
    return -1;
  if (o->write_baseline && ll_baseline_write(o->write_baseline, &s->findings, o->root, &s->err)) return -1;
  ll_notifications_sort(&s->notes);
  return 0;
}

/* exit 2 when every file failed: no report file is written (nothing partial
 * is left behind); the errors say why, also with -q */
static int all_failed(session *s, const ll_report_ctx *rc) {
  ll_report_errors(stderr, rc);
  fail(s->njobs == 1 ? "the file could not be analysed" : "no file could be analysed");
  return 2;
}

/* Finish: fixes or the diff, the report, the summaries; *code = the exit code. */
static int stage_finish(session *s, int *code) {
  const ll_options *o = &s->o;
  ll_report_ctx rc = {0};
  rc.opts = o;
  rc.findings = &s->findings;
  rc.notes = &s->notes;
  rc.files_total = s->njobs;
  rc.files_analyzed = s->analyzed;
  rc.files_failed = s->failed;
  rc.files_cached = s->cached;
  rc.files_skipped = s->skipped;
  rc.color = o->color == LL_COLOR_ALWAYS;
  rc.base_dir = o->root;
  if (o->verbose && o->config_path)
    ll_notify(&s->notes, LL_LEVEL_NOTE, NULL, 0, 0, "using config %s", o->config_path);
  if (s->njobs > 0 && s->failed == s->njobs) {
    *code = all_failed(s, &rc);
    return 0;
  }
  if (o->diff) {
    if (ll_fix_apply(&s->findings, 0, stdout, &s->err) < 0) return -1;
  } else {
    /* fix first: the report then lists what is still open */
    if (o->fix && apply_fixes(&s->findings, &rc.fixes_applied, &s->err) < 0) return -1;
    if (write_report(o, &rc, &s->err)) return -1;
  }
  if (o->statistics) print_statistics(o, &s->findings);
  ll_report_stderr(stderr, &rc);
  if (o->write_baseline && !o->quiet)
    fprintf(stderr, "leaklint: recorded the findings in %s\n", o->write_baseline);
  *code = exit_code(o, &s->findings, &s->notes, s->failed);
  return 0;
}

/* --list-tasks: the program's spawn sites instead of the findings. */
static int stage_list_tasks(session *s, int *code) {
  gather_jobs(s);
  ll_program_index(s->prog);
  if (list_tasks(&s->o, s->prog, s->rules, &s->err)) return -1;
  *code = 0;
  return 0;
}

int ll_run(const ll_options *cli) {
  session s;
  int code = 2;
  int rc = session_open(&s, cli);
  if (rc == 0 && s.o.clear_cache) {
    rc = clear_cache(&s);
    code = 0;
  } else if (rc == 0) {
    rc = stage_collect(&s);
    if (rc == 0) rc = stage_extract(&s);
    if (rc == 0 && s.o.list_tasks) {
      rc = stage_list_tasks(&s, &code);
    } else {
      if (rc == 0) rc = stage_analyse(&s);
      if (rc == 0) rc = stage_finish(&s, &code);
    }
  }
  if (rc != 0) {
    fail(s.err ? s.err : "unknown error");
    code = 2;
  }
  session_free(&s);
  return code;
}
