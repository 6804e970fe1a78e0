/* cache.c - the result cache (see cache.h) and the binary IR serializer. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "prefilter.h"
#include "readfile.h"

#ifndef LEAKLINT_VERSION
#define LEAKLINT_VERSION "0.0.0"
#endif

/* The format version is in the directory name (v3/) and in each file's
 * magic; --clear-cache removes only files that start with one of these. */
#define IR_FORMAT 3u
#define ENTRY_MAGIC "LLCACHE3"
#define RUN_MAGIC "LLRUN2"

/* ====================================================================== */
/* pointer -> index map                                                    */
/* ====================================================================== */

typedef struct pmap {
  const void **k;
  size_t *v;
  size_t cap, n;
} pmap;

static size_t phash(const void *p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)x;
}

static int pmap_get(const pmap *m, const void *p, size_t *out) {
  if (!m->cap || !p) return 0;
  for (size_t i = phash(p) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    if (!m->k[i]) return 0;
    if (m->k[i] == p) {
      *out = m->v[i];
      return 1;
    }
  }
}

static void pmap_put(pmap *m, const void *p, size_t v) {
  if ((m->n + 1) * 2 > m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 256;
    const void **nk = ll_xcalloc(nc, sizeof(void *));
    size_t *nv = ll_xcalloc(nc, sizeof(size_t));
    for (size_t i = 0; i < m->cap; i++) {
      if (!m->k[i]) continue;
      size_t j = phash(m->k[i]) & (nc - 1);
      while (nk[j]) j = (j + 1) & (nc - 1);
      nk[j] = m->k[i];
      nv[j] = m->v[i];
    }
    free(m->k);
    free(m->v);
    m->k = nk;
    m->v = nv;
    m->cap = nc;
  }
  size_t i = phash(p) & (m->cap - 1);
  while (m->k[i] && m->k[i] != p) i = (i + 1) & (m->cap - 1);
  if (!m->k[i]) m->n++;
  m->k[i] = p;
  m->v[i] = v;
}

static void pmap_free(pmap *m) {
  free(m->k);
  free(m->v);
  memset(m, 0, sizeof *m);
}

/* ====================================================================== */
/* writer                                                                  */
/* ====================================================================== */

static void put_u(ll_buf *b, uint64_t x) {
  char tmp[10];
  size_t n = 0;
  do {
    unsigned char c = x & 0x7f;
    x >>= 7;
    if (x) c |= 0x80;
    tmp[n++] = (char)c;
  } while (x);
  ll_buf_append(b, tmp, n);
}

static void put_s(ll_buf *b, long long x) {
  uint64_t u = (uint64_t)x;
  put_u(b, (u << 1) ^ (x < 0 ? ~(uint64_t)0 : 0));
}

typedef struct wctx {
  ll_buf *b;
  const ll_tu *tu;
  pmap funcs, nodes, values, apis;
  LL_VEC(const ll_node *) nodev;
  LL_VEC(const ll_value *) valuev;
  /* string table */
  const char **strv;
  size_t nstr, capstr;
  char **skeys;
  size_t *svals;
  size_t scap, sn;
} wctx;

static size_t str_id(wctx *w, const char *s) {
  if (!s) return 0;
  size_t len = strlen(s);
  uint64_t h = ll_hash64(s, len, LL_HASH_SEED);
  if ((w->sn + 1) * 2 > w->scap) {
    size_t nc = w->scap ? w->scap * 2 : 1024;
    char **nk = ll_xcalloc(nc, sizeof(char *));
    size_t *nv = ll_xcalloc(nc, sizeof(size_t));
    for (size_t i = 0; i < w->scap; i++) {
      if (!w->skeys[i]) continue;
      size_t j = (size_t)ll_hash64(w->skeys[i], strlen(w->skeys[i]), LL_HASH_SEED) & (nc - 1);
      while (nk[j]) j = (j + 1) & (nc - 1);
      nk[j] = w->skeys[i];
      nv[j] = w->svals[i];
    }
    free(w->skeys);
    free(w->svals);
    w->skeys = nk;
    w->svals = nv;
    w->scap = nc;
  }
  size_t i = (size_t)h & (w->scap - 1);
  for (; w->skeys[i]; i = (i + 1) & (w->scap - 1))
    if (!strcmp(w->skeys[i], s)) return w->svals[i];
  w->skeys[i] = (char *)s;
  w->sn++;
  if (w->nstr == w->capstr) {
    w->capstr = w->capstr ? w->capstr * 2 : 256;
    w->strv = ll_xrealloc(w->strv, w->capstr * sizeof(char *));
  }
  w->strv[w->nstr++] = s;
  w->svals[i] = w->nstr; /* 1-based; 0 = NULL */
  return w->nstr;
}

static void note_node(wctx *w, const ll_node *n) {
  size_t dummy;
  if (!n || pmap_get(&w->nodes, n, &dummy)) return;
  pmap_put(&w->nodes, n, w->nodev.n);
  LL_VEC_PUSH(&w->nodev, n);
}

static void note_value(wctx *w, const ll_value *v) {
  size_t dummy;
  if (!v || pmap_get(&w->values, v, &dummy)) return;
  pmap_put(&w->values, v, w->valuev.n);
  LL_VEC_PUSH(&w->valuev, v);
}

/* Breadth-first discovery of every node and value reachable from the
 * functions, in a deterministic order. */
static void discover(wctx *w) {
  const ll_tu *tu = w->tu;
  for (size_t i = 0; i < tu->nfuncs; i++) {
    pmap_put(&w->funcs, tu->funcs[i], i);
  }
  for (size_t i = 0; i < tu->nfuncs; i++) note_node(w, tu->funcs[i]->body);
  size_t ni = 0, vi = 0;
  while (ni < w->nodev.n || vi < w->valuev.n) {
    while (ni < w->nodev.n) {
      const ll_node *n = w->nodev.v[ni++];
      for (size_t k = 0; k < n->nkids; k++) note_node(w, n->kids[k]);
      note_node(w, n->cond);
      note_node(w, n->init);
      note_node(w, n->inc);
      note_node(w, n->parent);
      note_node(w, n->bracket_task);
      note_node(w, n->outer_call);
      for (size_t k = 0; k < n->ncond_refs; k++) note_value(w, n->cond_refs[k]);
      note_value(w, n->range);
      note_value(w, n->value);
      note_value(w, n->lhs);
      note_value(w, n->rhs);
      note_value(w, n->obj);
      for (size_t k = 0; k < n->nargs; k++) note_value(w, n->args[k]);
      note_value(w, n->result_to);
    }
    while (vi < w->valuev.n) {
      const ll_value *v = w->valuev.v[vi++];
      note_value(w, v->base);
      note_node(w, v->call);
    }
  }
}

static void put_str(wctx *w, const char *s) { put_u(w->b, str_id(w, s)); }
static void put_node(wctx *w, const ll_node *n) {
  size_t i;
  put_u(w->b, n && pmap_get(&w->nodes, n, &i) ? i + 1 : 0);
}
static void put_value(wctx *w, const ll_value *v) {
  size_t i;
  put_u(w->b, v && pmap_get(&w->values, v, &i) ? i + 1 : 0);
}
static void put_func(wctx *w, const ll_func *f) {
  size_t i;
  put_u(w->b, f && pmap_get(&w->funcs, f, &i) ? i + 1 : 0);
}

static void put_loc(wctx *w, const ll_loc *l) {
  put_str(w, l->file);
  put_u(w->b, l->line);
  put_u(w->b, l->col);
  put_u(w->b, l->end_line);
  put_u(w->b, l->end_col);
  put_u(w->b, l->offset);
  put_u(w->b, l->end_offset);
}

/* The body (everything but the string table) goes to `body`; strings are
 * interned while it is written and emitted first. */
void ll_ir_serialize(const ll_tu *tu, const ll_rules *rules, ll_buf *out) {
  wctx w = {0};
  ll_buf body = {0};
  w.b = &body;
  w.tu = tu;
  size_t na = rules ? ll_rules_count(rules) : 0;
  for (size_t i = 0; i < na; i++) pmap_put(&w.apis, ll_rules_at(rules, i), i);
  discover(&w);

  put_str(&w, tu->main_file);
  put_u(w.b, tu->nfuncs);
  put_u(w.b, w.nodev.n);
  put_u(w.b, w.valuev.n);
  put_u(w.b, tu->nvars);
  put_u(w.b, tu->nfiles);
  for (size_t i = 0; i < tu->nfuncs; i++) {
    const ll_func *f = tu->funcs[i];
    put_str(&w, f->name);
    put_str(&w, f->usr);
    put_loc(&w, &f->loc);
    put_node(&w, f->body);
    put_u(w.b, f->nparams);
    for (size_t k = 0; k < f->nparams; k++) put_s(w.b, f->params[k]);
    put_func(&w, f->parent);
    put_u(w.b, f->ncaptures);
    for (size_t k = 0; k < f->ncaptures; k++) put_s(w.b, f->captures[k]);
    put_u(w.b, (unsigned)f->captures_this | (unsigned)f->is_lambda << 1 | (unsigned)f->is_block << 2 |
                   (unsigned)f->is_coroutine << 3 | (unsigned)f->is_implicit << 4);
    put_str(&w, f->cls);
    put_u(w.b, f->noverrides);
    for (size_t k = 0; k < f->noverrides; k++) put_str(&w, f->overrides[k]);
  }
  for (size_t i = 0; i < w.nodev.n; i++) {
    const ll_node *n = w.nodev.v[i];
    put_u(w.b, (uint64_t)n->kind);
    put_loc(&w, &n->loc);
    put_node(&w, n->parent);
    put_func(&w, n->func);
    put_u(w.b, n->nkids);
    for (size_t k = 0; k < n->nkids; k++) put_node(&w, n->kids[k]);
    put_node(&w, n->cond);
    put_s(w.b, n->cond_const);
    put_u(w.b, n->ncond_refs);
    for (size_t k = 0; k < n->ncond_refs; k++) put_value(&w, n->cond_refs[k]);
    put_s(w.b, n->cond_negated);
    put_u(w.b, (uint64_t)n->loop_kind);
    put_node(&w, n->init);
    put_node(&w, n->inc);
    put_value(&w, n->range);
    put_str(&w, n->range_class);
    put_value(&w, n->value);
    put_str(&w, n->label);
    put_s(w.b, n->is_default);
    put_value(&w, n->lhs);
    put_value(&w, n->rhs);
    put_s(w.b, n->is_decl);
    put_str(&w, n->op);
    put_str(&w, n->callee);
    put_str(&w, n->callee_usr);
    put_str(&w, n->macro);
    put_value(&w, n->obj);
    put_str(&w, n->obj_class);
    put_str(&w, n->obj_type);
    put_u(w.b, n->nargs);
    for (size_t k = 0; k < n->nargs; k++) put_value(&w, n->args[k]);
    put_value(&w, n->result_to);
    put_node(&w, n->outer_call);
    put_s(w.b, n->result_used);
    put_s(w.b, n->is_construct);
    put_s(w.b, n->is_temporary);
    put_s(w.b, n->is_bracket_spawn);
    put_node(&w, n->bracket_task);
    put_s(w.b, n->in_coawait);
    size_t napis = n->napis < LL_MAX_APIS ? n->napis : LL_MAX_APIS;
    put_u(w.b, napis);
    for (size_t k = 0; k < napis; k++) {
      size_t ai;
      put_u(w.b, n->apis[k] && pmap_get(&w.apis, n->apis[k], &ai) ? ai + 1 : 0);
    }
    put_s(w.b, n->is_virtual);
  }
  for (size_t i = 0; i < w.valuev.n; i++) {
    const ll_value *v = w.valuev.v[i];
    put_u(w.b, (uint64_t)v->kind);
    put_s(w.b, v->known);
    put_s(w.b, v->ival);
    put_s(w.b, v->var);
    put_str(&w, v->name);
    put_str(&w, v->usr);
    put_value(&w, v->base);
    put_func(&w, v->fn);
    put_node(&w, v->call);
    put_str(&w, v->type);
    put_str(&w, v->text);
    put_loc(&w, &v->loc);
    put_s(w.b, v->is_virtual);
  }
  for (size_t i = 0; i < tu->nvars; i++) {
    const ll_var *v = &tu->vars[i];
    put_str(&w, v->name);
    put_str(&w, v->type);
    put_loc(&w, &v->loc);
    put_func(&w, v->owner);
    put_s(w.b, v->is_param);
    put_s(w.b, v->param_index);
    put_s(w.b, v->is_static);
  }
  for (size_t i = 0; i < tu->nfiles; i++) {
    put_str(&w, tu->files[i]);
    put_u(w.b, tu->lens[i]);
  }
  put_u(w.b, tu->nclasses);
  for (size_t i = 0; i < tu->nclasses; i++) {
    const ll_class *k = &tu->classes[i];
    put_str(&w, k->name);
    put_u(w.b, k->nbases);
    for (size_t j = 0; j < k->nbases; j++) put_str(&w, k->bases[j]);
  }

  /* string table, then the body */
  put_u(out, w.nstr);
  for (size_t i = 0; i < w.nstr; i++) {
    size_t l = strlen(w.strv[i]);
    put_u(out, l);
    ll_buf_append(out, w.strv[i], l);
  }
  put_u(out, body.len);
  if (body.len) ll_buf_append(out, body.data, body.len);

  ll_buf_free(&body);
  pmap_free(&w.funcs);
  pmap_free(&w.nodes);
  pmap_free(&w.values);
  pmap_free(&w.apis);
  free(w.nodev.v);
  free(w.valuev.v);
  free(w.strv);
  free(w.skeys);
  free(w.svals);
}

/* ====================================================================== */
/* reader: every read is bounds-checked; any inconsistency fails the load  */
/* ====================================================================== */

typedef struct rctx {
  const unsigned char *p, *end;
  int bad;
  ll_arena *A;
  char **strs;
  size_t nstrs;
  ll_func *funcs;
  size_t nfuncs;
  ll_node *nodes;
  size_t nnodes;
  ll_value *values;
  size_t nvalues;
  size_t nvars;
  const ll_rules *rules;
  size_t napis;
} rctx;

static uint64_t get_u(rctx *r) {
  uint64_t x = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (r->p >= r->end) {
      r->bad = 1;
      return 0;
    }
    unsigned char c = *r->p++;
    x |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) return x;
  }
  r->bad = 1;
  return 0;
}

static long long get_s(rctx *r) {
  uint64_t u = get_u(r);
  return (long long)((u >> 1) ^ (~(u & 1) + 1));
}

static int get_int(rctx *r) {
  long long x = get_s(r);
  if (x < INT_MIN || x > INT_MAX) r->bad = 1;
  return (int)x;
}

static unsigned get_uint(rctx *r) {
  uint64_t x = get_u(r);
  if (x > UINT_MAX) r->bad = 1;
  return (unsigned)x;
}

/* A count of items that each take at least one byte. */
static size_t get_count(rctx *r) {
  uint64_t n = get_u(r);
  if (n > (uint64_t)(r->end - r->p)) {
    r->bad = 1;
    return 0;
  }
  return (size_t)n;
}

/* A 1-based reference into a table of n items (0 = none): the index, or 0
 * (and r->bad) when it is out of range. */
static size_t get_ref(rctx *r, size_t n) {
  uint64_t i = get_u(r);
  if (i > n) {
    r->bad = 1;
    return 0;
  }
  return (size_t)i;
}

static const char *get_str(rctx *r) {
  size_t i = get_ref(r, r->nstrs);
  return i ? r->strs[i - 1] : NULL;
}

static ll_node *get_node(rctx *r) {
  size_t i = get_ref(r, r->nnodes);
  return i ? &r->nodes[i - 1] : NULL;
}

static ll_value *get_value(rctx *r) {
  size_t i = get_ref(r, r->nvalues);
  return i ? &r->values[i - 1] : NULL;
}

static ll_func *get_func(rctx *r) {
  size_t i = get_ref(r, r->nfuncs);
  return i ? &r->funcs[i - 1] : NULL;
}

static void get_loc(rctx *r, ll_loc *l) {
  l->file = get_str(r);
  l->line = get_uint(r);
  l->col = get_uint(r);
  l->end_line = get_uint(r);
  l->end_col = get_uint(r);
  l->offset = get_uint(r);
  l->end_offset = get_uint(r);
}

static void *arr(rctx *r, size_t n, size_t size) { return n ? ll_arena_alloc(r->A, n * size) : NULL; }

static int get_var_id(rctx *r) {
  int v = get_int(r);
  if (v < -1 || (v >= 0 && (size_t)v >= r->nvars)) {
    /* var ids index tu->vars; -1 (none) is the only other value seen */
    if (v < 0) return v;
    r->bad = 1;
  }
  return v;
}

ll_tu *ll_ir_deserialize(const void *data, size_t len, const ll_rules *rules) {
  rctx r = {0};
  r.p = data;
  r.end = r.p + len;
  r.rules = rules;
  r.napis = rules ? ll_rules_count(rules) : 0;
  ll_tu *tu = ll_xcalloc(1, sizeof *tu);
  tu->arena = ll_arena_new();
  r.A = tu->arena;

  r.nstrs = get_count(&r);
  r.strs = arr(&r, r.nstrs, sizeof(char *));
  for (size_t i = 0; i < r.nstrs && !r.bad; i++) {
    size_t l = get_count(&r);
    if (r.bad) break;
    r.strs[i] = ll_arena_strndup(r.A, (const char *)r.p, l);
    r.p += l;
  }
  size_t blen = get_count(&r);
  if (r.bad || blen != (size_t)(r.end - r.p)) goto fail;

  tu->main_file = get_str(&r);
  r.nfuncs = get_count(&r);
  r.nnodes = get_count(&r);
  r.nvalues = get_count(&r);
  r.nvars = get_count(&r);
  tu->nfiles = get_count(&r);
  if (r.bad) goto fail;
  r.funcs = arr(&r, r.nfuncs, sizeof(ll_func));
  r.nodes = arr(&r, r.nnodes, sizeof(ll_node));
  r.values = arr(&r, r.nvalues, sizeof(ll_value));
  tu->nfuncs = r.nfuncs;
  tu->funcs = ll_arena_alloc(r.A, (r.nfuncs ? r.nfuncs : 1) * sizeof(ll_func *));
  tu->nvars = r.nvars;
  tu->vars = ll_arena_alloc(r.A, (r.nvars ? r.nvars : 1) * sizeof(ll_var));

  for (size_t i = 0; i < r.nfuncs && !r.bad; i++) {
    ll_func *f = &r.funcs[i];
    tu->funcs[i] = f;
    f->tu = tu;
    f->name = get_str(&r);
    f->usr = get_str(&r);
    get_loc(&r, &f->loc);
    f->body = get_node(&r);
    f->nparams = get_count(&r);
    f->params = arr(&r, f->nparams, sizeof(int));
    for (size_t k = 0; k < f->nparams && !r.bad; k++) f->params[k] = get_var_id(&r);
    f->parent = get_func(&r);
    f->ncaptures = get_count(&r);
    f->captures = arr(&r, f->ncaptures, sizeof(int));
    for (size_t k = 0; k < f->ncaptures && !r.bad; k++) f->captures[k] = get_var_id(&r);
    uint64_t fl = get_u(&r);
    if (fl > 31) r.bad = 1;
    f->captures_this = (int)(fl & 1);
    f->is_lambda = (int)(fl >> 1 & 1);
    f->is_block = (int)(fl >> 2 & 1);
    f->is_coroutine = (int)(fl >> 3 & 1);
    f->is_implicit = (int)(fl >> 4 & 1);
    f->cls = get_str(&r);
    f->noverrides = get_count(&r);
    f->overrides = arr(&r, f->noverrides, sizeof(char *));
    for (size_t k = 0; k < f->noverrides && !r.bad; k++)
      if (!(f->overrides[k] = get_str(&r))) r.bad = 1;
  }
  for (size_t i = 0; i < r.nnodes && !r.bad; i++) {
    ll_node *n = &r.nodes[i];
    uint64_t kind = get_u(&r);
    if (kind > LL_N_DECL) r.bad = 1;
    n->kind = (ll_node_kind)kind;
    get_loc(&r, &n->loc);
    n->parent = get_node(&r);
    n->func = get_func(&r);
    n->nkids = get_count(&r);
    n->kids = arr(&r, n->nkids, sizeof(ll_node *));
    for (size_t k = 0; k < n->nkids && !r.bad; k++) n->kids[k] = get_node(&r);
    n->cond = get_node(&r);
    n->cond_const = get_int(&r);
    n->ncond_refs = get_count(&r);
    n->cond_refs = arr(&r, n->ncond_refs, sizeof(ll_value *));
    for (size_t k = 0; k < n->ncond_refs && !r.bad; k++) n->cond_refs[k] = get_value(&r);
    n->cond_negated = get_int(&r);
    uint64_t lk = get_u(&r);
    if (lk > LL_LOOP_RANGE) r.bad = 1;
    n->loop_kind = (ll_loop_kind)lk;
    n->init = get_node(&r);
    n->inc = get_node(&r);
    n->range = get_value(&r);
    n->range_class = get_str(&r);
    n->value = get_value(&r);
    n->label = get_str(&r);
    n->is_default = get_int(&r);
    n->lhs = get_value(&r);
    n->rhs = get_value(&r);
    n->is_decl = get_int(&r);
    n->op = get_str(&r);
    n->callee = get_str(&r);
    n->callee_usr = get_str(&r);
    n->macro = get_str(&r);
    n->obj = get_value(&r);
    n->obj_class = get_str(&r);
    n->obj_type = get_str(&r);
    n->nargs = get_count(&r);
    n->args = arr(&r, n->nargs, sizeof(ll_value *));
    for (size_t k = 0; k < n->nargs && !r.bad; k++) n->args[k] = get_value(&r);
    n->result_to = get_value(&r);
    n->outer_call = get_node(&r);
    n->result_used = get_int(&r);
    n->is_construct = get_int(&r);
    n->is_temporary = get_int(&r);
    n->is_bracket_spawn = get_int(&r);
    n->bracket_task = get_node(&r);
    n->in_coawait = get_int(&r);
    uint64_t na = get_u(&r);
    if (na > LL_MAX_APIS) r.bad = 1;
    n->napis = r.bad ? 0 : (size_t)na;
    for (size_t k = 0; k < n->napis && !r.bad; k++) {
      uint64_t ai = get_u(&r);
      if (ai == 0 || ai > r.napis) r.bad = 1;
      else n->apis[k] = ll_rules_at(rules, (size_t)ai - 1);
    }
    n->is_virtual = get_int(&r);
  }
  for (size_t i = 0; i < r.nvalues && !r.bad; i++) {
    ll_value *v = &r.values[i];
    uint64_t kind = get_u(&r);
    if (kind > LL_V_NEW) r.bad = 1;
    v->kind = (ll_value_kind)kind;
    v->known = get_int(&r);
    v->ival = get_s(&r);
    v->var = get_int(&r);
    if (v->kind == LL_V_VAR && (v->var < 0 || (size_t)v->var >= r.nvars)) r.bad = 1;
    v->name = get_str(&r);
    v->usr = get_str(&r);
    v->base = get_value(&r);
    v->fn = get_func(&r);
    v->call = get_node(&r);
    v->type = get_str(&r);
    v->text = get_str(&r);
    get_loc(&r, &v->loc);
    v->is_virtual = get_int(&r);
  }
  for (size_t i = 0; i < r.nvars && !r.bad; i++) {
    ll_var *v = &tu->vars[i];
    v->name = get_str(&r);
    v->type = get_str(&r);
    get_loc(&r, &v->loc);
    v->owner = get_func(&r);
    v->is_param = get_int(&r);
    v->param_index = get_int(&r);
    v->is_static = get_int(&r);
  }
  if (r.bad) goto fail;
  tu->files = ll_arena_alloc(r.A, (tu->nfiles ? tu->nfiles : 1) * sizeof(char *));
  tu->contents = ll_arena_alloc(r.A, (tu->nfiles ? tu->nfiles : 1) * sizeof(char *));
  tu->lens = ll_arena_alloc(r.A, (tu->nfiles ? tu->nfiles : 1) * sizeof(size_t));
  for (size_t i = 0; i < tu->nfiles && !r.bad; i++) {
    tu->files[i] = get_str(&r);
    tu->lens[i] = (size_t)get_u(&r);
    tu->contents[i] = ll_text_intern("", 0);
    if (!tu->files[i]) r.bad = 1;
  }
  tu->nclasses = r.bad ? 0 : get_count(&r);
  tu->classes = ll_arena_alloc(r.A, (tu->nclasses ? tu->nclasses : 1) * sizeof(ll_class));
  for (size_t i = 0; i < tu->nclasses && !r.bad; i++) {
    ll_class *k = &tu->classes[i];
    k->name = get_str(&r);
    k->nbases = get_count(&r);
    k->bases = arr(&r, k->nbases, sizeof(char *));
    for (size_t j = 0; j < k->nbases && !r.bad; j++)
      if (!(k->bases[j] = get_str(&r))) r.bad = 1;
    if (!k->name) r.bad = 1;
  }
  if (r.bad || r.p != r.end) goto fail;
  /* every function needs a body block; nodes must belong to a function */
  for (size_t i = 0; i < r.nfuncs; i++)
    if (r.funcs[i].body && r.funcs[i].body->kind != LL_N_BLOCK) goto fail;
  /* a crafted entry must not make an analysis loop or recurse forever */
  if (!ll_ir_shape_ok(r.nodes, r.nnodes, r.values, r.nvalues, r.funcs, r.nfuncs)) goto fail;
  return tu;

fail:
  ll_tu_free(tu);
  return NULL;
}

/* ====================================================================== */
/* the cache                                                               */
/* ====================================================================== */

typedef struct hent {
  char *path;
  int ok;
  uint64_t size;
  ll_digest dg;
  const char *text; /* interned contents, once a decode needed them (one reference) */
  size_t tlen;
  struct hent *next;
} hent;

#define HBUCKETS 1024

/* ---- findings: binary form of run entries ---- */

static void put_cstr(ll_buf *b, const char *s) { /* 0 = NULL, else length + 1 */
  if (!s) {
    put_u(b, 0);
    return;
  }
  size_t l = strlen(s);
  put_u(b, l + 1);
  ll_buf_append(b, s, l);
}

static void put_span(ll_buf *b, const ll_span *sp) {
  put_cstr(b, sp->file);
  put_u(b, sp->line);
  put_u(b, sp->col);
  put_u(b, sp->end_line);
  put_u(b, sp->end_col);
}

void ll_findings_serialize(const ll_findings *f, ll_buf *out) {
  put_u(out, f->n);
  for (size_t i = 0; i < f->n; i++) {
    const ll_finding *x = &f->v[i];
    put_cstr(out, x->rule);
    put_u(out, (uint64_t)x->level);
    put_u(out, (uint64_t)x->confidence);
    put_cstr(out, x->message);
    put_span(out, &x->loc);
    put_u(out, x->nrelated);
    for (size_t k = 0; k < x->nrelated; k++) {
      put_span(out, &x->related[k].span);
      put_cstr(out, x->related[k].message);
    }
    put_cstr(out, x->hint);
    put_u(out, x->nfixes);
    for (size_t k = 0; k < x->nfixes; k++) {
      const ll_fix *fx = &x->fixes[k];
      put_cstr(out, fx->title);
      put_u(out, (uint64_t)fx->safety);
      put_u(out, fx->nedits);
      for (size_t e = 0; e < fx->nedits; e++) {
        put_span(out, &fx->edits[e].span);
        put_cstr(out, fx->edits[e].replacement);
      }
    }
    put_cstr(out, x->function);
  }
}

static char *get_cstr(rctx *r) { /* heap copy; NULL for NULL */
  size_t l = get_count(r);
  if (r->bad || l == 0) return NULL;
  l--;
  char *s = ll_xstrndup((const char *)r->p, l);
  r->p += l;
  return s;
}

static void get_span(rctx *r, ll_span *sp) {
  sp->file = get_cstr(r);
  sp->line = get_uint(r);
  sp->col = get_uint(r);
  sp->end_line = get_uint(r);
  sp->end_col = get_uint(r);
}

int ll_findings_deserialize(const void *data, size_t len, ll_findings *out) {
  rctx r = {0};
  r.p = data;
  r.end = r.p + len;
  ll_findings got = {0};
  size_t n = get_count(&r);
  for (size_t i = 0; i < n && !r.bad; i++) {
    ll_finding x;
    memset(&x, 0, sizeof x);
    x.rule = get_cstr(&r);
    uint64_t level = get_u(&r), conf = get_u(&r);
    if (level > LL_LEVEL_ERROR || conf > LL_CONF_LOW) r.bad = 1;
    x.level = (ll_level)level;
    x.confidence = (ll_confidence)conf;
    x.message = get_cstr(&r);
    get_span(&r, &x.loc);
    x.nrelated = get_count(&r);
    x.related = x.nrelated ? ll_xcalloc(x.nrelated, sizeof(ll_related)) : NULL;
    for (size_t k = 0; k < x.nrelated && !r.bad; k++) {
      get_span(&r, &x.related[k].span);
      x.related[k].message = get_cstr(&r);
    }
    x.hint = get_cstr(&r);
    x.nfixes = get_count(&r);
    x.fixes = x.nfixes ? ll_xcalloc(x.nfixes, sizeof(ll_fix)) : NULL;
    for (size_t k = 0; k < x.nfixes && !r.bad; k++) {
      ll_fix *fx = &x.fixes[k];
      fx->title = get_cstr(&r);
      uint64_t safety = get_u(&r);
      if (safety > LL_FIX_DISPLAY) r.bad = 1;
      fx->safety = (ll_fix_safety)safety;
      fx->nedits = get_count(&r);
      fx->edits = fx->nedits ? ll_xcalloc(fx->nedits, sizeof(ll_edit)) : NULL;
      for (size_t e = 0; e < fx->nedits && !r.bad; e++) {
        get_span(&r, &fx->edits[e].span);
        fx->edits[e].replacement = get_cstr(&r);
      }
    }
    x.function = get_cstr(&r);
    if (!x.rule || !x.message || !x.loc.file) r.bad = 1;
    ll_findings_push(&got, x);
  }
  if (r.bad || r.p != r.end) {
    ll_findings_free(&got);
    return -1;
  }
  ll_findings_append(out, &got);
  ll_findings_free(&got);
  return 0;
}

struct ll_cache {
  char *dir;
  int dfd;  /* the cache directory, opened and checked (open_trusted_dir) */
  char *io; /* the path entries are reached through: /proc/self/fd/<dfd> */
  ll_digest rules; /* SHA-256 of every rule pack loaded */
  size_t napis;
  char *build_id; /* version + executable identity */
  char *cwd;
  pthread_mutex_t mu;
  hent *h[HBUCKETS]; /* content digests of files, read once per run */
  unsigned long seq;
};

static size_t bucket_of(const char *path) {
  return (size_t)ll_hash64(path, strlen(path), LL_HASH_SEED) & (HBUCKETS - 1);
}

/* size + SHA-256 of a file, memoised for the run. 0 when it cannot be read
 * (missing, not a regular file, over the source limit). */
static int file_hash(ll_cache *c, const char *path, uint64_t *size, ll_digest *dg) {
  size_t b = bucket_of(path);
  pthread_mutex_lock(&c->mu);
  for (hent *e = c->h[b]; e; e = e->next) {
    if (!strcmp(e->path, path)) {
      int ok = e->ok;
      *size = e->size;
      *dg = e->dg;
      pthread_mutex_unlock(&c->mu);
      return ok;
    }
  }
  pthread_mutex_unlock(&c->mu);
  char *text = NULL;
  size_t len = 0;
  hent *e = ll_xcalloc(1, sizeof *e);
  e->path = ll_xstrdup(path);
  if (ll_read_bounded(path, LL_READ_SOURCE, &text, &len, NULL) == 0) {
    e->ok = 1;
    e->size = len;
    ll_digest_of(text, len, &e->dg);
    free(text);
  }
  pthread_mutex_lock(&c->mu);
  e->next = c->h[b];
  c->h[b] = e;
  pthread_mutex_unlock(&c->mu);
  *size = e->size;
  *dg = e->dg;
  return e->ok;
}

/* The contents of a file for a decoded IR, read once per run however many
 * translation units include it: a new reference to the interned text (the
 * caller releases it), or NULL when it cannot be read. *dg: its digest. */
static const char *file_text(ll_cache *c, const char *path, size_t *len, ll_digest *dg) {
  size_t b = bucket_of(path);
  pthread_mutex_lock(&c->mu);
  for (hent *e = c->h[b]; e; e = e->next) {
    if (!strcmp(e->path, path) && e->text) {
      *len = e->tlen;
      *dg = e->dg;
      const char *t = ll_text_retain(e->text);
      pthread_mutex_unlock(&c->mu);
      return t;
    }
  }
  pthread_mutex_unlock(&c->mu);
  char *raw = NULL;
  size_t n = 0;
  if (ll_read_bounded(path, LL_READ_SOURCE, &raw, &n, NULL) != 0) return NULL;
  const char *t = ll_text_intern(raw, n);
  free(raw);
  hent *e = ll_xcalloc(1, sizeof *e);
  e->path = ll_xstrdup(path);
  e->ok = 1;
  e->size = n;
  ll_digest_of(t, n, &e->dg);
  e->text = ll_text_retain(t);
  e->tlen = n;
  pthread_mutex_lock(&c->mu);
  e->next = c->h[b]; /* first in the bucket: found before an older entry for the path */
  c->h[b] = e;
  pthread_mutex_unlock(&c->mu);
  *len = n;
  *dg = e->dg;
  return t;
}

/* Creates the parents of dir (they may be symlinks: a symlinked ~/.cache is
 * common; the cache directory itself may not be one). */
static int mkdir_parents(const char *dir) {
  char *p = ll_xstrdup(dir);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  free(p);
  return 0;
}

static int open_trusted_dir(const char *dir, char **why);
static int open_trusted_sub(int parent, const char *name);

char *ll_cache_default_dir(void) {
  const char *x = getenv("XDG_CACHE_HOME");
  if (x && x[0] == '/') return ll_xasprintf("%s/leaklint", x);
  const char *home = getenv("HOME");
  if (home && *home) return ll_xasprintf("%s/.cache/leaklint", home);
  return NULL;
}

/* The tag that tells backup tools this is a cache (created once, never
 * through a symlink). */
static void write_tag(int dfd) {
  int fd = openat(dfd, "CACHEDIR.TAG", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return;
  static const char tag[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
                            "# This file is a cache directory tag created by leaklint.\n";
  ssize_t w = write(fd, tag, sizeof tag - 1);
  (void)w;
  close(fd);
}

/* Creates and checks DIR and DIR/v<N>; the directory fd, or -1 with *why. */
static int prepare_dir(const char *dir, char **why, int *untrusted) {
  if (mkdir_parents(dir) != 0 || (mkdir(dir, 0755) != 0 && errno != EEXIST)) {
    *why = ll_xasprintf("cannot create %s: %s", dir, strerror(errno));
    return -1;
  }
  int dfd = open_trusted_dir(dir, why);
  if (dfd < 0) {
    *untrusted = 1;
    return -1;
  }
  char sub[24];
  snprintf(sub, sizeof sub, "v%u", IR_FORMAT);
  if (mkdirat(dfd, sub, 0755) != 0 && errno != EEXIST) {
    *why = ll_xasprintf("cannot create %s/%s: %s", dir, sub, strerror(errno));
    close(dfd);
    return -1;
  }
  int vfd = open_trusted_sub(dfd, sub);
  if (vfd < 0 || faccessat(vfd, ".", W_OK | X_OK, 0) != 0) {
    *why = ll_xasprintf("%s/%s is a symlink, not writable, or writable by others", dir, sub);
    *untrusted = vfd < 0;
    if (vfd >= 0) close(vfd);
    close(dfd);
    return -1;
  }
  close(vfd);
  write_tag(dfd);
  return dfd;
}

ll_cache *ll_cache_open(const char *dir, const ll_rules *rules, char **why, int *untrusted) {
  *why = NULL;
  *untrusted = 0;
  if (!dir || !*dir) return NULL;
  int dfd = prepare_dir(dir, why, untrusted);
  if (dfd < 0) return NULL;
  ll_cache *c = ll_xcalloc(1, sizeof *c);
  c->dir = ll_xstrdup(dir);
  c->dfd = dfd;
  /* every later access goes through the checked directory, even if its path
     is replaced meanwhile (Linux: the fd's magic link) */
  c->io = ll_xasprintf("/proc/self/fd/%d", dfd);
  if (access(c->io, X_OK) != 0) {
    free(c->io);
    c->io = ll_xstrdup(dir);
  }
  ll_rules_digest(rules, &c->rules);
  c->napis = rules ? ll_rules_count(rules) : 0;
  /* a rebuilt binary may extract different IR: its identity is in the key */
  struct stat st;
  if (stat("/proc/self/exe", &st) == 0)
    c->build_id = ll_xasprintf("%s/%u/%lld/%lld.%ld", LEAKLINT_VERSION, IR_FORMAT, (long long)st.st_size,
                               (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
  else
    c->build_id = ll_xasprintf("%s/%u", LEAKLINT_VERSION, IR_FORMAT);
  char cwd[PATH_MAX];
  c->cwd = ll_xstrdup(getcwd(cwd, sizeof cwd) ? cwd : "");
  pthread_mutex_init(&c->mu, NULL);
  return c;
}

void ll_cache_close(ll_cache *c) {
  if (!c) return;
  for (size_t i = 0; i < HBUCKETS; i++) {
    for (hent *e = c->h[i], *nx; e; e = nx) {
      nx = e->next;
      ll_text_release(e->text);
      free(e->path);
      free(e);
    }
  }
  pthread_mutex_destroy(&c->mu);
  close(c->dfd);
  free(c->io);
  free(c->dir);
  free(c->build_id);
  free(c->cwd);
  free(c);
}

/* The identity of the run's settings: version and executable, working
 * directory, rule packs. */
static void put_settings(const ll_cache *c, ll_buf *b) {
  char rh[2 * LL_DIGEST_LEN + 1];
  ll_digest_hex(&c->rules, rh);
  ll_buf_printf(b, "%s%c%s%c%s/%zu%c", c->build_id, 0, c->cwd, 0, rh, c->napis, 0);
}

/* Key: SHA-256 over everything that decides the IR besides the headers
 * (those are dependencies inside the entry, checked by content). Every
 * field is NUL-terminated, so no two different inputs share a key text. */
static void make_key(const ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                     const ll_digest *content, ll_digest *key) {
  ll_buf b = {0};
  char ch[2 * LL_DIGEST_LEN + 1];
  ll_digest_hex(content, ch);
  ll_buf_puts(&b, "file");
  ll_buf_putc(&b, 0);
  put_settings(c, &b);
  ll_buf_printf(&b, "%s%c%s%c%s%c", workdir ? workdir : "", 0, file, 0, ch, 0);
  for (size_t i = 0; args && i < args->n; i++) {
    ll_buf_puts(&b, args->v[i]);
    ll_buf_putc(&b, 0);
  }
  ll_digest_of(b.data, b.len, key);
  ll_buf_free(&b);
}

static char *entry_path(const ll_cache *c, const ll_digest *key, const char *ext) {
  char h[2 * LL_DIGEST_LEN + 1];
  ll_digest_hex(key, h);
  return ll_xasprintf("%s/v%u/%.2s/%s.%s", c->io, IR_FORMAT, h, h, ext);
}

/* Entry: MAGIC key ndeps {len path size digest}* kind [irlen ir] trailer,
 * where trailer = SHA-256 of everything before it (integrity, and the
 * entry's id for run entries). */
enum { ENTRY_IR = 0, ENTRY_SKIP = 1 };

struct ll_cache_entry {
  ll_cache *cache;        /* for the file contents, read once per run */
  char *data;             /* the whole entry file */
  const unsigned char *p; /* the IR inside data */
  size_t len;
};

void ll_cache_entry_free(ll_cache_entry *e) {
  if (!e) return;
  free(e->data);
  free(e);
}

/* Reads the entry file at path: magic, key and trailer checked. The data
 * (caller frees) and the span between key and trailer; NULL on any doubt. */
static char *read_entry(const char *path, const char *magic, const ll_digest *key, const unsigned char **body,
                        size_t *blen, ll_digest *id) {
  char *data = NULL;
  size_t dlen = 0;
  if (ll_read_bounded(path, LL_READ_CACHE, &data, &dlen, NULL) != 0) return NULL;
  const unsigned char *d = (const unsigned char *)data;
  size_t ml = strlen(magic);
  if (dlen < ml + 2 * LL_DIGEST_LEN || memcmp(d, magic, ml) != 0 ||
      memcmp(d + ml, key->b, LL_DIGEST_LEN) != 0) {
    free(data);
    return NULL;
  }
  ll_digest_of(d, dlen - LL_DIGEST_LEN, id);
  if (memcmp(id->b, d + dlen - LL_DIGEST_LEN, LL_DIGEST_LEN) != 0) { /* truncated or damaged */
    free(data);
    return NULL;
  }
  *body = d + ml + LL_DIGEST_LEN;
  *blen = dlen - ml - 2 * LL_DIGEST_LEN;
  return data;
}

/* A digest stored raw in an entry. */
static void get_digest(rctx *r, ll_digest *out) {
  if ((size_t)(r->end - r->p) < LL_DIGEST_LEN) {
    r->bad = 1;
    memset(out, 0, sizeof *out);
    return;
  }
  memcpy(out->b, r->p, LL_DIGEST_LEN);
  r->p += LL_DIGEST_LEN;
}

/* Every dependency still has the size and digest the entry recorded. */
static int deps_valid(ll_cache *c, rctx *r) {
  size_t ndeps = get_count(r);
  for (size_t i = 0; i < ndeps && !r->bad; i++) {
    size_t pl = get_count(r);
    if (r->bad) return 0;
    char *dep = ll_xstrndup((const char *)r->p, pl);
    r->p += pl;
    uint64_t size = get_u(r), s2;
    ll_digest dg, d2;
    get_digest(r, &dg);
    int ok = !r->bad && file_hash(c, dep, &s2, &d2) && s2 == size && ll_digest_equal(&dg, &d2);
    free(dep);
    if (!ok) return 0; /* a header changed: miss */
  }
  return !r->bad;
}

ll_cache_result ll_cache_get(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                             int accept_skip, ll_cache_entry **entry, ll_digest *id) {
  *entry = NULL;
  memset(id, 0, sizeof *id);
  if (!c || !file) return LL_CACHE_MISS;
  uint64_t msize;
  ll_digest mdg, key, eid;
  if (!file_hash(c, file, &msize, &mdg)) return LL_CACHE_MISS;
  make_key(c, file, args, workdir, &mdg, &key);
  char *path = entry_path(c, &key, "llc");
  const unsigned char *body = NULL;
  size_t blen = 0;
  char *data = read_entry(path, ENTRY_MAGIC, &key, &body, &blen, &eid);
  free(path);
  if (!data) return LL_CACHE_MISS;
  ll_cache_result res = LL_CACHE_MISS;
  rctx r = {0};
  r.p = body;
  r.end = body + blen;
  if (!deps_valid(c, &r)) goto out;
  uint64_t kind = get_u(&r);
  if (r.bad) goto out;
  if (kind == ENTRY_SKIP) {
    if (r.p == r.end && accept_skip) {
      res = LL_CACHE_SKIP;
      *id = eid;
    }
    goto out;
  }
  size_t irlen = get_count(&r);
  if (kind != ENTRY_IR || r.bad || irlen != (size_t)(r.end - r.p)) goto out;
  ll_cache_entry *e = ll_xcalloc(1, sizeof *e);
  e->cache = c;
  e->data = data;
  e->p = r.p;
  e->len = irlen;
  *entry = e;
  *id = eid;
  return LL_CACHE_HIT;
out:
  free(data);
  return res;
}

ll_tu *ll_cache_entry_decode(ll_cache_entry *e, const ll_rules *rules) {
  if (!e) return NULL;
  ll_cache *c = e->cache;
  ll_tu *tu = ll_ir_deserialize(e->p, e->len, rules);
  ll_cache_entry_free(e);
  if (!tu) return NULL;
  /* file contents: read back, must match what the IR was built from (the
     entry's dependencies hold their digests, which the probe checked; a file
     changed since then is a miss) */
  for (size_t i = 0; i < tu->nfiles; i++) {
    size_t fl = 0;
    ll_digest dg;
    const char *ft = file_text(c, tu->files[i], &fl, &dg);
    uint64_t psize;
    ll_digest pdg; /* what the probe validated (memoised): the text must be that one */
    if (!ft || fl != tu->lens[i] || !file_hash(c, tu->files[i], &psize, &pdg) || !ll_digest_equal(&dg, &pdg)) {
      ll_text_release(ft);
      ll_tu_free(tu);
      return NULL;
    }
    tu->contents[i] = ft; /* replaces the empty text deserialize put there */
  }
  return tu;
}


/* Writes b to the entry path of key (temp file + rename). 1 on success. */
static int write_atomic(ll_cache *c, const ll_digest *key, const char *ext, const ll_buf *b) {
  char *path = entry_path(c, key, ext);
  char *slash = strrchr(path, '/');
  *slash = '\0';
  mkdir(path, 0755);
  *slash = '/';
  pthread_mutex_lock(&c->mu);
  unsigned long seq = ++c->seq;
  pthread_mutex_unlock(&c->mu);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char *tmp = ll_xasprintf("%s.tmp.%ld.%lu.%ld", path, (long)getpid(), seq, (long)ts.tv_nsec);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  int ok = 0;
  if (fd >= 0) {
    size_t off = 0;
    int werr = 0;
    while (off < b->len) {
      ssize_t w = write(fd, b->data + off, b->len - off);
      if (w < 0) {
        if (errno == EINTR) continue;
        werr = 1;
        break;
      }
      off += (size_t)w;
    }
    if (close(fd) != 0) werr = 1;
    if (werr || rename(tmp, path) != 0)
      unlink(tmp);
    else
      ok = 1;
  }
  free(tmp);
  free(path);
  return ok;
}

/* A dependency of an entry: a file and its size and digest then. */
typedef struct dep {
  const char *name;
  uint64_t size;
  ll_digest dg;
} dep;

static int cmp_dep(const void *a, const void *b) { return strcmp(((const dep *)a)->name, ((const dep *)b)->name); }

/* Writes an entry: key, dependencies (sorted, unique names with sizes and
 * digests), then the kind and, for ENTRY_IR, the serialised IR. Atomic
 * (temp + rename). 1 and *id on success. */
static int write_entry(ll_cache *c, const ll_digest *key, dep *deps, size_t nd, const ll_tu *tu,
                       const ll_rules *rules, ll_digest *id) {
  if (nd) qsort(deps, nd, sizeof *deps, cmp_dep);
  size_t w = 0;
  for (size_t i = 0; i < nd; i++)
    if (!w || strcmp(deps[w - 1].name, deps[i].name) != 0) deps[w++] = deps[i];
  nd = w;
  ll_buf b = {0};
  ll_buf_append(&b, ENTRY_MAGIC, strlen(ENTRY_MAGIC));
  ll_buf_append(&b, (const char *)key->b, LL_DIGEST_LEN);
  put_u(&b, nd);
  for (size_t i = 0; i < nd; i++) {
    size_t l = strlen(deps[i].name);
    put_u(&b, l);
    ll_buf_append(&b, deps[i].name, l);
    put_u(&b, deps[i].size);
    ll_buf_append(&b, (const char *)deps[i].dg.b, LL_DIGEST_LEN);
  }
  put_u(&b, tu ? ENTRY_IR : ENTRY_SKIP);
  if (tu) {
    ll_buf ir = {0};
    ll_ir_serialize(tu, rules, &ir);
    put_u(&b, ir.len);
    ll_buf_append(&b, ir.data, ir.len);
    ll_buf_free(&ir);
  }
  ll_digest_of(b.data, b.len, id);
  ll_buf_append(&b, (const char *)id->b, LL_DIGEST_LEN);
  int ok = write_atomic(c, key, "llc", &b);
  ll_buf_free(&b);
  return ok;
}

/* Adds path with its current size and digest; 0 when it cannot be read. */
static int add_file_dep(ll_cache *c, const char *path, dep *out) {
  out->name = path;
  return file_hash(c, path, &out->size, &out->dg);
}

/* Stores an entry for file+args: the IR of tu, or (tu NULL) the filter's
 * skip mark. Dependencies: the main file, every file the parse read
 * (libclang's inclusions), every project header the include walker finds,
 * and the files the IR has text of (hashed from the tu's own copy). */
static int put_entry(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                     const ll_tu *tu, const ll_rules *rules, ll_digest *id) {
  if (!c || !file) return 0;
  ll_digest mdg;
  uint64_t msize = 0;
  int have = 0;
  if (tu) { /* the content the IR was built from: the tu's copy of the main file */
    char *disp = ll_path_display(file);
    for (size_t i = 0; i < tu->nfiles; i++) {
      if (tu->files[i] && !strcmp(tu->files[i], disp)) {
        ll_digest_of(tu->contents[i], tu->lens[i], &mdg);
        have = 1;
        break;
      }
    }
    free(disp);
  }
  if (!have && !file_hash(c, file, &msize, &mdg)) return 0;
  ll_digest key;
  make_key(c, file, args, workdir, &mdg, &key);

  ll_strlist inc = {0};
  ll_prefilter_includes(file, args, workdir, &inc);
  size_t ntu = tu ? tu->nfiles : 0, nin = tu ? tu->ndeps : 0;
  dep *deps = ll_xcalloc(inc.n + ntu + nin + 1, sizeof(dep));
  size_t nd = 0;
  int ok = 1;
  if (!tu) { /* a skip mark depends on the main file's text too */
    deps[nd].name = file;
    deps[nd].size = msize;
    deps[nd].dg = mdg;
    nd++;
  }
  for (size_t i = 0; i < ntu; i++, nd++) {
    deps[nd].name = tu->files[i];
    deps[nd].size = tu->lens[i];
    ll_digest_of(tu->contents[i], tu->lens[i], &deps[nd].dg);
  }
  for (size_t i = 0; i < nin && ok; i++) ok = add_file_dep(c, tu->deps[i], &deps[nd++]);
  for (size_t i = 0; i < inc.n && ok; i++) ok = add_file_dep(c, inc.v[i], &deps[nd++]);
  ok = ok && write_entry(c, &key, deps, nd, tu, rules, id);
  free(deps);
  ll_strlist_free(&inc);
  return ok;
}

int ll_cache_put(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                 const ll_tu *tu, const ll_rules *rules, ll_digest *id) {
  memset(id, 0, sizeof *id);
  return tu ? put_entry(c, file, args, workdir, tu, rules, id) : 0;
}

int ll_cache_put_skip(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                      const ll_rules *rules, ll_digest *id) {
  memset(id, 0, sizeof *id);
  return put_entry(c, file, args, workdir, NULL, rules, id);
}

/* ---- run entries ---- */

static void run_key(const ll_cache *c, const ll_digest *ids, size_t n, ll_digest *key) {
  ll_buf b = {0};
  ll_buf_puts(&b, "run");
  ll_buf_putc(&b, 0);
  put_settings(c, &b);
  for (size_t i = 0; i < n; i++) ll_buf_append(&b, (const char *)ids[i].b, LL_DIGEST_LEN);
  ll_digest_of(b.data, b.len, key);
  ll_buf_free(&b);
}

int ll_cache_get_run(ll_cache *c, const ll_digest *ids, size_t n, ll_findings *out) {
  if (!c) return 0;
  ll_digest key, id;
  run_key(c, ids, n, &key);
  char *path = entry_path(c, &key, "llr");
  const unsigned char *body = NULL;
  size_t blen = 0;
  char *data = read_entry(path, RUN_MAGIC, &key, &body, &blen, &id);
  free(path);
  int hit = data && ll_findings_deserialize(body, blen, out) == 0;
  free(data);
  return hit;
}

void ll_cache_put_run(ll_cache *c, const ll_digest *ids, size_t n, const ll_findings *f) {
  if (!c) return;
  ll_digest key, id;
  run_key(c, ids, n, &key);
  ll_buf b = {0};
  ll_buf_append(&b, RUN_MAGIC, strlen(RUN_MAGIC));
  ll_buf_append(&b, (const char *)key.b, LL_DIGEST_LEN);
  ll_findings_serialize(f, &b);
  ll_digest_of(b.data, b.len, &id);
  ll_buf_append(&b, (const char *)id.b, LL_DIGEST_LEN);
  write_atomic(c, &key, "llr", &b);
  ll_buf_free(&b);
}
/* ---- trust in the cache directory ---- */

/* Opens dir (never through a symlink) and checks that this user owns it and
 * that nobody else may write into it: an entry planted by another user
 * could hide a finding, and a symlinked directory would make leaklint write
 * (as root: create its tree) or delete somewhere else. The fd, or -1 with
 * *why (caller frees). */
static int open_trusted_dir(const char *dir, char **why) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    struct stat ls;
    if (errno == ELOOP || errno == ENOTDIR) {
      int link = lstat(dir, &ls) == 0 && S_ISLNK(ls.st_mode);
      *why = ll_xasprintf("%s is %s", dir, link ? "a symlink (not followed)" : "not a directory");
    } else {
      *why = ll_xasprintf("%s: %s", dir, strerror(errno));
    }
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
    *why = st.st_uid != geteuid() ? ll_xasprintf("%s is not owned by the current user", dir)
                                  : ll_xasprintf("%s is writable by other users (mode %03o)", dir,
                                                 (unsigned)(st.st_mode & 0777));
    close(fd);
    return -1;
  }
  return fd;
}

/* A sub-directory of a trusted one that is trusted too (same rules), opened
 * relative to its parent without following a symlink; -1 otherwise. */
static int open_trusted_sub(int parent, const char *name) {
  int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
    close(fd);
    return -1;
  }
  return fd;
}

/* ---- --clear-cache ---- */

/* The magics of every format leaklint has written: a file is removed only
 * when its first bytes prove leaklint wrote it. */
static const char *const OUR_MAGICS[] = {ENTRY_MAGIC, RUN_MAGIC, "LLCACHE2", "LLRUN1"};

static int is_entry_name(const char *n) {
  size_t l = strlen(n);
  if (strstr(n, ".llc.tmp.") || strstr(n, ".llr.tmp.")) return 1;
  return l > 4 && (!strcmp(n + l - 4, ".llc") || !strcmp(n + l - 4, ".llr"));
}

/* Two hex digits: the fan-out directories entry_path creates. */
static int is_fanout_name(const char *n) {
  return strlen(n) == 2 && strchr("0123456789abcdef", n[0]) && strchr("0123456789abcdef", n[1]);
}

static int is_format_name(const char *n) {
  return n[0] == 'v' && n[1] && strspn(n + 1, "0123456789") == strlen(n + 1);
}

/* 1 when the regular file dfd/name (not a symlink) starts with one of our
 * magics; *size its size. */
static int written_by_us(int dfd, const char *name, unsigned long long *size) {
  int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return 0;
  struct stat st;
  char head[16] = {0};
  ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, head, sizeof head) : -1;
  close(fd);
  for (size_t i = 0; n > 0 && i < sizeof OUR_MAGICS / sizeof OUR_MAGICS[0]; i++) {
    size_t ml = strlen(OUR_MAGICS[i]);
    if ((size_t)n >= ml && memcmp(head, OUR_MAGICS[i], ml) == 0) {
      *size = (unsigned long long)st.st_size;
      return 1;
    }
  }
  return 0;
}

typedef struct clear_ctx {
  size_t entries;
  unsigned long long bytes;
  char *err;
} clear_ctx;

/* Removes our entries from one fan-out directory, then the directory when
 * it is empty. Everything relative to directory fds: nothing outside. */
static void clear_fanout(clear_ctx *x, int vfd, const char *fan) {
  int ffd = open_trusted_sub(vfd, fan);
  if (ffd < 0) return;
  DIR *d = fdopendir(ffd);
  if (!d) {
    close(ffd);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    unsigned long long sz = 0;
    if (!is_entry_name(e->d_name) || !written_by_us(ffd, e->d_name, &sz)) continue;
    if (unlinkat(ffd, e->d_name, 0) == 0) {
      x->entries++;
      x->bytes += sz;
    } else if (errno != ENOENT && !x->err) {
      x->err = ll_xasprintf("cannot remove %s: %s", e->d_name, strerror(errno));
    }
  }
  closedir(d);                           /* closes ffd */
  unlinkat(vfd, fan, AT_REMOVEDIR);      /* fails harmlessly when something else is inside */
}

static void clear_format(clear_ctx *x, int top, const char *name) {
  int vfd = open_trusted_sub(top, name);
  if (vfd < 0) return;
  int lfd = dup(vfd);
  DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)))
      if (is_fanout_name(e->d_name)) clear_fanout(x, vfd, e->d_name);
    closedir(d);
  } else if (lfd >= 0) {
    close(lfd);
  }
  close(vfd);
  unlinkat(top, name, AT_REMOVEDIR);
}

int ll_cache_clear(const char *dir, size_t *entries, unsigned long long *bytes, char **err) {
  *entries = 0;
  *bytes = 0;
  struct stat ls;
  if (lstat(dir, &ls) != 0 && errno == ENOENT) return 0; /* nothing cached yet */
  char *why = NULL;
  int top = open_trusted_dir(dir, &why);
  if (top < 0) {
    *err = ll_xasprintf("not clearing the cache: %s", why);
    free(why);
    return -1;
  }
  clear_ctx x = {0};
  int lfd = dup(top);
  DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
  if (!d) {
    if (lfd >= 0) close(lfd);
    close(top);
    *err = ll_xasprintf("cannot open the cache directory %s: %s", dir, strerror(errno));
    return -1;
  }
  struct dirent *vd;
  while ((vd = readdir(d)))
    if (is_format_name(vd->d_name)) clear_format(&x, top, vd->d_name);
  closedir(d);
  close(top);
  *entries = x.entries;
  *bytes = x.bytes;
  if (x.err) {
    *err = x.err;
    return -1;
  }
  return 0;
}
