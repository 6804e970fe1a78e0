/* baseline.h - adopt leaklint on a big codebase: record today's findings,
 * report only new ones later. A finding's fingerprint survives line shifts:
 * rule, file, normalised source of the primary line, enclosing function. */
#ifndef LL_BASELINE_H
#define LL_BASELINE_H

#include "diag.h"

/* Fills f->fingerprint for every finding (reads the source lines); paths
 * count relative to the project root (NULL: the current directory). */
void ll_findings_fingerprint(ll_findings *findings, const char *root);
/* Writes unsuppressed findings' fingerprints as JSON, files relative to
 * root. 0, or -1 with *err. */
int ll_baseline_write(const char *path, const ll_findings *findings, const char *root, char **err);
/* Removes findings present in the baseline (multiset match; files relative
 * to root). Returns the number removed, or -1 with *err when the file is
 * missing or invalid. */
int ll_baseline_filter(const char *path, ll_findings *findings, const char *root, char **err);

#endif
