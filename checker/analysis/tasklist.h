/* tasklist.h - `leaklint --list-tasks`: every spawn site of the program with
 * its API (a pack entry or an inferred summary), its task body or why it is
 * unresolved, and the summaries inferred from the project's thread layers.
 *
 * A site is "resolved" when its task body is known; "forwarded" when its
 * entry is a parameter of a function that is itself an inferred spawn (the
 * sites that call that function are listed and resolved on their own);
 * "unresolved" otherwise, with the reason. The resolved fraction is
 * resolved / (resolved + unresolved).
 * Owner module: tasklist.c. */
#ifndef LL_TASKLIST_H
#define LL_TASKLIST_H

#include <stdio.h>
#include "ir.h"
#include "rulepack.h"

/* Writes the list (text, or JSON when json != 0) for an indexed program
 * whose summaries are already attached (ll_summaries_infer has run and sums
 * is its result). Returns 0, or -1 when writing failed. */
struct ll_summaries;
int ll_tasklist_write(FILE *out, const ll_program *p, const ll_rules *rules, const struct ll_summaries *sums,
                      int json);

#endif
