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

#include "prefilter.h"
#include "readfile.h"

#ifndef LEAKLINT_VERSION
#define LEAKLINT_VERSION "0.0.0"
#endif

#define IR_FORMAT 1u
#define ENTRY_MAGIC "LLCACHE2"
#define RUN_MAGIC "LLRUN1"

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
                   (unsigned)f->is_coroutine << 3);
    put_str(&w, f->cls);
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
    if (fl > 15) r.bad = 1;
    f->captures_this = (int)(fl & 1);
    f->is_lambda = (int)(fl >> 1 & 1);
    f->is_block = (int)(fl >> 2 & 1);
    f->is_coroutine = (int)(fl >> 3 & 1);
    f->cls = get_str(&r);
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
  if (r.bad || r.p != r.end) goto fail;
  /* every function needs a body block; nodes must belong to a function */
  for (size_t i = 0; i < r.nfuncs; i++)
    if (r.funcs[i].body && r.funcs[i].body->kind != LL_N_BLOCK) goto fail;
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
  uint64_t size, hash;
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
  uint64_t rules_hash;
  char *build_id; /* version + executable identity */
  char *cwd;
  pthread_mutex_t mu;
  hent *h[HBUCKETS]; /* content hashes of files, read once per run */
  unsigned long seq;
};

static uint64_t content_hash(const void *d, size_t n) { return ll_hash_fast(d, n, 0x9e3779b97f4a7c15ULL); }

/* size + hash of a file, memoised for the run. 0 when it cannot be read. */
static int file_hash(ll_cache *c, const char *path, uint64_t *size, uint64_t *hash) {
  size_t b = (size_t)ll_hash64(path, strlen(path), LL_HASH_SEED) & (HBUCKETS - 1);
  pthread_mutex_lock(&c->mu);
  for (hent *e = c->h[b]; e; e = e->next) {
    if (!strcmp(e->path, path)) {
      int ok = e->ok;
      *size = e->size;
      *hash = e->hash;
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
    e->hash = content_hash(text, len);
    free(text);
  }
  pthread_mutex_lock(&c->mu);
  e->next = c->h[b];
  c->h[b] = e;
  pthread_mutex_unlock(&c->mu);
  *size = e->size;
  *hash = e->hash;
  return e->ok;
}

/* The contents of a file for a decoded IR, read once per run however many
 * translation units include it: a new reference to the interned text (the
 * caller releases it), or NULL when it cannot be read. */
static const char *file_text(ll_cache *c, const char *path, size_t *len) {
  size_t b = (size_t)ll_hash64(path, strlen(path), LL_HASH_SEED) & (HBUCKETS - 1);
  pthread_mutex_lock(&c->mu);
  for (hent *e = c->h[b]; e; e = e->next) {
    if (!strcmp(e->path, path) && e->text) {
      *len = e->tlen;
      const char *t = ll_text_retain(e->text);
      pthread_mutex_unlock(&c->mu);
      return t;
    }
  }
  pthread_mutex_unlock(&c->mu);
  char *raw = NULL;
  size_t n = 0;
  if (ll_read_bounded(path, LL_READ_SOURCE, &raw, &n, NULL) != 0) {
    free(raw);
    return NULL;
  }
  const char *t = ll_text_intern(raw, n);
  free(raw);
  hent *e = ll_xcalloc(1, sizeof *e);
  e->path = ll_xstrdup(path);
  e->ok = 1;
  e->size = n;
  e->hash = content_hash(t, n);
  e->text = ll_text_retain(t);
  e->tlen = n;
  pthread_mutex_lock(&c->mu);
  e->next = c->h[b]; /* first in the bucket: found before an older entry for the path */
  c->h[b] = e;
  pthread_mutex_unlock(&c->mu);
  *len = n;
  return t;
}

static int mkdir_p(const char *dir) {
  char *p = ll_xstrdup(dir);
  for (char *s = p + 1; *s; s++) {
    if (*s != '/') continue;
    *s = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = '/';
  }
  int r = mkdir(p, 0777) == 0 || errno == EEXIST ? 0 : -1;
  free(p);
  return r;
}

char *ll_cache_default_dir(void) {
  const char *x = getenv("XDG_CACHE_HOME");
  if (x && x[0] == '/') return ll_xasprintf("%s/leaklint", x);
  const char *home = getenv("HOME");
  if (home && *home) return ll_xasprintf("%s/.cache/leaklint", home);
  return NULL;
}

ll_cache *ll_cache_open(const char *dir, const ll_rules *rules) {
  if (!dir || !*dir) return NULL;
  if (mkdir_p(dir) != 0) return NULL;
  char *sub = ll_xasprintf("%s/v%u", dir, IR_FORMAT);
  if (mkdir_p(sub) != 0 || access(sub, W_OK | X_OK) != 0) {
    free(sub);
    return NULL;
  }
  free(sub);
  char *tag = ll_xasprintf("%s/CACHEDIR.TAG", dir);
  if (access(tag, F_OK) != 0) {
    FILE *f = fopen(tag, "w");
    if (f) {
      fputs("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by leaklint.\n", f);
      fclose(f);
    }
  }
  free(tag);
  ll_cache *c = ll_xcalloc(1, sizeof *c);
  c->dir = ll_xstrdup(dir);
  c->rules_hash = rules ? ll_rules_hash(rules) : 0;
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
  free(c->dir);
  free(c->build_id);
  free(c->cwd);
  free(c);
}

/* Key: two 64-bit hashes (different seeds) over everything that decides
 * the IR besides the included headers. */
static void make_key(const ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                     uint64_t content_h, uint64_t rules_hash, uint64_t key[2]) {
  ll_buf b = {0};
  ll_buf_printf(&b, "%s%c%s%c%s%c%s%c%016llx%c%016llx%c", c->build_id, 0, c->cwd, 0, workdir ? workdir : "", 0,
                file, 0, (unsigned long long)rules_hash, 0, (unsigned long long)content_h, 0);
  for (size_t i = 0; args && i < args->n; i++) {
    ll_buf_puts(&b, args->v[i]);
    ll_buf_putc(&b, 0);
  }
  key[0] = ll_hash64(b.data, b.len, LL_HASH_SEED);
  key[1] = ll_hash64(b.data, b.len, 0x84222325cbf29ce4ULL);
  ll_buf_free(&b);
}

static char *entry_path(const ll_cache *c, const uint64_t key[2], const char *ext) {
  return ll_xasprintf("%s/v%u/%02x/%016llx%016llx.%s", c->dir, IR_FORMAT, (unsigned)(key[0] >> 56),
                      (unsigned long long)key[0], (unsigned long long)key[1], ext);
}

static uint64_t rd64(const unsigned char *p) {
  uint64_t x = 0;
  for (int i = 7; i >= 0; i--) x = x << 8 | p[i];
  return x;
}

static void wr64(ll_buf *b, uint64_t x) {
  char t[8];
  for (int i = 0; i < 8; i++) t[i] = (char)(x >> (8 * i));
  ll_buf_append(b, t, 8);
}

/* Entry: MAGIC key0 key1 ndeps {len path size hash}* irlen ir checksum */
/* Entry kinds, after the dependencies. */
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

ll_cache_result ll_cache_get(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                             const ll_rules *rules, int accept_skip, ll_cache_entry **entry, uint64_t *id) {
  *entry = NULL;
  *id = 0;
  if (!c || !file) return LL_CACHE_MISS;
  uint64_t msize, mhash;
  if (!file_hash(c, file, &msize, &mhash)) return LL_CACHE_MISS;
  uint64_t key[2];
  make_key(c, file, args, workdir, mhash, rules ? ll_rules_hash(rules) : c->rules_hash, key);
  char *path = entry_path(c, key, "llc");
  char *data = NULL;
  size_t dlen = 0;
  int rc = ll_read_bounded(path, LL_READ_CACHE, &data, &dlen, NULL);
  free(path);
  if (rc != 0) return LL_CACHE_MISS;
  ll_cache_result res = LL_CACHE_MISS;
  const unsigned char *d = (const unsigned char *)data;
  size_t ml = strlen(ENTRY_MAGIC);
  if (dlen < ml + 16 + 8 || memcmp(d, ENTRY_MAGIC, ml) != 0) goto out;
  if (rd64(d + dlen - 8) != content_hash(d, dlen - 8)) goto out; /* truncated or damaged */
  if (rd64(d + ml) != key[0] || rd64(d + ml + 8) != key[1]) goto out;
  rctx r = {0};
  r.p = d + ml + 16;
  r.end = d + dlen - 8;
  size_t ndeps = get_count(&r);
  for (size_t i = 0; i < ndeps && !r.bad; i++) {
    size_t pl = get_count(&r);
    if (r.bad) break;
    char *dep = ll_xstrndup((const char *)r.p, pl);
    r.p += pl;
    uint64_t size = get_u(&r), hash = get_u(&r), s2, h2;
    int ok = !r.bad && file_hash(c, dep, &s2, &h2) && s2 == size && h2 == hash;
    free(dep);
    if (!ok) goto out; /* a header changed: miss */
  }
  uint64_t kind = get_u(&r);
  if (r.bad) goto out;
  if (kind == ENTRY_SKIP) {
    if (r.p == r.end && accept_skip) {
      res = LL_CACHE_SKIP;
      *id = rd64(d + dlen - 8);
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
  *id = rd64(d + dlen - 8);
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
  /* file contents: read back, must match what the IR was built from */
  for (size_t i = 0; i < tu->nfiles; i++) {
    size_t fl = 0;
    const char *ft = file_text(c, tu->files[i], &fl);
    if (!ft || fl != tu->lens[i]) {
      ll_text_release(ft);
      ll_tu_free(tu);
      return NULL;
    }
    tu->contents[i] = ft; /* replaces the empty text deserialize put there */
  }
  return tu;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Writes b to the entry path of key (temp file + rename). 1 on success. */
static int write_atomic(ll_cache *c, const uint64_t key[2], const char *ext, const ll_buf *b) {
  char *path = entry_path(c, key, ext);
  char *slash = strrchr(path, '/');
  *slash = '\0';
  mkdir(path, 0777);
  *slash = '/';
  pthread_mutex_lock(&c->mu);
  unsigned long seq = ++c->seq;
  pthread_mutex_unlock(&c->mu);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  char *tmp = ll_xasprintf("%s.tmp.%ld.%lu.%ld", path, (long)getpid(), seq, (long)ts.tv_nsec);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
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

/* Writes an entry: key, dependencies (sorted names with sizes and hashes),
 * then the kind and, for ENTRY_IR, the serialised IR. Atomic (temp + rename). */
static uint64_t write_entry(ll_cache *c, const uint64_t key[2], char **names, const uint64_t *sizes,
                            const uint64_t *hashes, size_t nd, const ll_tu *tu, const ll_rules *rules) {
  ll_buf b = {0};
  ll_buf_append(&b, ENTRY_MAGIC, strlen(ENTRY_MAGIC));
  wr64(&b, key[0]);
  wr64(&b, key[1]);
  put_u(&b, nd);
  for (size_t i = 0; i < nd; i++) {
    size_t l = strlen(names[i]);
    put_u(&b, l);
    ll_buf_append(&b, names[i], l);
    put_u(&b, sizes[i]);
    put_u(&b, hashes[i]);
  }
  put_u(&b, tu ? ENTRY_IR : ENTRY_SKIP);
  if (tu) {
    ll_buf ir = {0};
    ll_ir_serialize(tu, rules, &ir);
    put_u(&b, ir.len);
    ll_buf_append(&b, ir.data, ir.len);
    ll_buf_free(&ir);
  }
  uint64_t id = content_hash(b.data, b.len);
  wr64(&b, id);
  int ok = write_atomic(c, key, "llc", &b);
  ll_buf_free(&b);
  return ok ? id : 0;
}

/* Stores an entry for file+args: the IR of tu, or (tu NULL) the filter's
 * skip mark. Dependencies: every project header the include walker finds,
 * plus the files the IR has text of (hashed from the tu's own copy). */
static uint64_t put_entry(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                          const ll_tu *tu, const ll_rules *rules) {
  if (!c || !file) return 0;
  uint64_t mhash = 0, msize = 0;
  int have = 0;
  if (tu) { /* the content the IR was built from: the tu's copy of the main file */
    char *disp = ll_path_display(file);
    for (size_t i = 0; i < tu->nfiles; i++) {
      if (tu->files[i] && !strcmp(tu->files[i], disp)) {
        mhash = content_hash(tu->contents[i], tu->lens[i]);
        have = 1;
        break;
      }
    }
    free(disp);
  }
  if (!have && !file_hash(c, file, &msize, &mhash)) return 0;
  uint64_t key[2];
  make_key(c, file, args, workdir, mhash, rules ? ll_rules_hash(rules) : c->rules_hash, key);

  ll_strlist deps = {0};
  ll_prefilter_includes(file, args, workdir, &deps);
  size_t ntu = tu ? tu->nfiles : 0, cap = deps.n + ntu + 2;
  char **names = ll_xcalloc(cap, sizeof(char *));
  uint64_t *sizes = ll_xcalloc(cap, sizeof(uint64_t));
  uint64_t *hashes = ll_xcalloc(cap, sizeof(uint64_t));
  size_t nd = 0;
  int ok = 1;
  if (!tu) { /* a skip mark depends on the main file's text too */
    names[nd] = (char *)file;
    sizes[nd] = msize;
    hashes[nd] = mhash;
    nd++;
  }
  for (size_t i = 0; i < ntu; i++) {
    names[nd] = (char *)tu->files[i];
    sizes[nd] = tu->lens[i];
    hashes[nd] = content_hash(tu->contents[i], tu->lens[i]);
    nd++;
  }
  if (deps.n) qsort(deps.v, deps.n, sizeof(char *), cmp_str);
  for (size_t i = 0; i < deps.n && ok; i++) {
    uint64_t s, h;
    if (!file_hash(c, deps.v[i], &s, &h)) {
      ok = 0;
      break;
    }
    names[nd] = deps.v[i];
    sizes[nd] = s;
    hashes[nd] = h;
    nd++;
  }
  uint64_t id = ok ? write_entry(c, key, names, sizes, hashes, nd, tu, rules) : 0;
  free(names);
  free(sizes);
  free(hashes);
  ll_strlist_free(&deps);
  return id;
}

int ll_cache_put(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                 const ll_tu *tu, const ll_rules *rules, uint64_t *id) {
  *id = tu ? put_entry(c, file, args, workdir, tu, rules) : 0;
  return *id != 0;
}

int ll_cache_put_skip(ll_cache *c, const char *file, const ll_strlist *args, const char *workdir,
                      const ll_rules *rules, uint64_t *id) {
  *id = put_entry(c, file, args, workdir, NULL, rules);
  return *id != 0;
}

/* ---- run entries ---- */

static void run_key(const ll_cache *c, const uint64_t *ids, size_t n, uint64_t key[2]) {
  ll_buf b = {0};
  ll_buf_printf(&b, "run%c%s%c%s%c%016llx%c", 0, c->build_id, 0, c->cwd, 0, (unsigned long long)c->rules_hash, 0);
  for (size_t i = 0; i < n; i++) wr64(&b, ids[i]);
  key[0] = ll_hash64(b.data, b.len, LL_HASH_SEED);
  key[1] = ll_hash64(b.data, b.len, 0x84222325cbf29ce4ULL);
  ll_buf_free(&b);
}

int ll_cache_get_run(ll_cache *c, const uint64_t *ids, size_t n, ll_findings *out) {
  if (!c) return 0;
  uint64_t key[2];
  run_key(c, ids, n, key);
  char *path = entry_path(c, key, "llr");
  char *data = NULL;
  size_t dlen = 0;
  int rc = ll_read_bounded(path, LL_READ_CACHE, &data, &dlen, NULL);
  free(path);
  if (rc != 0) return 0;
  const unsigned char *d = (const unsigned char *)data;
  size_t ml = strlen(RUN_MAGIC);
  int hit = dlen >= ml + 16 + 8 && memcmp(d, RUN_MAGIC, ml) == 0 &&
            rd64(d + dlen - 8) == content_hash(d, dlen - 8) && rd64(d + ml) == key[0] &&
            rd64(d + ml + 8) == key[1] && ll_findings_deserialize(d + ml + 16, dlen - ml - 16 - 8, out) == 0;
  free(data);
  return hit;
}

void ll_cache_put_run(ll_cache *c, const uint64_t *ids, size_t n, const ll_findings *f) {
  if (!c) return;
  uint64_t key[2];
  run_key(c, ids, n, key);
  ll_buf b = {0};
  ll_buf_append(&b, RUN_MAGIC, strlen(RUN_MAGIC));
  wr64(&b, key[0]);
  wr64(&b, key[1]);
  ll_findings_serialize(f, &b);
  wr64(&b, content_hash(b.data, b.len));
  write_atomic(c, key, "llr", &b);
  ll_buf_free(&b);
}

/* ---- --clear-cache ---- */

static int is_entry_name(const char *n) {
  size_t l = strlen(n);
  if (strstr(n, ".llc.tmp.") || strstr(n, ".llr.tmp.")) return 1;
  return l > 4 && (!strcmp(n + l - 4, ".llc") || !strcmp(n + l - 4, ".llr"));
}

/* Two hex digits: the fan-out directories entry_path creates. */
static int is_fanout_name(const char *n) {
  return strlen(n) == 2 && strchr("0123456789abcdef", n[0]) && strchr("0123456789abcdef", n[1]);
}

int ll_cache_clear(const char *dir, size_t *entries, unsigned long long *bytes, char **err) {
  *entries = 0;
  *bytes = 0;
  DIR *top = opendir(dir);
  if (!top) {
    if (errno == ENOENT) return 0; /* nothing cached yet */
    *err = ll_xasprintf("cannot open the cache directory %s: %s", dir, strerror(errno));
    return -1;
  }
  int rc = 0;
  struct dirent *vd;
  while ((vd = readdir(top))) {
    /* format directories: v1, v2, ... */
    if (vd->d_name[0] != 'v' || !vd->d_name[1] || strspn(vd->d_name + 1, "0123456789") != strlen(vd->d_name + 1))
      continue;
    char *vpath = ll_xasprintf("%s/%s", dir, vd->d_name);
    DIR *v = opendir(vpath);
    if (!v) {
      free(vpath);
      continue;
    }
    struct dirent *fd;
    while ((fd = readdir(v))) {
      if (!is_fanout_name(fd->d_name)) continue;
      char *fpath = ll_xasprintf("%s/%s", vpath, fd->d_name);
      DIR *f = opendir(fpath);
      if (f) {
        struct dirent *e;
        while ((e = readdir(f))) {
          if (!is_entry_name(e->d_name)) continue;
          char *p = ll_xasprintf("%s/%s", fpath, e->d_name);
          struct stat st;
          unsigned long long sz = lstat(p, &st) == 0 ? (unsigned long long)st.st_size : 0;
          if (unlink(p) == 0) {
            (*entries)++;
            *bytes += sz;
          } else if (errno != ENOENT && !rc) {
            *err = ll_xasprintf("cannot remove %s: %s", p, strerror(errno));
            rc = -1;
          }
          free(p);
        }
        closedir(f);
        rmdir(fpath); /* fails harmlessly when something else is inside */
      }
      free(fpath);
    }
    closedir(v);
    rmdir(vpath);
    free(vpath);
  }
  closedir(top);
  return rc;
}
