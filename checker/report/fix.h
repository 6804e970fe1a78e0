/* fix.h - applying machine-applicable edits (only LL_FIX_SAFE ones). */
#ifndef LL_FIX_H
#define LL_FIX_H

#include <stdio.h>
#include "diag.h"

/* For each file with safe edits on unsuppressed findings: with write != 0,
 * rewrites the file in place (atomically, via a temporary file + rename);
 * with diff_out != NULL, prints a unified diff. Overlapping edits: the first
 * wins, the rest are skipped. Returns the number of edits applied, or -1
 * with *err. */
int ll_fix_apply(const ll_findings *findings, int write, FILE *diff_out, char **err);
/* The same; when fixed != NULL (findings->n entries, zeroed), sets fixed[i]
 * for every finding whose fix was accepted (not skipped as overlapping). */
int ll_fix_apply_marked(const ll_findings *findings, int write, FILE *diff_out,
                        unsigned char *fixed, char **err);

#endif
