/* ptrmap.c - the hash table (see ptrmap.h). Each slot keeps the key's hash,
 * so growing never rehashes a string and a probe compares strings only when
 * the hashes agree. */
#include "ptrmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct slot {
  const void *key; /* NULL: empty */
  size_t hash;
  union {
    void *p;
    size_t i;
  } v;
} slot;

struct ll_ptrmap {
  slot *tab;
  size_t cap, n; /* cap: 0 or a power of two */
  int str;       /* keys are strings compared by content */
};

static ll_ptrmap *make(int str) {
  ll_ptrmap *m = ll_xcalloc(1, sizeof *m);
  m->str = str;
  return m;
}

ll_ptrmap *ll_ptrmap_new(void) { return make(0); }

ll_ptrmap *ll_ptrmap_new_str(void) { return make(1); }

void ll_ptrmap_free(ll_ptrmap *m) {
  if (!m) return;
  free(m->tab);
  free(m);
}

size_t ll_ptrmap_count(const ll_ptrmap *m) { return m->n; }

/* Pointers are aligned and often close together: a 64-bit finaliser spreads
 * their bits over the low ones the mask keeps. */
static size_t hash_of(const ll_ptrmap *m, const void *key) {
  if (m->str) return (size_t)ll_hash_fast(key, strlen(key), LL_HASH_SEED);
  uint64_t x = (uint64_t)(uintptr_t)key;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x;
}

/* The slot of key, or the empty slot where it would go. m->cap > 0. */
static slot *find(const ll_ptrmap *m, const void *key, size_t h) {
  size_t mask = m->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    slot *s = &m->tab[i];
    if (!s->key || s->key == key) return s;
    if (m->str && s->hash == h && strcmp(s->key, key) == 0) return s;
  }
}

static void grow(ll_ptrmap *m) {
  size_t ncap = m->cap ? m->cap * 2 : 64;
  slot *nt = ll_xcalloc(ncap, sizeof(slot));
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->tab[i].key) continue;
    size_t j = m->tab[i].hash & (ncap - 1);
    while (nt[j].key) j = (j + 1) & (ncap - 1);
    nt[j] = m->tab[i];
  }
  free(m->tab);
  m->tab = nt;
  m->cap = ncap;
}

static const slot *lookup(const ll_ptrmap *m, const void *key) {
  if (!m->n || !key) return NULL;
  const slot *s = find(m, key, hash_of(m, key));
  return s->key ? s : NULL;
}

static slot *insert(ll_ptrmap *m, const void *key) {
  if ((m->n + 1) * 2 > m->cap) grow(m);
  size_t h = hash_of(m, key);
  slot *s = find(m, key, h);
  if (!s->key) {
    s->key = key;
    s->hash = h;
    s->v.p = NULL;
    m->n++;
  }
  return s;
}

void *ll_ptrmap_get(const ll_ptrmap *m, const void *key) {
  const slot *s = lookup(m, key);
  return s ? s->v.p : NULL;
}

void ll_ptrmap_put(ll_ptrmap *m, const void *key, void *value) {
  if (key) insert(m, key)->v.p = value;
}

void **ll_ptrmap_slot(ll_ptrmap *m, const void *key) { return &insert(m, key)->v.p; }

int ll_ptrmap_get_index(const ll_ptrmap *m, const void *key, size_t *index) {
  const slot *s = lookup(m, key);
  if (s) *index = s->v.i;
  return s != NULL;
}

void ll_ptrmap_put_index(ll_ptrmap *m, const void *key, size_t index) {
  if (key) insert(m, key)->v.i = index;
}

int ll_ptrmap_has_n(const ll_ptrmap *m, const char *key, size_t n) {
  if (!m->n || !m->str) return 0;
  size_t h = (size_t)ll_hash_fast(key, n, LL_HASH_SEED), mask = m->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const slot *s = &m->tab[i];
    if (!s->key) return 0;
    if (s->hash == h && strncmp(s->key, key, n) == 0 && ((const char *)s->key)[n] == '\0') return 1;
  }
}

int ll_ptrmap_next(const ll_ptrmap *m, size_t *pos, const void **key, void **value) {
  for (; *pos < m->cap; (*pos)++) {
    const slot *s = &m->tab[*pos];
    if (!s->key) continue;
    if (key) *key = s->key;
    if (value) *value = s->v.p;
    (*pos)++;
    return 1;
  }
  return 0;
}
