/* suggest.h - "did you mean" suggestions for the rule-pack loader's
 * messages. Owner module: suggest.c. */
#ifndef LL_SUGGEST_H
#define LL_SUGGEST_H

#include <stddef.h>

/* " (did you mean 'NAME'?)" written to buf for the candidate of names[0..count)
 * (NULL entries skipped) closest to word, or "" when none is close. */
const char *ll_suggest(char *buf, size_t n, const char *word, const char *const *names, size_t count);

#endif
