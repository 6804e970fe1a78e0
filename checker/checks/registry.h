/* registry.h - the rules leaklint knows, by id. Rule ids are the names used
 * everywhere: CLI, suppressions, JSON, SARIF ruleId. A rule is a pass
 * (pass.h); the registry lists them sorted by id. */
#ifndef LL_REGISTRY_H
#define LL_REGISTRY_H

#include <stddef.h>
#include "diag.h"
#include "ir.h"
#include "pass.h"

/* A rule's metadata: its pass's id and default level, and the summary (one
 * line, lowercase, no period) and description (a paragraph) derived from its
 * doc rules/docs/ID.md at build time (tools/gen-rule-docs.py). */
typedef struct ll_rule_info {
  const char *id;
  const char *summary;
  const char *description;
  ll_level default_level;
} ll_rule_info;

size_t ll_registry_count(void);
const ll_rule_info *ll_registry_at(size_t i);
/* Index of a rule id, or -1. */
int ll_registry_find(const char *id);
/* The configured level of rule i: overrides[i] unless NULL or -1, else the
 * rule's default. */
ll_level ll_registry_level(const ll_level *overrides, size_t i);

/* Runs every rule (and the analyses they require) over the program; appends
 * the findings of every rule at its configured level (filtering by
 * select/ignore happens later). overrides: as for ll_registry_level. */
void ll_registry_run(const ll_program *prog, const ll_rules *rules, const ll_level *overrides,
                     ll_findings *out);

#define LL_DOCS_URI "https://github.com/leaklint/leaklint/blob/main/rules/docs/"

#endif
