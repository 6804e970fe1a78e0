/* suggest.c - "did you mean" for unknown names (see suggest.h): the
 * closest candidate by edit distance, when it is at most 2 edits away. */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 40 || lb > 40) return 99;
  size_t d[41][41];
  for (size_t i = 0; i <= la; i++) d[i][0] = i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      d[i][j] = best;
    }
  return d[la][lb];
}

/* " (did you mean 'x'?)" for the closest of names, or "". */
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
