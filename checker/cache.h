/* cache.h - result cache: a translation unit's IR stored under a key made of
 * the file's content, its flags, the rule packs and the leaklint version, and
 * validated against the content of every project header it included.
 * Safe when several runs share the directory (write to temp + rename). */
#ifndef LL_CACHE_H
#define LL_CACHE_H

#include "ir.h"
#include "options.h"
#include "rulepack.h"

typedef struct ll_cache ll_cache;
/* Opens (creating) the cache directory; NULL when it cannot be used. */
ll_cache *ll_cache_open(const char *dir, const ll_rules *rules);
/* The cached IR for file+args, or NULL. Thread-safe. */
ll_tu *ll_cache_get(ll_cache *c, const char *file, const ll_strlist *args, const ll_rules *rules);
/* Stores the IR (headers = the project headers it included). Thread-safe. */
void ll_cache_put(ll_cache *c, const char *file, const ll_strlist *args, const ll_tu *tu,
                  const ll_rules *rules);
void ll_cache_close(ll_cache *c);
/* Default directory: $XDG_CACHE_HOME/leaklint or ~/.cache/leaklint. Caller frees. */
char *ll_cache_default_dir(void);

#endif
