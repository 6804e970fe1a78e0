/* cli.c - command line -> ll_options.
 *
 *   leaklint [OPTIONS] [PATH...] [-- COMPILER_ARGS...]
 *   leaklint merge-sarif FILE... [-o OUT]
 *   leaklint verify [OPTIONS] -- PROGRAM [ARGS...]   (checker/verify/)
 *
 * GNU conventions: long options take their value after '=' or as the next
 * argument, short options may be bundled (-qv) and take their value attached
 * (-j4) or as the next argument, options and paths may be mixed, and `--`
 * ends the options: everything after it goes to the compiler. A usage error
 * is one line on stderr plus a hint, exit code 2. */
#include "cli.h"

#include "clangapi.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "registry.h"
#include "util.h"

#ifndef LEAKLINT_VERSION
#define LEAKLINT_VERSION "0.0.0"
#endif

#define LL_MAX_JOBS 1024
#define LL_MAX_SHARDS 100000

enum {
  OPT_COMPDB = 1, OPT_JOBS, OPT_FORMAT, OPT_OUTPUT, OPT_RULES, OPT_LIST_RULES,
  OPT_EXPLAIN, OPT_COLOR, OPT_QUIET, OPT_VERBOSE, OPT_VERSION, OPT_HELP,
  OPT_SELECT, OPT_IGNORE, OPT_CONFIG, OPT_EXCLUDE, OPT_BASELINE,
  OPT_WRITE_BASELINE, OPT_FIX, OPT_DIFF, OPT_STATISTICS, OPT_EXIT_ZERO,
  OPT_UNUSED_SUPPRESSIONS, OPT_NO_CACHE, OPT_CACHE_DIR, OPT_CLEAR_CACHE, OPT_NO_PREFILTER,
  OPT_SHARD, OPT_ALLOW_PARSE_ERRORS, OPT_CATEGORY, OPT_SHOW_SETTINGS,
  OPT_ROOT, OPT_ABSOLUTE_PATHS, OPT_NEW_FROM_REV, OPT_LIST_TASKS
};

typedef struct opt_def {
  const char *name; /* long name without "--" */
  char short_name;  /* 0 = none */
  int has_arg;
  int id;
} opt_def;

static const opt_def k_opts[] = {
  {"compile-commands", 'p', 1, OPT_COMPDB},
  {"jobs", 'j', 1, OPT_JOBS},
  {"format", 0, 1, OPT_FORMAT},
  {"output", 'o', 1, OPT_OUTPUT},
  {"rules", 0, 1, OPT_RULES},
  {"list-rules", 0, 0, OPT_LIST_RULES},
  {"explain", 0, 1, OPT_EXPLAIN},
  {"color", 0, 1, OPT_COLOR},
  {"quiet", 'q', 0, OPT_QUIET},
  {"verbose", 'v', 0, OPT_VERBOSE},
  {"version", 0, 0, OPT_VERSION},
  {"help", 'h', 0, OPT_HELP},
  {"select", 0, 1, OPT_SELECT},
  {"ignore", 0, 1, OPT_IGNORE},
  {"config", 0, 1, OPT_CONFIG},
  {"exclude", 0, 1, OPT_EXCLUDE},
  {"baseline", 0, 1, OPT_BASELINE},
  {"write-baseline", 0, 1, OPT_WRITE_BASELINE},
  {"fix", 0, 0, OPT_FIX},
  {"diff", 0, 0, OPT_DIFF},
  {"statistics", 0, 0, OPT_STATISTICS},
  {"exit-zero", 0, 0, OPT_EXIT_ZERO},
  {"report-unused-suppressions", 0, 0, OPT_UNUSED_SUPPRESSIONS},
  {"no-cache", 0, 0, OPT_NO_CACHE},
  {"cache-dir", 0, 1, OPT_CACHE_DIR},
  {"clear-cache", 0, 0, OPT_CLEAR_CACHE},
  {"no-prefilter", 0, 0, OPT_NO_PREFILTER},
  {"shard", 0, 1, OPT_SHARD},
  {"allow-parse-errors", 0, 0, OPT_ALLOW_PARSE_ERRORS},
  {"category", 0, 1, OPT_CATEGORY},
  {"show-settings", 0, 0, OPT_SHOW_SETTINGS},
  {"root", 0, 1, OPT_ROOT},
  {"absolute-paths", 0, 0, OPT_ABSOLUTE_PATHS},
  {"new-from-rev", 0, 1, OPT_NEW_FROM_REV},
  {"list-tasks", 0, 0, OPT_LIST_TASKS},
};

static const char *const k_formats[] = {"text", "json", "sarif", "github", "gitlab"};
static const char *const k_colors[] = {"auto", "always", "never"};
#define N_OPTS (sizeof(k_opts) / sizeof(k_opts[0]))

void ll_cli_usage(FILE *out) {
  fputs(
"usage: leaklint [OPTIONS] [PATH...] [-- COMPILER_ARGS...]\n"
"       leaklint merge-sarif FILE... [-o OUT]\n"
"       leaklint verify [OPTIONS] -- PROGRAM [ARGS...]   (leaklint verify --help)\n"
"\n"
"Finds leak-prone concurrency in C and C++: tasks that can block forever on an\n"
"unbuffered channel or a wait nobody cancels, and timers created per loop\n"
"iteration. PATHs are files or directories (default: the current directory);\n"
"directories are searched for C/C++/Objective-C sources, skipping hidden and\n"
"git-ignored entries. Arguments after `--` are passed to the compiler.\n"
"\n"
"Input:\n"
"  -p, --compile-commands DIR|FILE  use this compile_commands.json (default: search\n"
"                                   the inputs' directories upward, then build*/)\n"
"      --exclude GLOB               skip matching files and directories (repeatable;\n"
"                                   '**' crosses '/', a GLOB without '/' matches any\n"
"                                   path component)\n"
"      --config FILE                read this config instead of searching for\n"
"                                   .leaklint.json upward from the current directory\n"
"      --shard K/N                  analyse only the K-th of N slices of the files\n"
"      --root DIR                   the project root every reported path, baseline\n"
"                                   entry and fingerprint is relative to (default:\n"
"                                   the .leaklint.json's directory, else the git\n"
"                                   top level, else the current directory)\n"
"\n"
"Rules:\n"
"      --select RULE[,RULE]         run only these rules (repeatable)\n"
"      --ignore RULE[,RULE]         do not run these rules (repeatable)\n"
"      --rules DIR|FILE             load extra rule packs (repeatable)\n"
"      --list-rules                 list the rules, then exit\n"
"      --explain RULE               describe a rule, then exit\n"
"      --show-settings              print the settings this run would use and where\n"
"                                   each comes from (command line, config, default),\n"
"                                   then exit (--format json for JSON)\n"
"      --list-tasks                 analyse, then print every spawn site with its\n"
"                                   API (pack or inferred), its task body or why\n"
"                                   it is unresolved, and the APIs inferred from\n"
"                                   the project's own thread layers (--format json\n"
"                                   for JSON); exit 0\n"
"\n"
"Output:\n"
"      --format FORMAT              text (default), json, sarif, github or gitlab\n"
"  -o, --output FILE                write the report to FILE (default: stdout)\n"
"      --color WHEN                 auto (default), always or never; auto colours\n"
"                                   only a terminal, honours NO_COLOR and\n"
"                                   FORCE_COLOR (which wins)\n"
"      --absolute-paths             files outside the root keep their absolute\n"
"                                   path, and SARIF records where the root is\n"
"                                   (default: no absolute home or work-tree path)\n"
"      --category ID                SARIF: runs[0].automationDetails.id (code\n"
"                                   scanning category, for API uploads)\n"
"      --statistics                 print the number of findings per rule\n"
"      --report-unused-suppressions report leaklint:ignore comments that match nothing\n"
"  -q, --quiet                      print findings only: no progress, no summary\n"
"  -v, --verbose                    also print notes: skipped files, dropped flags,\n"
"                                   the config in use\n"
"\n"
"Adoption:\n"
"      --baseline FILE              report only findings not recorded in FILE\n"
"      --write-baseline FILE        record the current findings in FILE (exit 0)\n"
"      --new-from-rev REV           report only findings whose primary or related\n"
"                                   lines changed since the git revision REV\n"
"                                   (committed, staged or not; new files count)\n"
"      --fix                        apply safe fixes to the sources; report what\n"
"                                   is still open and how many fixes were applied\n"
"      --diff                       print the safe fixes as a unified diff instead\n"
"                                   (writes nothing: exits like a plain run)\n"
"      --exit-zero                  exit 0 even when there are findings (errors,\n"
"                                   parse errors included, still exit 2)\n"
"      --allow-parse-errors         a file that fails to parse (e.g. a missing\n"
"                                   header) is reported but does not make the\n"
"                                   exit status 2\n"
"\n"
"Performance:\n"
"  -j, --jobs N                     parse with N threads, 1-1024 (default: one per CPU)\n"
"      --no-cache                   do not read or write the result cache\n"
"      --cache-dir DIR              keep the result cache in DIR\n"
"                                   (default: $XDG_CACHE_HOME/leaklint)\n"
"      --clear-cache                remove every entry from the cache directory\n"
"                                   (the one this run would use) and exit\n"
"      --no-prefilter               parse every file, even those that mention no\n"
"                                   API of any rule pack\n"
"\n"
"  -h, --help                       print this help, then exit\n"
"      --version                    print the version, then exit\n"
"\n"
"Exit status: 0 no findings, 1 findings, 2 usage, configuration or input error,\n"
"or a file failed to parse (unless --allow-parse-errors).\n",
      out);
}

static void merge_usage(FILE *out) {
  fputs(
"usage: leaklint merge-sarif FILE... [-o OUT]\n"
"\n"
"Merges the runs of several SARIF files (e.g. one per --shard) into one log.\n"
"Every input's %SRCROOT% must be the first input's or lie below it (its URIs\n"
"are then rebased onto the first root); other mixes exit 2.\n"
"\n"
"  -o, --output OUT                 write the merged log to OUT (default: stdout)\n"
"  -h, --help                       print this help, then exit\n",
      out);
}

/* Prints "leaklint: error: ..." plus the hint; sets the exit code. */
static ll_cli_action usage_error(int *code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static ll_cli_action usage_error(int *code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("leaklint: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nTry 'leaklint --help'.\n", stderr);
  va_end(ap);
  *code = 2;
  return LL_CLI_EXIT;
}

static void print_version(FILE *out) {
  if (ll_clang_load(NULL) != 0) {
    fprintf(out, "leaklint %s (libclang not loadable)\n", LEAKLINT_VERSION);
    return;
  }
  CXString cs = clang_getClangVersion();
  const char *full = clang_getCString(cs);
  const char *v = full ? strstr(full, "version ") : NULL;
  char ver[64] = "unknown";
  if (v) {
    v += strlen("version ");
    size_t n = strcspn(v, " (");
    if (n >= sizeof(ver)) n = sizeof(ver) - 1;
    memcpy(ver, v, n);
    ver[n] = '\0';
  } else if (full && *full) {
    snprintf(ver, sizeof(ver), "%s", full);
  }
  clang_disposeString(cs);
  fprintf(out, "leaklint %s (libclang %s)\n", LEAKLINT_VERSION, ver);
}

static const opt_def *find_long(const char *name, size_t len) {
  for (size_t i = 0; i < N_OPTS; i++)
    if (strlen(k_opts[i].name) == len && strncmp(k_opts[i].name, name, len) == 0)
      return &k_opts[i];
  return NULL;
}

static const opt_def *find_short(char c) {
  for (size_t i = 0; i < N_OPTS; i++)
    if (k_opts[i].short_name == c) return &k_opts[i];
  return NULL;
}

static const char *suggest_long(const char *name, size_t len) {
  const char *names[N_OPTS];
  for (size_t i = 0; i < N_OPTS; i++) names[i] = k_opts[i].name;
  char *word = ll_xstrndup(name, len);
  const char *best = ll_did_you_mean(word, names, N_OPTS);
  free(word);
  return best;
}

/* Strict decimal integer in [lo, hi]. */
static int parse_int(const char *s, long lo, long hi, long *out) {
  if (!*s || *s == '+' || *s == '-' || *s == ' ') return -1;
  errno = 0;
  char *end;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

static void set_str(char **dst, const char *v) {
  free(*dst);
  *dst = ll_xstrdup(v);
}

/* Splits "a,b" into validated rule ids appended to list. -1 on a bad id. */
static int push_rule_ids(ll_strlist *list, const char *value, const char *opt,
                         int *code) {
  const char *p = value;
  for (;;) {
    size_t n = strcspn(p, ",");
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    char *id = ll_xstrndup(p, n);
    if (!*id) {
      free(id);
      usage_error(code, "empty rule id in --%s '%s'", opt, value);
      return -1;
    }
    if (ll_registry_find(id) < 0) {
      usage_error(code, "unknown rule '%s' in --%s" LL_DYM_FMT " (see 'leaklint --list-rules')", id,
                  opt, LL_DYM_ARGS(ll_did_you_mean_rule(id)));
      free(id);
      return -1;
    }
    if (!ll_strlist_contains(list, id)) ll_strlist_push(list, id);
    free(id);
    p += strcspn(p, ",");
    if (!*p) break;
    p++;
  }
  return 0;
}

static int parse_shard(ll_options *o, const char *v, int *code) {
  const char *slash = strchr(v, '/');
  long k, n;
  char *ks = slash ? ll_xstrndup(v, (size_t)(slash - v)) : NULL;
  int bad = !slash || parse_int(ks, 1, LL_MAX_SHARDS, &k) < 0 ||
            parse_int(slash + 1, 1, LL_MAX_SHARDS, &n) < 0;
  free(ks);
  if (bad) {
    usage_error(code, "invalid value '%s' for --shard: expected K/N with 1 <= K <= N", v);
    return -1;
  }
  if (k > n) {
    usage_error(code, "invalid value '%s' for --shard: shard %ld of %ld does not exist", v, k, n);
    return -1;
  }
  set_str(&o->shard, v);
  o->shard_k = (int)k - 1;
  o->shard_n = (int)n;
  return 0;
}

typedef struct parse_state {
  ll_cli_action action;
  int jobs_set;
  int no_cache, cache_dir;
} parse_state;

/* Where an option whose value is kept as given (a path, a name) goes: a
 * string, or a list for the repeatable ones; NULL for the other options. */
static char **string_slot(ll_options *o, int id) {
  switch (id) {
  case OPT_COMPDB: return &o->compile_commands;
  case OPT_CONFIG: return &o->config;
  case OPT_BASELINE: return &o->baseline;
  case OPT_WRITE_BASELINE: return &o->write_baseline;
  case OPT_CATEGORY: return &o->category;
  case OPT_CACHE_DIR: return &o->cache_dir;
  case OPT_ROOT: return &o->root_arg;
  }
  return NULL;
}

static ll_strlist *list_slot(ll_options *o, int id) {
  switch (id) {
  case OPT_RULES: return &o->rule_dirs;
  case OPT_EXCLUDE: return &o->excludes;
  }
  return NULL;
}

/* Stores an option kept as given (an empty value is a usage error). 1 when
 * d is one of them, 0 when not, -1 on the error. */
static int apply_plain(const opt_def *d, const char *spelled, const char *v, ll_options *o,
                       parse_state *st, int *code) {
  char **str = string_slot(o, d->id);
  ll_strlist *list = str ? NULL : list_slot(o, d->id);
  if (!str && !list) return 0;
  if (!*v) return usage_error(code, "empty value for %s", spelled), -1;
  if (str) set_str(str, v);
  else ll_strlist_push(list, v);
  if (d->id == OPT_CACHE_DIR) st->cache_dir = 1;
  return 1;
}

/* Applies one option. Returns 0 to continue, 1 when done (help/version
 * printed: *code set), -1 on a usage error (printed, *code = 2). */
static int apply(const opt_def *d, const char *spelled, const char *v,
                 ll_options *o, parse_state *st, int *code, char **explain) {
  long n;
  int plain = apply_plain(d, spelled, v, o, st, code);
  if (plain) return plain < 0 ? -1 : 0;
  switch (d->id) {
  case OPT_JOBS:
    if (parse_int(v, 1, LL_MAX_JOBS, &n) < 0)
      return usage_error(code, "invalid value '%s' for %s: expected a number from 1 to %d",
                         v, spelled, LL_MAX_JOBS), -1;
    o->jobs = (int)n;
    st->jobs_set = 1;
    break;
  case OPT_FORMAT:
    if (!strcmp(v, "text")) o->format = LL_FMT_TEXT;
    else if (!strcmp(v, "json")) o->format = LL_FMT_JSON;
    else if (!strcmp(v, "sarif")) o->format = LL_FMT_SARIF;
    else if (!strcmp(v, "github")) o->format = LL_FMT_GITHUB;
    else if (!strcmp(v, "gitlab")) o->format = LL_FMT_GITLAB;
    else
      return usage_error(code, "invalid value '%s' for %s" LL_DYM_FMT ": expected text, json, "
                         "sarif, github or gitlab", v, spelled,
                         LL_DYM_ARGS(ll_did_you_mean(v, k_formats, 5))), -1;
    break;
  case OPT_OUTPUT:
    if (!*v) return usage_error(code, "empty value for %s", spelled), -1;
    free(o->output);
    o->output = strcmp(v, "-") == 0 ? NULL : ll_xstrdup(v);
    break;
  case OPT_LIST_RULES:
    st->action = LL_CLI_LIST_RULES;
    break;
  case OPT_SHOW_SETTINGS:
    st->action = LL_CLI_SHOW_SETTINGS;
    break;
  case OPT_LIST_TASKS:
    o->list_tasks = 1;
    break;
  case OPT_EXPLAIN:
    if (ll_registry_find(v) < 0)
      return usage_error(code, "unknown rule '%s' for %s" LL_DYM_FMT " (see 'leaklint --list-rules')",
                         v, spelled, LL_DYM_ARGS(ll_did_you_mean_rule(v))), -1;
    free(*explain);
    *explain = ll_xstrdup(v);
    st->action = LL_CLI_EXPLAIN;
    break;
  case OPT_COLOR:
    if (!strcmp(v, "auto")) o->color = LL_COLOR_AUTO;
    else if (!strcmp(v, "always")) o->color = LL_COLOR_ALWAYS;
    else if (!strcmp(v, "never")) o->color = LL_COLOR_NEVER;
    else
      return usage_error(code, "invalid value '%s' for %s" LL_DYM_FMT ": expected auto, always "
                         "or never", v, spelled, LL_DYM_ARGS(ll_did_you_mean(v, k_colors, 3))), -1;
    break;
  case OPT_QUIET: o->quiet = 1; break;
  case OPT_VERBOSE: o->verbose++; break;
  case OPT_VERSION:
    print_version(stdout);
    *code = 0;
    return 1;
  case OPT_HELP:
    ll_cli_usage(stdout);
    *code = 0;
    return 1;
  case OPT_SELECT:
    if (push_rule_ids(&o->select, v, "select", code) < 0) return -1;
    break;
  case OPT_IGNORE:
    if (push_rule_ids(&o->ignore, v, "ignore", code) < 0) return -1;
    break;
  case OPT_FIX: o->fix = 1; break;
  case OPT_DIFF: o->diff = 1; break;
  case OPT_STATISTICS: o->statistics = 1; break;
  case OPT_EXIT_ZERO: o->exit_zero = 1; break;
  case OPT_ALLOW_PARSE_ERRORS: o->allow_parse_errors = 1; break;
  case OPT_UNUSED_SUPPRESSIONS: o->report_unused_suppressions = 1; break;
  case OPT_NO_CACHE:
    o->no_cache = 1;
    st->no_cache = 1;
    break;
  case OPT_CLEAR_CACHE: o->clear_cache = 1; break;
  case OPT_NO_PREFILTER: o->no_prefilter = 1; break;
  case OPT_SHARD:
    if (parse_shard(o, v, code) < 0) return -1;
    break;
  case OPT_ABSOLUTE_PATHS: o->absolute_paths = 1; break;
  case OPT_NEW_FROM_REV:
    /* a revision starting with '-' would reach git as an option */
    if (!*v || v[0] == '-')
      return usage_error(code, "invalid value '%s' for %s: expected a git revision", v, spelled), -1;
    set_str(&o->new_from_rev, v);
    break;
  }
  return 0;
}

/* `leaklint merge-sarif FILE... [-o OUT]` */
static ll_cli_action parse_merge(int argc, char **argv, ll_options *o, int *code) {
  int dd = 0;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *v = NULL;
    if (!dd && !strcmp(a, "--")) {
      dd = 1;
    } else if (!dd && (!strcmp(a, "-h") || !strcmp(a, "--help"))) {
      merge_usage(stdout);
      *code = 0;
      return LL_CLI_EXIT;
    } else if (!dd && (!strcmp(a, "-o") || !strcmp(a, "--output"))) {
      if (i + 1 >= argc) return usage_error(code, "option '%s' requires a value", a);
      v = argv[++i];
    } else if (!dd && !strncmp(a, "--output=", 9)) {
      v = a + 9;
    } else if (!dd && !strncmp(a, "-o", 2)) {
      v = a + 2;
    } else if (!dd && a[0] == '-' && a[1]) {
      return usage_error(code, "unknown option '%s' for merge-sarif", a);
    } else {
      ll_strlist_push(&o->paths, a);
    }
    if (v) {
      if (!*v) return usage_error(code, "empty value for --output");
      free(o->output);
      o->output = strcmp(v, "-") == 0 ? NULL : ll_xstrdup(v);
    }
  }
  if (o->paths.n == 0) return usage_error(code, "merge-sarif needs at least one SARIF file");
  o->quiet = 1;
  *code = 0;
  return LL_CLI_MERGE_SARIF;
}

/* FORCE_COLOR set to anything but "", "0" or "false" asks for colour. */
static int force_color(void) {
  const char *fc = getenv("FORCE_COLOR");
  return fc && *fc && strcmp(fc, "0") != 0 && strcmp(fc, "false") != 0;
}

/* --color always/never win; then FORCE_COLOR (CI logs that render ANSI are
 * not terminals); then NO_COLOR; then whether stdout is a terminal. */
static void resolve_color(ll_options *o) {
  if (o->color != LL_COLOR_AUTO) return;
  if (force_color()) {
    o->color = LL_COLOR_ALWAYS;
    return;
  }
  const char *nc = getenv("NO_COLOR");
  int tty = o->output == NULL && isatty(STDOUT_FILENO);
  o->color = (tty && !(nc && *nc)) ? LL_COLOR_ALWAYS : LL_COLOR_NEVER;
}

ll_cli_action ll_cli_parse(int argc, char **argv, ll_options *o, int *code,
                           char **explain) {
  parse_state st = {LL_CLI_RUN, 0, 0, 0};
  *code = 0;

  if (argc > 1 && strcmp(argv[1], "merge-sarif") == 0)
    return parse_merge(argc, argv, o, code);

  int dd = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (dd) {
      ll_strlist_push(&o->compiler_args, a);
      continue;
    }
    if (strcmp(a, "--") == 0) {
      dd = 1;
      continue;
    }
    if (a[0] == '-' && a[1] == '-') {
      const char *name = a + 2;
      const char *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      const opt_def *d = find_long(name, len);
      if (!d) {
        const char *s = suggest_long(name, len);
        if (s)
          return usage_error(code, "unknown option '--%.*s' (did you mean '--%s'?)",
                             (int)len, name, s);
        return usage_error(code, "unknown option '--%.*s'", (int)len, name);
      }
      char spelled[64];
      snprintf(spelled, sizeof(spelled), "--%s", d->name);
      const char *v = NULL;
      if (d->has_arg) {
        if (eq) v = eq + 1;
        else if (i + 1 < argc) v = argv[++i];
        else return usage_error(code, "option '%s' requires a value", spelled);
      } else if (eq) {
        return usage_error(code, "option '%s' does not take a value", spelled);
      }
      int r = apply(d, spelled, v, o, &st, code, explain);
      if (r) return LL_CLI_EXIT;
    } else if (a[0] == '-' && a[1]) {
      for (size_t j = 1; a[j]; j++) {
        const opt_def *d = find_short(a[j]);
        if (!d) return usage_error(code, "unknown option '-%c'", a[j]);
        char spelled[64];
        snprintf(spelled, sizeof(spelled), "-%c", a[j]);
        const char *v = NULL;
        if (d->has_arg) {
          if (a[j + 1]) v = a + j + 1;
          else if (i + 1 < argc) v = argv[++i];
          else return usage_error(code, "option '%s' requires a value", spelled);
        }
        int r = apply(d, spelled, v, o, &st, code, explain);
        if (r) return LL_CLI_EXIT;
        if (d->has_arg) break;
      }
    } else {
      if (!*a) return usage_error(code, "empty path");
      ll_strlist_push(&o->paths, a);
    }
  }

  if (st.no_cache && st.cache_dir)
    return usage_error(code, "--cache-dir and --no-cache cannot be combined");
  if (o->clear_cache && o->no_cache)
    return usage_error(code, "--clear-cache and --no-cache cannot be combined");
  if (o->clear_cache && o->paths.n)
    return usage_error(code, "--clear-cache takes no paths (it analyses nothing)");
  if (o->quiet && o->verbose)
    return usage_error(code, "--quiet and --verbose cannot be combined");
  if (o->baseline && o->write_baseline && strcmp(o->baseline, o->write_baseline) == 0)
    return usage_error(code, "--baseline and --write-baseline name the same file '%s'",
                       o->baseline);
  for (size_t i = 0; i < o->select.n; i++)
    if (ll_strlist_contains(&o->ignore, o->select.v[i]))
      return usage_error(code, "rule '%s' is both selected and ignored", o->select.v[i]);

  if (!st.jobs_set) {
    int n = ll_cpu_count();
    o->jobs = n < 1 ? 1 : n > LL_MAX_JOBS ? LL_MAX_JOBS : n;
  }
  resolve_color(o);
  o->progress = isatty(STDERR_FILENO) && !o->quiet;
  return st.action;
}
