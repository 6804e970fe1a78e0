/* pass.h - the pass framework: a rule, or an analysis that rules share, is
 * a value (ll_pass). The driver (ll_passes_run) runs every pass a rule
 * needs once, in an order where each pass runs after what it requires, and
 * hands each one a context: the program, the packs, the results of its
 * declared requirements and a report function that stamps the rule id and
 * the configured level. A pass can read only what it declares.
 * Owner module: pass.c. */
#ifndef LL_PASS_H
#define LL_PASS_H

#include <stddef.h>
#include "diag.h"
#include "ir.h"
#include "rulepack.h"

typedef struct ll_pass_ctx ll_pass_ctx;

typedef struct ll_pass {
  const char *id;          /* rule id ("unbuffered-send") or analysis name ("tasks") */
  const char *summary;     /* analyses: one line, lowercase, no period; rules: NULL (the
                              registry derives a rule's from its doc, rules/docs/ID.md) */
  const char *description; /* NULL (a rule's description also comes from its doc) */
  ll_level default_level;  /* rules: the level without a configured override */
  int is_rule;             /* reports findings under id (analyses only compute) */
  /* The passes whose results this one reads; NULL-terminated (NULL = none). */
  const struct ll_pass *const *requires;
  /* Computes the result (may be NULL); findings go through ll_pass_report. */
  void *(*run)(ll_pass_ctx *ctx);
  /* Releases a result of run (NULL: nothing to release). */
  void (*free_result)(void *result);
} ll_pass;

const ll_program *ll_pass_program(const ll_pass_ctx *ctx);
const ll_rules *ll_pass_packs(const ll_pass_ctx *ctx);
/* The result of `required`, which must be in the running pass's requires
 * (anything else aborts: the order is only guaranteed for declared passes).
 * Shared: owned by the driver until every pass has run. */
void *ll_pass_result_of(ll_pass_ctx *ctx, const ll_pass *required);
/* Starts a finding of the running rule: its id and configured level. */
ll_finding ll_pass_finding(const ll_pass_ctx *ctx, const char *message, ll_span loc);
/* Appends a finding (takes ownership). */
void ll_pass_report(ll_pass_ctx *ctx, ll_finding f);

/* Runs rules[0..n) and everything they require, each pass once, every
 * requirement before the pass that needs it; levels[i] is the configured
 * level of rules[i]. Appends the findings to out. */
void ll_passes_run(const ll_pass *const *rules, const ll_level *levels, size_t n, const ll_program *prog,
                   const ll_rules *packs, ll_findings *out);

#endif
