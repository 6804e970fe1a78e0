/* newfromrev.h - --new-from-rev REV: adopt leaklint without a baseline by
 * reporting only what a change touches (like golangci-lint's --new-from-rev
 * and clang-tidy-diff).
 *
 * The changed lines are those `git diff REV` shows as added on the new side
 * (the work tree: committed, staged and unstaged changes), plus the two lines
 * around a pure deletion (removing a stop() call changes the code there), plus
 * every line of an untracked, not ignored file. git runs as discovery runs it
 * (discover.h: the tree's config cannot run commands; a deadline). */
#ifndef LL_NEWFROMREV_H
#define LL_NEWFROMREV_H

#include "diag.h"

/* Drops every unsuppressed finding none of whose primary or related lines
 * changed since rev in the git work tree holding root. Returns the number
 * dropped, or -1 with *err (caller frees) when rev is not a revision or root
 * is not in a work tree (a gate must not pass because git said nothing). */
int ll_newfromrev_filter(const char *root, const char *rev, ll_findings *findings, char **err);

#endif
