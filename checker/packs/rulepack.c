/* rulepack.c - the rule set (rulepack.h): loads packs transactionally and
 * indexes their API entries for lookup.
 *
 * Every load is transactional: a pack is parsed into its own arena
 * (packload.c) and only appended to the ll_rules when the whole file
 * validated; on any error the arena is dropped and *err names the file, the
 * JSON pointer and the defect. ll_rules_freeze builds a sorted index by
 * callee spelling; after that the set is immutable and lookups take no
 * locks. The schema is documented in rules/README.md. */
#include "rulepack.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "digest.h"
#include "packctx.h"
#include "packfact.h"
#include "packload.h"
#include "readfile.h"
#include "util.h"

typedef struct idx_ent {
  const char *key;
  const ll_api *api;
  size_t seq;
  int specific; /* has requires_arg_text: sorted first among equal keys */
} idx_ent;

struct ll_rules {
  LL_VEC(ll_arena *) arenas; /* one per loaded pack */
  LL_VEC(ll_api *) apis;     /* load order */
  LL_VEC(const char *) where;/* parallel to apis: "FILE: /apis/N" */
  LL_VEC(const char *) packs;
  LL_VEC(const char *) pack_origin; /* parallel to packs */
  uint64_t hash;
  ll_digest digest; /* SHA-256 chain of (origin, text) in load order: the cache key */
  int frozen;
  idx_ent *index, *rindex; /* calls / range-for, sorted by key */
  size_t nindex, nrindex;
  ll_packfacts *facts; /* the packs' facts and hints */
};

ll_rules *ll_rules_new(void) {
  ll_rules *r = ll_xcalloc(1, sizeof *r);
  r->hash = LL_HASH_SEED;
  r->facts = ll_packfacts_new();
  return r;
}

void ll_rules_free(ll_rules *r) {
  if (!r) return;
  for (size_t i = 0; i < r->arenas.n; i++) ll_arena_free(r->arenas.v[i]);
  free(r->arenas.v);
  free(r->apis.v);
  free(r->where.v);
  free(r->packs.v);
  free(r->pack_origin.v);
  free(r->index);
  free(r->rindex);
  ll_packfacts_free(r->facts);
  free(r);
}

/* Appends what c parsed to r and chains the pack's identity into the hash
 * and the digest. */
static void commit(ll_rules *r, ll_pk_ctx *c, const char *origin, const char *text, size_t len) {
  LL_VEC_PUSH(&r->arenas, c->A);
  for (size_t i = 0; i < c->apis.n; i++) {
    LL_VEC_PUSH(&r->apis, c->apis.v[i]);
    LL_VEC_PUSH(&r->where, c->where.v[i]);
  }
  /* "FILE: /apis/N" for messages about later duplicates */
  for (size_t i = r->where.n - c->apis.n; i < r->where.n; i++) {
    const char *path = r->where.v[i];
    char *w = c->origin_has_ptr ? ll_xasprintf("%s%s", c->origin, path)
                                : ll_xasprintf("%s: %s", c->origin, path);
    r->where.v[i] = ll_arena_strdup(c->A, w);
    free(w);
  }
  LL_VEC_PUSH(&r->packs, c->library);
  LL_VEC_PUSH(&r->pack_origin, c->origin);
  ll_packfacts_commit(r->facts, c->library, c->facts);
  c->facts = NULL;
  r->hash = ll_hash64(origin, strlen(origin) + 1, r->hash);
  r->hash = ll_hash64(text, len, r->hash);
  r->hash = ll_hash64("\0", 1, r->hash);
  ll_digest_chain(&r->digest, origin, strlen(origin) + 1, text, len);
}

static int load_text(ll_rules *r, const char *origin, const char *text, size_t len, int is_file,
                     char **err) {
  if (r->frozen) {
    *err = ll_xasprintf("%s: rule packs cannot be loaded after the set is frozen", origin);
    return -1;
  }
  ll_pk_ctx c;
  memset(&c, 0, sizeof c);
  c.r = r;
  c.A = ll_arena_new();
  c.origin = ll_arena_strdup(c.A, origin);
  c.origin_has_ptr = !is_file && strstr(origin, ": /") != NULL;
  if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) { /* UTF-8 byte order mark */
    text += 3;
    len -= 3;
  }
  int rc = ll_packload_parse(&c, text, len, is_file);
  if (rc == 0) {
    commit(r, &c, origin, text, len);
  } else {
    ll_arena_free(c.A);
    if (!c.err) c.err = ll_xasprintf("%s: invalid rule pack", origin);
  }
  free(c.apis.v);
  free(c.where.v);
  ll_packfacts_pack_free(c.facts);
  if (rc) *err = c.err;
  else free(c.err);
  return rc;
}

int ll_rules_load_text(ll_rules *r, const char *origin, const char *json, char **err) {
  return load_text(r, origin, json, strlen(json), 0, err);
}

int ll_rules_load_file(ll_rules *r, const char *path, char **err) {
  char *text = NULL;
  size_t len = 0;
  int e = ll_read_bounded(path, LL_READ_CONFIG, &text, &len, NULL);
  if (e != 0) {
    *err = ll_xasprintf("%s: cannot read rule pack: %s", path, ll_read_strerror(e, LL_READ_CONFIG));
    return -1;
  }
  int rc = load_text(r, path, text, len, 1, err);
  free(text);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int ll_rules_load_dir(ll_rules *r, const char *dir, char **err) {
  DIR *d = opendir(dir);
  if (!d) {
    *err = ll_xasprintf("%s: cannot open rule pack directory: %s", dir, strerror(errno));
    return -1;
  }
  LL_VEC(char *) names = {0};
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    size_t n = strlen(de->d_name);
    if (de->d_name[0] == '.' || n < 6 || strcmp(de->d_name + n - 5, ".json") != 0) continue;
    LL_VEC_PUSH(&names, ll_xstrdup(de->d_name));
  }
  closedir(d);
  if (names.n) qsort(names.v, names.n, sizeof *names.v, cmp_str);

  /* all-or-nothing for the whole directory */
  size_t n_arenas = r->arenas.n, n_apis = r->apis.n, n_packs = r->packs.n;
  uint64_t hash = r->hash;
  ll_digest digest = r->digest;
  size_t dl = strlen(dir);
  int rc = 0;
  for (size_t i = 0; i < names.n && rc == 0; i++) {
    char *p = ll_xasprintf("%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names.v[i]);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) rc = ll_rules_load_file(r, p, err);
    free(p);
  }
  if (rc) {
    for (size_t i = n_arenas; i < r->arenas.n; i++) ll_arena_free(r->arenas.v[i]);
    r->arenas.n = n_arenas;
    r->apis.n = r->where.n = n_apis;
    r->packs.n = r->pack_origin.n = n_packs;
    r->hash = hash;
    r->digest = digest;
  }
  for (size_t i = 0; i < names.n; i++) free(names.v[i]);
  free(names.v);
  return rc;
}

/* ---- index ---- */

static int cmp_idx(const void *pa, const void *pb) {
  const idx_ent *a = pa, *b = pb;
  int c = strcmp(a->key, b->key);
  if (c) return c;
  if (a->specific != b->specific) return b->specific - a->specific;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void ll_rules_freeze(ll_rules *r) {
  if (!r || r->frozen) return;
  r->index = ll_xcalloc(r->apis.n + 1, sizeof *r->index);
  r->rindex = ll_xcalloc(r->apis.n + 1, sizeof *r->rindex);
  for (size_t i = 0; i < r->apis.n; i++) {
    const ll_api *a = r->apis.v[i];
    idx_ent e = {a->callee, a, i, a->requires_arg_text != NULL};
    if (a->match == LL_MATCH_RANGE_FOR) r->rindex[r->nrindex++] = e;
    else r->index[r->nindex++] = e;
  }
  qsort(r->index, r->nindex, sizeof *r->index, cmp_idx);
  qsort(r->rindex, r->nrindex, sizeof *r->rindex, cmp_idx);
  r->frozen = 1;
}

static size_t lookup_in(const idx_ent *v, size_t n, const char *key, const ll_api **out, size_t max) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(v[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t k = 0;
  for (size_t i = lo; i < n && strcmp(v[i].key, key) == 0; i++, k++)
    if (out && k < max) out[k] = v[i].api;
  return k;
}

/* Before freezing (tests, tools): a linear scan in load order. */
static size_t lookup_slow(const ll_rules *r, int range, const char *key, const ll_api **out,
                          size_t max) {
  size_t k = 0;
  for (int pass = 1; pass >= 0; pass--)
    for (size_t i = 0; i < r->apis.n; i++) {
      const ll_api *a = r->apis.v[i];
      if ((a->match == LL_MATCH_RANGE_FOR) != range || (a->requires_arg_text != NULL) != pass ||
          strcmp(a->callee, key) != 0)
        continue;
      if (out && k < max) out[k] = a;
      k++;
    }
  return k;
}

size_t ll_rules_lookup(const ll_rules *r, const char *callee, const ll_api **out, size_t max) {
  if (!r || !callee) return 0;
  if (!r->frozen) return lookup_slow(r, 0, callee, out, max);
  return lookup_in(r->index, r->nindex, callee, out, max);
}

size_t ll_rules_lookup_range(const ll_rules *r, const char *cls, const ll_api **out, size_t max) {
  if (!r || !cls) return 0;
  if (!r->frozen) return lookup_slow(r, 1, cls, out, max);
  return lookup_in(r->rindex, r->nrindex, cls, out, max);
}

int ll_rules_is_prologue(const ll_rules *r, const char *callee, const ll_api **api) {
  const ll_api *found[16];
  size_t n = ll_rules_lookup(r, callee, found, 16);
  if (n > 16) n = 16;
  for (size_t i = 0; i < n; i++)
    if (found[i]->match == LL_MATCH_BRACKET) {
      if (api) *api = found[i];
      return 1;
    }
  return 0;
}

size_t ll_rules_count(const ll_rules *r) { return r ? r->apis.n : 0; }

const ll_api *ll_rules_at(const ll_rules *r, size_t i) {
  return r && i < r->apis.n ? r->apis.v[i] : NULL;
}

size_t ll_rules_pack_count(const ll_rules *r) { return r ? r->packs.n : 0; }

const char *ll_rules_pack_name(const ll_rules *r, size_t i) {
  return r && i < r->packs.n ? r->packs.v[i] : NULL;
}

const char *ll_rules_pack_file(const ll_rules *r, size_t i) {
  return r && i < r->pack_origin.n ? r->pack_origin.v[i] : NULL;
}

void ll_rules_digest(const ll_rules *r, ll_digest *out) {
  memset(out, 0, sizeof *out);
  if (r) *out = r->digest;
}

unsigned long long ll_rules_hash(const ll_rules *r) {
  return r ? (unsigned long long)(r->hash ^ (uint64_t)r->apis.n) : 0;
}

const char *ll_rules_where(const ll_rules *r, size_t i) {
  return r && i < r->where.n ? r->where.v[i] : NULL;
}

const ll_packfacts *ll_rules_facts(const ll_rules *r) { return r ? r->facts : NULL; }
