/* run.h - the pipeline: discover, flags, rule packs, parallel parse and
 * extraction, analysis, suppressions, baseline, report. */
#ifndef LL_RUN_H
#define LL_RUN_H

#include "options.h"
#include "rulepack.h"

/* Loads the built-in rule packs, then every --rules / config "rule_packs"
 * entry and the config "models", and freezes the set (call after
 * ll_config_load). Returns 0, or -1 with *err (caller frees) as
 * "FILE: JSON-PATH: what is wrong". */
int ll_run_load_packs(const ll_options *opts, ll_rules *rules, char **err);

/* Returns the process exit code: 0 no findings, 1 findings, 2 error. */
int ll_run(const ll_options *opts);

/* Locates a data directory shipped with leaklint ("rules" or "rules/docs"):
 * $LEAKLINT_DATA_DIR, <exe>/../share/leaklint, then the source tree. Caller frees. */
char *ll_data_path(const char *sub);

#endif
