/* options.h - the immutable settings of one run, built by cli.c (command
 * line) and config.c (.leaklint.json), read by everything else. */
#ifndef LL_OPTIONS_H
#define LL_OPTIONS_H

#include <stddef.h>
#include "diag.h"
#include "suggest.h"

typedef enum {
  LL_FMT_TEXT, LL_FMT_JSON, LL_FMT_SARIF, LL_FMT_GITHUB, LL_FMT_GITLAB
} ll_format;

typedef enum { LL_COLOR_AUTO, LL_COLOR_ALWAYS, LL_COLOR_NEVER } ll_color;

typedef struct ll_strlist {
  char **v;
  size_t n, cap;
} ll_strlist;
void ll_strlist_push(ll_strlist *l, const char *s); /* copies s */
void ll_strlist_free(ll_strlist *l);
int ll_strlist_contains(const ll_strlist *l, const char *s);

typedef struct ll_options {
  ll_strlist paths;          /* inputs; empty = "." */
  ll_strlist compiler_args;  /* everything after `--`, plus config "args" */
  ll_strlist excludes;       /* --exclude globs, plus config "exclude" */
  ll_strlist rule_dirs;      /* --rules DIR (extra packs), config "rule_packs" */
  ll_strlist select, ignore; /* rule ids enabled / disabled */
  char *compile_commands;    /* -p DIR|FILE, or NULL */
  char *output;              /* -o FILE, or NULL (stdout) */
  char *config;              /* --config FILE, or NULL (search upward) */
  char *baseline;            /* --baseline FILE */
  char *write_baseline;      /* --write-baseline FILE */
  char *cache_dir;           /* resolved cache directory, NULL = none (set by --cache-dir,
                                 else resolved by ll_config_load) */
  char *shard;               /* --shard K/N as given */
  int shard_k, shard_n;      /* 0-based k, n (n == 0: no sharding) */
  int jobs;                  /* -j N; 0 = online CPUs */
  ll_format format;
  ll_color color;            /* cli.c resolves AUTO to ALWAYS or NEVER (NO_COLOR, TTY) */
  int quiet, verbose;
  int exit_zero;
  char *category;            /* --category: SARIF runs[0].automationDetails.id, or NULL */
  int allow_parse_errors;    /* --allow-parse-errors / config: a file that fails to parse
                                does not by itself make the exit code 2 */
  int fix, diff;
  int statistics;
  int report_unused_suppressions;
  int no_cache, no_prefilter;
  int clear_cache;           /* --clear-cache: empty the cache directory, analyse nothing */
  int progress;              /* show a progress line (stderr is a TTY and not quiet) */
  ll_level *rule_level;      /* per-rule level override, indexed like the registry (ll_registry_count()
                                entries; -1 = default), or NULL: no override */
  /* added by config.c (frontend): */
  char *inline_models;        /* config "models": one rule pack as JSON text, or NULL;
                                 run.c passes it to ll_rules_load_text */
  char *inline_models_origin; /* its origin for messages: "CONFIG: /models" */
  char *config_path;          /* the .leaklint.json merged in, or NULL */
  /* the project root (config.c resolves it): */
  char *root_arg;             /* --root DIR as given, or NULL */
  char *root;                 /* resolved by ll_config_load: --root, config "root", the
                                 config's directory, the git top level or the cwd;
                                 canonical and absolute. Every reported path, SARIF
                                 %SRCROOT%, fingerprint and baseline entry is relative
                                 to it (relpath.h) */
  char *root_in_repo;         /* SARIF only: the root relative to the git top level ("" at
                                 the top, else "sub/dir/"), or NULL outside a work tree; lets
                                 merge-sarif tell shards' roots apart without a path */
  int absolute_paths;         /* --absolute-paths: files outside the root keep their
                                 absolute path and SARIF records the root's location */
  char *new_from_rev;         /* --new-from-rev REV: report only findings on lines
                                 changed since REV (newfromrev.h), or NULL */
  int list_tasks;             /* --list-tasks: print the spawn sites and inferred APIs instead of findings */
} ll_options;

/* Overrides the level of rule idx (a registry index); allocates rule_level on first use. */
void ll_options_set_level(ll_options *o, size_t idx, ll_level level);
void ll_options_free(ll_options *o);
/* A deep copy of the lists and strings that the config can change (for
 * --show-settings: what the command line alone said). */
void ll_options_copy(ll_options *dst, const ll_options *src);

/* ll_did_you_mean (suggest.h) over the registered rule ids. */
const char *ll_did_you_mean_rule(const char *word);
/* " (did you mean 'X'?)" for a suggestion, else "": for messages. */
#define LL_DYM_FMT "%s%s%s"
#define LL_DYM_ARGS(s) (s) ? " (did you mean '" : "", (s) ? (s) : "", (s) ? "'?)" : ""

#endif
