/* prefilter.h - cheap text scan before parsing: a file whose text and whose
 * project headers (quoted includes found on its -I path) mention none of the
 * rule packs' API names cannot produce a finding, so it is not parsed.
 * The filter follows quoted includes and -iquote/-I/-idirafter lookups, not
 * -isystem directories (system headers for clang: facts.c extracts nothing
 * from them, and library macros are covered by the packs' spellings).
 *
 * The identifiers looked for are every pack entry's name and callee (last
 * `::` component), bracket epilogues and source spellings (macro names).
 * C translation units look only for entries a C file can call (unqualified
 * functions, bracket prologues/epilogues, spellings); C++ ones for all.
 * Comments and string literals are not searched. Headers are scanned once
 * per run (memoised, thread-safe).
 * A file is never skipped when one of the quoted includes it reaches cannot
 * be found anywhere clang would look: its parse fails, and skipping it would
 * hide that error from the gate (the parse reports it like any other). */
#ifndef LL_PREFILTER_H
#define LL_PREFILTER_H

#include "options.h"
#include "rulepack.h"

typedef struct ll_prefilter ll_prefilter;
ll_prefilter *ll_prefilter_new(const ll_rules *rules); /* thread-safe to use after creation */
/* A filter for the given function names instead of the packs' APIs: the
 * run's later rounds look for the project's own wrappers, inferred from the
 * files parsed so far (summary.h), in the files skipped so far. */
ll_prefilter *ll_prefilter_new_names(const char *const *names, size_t n);
/* 1 = must parse, 0 = provably irrelevant. */
int ll_prefilter_check(const ll_prefilter *pf, const char *file, const ll_strlist *args,
                       const char *workdir);
void ll_prefilter_free(ll_prefilter *pf);

/* The project files `file` includes, transitively: quoted includes resolved
 * against the including file's directory, then -iquote/-I/-isystem/-idirafter
 * directories (relative ones against workdir, NULL = current directory);
 * angle includes only through those directories; files under /usr are never
 * followed; -include/-imacros files count as included. Conditional includes
 * are all taken (over-approximation). Appends the paths (as constructed, not
 * canonicalised; `file` itself excluded), sorted, without duplicates, to
 * *out. Used by the result cache to validate entries. */
void ll_prefilter_includes(const char *file, const ll_strlist *args, const char *workdir,
                           ll_strlist *out);

/* Sharding for CI matrices (--shard K/N): 1 when `path` (the display path)
 * belongs to shard k (0-based) of n. A hash of the path, so adding or
 * removing a file moves no other file between shards. n <= 1 selects all. */
int ll_shard_select(const char *path, int k, int n);

#endif
