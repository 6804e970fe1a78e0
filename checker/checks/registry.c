/* registry.c - the rules by id, with the metadata their docs give them; the
 * pass driver decides the order they run in. */
#include "registry.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pass.h"
#include "summary.h"
#include "util.h"

/* Every rule file's `const ll_pass ll_rule_NAME`, sorted by id: the build
 * generates the list from  the rule files in checker/checks (CMakeLists.txt). */
#define LL_RULE(name) extern const ll_pass ll_rule_##name;
#include "ll_rule_list.h"
#undef LL_RULE

static const ll_pass *const rules[] = {
#define LL_RULE(name) &ll_rule_##name,
#include "ll_rule_list.h"
#undef LL_RULE
};

/* Each rule's summary and description: the build derives them from
 * rules/docs/ID.md (tools/gen-rule-docs.py), one doc source per rule. */
static const struct {
  const char *id, *summary, *description;
} docs[] = {
#define LL_RULE_DOC(id, summary, description) {id, summary, description},
#include "ll_rule_docs.h"
#undef LL_RULE_DOC
};

#define N_RULES (sizeof rules / sizeof rules[0])

static ll_rule_info infos[N_RULES];
static pthread_once_t infos_once = PTHREAD_ONCE_INIT;

/* The rule's id and default level with its doc's summary and description.
 * The build generates a doc entry for every rule id, so a miss is a build
 * defect, not a user error. */
static void infos_init(void) {
  for (size_t i = 0; i < N_RULES; i++) {
    size_t d = 0;
    while (d < sizeof docs / sizeof docs[0] && strcmp(docs[d].id, rules[i]->id) != 0) d++;
    if (d == sizeof docs / sizeof docs[0]) {
      fprintf(stderr, "leaklint: internal error: rule '%s' has no doc entry\n", rules[i]->id);
      abort();
    }
    infos[i] = (ll_rule_info){rules[i]->id, docs[d].summary, docs[d].description, rules[i]->default_level};
  }
}

size_t ll_registry_count(void) { return N_RULES; }

const ll_rule_info *ll_registry_at(size_t i) {
  if (i >= N_RULES) return NULL;
  pthread_once(&infos_once, infos_init);
  return &infos[i];
}

int ll_registry_find(const char *id) {
  for (size_t i = 0; i < ll_registry_count(); i++)
    if (strcmp(rules[i]->id, id) == 0) return (int)i;
  return -1;
}

ll_level ll_registry_level(const ll_level *overrides, size_t i) {
  if (overrides && overrides[i] != (ll_level)-1) return overrides[i];
  return rules[i]->default_level;
}

void ll_registry_run(const ll_program *prog, const ll_rules *packs, const ll_level *overrides,
                     ll_findings *out) {
  size_t n = ll_registry_count();
  ll_level *levels = ll_xcalloc(n, sizeof *levels);
  for (size_t i = 0; i < n; i++) levels[i] = ll_registry_level(overrides, i);
  /* the project's own thread layers as pack roles, on the calls' apis[],
     before any pass reads them (summary.h) */
  ll_summaries *sums = ll_summaries_infer(prog, packs);
  ll_passes_run(rules, levels, n, prog, packs, out);
  ll_summaries_free(sums);
  free(levels);
}
