/* prefilter.h - cheap text scan before parsing: a file whose text and whose
 * project headers (quoted includes found on its -I path) mention none of the
 * rule packs' API names cannot produce a finding, so it is not parsed. */
#ifndef LL_PREFILTER_H
#define LL_PREFILTER_H

#include "options.h"
#include "rulepack.h"

typedef struct ll_prefilter ll_prefilter;
ll_prefilter *ll_prefilter_new(const ll_rules *rules); /* thread-safe to use after creation */
/* 1 = must parse, 0 = provably irrelevant. */
int ll_prefilter_check(const ll_prefilter *pf, const char *file, const ll_strlist *args,
                       const char *workdir);
void ll_prefilter_free(ll_prefilter *pf);

#endif
