/* run.h - the pipeline: discover, flags, rule packs, parallel parse and
 * extraction, analysis, suppressions, baseline, report. */
#ifndef LL_RUN_H
#define LL_RUN_H

#include "options.h"

/* Returns the process exit code: 0 no findings, 1 findings, 2 error. */
int ll_run(const ll_options *opts);

/* Locates a data directory shipped with leaklint ("rules" or "rules/docs"):
 * $LEAKLINT_DATA_DIR, <exe>/../share/leaklint, then the source tree. Caller frees. */
char *ll_data_path(const char *sub);

#endif
