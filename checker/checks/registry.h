/* registry.h - the rules leaklint knows, by id. Rule ids are the names used
 * everywhere: CLI, suppressions, JSON, SARIF ruleId. */
#ifndef LL_REGISTRY_H
#define LL_REGISTRY_H

#include <stddef.h>
#include "diag.h"
#include "ir.h"

typedef struct ll_rule_info {
  const char *id;         /* "timer-per-iteration" */
  const char *summary;    /* one line, lowercase, no period */
  const char *description;/* a paragraph */
  ll_level default_level;
} ll_rule_info;

size_t ll_registry_count(void);
const ll_rule_info *ll_registry_at(size_t i);
/* Index of a rule id, or -1. */
int ll_registry_find(const char *id);

/* Runs every analysis over the program; appends findings of every rule
 * (filtering by select/ignore happens later). */
void ll_registry_run(const ll_program *prog, const ll_rules *rules, ll_findings *out);

#define LL_DOCS_URI "https://github.com/leaklint/leaklint/blob/main/rules/docs/"

#endif
