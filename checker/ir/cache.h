/* cache.h - result cache: a translation unit's IR stored under a SHA-256 key
 * of the file's content, its flags, the rule packs (their text) and the
 * leaklint version and executable, and validated against the SHA-256 of
 * every file the parse read. Safe when several runs share the directory
 * (write to temp + rename).
 *
 * Layout: DIR/CACHEDIR.TAG, DIR/v<N>/XX/<64 hex digits>.llc (and .llr), N
 * the IR format version (cache.c). An
 * entry holds the magic, the key, the dependencies (main file, every file
 * libclang reports as included -- computed includes and system headers
 * too --, every project header the include walker of prefilter.h finds,
 * every file the IR has text of) with their sizes and SHA-256 digests, and
 * either the IR in a compact binary form (file contents are not stored:
 * they are read back and checked against the digests) or the
 * mark "skipped by the pre-parse filter", so that a re-run neither parses nor
 * filters again. A truncated,
 * corrupt or foreign entry is a miss, never an error. */
#ifndef LL_CACHE_H
#define LL_CACHE_H

#include <stddef.h>
#include "diag.h"
#include "digest.h"
#include "findcodec.h" /* the run entries' form (parseproc.c, the tests use both codecs) */
#include "ir.h"
#include "ircodec.h"    /* the IR entries' form */
#include "options.h"
#include "rulepack.h"
#include "util.h"

typedef struct ll_cache ll_cache;
/* Opens (creating) the cache directory; NULL with *why (caller frees) when
 * it cannot be used. It is not used when it is a symlink (never followed),
 * not owned by the current user, or writable by group or others (entries
 * planted by someone else could hide a finding): *untrusted is then 1. */
ll_cache *ll_cache_open(const char *dir, const ll_rules *rules, char **why, int *untrusted);

typedef enum { LL_CACHE_MISS, LL_CACHE_HIT, LL_CACHE_SKIP } ll_cache_result;
/* A validated entry whose IR is not decoded yet. */
typedef struct ll_cache_entry ll_cache_entry;
/* Looks file+args up (workdir: the compile directory relative -I paths
 * resolve against, NULL = current directory) and validates the entry against
 * the current content of the file and of every header it depends on.
 * HIT: *entry is set (caller owns: ll_cache_entry_decode or _free).
 * SKIP: an earlier run's pre-parse filter found this exact content irrelevant;
 * only returned when accept_skip, else such an entry is a miss.
 * On HIT and SKIP, *id identifies the entry's whole content (dependencies
 * included). Thread-safe. */
ll_cache_result ll_cache_get(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                             int accept_skip, ll_cache_entry **entry, ll_digest *id);
/* Decodes the IR and reads the file contents back (they must still match).
 * Frees the entry. NULL when anything differs or is damaged: parse instead. */
ll_tu *ll_cache_entry_decode(ll_cache_entry *e, const ll_rules *rules);
void ll_cache_entry_free(ll_cache_entry *e);
/* Stores the IR of a clean parse; 1 and *id (as ll_cache_get would give it)
 * when the entry was written. Thread-safe. */
int ll_cache_put(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                 const ll_tu *tu, const ll_rules *rules, ll_digest *id);
/* Records that the pre-parse filter skipped file+args; like ll_cache_put. */
int ll_cache_put_skip(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                      const ll_rules *rules, ll_digest *id);

/* Run entries: the raw findings of the whole-program analysis (before rule
 * selection, suppressions and baseline), keyed by the ids of every file's
 * entry in run order. A re-run on an unchanged tree reads them instead of
 * decoding every IR and analysing again (an entry id covers its file, flags,
 * kind and dependencies). get returns 1 and appends to *out on a hit. */
int ll_cache_get_run(ll_cache *c, const ll_digest *ids, size_t n, ll_findings *out);
void ll_cache_put_run(ll_cache *c, const ll_digest *ids, size_t n, const ll_findings *f);
void ll_cache_close(ll_cache *c);
/* Removes every entry leaklint wrote under dir (v<N>/XX/NAME.llc, .llr and
 * left-over temporary files whose first bytes are a leaklint magic, then the
 * emptied directories); nothing else is touched: no symlink is followed,
 * foreign files (whatever their names) and foreign sub-directories stay, and
 * every step is relative to a directory fd, so nothing outside dir is
 * reached. A symlinked, foreign-owned or group/other-writable dir is refused.
 * Counts what it removed. 0, or -1 with *err (caller frees). */
int ll_cache_clear(const char *dir, size_t *entries, unsigned long long *bytes, char **err);
/* Default directory: $XDG_CACHE_HOME/leaklint or ~/.cache/leaklint. Caller frees. */
char *ll_cache_default_dir(void);

#endif
