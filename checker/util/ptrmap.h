/* ptrmap.h - leaklint's hash table: a map from a pointer key to a value
 * pointer or to an index, by open addressing (linear probing, a power-of-two
 * capacity kept at most half full).
 *
 * Keys are compared by identity (ll_ptrmap_new: a function, a node, a pack
 * entry), or, in a map made by ll_ptrmap_new_str, as NUL-terminated strings
 * by content (a USR, a path). The map borrows its keys: they must outlive it
 * and not change. NULL is never a key (get finds nothing, put ignores it).
 * One map holds either value pointers or indices, not both. Not
 * thread-safe: a caller shares a map under its own lock. */
#ifndef LL_PTRMAP_H
#define LL_PTRMAP_H

#include <stddef.h>

typedef struct ll_ptrmap ll_ptrmap;

ll_ptrmap *ll_ptrmap_new(void);     /* keys by identity */
ll_ptrmap *ll_ptrmap_new_str(void); /* keys are strings, by content */
void ll_ptrmap_free(ll_ptrmap *m);  /* accepts NULL; the values are the caller's */
size_t ll_ptrmap_count(const ll_ptrmap *m);

/* The value of key, or NULL when key is absent. */
void *ll_ptrmap_get(const ll_ptrmap *m, const void *key);
/* Sets the value of key (adding key when absent). */
void ll_ptrmap_put(ll_ptrmap *m, const void *key, void *value);
/* The value slot of key, adding key with a NULL value when absent: one probe
 * for "find, else create". Valid until the next insertion into m. key must
 * not be NULL. */
void **ll_ptrmap_slot(ll_ptrmap *m, const void *key);

/* Index maps: 1 and *index when key is present, else 0. */
int ll_ptrmap_get_index(const ll_ptrmap *m, const void *key, size_t *index);
void ll_ptrmap_put_index(ll_ptrmap *m, const void *key, size_t index);

/* String maps: 1 when the n bytes at key (not NUL-terminated: a token in a
 * file's text) are a key, else 0. Identity maps: always 0. */
int ll_ptrmap_has_n(const ll_ptrmap *m, const char *key, size_t n);

/* Iteration in table order (which depends on the addresses: use it to free
 * or count, never for output). Start with *pos = 0; 1 and the next entry's
 * key and value (either may be NULL when not wanted), 0 at the end. */
int ll_ptrmap_next(const ll_ptrmap *m, size_t *pos, const void **key, void **value);

#endif
