/* suggest.h - "did you mean" suggestions for unknown options, keys, rule
 * ids, formats and pack names. Owner module: suggest.c. */
#ifndef LL_SUGGEST_H
#define LL_SUGGEST_H

#include <stddef.h>

/* " (did you mean 'NAME'?)" written to buf for the candidate of names[0..count)
 * (NULL entries skipped) closest to word, or "" when none is close. */
const char *ll_suggest(char *buf, size_t n, const char *word, const char *const *names, size_t count);

/* The candidate of cands[0..n) (NULL entries skipped) that word is a typo of
 * (at most 2 edits, keeping more than half of word) or a unique prefix of,
 * or NULL. */
const char *ll_did_you_mean(const char *word, const char *const *cands, size_t n);

#endif
