/* suggest.c - "did you mean" for unknown names (see suggest.h): the
 * closest candidate by edit distance. */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

/* Levenshtein distance (two rows); long words are never typos of each other. */
static size_t edit_distance(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  if (na > 64 || nb > 64) return (size_t)-1;
  size_t row[65];
  for (size_t j = 0; j <= nb; j++) row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (row[j] + 1 < best) best = row[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[nb];
}

const char *ll_did_you_mean(const char *word, const char *const *cands, size_t n) {
  const char *best = NULL;
  size_t bestd = (size_t)-1, len = strlen(word);
  for (size_t i = 0; i < n; i++) {
    if (!cands[i]) continue;
    size_t d = edit_distance(word, cands[i]);
    if (d < bestd) {
      bestd = d;
      best = cands[i];
    }
  }
  /* "x" is not a typo of "text": the word must keep more than half of itself */
  if (best && bestd > 0 && bestd <= 2 && bestd * 2 < len) return best;
  /* a shortened name ("timer-per-iter") that starts exactly one candidate */
  const char *prefix_of = NULL;
  for (size_t i = 0; len >= 3 && i < n; i++)
    if (cands[i] && strncmp(cands[i], word, len) == 0 && cands[i][len]) {
      if (prefix_of) return NULL;
      prefix_of = cands[i];
    }
  return prefix_of;
}

/* The pack loader's wording: any candidate at most 2 edits away. */
const char *ll_suggest(char *buf, size_t n, const char *word, const char *const *names, size_t count) {
  const char *best = NULL;
  size_t bd = 3;
  for (size_t i = 0; i < count; i++) {
    if (!names[i]) continue;
    size_t d = edit_distance(word, names[i]);
    if (d < bd) {
      bd = d;
      best = names[i];
    }
  }
  if (!best) return "";
  snprintf(buf, n, " (did you mean '%s'?)", best);
  return buf;
}
