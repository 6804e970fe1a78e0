/* cache.h - result cache: a translation unit's IR stored under a key made of
 * the file's content, its flags, the rule packs and the leaklint version, and
 * validated against the content of every project header it included.
 * Safe when several runs share the directory (write to temp + rename).
 *
 * Layout: DIR/CACHEDIR.TAG, DIR/v1/XX/<32 hex digits>.llc. An entry holds the
 * key, the dependencies (main file, every project header the include walker
 * of prefilter.h finds, every file the IR has text of) with their sizes and
 * content hashes, and the IR in a compact binary form (file contents are not
 * stored: they are read back and checked against the hashes). A truncated,
 * corrupt or foreign entry is a miss, never an error. */
#ifndef LL_CACHE_H
#define LL_CACHE_H

#include <stddef.h>
#include "ir.h"
#include "options.h"
#include "rulepack.h"
#include "util.h"

typedef struct ll_cache ll_cache;
/* Opens (creating) the cache directory; NULL when it cannot be used. */
ll_cache *ll_cache_open(const char *dir, const ll_rules *rules);
/* The cached IR for file+args, or NULL. Thread-safe. */
ll_tu *ll_cache_get(ll_cache *c, const char *file, const ll_strlist *args, const ll_rules *rules);
/* Stores the IR (headers = the project headers it included). Thread-safe. */
void ll_cache_put(ll_cache *c, const char *file, const ll_strlist *args, const ll_tu *tu,
                  const ll_rules *rules);
/* The same with the compile directory (relative -I paths resolve against it;
 * NULL = current directory). ll_cache_get/put are these with workdir NULL. */
ll_tu *ll_cache_get_wd(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                       const ll_rules *rules);
void ll_cache_put_wd(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                     const ll_tu *tu, const ll_rules *rules);
void ll_cache_close(ll_cache *c);
/* Default directory: $XDG_CACHE_HOME/leaklint or ~/.cache/leaklint. Caller frees. */
char *ll_cache_default_dir(void);

/* The binary IR form (exposed for tests and tools): appends tu to *out;
 * api pointers are written as indices into ll_rules_at order. */
void ll_ir_serialize(const ll_tu *tu, const ll_rules *rules, ll_buf *out);
/* Rebuilds a tu from data (file contents are left empty: contents[i] = "",
 * lens[i] = 0). NULL when the data is malformed in any way. */
ll_tu *ll_ir_deserialize(const void *data, size_t len, const ll_rules *rules);

#endif
