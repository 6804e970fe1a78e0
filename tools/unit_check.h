/* unit_check.h - what the C unit tests share: the one assertion
 * CHECK(cond, fmt, ...), which prints "FAIL file:line: message" and counts the
 * failure in `fails`; ut_put, which writes a test input; and the set-up of the
 * analysis tests (pass_unit, sync_unit, stoppath_unit, mult_unit,
 * summary_unit, class_unit): the real front end and the real packs, a
 * snippet parsed into a program, a function by name, the exit code.
 * Included by the unit-test programs only. */
#ifndef LL_UNIT_CHECK_H
#define LL_UNIT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "ir.h"
#include "pass.h"
#include "rulepack.h"
#include "util.h"

static int fails;

#define CHECK(cond, ...)                          \
  do {                                            \
    if (!(cond)) {                                \
      fails++;                                    \
      printf("FAIL %s:%d: ", __FILE__, __LINE__); \
      printf(__VA_ARGS__);                        \
      printf("\n");                               \
    }                                             \
  } while (0)

/* Writes text to path, or exits 2 (a test that cannot set up is broken). */
static inline void ut_put(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
}

/* ---- the analysis tests: a snippet through the real front end ---- */

static const char *ut_tmpdir; /* argv[2]: where the snippets are written */
static ll_rules *ut_packs;    /* rules/ of argv[1], frozen */
static ll_parser *ut_parser;

/* PROG SRCDIR TMPDIR: loads the packs and the parser. 0 when ready, else the
 * exit code main returns: 2 (usage), 77 (no libclang: the test skips), 1. */
static inline int ut_setup(int argc, char **argv) {
  if (argc != 3) {
    const char *prog = strrchr(argv[0], '/');
    fprintf(stderr, "usage: %s SRCDIR TMPDIR\n", prog ? prog + 1 : argv[0]);
    return 2;
  }
  ut_tmpdir = argv[2];
  ut_parser = ll_parser_new();
  if (!ut_parser) {
    printf("SKIP: libclang cannot be loaded\n");
    return 77;
  }
  ut_packs = ll_rules_new();
  char *dir = ll_xasprintf("%s/rules", argv[1]), *err = NULL;
  if (ll_rules_load_dir(ut_packs, dir, &err)) {
    printf("FAIL: %s\n", err);
    return 1;
  }
  free(dir);
  ll_rules_freeze(ut_packs);
  return 0;
}

/* Releases what ut_setup made; the exit code: 0 when every CHECK held. */
static inline int ut_finish(void) {
  ll_parser_free(ut_parser);
  ll_rules_free(ut_packs);
  if (fails) printf("%d failure(s)\n", fails);
  else printf("all passed\n");
  return fails ? 1 : 0;
}

typedef enum { UT_C, UT_CXX, UT_CXX20 } ut_lang; /* gnu11, c++17, gnu++20 */

/* Writes text to TMPDIR/name and parses it; exits 1 when it does not parse
 * (every snippet is valid code: a failure is the test's). */
static inline ll_tu *ut_parse_tu(const char *name, const char *text, ut_lang lang) {
  char *path = ll_xasprintf("%s/%s", ut_tmpdir, name);
  ut_put(path, text);
  static const char *const args[][3] = {
    [UT_C] = {"-x", "c", "-std=gnu11"},
    [UT_CXX] = {"-x", "c++", "-std=c++17"},
    [UT_CXX20] = {"-x", "c++", "-std=gnu++20"},
  };
  ll_notifications notes = {0};
  ll_tu *tu = ll_facts_parse(ut_parser, path, args[lang], 3, NULL, ut_packs, &notes);
  ll_notifications_free(&notes);
  free(path);
  if (!tu) {
    printf("FAIL: cannot parse %s\n", name);
    exit(1);
  }
  return tu;
}

/* The snippet as a program of its own, indexed. */
static inline ll_program *ut_parse(const char *name, const char *text, ut_lang lang) {
  ll_program *p = ll_program_new();
  ll_program_add(p, ut_parse_tu(name, text, lang));
  ll_program_index(p);
  return p;
}

/* The first function called name in p's units, in order; exits 1 without one. */
static inline const ll_func *ut_func(const ll_program *p, const char *name) {
  for (size_t t = 0; t < ll_program_tu_count(p); t++) {
    ll_tu *tu = ll_program_tu(p, t);
    for (size_t i = 0; i < tu->nfuncs; i++)
      if (tu->funcs[i]->name && strcmp(tu->funcs[i]->name, name) == 0) return tu->funcs[i];
  }
  printf("FAIL: no function %s\n", name);
  exit(1);
}

/* Runs the one pass probe over p (it and what it requires), as a rule at
 * level: its findings are appended to *out, or dropped when out is NULL. */
static inline void ut_run(const ll_pass *probe, ll_level level, const ll_program *p, ll_findings *out) {
  const ll_pass *rules[] = {probe};
  ll_level levels[] = {level};
  ll_findings dropped = {0};
  ll_passes_run(rules, levels, 1, p, ut_packs, out ? out : &dropped);
  ll_findings_free(&dropped);
}

/* The first node of fn that assigns `name` (an ASSIGN, or a store call on
 * it), or calls a callee whose last name component is `name`. */
typedef struct ut_find {
  const char *name;
  const ll_node *hit;
} ut_find;

static inline const char *ut_last_name(const char *q) {
  const char *l = q ? strrchr(q, ':') : NULL;
  return l ? l + 1 : q;
}

static inline int ut_find_node(ll_node *n, void *ctx) {
  ut_find *f = ctx;
  const ll_value *v = NULL;
  if (n->kind == LL_N_ASSIGN) v = ll_value_strip(n->lhs);
  if (v && v->name && strcmp(v->name, f->name) == 0) f->hit = n;
  if (n->kind == LL_N_CALL && n->callee && strcmp(ut_last_name(n->callee), f->name) == 0) f->hit = n;
  return f->hit != NULL;
}

/* That node; exits 1 without one. */
static inline const ll_node *ut_node(const ll_func *fn, const char *name) {
  ut_find f = {name, NULL};
  ll_visit(fn->body, ut_find_node, &f);
  if (!f.hit) {
    printf("FAIL: no node %s in %s\n", name, fn->name);
    exit(1);
  }
  return f.hit;
}

#endif
