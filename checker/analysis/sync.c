/* sync.c - wakers, writers, waits and lock sets (see sync.h).
 *
 * One walk over the canonical functions records the sites; indexes by key
 * are sorted arrays. Lock sets are a forward data flow per function over
 * "tokens" (a mutex held plainly, or through one guard variable), at most
 * 64 per function (a function with more gets no lock set: unknown), must
 * (intersection) and may (union) at once. A guard's token only counts at
 * nodes inside the guard's scope (its declaration's block, after it): the
 * CFG has no scope-exit nodes, so the scope is checked where it is asked. */
#include "sync.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgcache.h"
#include "chanref.h"
#include "ptrmap.h"
#include "task.h"
#include "util.h"

#define MAX_TOKENS 64

typedef struct token {
  const char *mutex;
  int guard;             /* guard variable id, or -1 for a plain lock */
  const ll_node *scope;  /* guard: the block that declares it */
  unsigned offset;       /* guard: where it is constructed */
} token;

typedef struct guard_bind {
  int var;
  const char *mutex;
  const ll_node *scope;
  unsigned offset;
} guard_bind;

typedef struct flocks {
  const ll_func *fn;
  int state;                 /* 0 not computed, 1 computed, -1 unknown */
  int guarded;               /* guards collected */
  const ll_fcfg *cfg;
  token tok[MAX_TOKENS];
  size_t ntok;
  uint64_t *must, *may;      /* per node, state before it runs */
  LL_VEC(guard_bind) guards; /* guard variables of fn */
} flocks;

typedef LL_VEC(const ll_sync_site *) site_list;

struct ll_sync {
  const ll_program *p;
  const ll_rules *rules;
  ll_cfgs *cfgs;
  ll_arena *A;
  ll_ptrmap *keys; /* interned keys: each maps to its own arena copy */
  LL_VEC(ll_sync_site *) all;
  site_list by_kind[LL_SYNC_WRITE + 1]; /* sorted by key pointer */
  site_list waits;                      /* program order */
  site_list by_fn;                      /* sorted by function, then offset */
  LL_VEC(const ll_node *) calls;        /* project calls, sorted by callee_usr */
  LL_VEC(flocks *) fl; /* one per canonical function with a body, sorted by fn */
  flocks unknown;      /* what any other function gets: no lock set */
  LL_VEC(const ll_func *) defs; /* every function with a body and a USR, sorted by USR */
};

/* ---------------------------------------------------------------- keys */

/* Keys are compared by pointer afterwards (the site lists are sorted by
 * key pointer), so equal strings must be one copy. */
static const char *intern(ll_sync *s, const char *k) {
  if (!s->keys) s->keys = ll_ptrmap_new_str();
  const char *r = ll_ptrmap_get(s->keys, k);
  if (r) return r;
  char *copy = ll_arena_strdup(s->A, k);
  ll_ptrmap_put(s->keys, copy, copy);
  return copy;
}

const char *ll_sync_key(ll_sync *s, const ll_tu *tu, const ll_value *v) {
  v = ll_chanref_strip(s->rules, v);
  if (!v) return NULL;
  char buf[64];
  char *k = NULL;
  if (v->kind == LL_V_FIELD && v->usr)
    k = ll_xasprintf("F:%s", v->usr);
  else if (v->kind == LL_V_GLOBAL && v->usr)
    k = ll_xasprintf("G:%s", v->usr);
  else if (v->kind == LL_V_VAR && tu) {
    snprintf(buf, sizeof buf, "V:%p:%d", (const void *)tu, v->var);
    k = ll_xstrdup(buf);
  }
  if (!k) return NULL;
  const char *r = intern(s, k);
  free(k);
  return r;
}

const char *ll_sync_call_key(ll_sync *s, const ll_tu *tu, const ll_node *call, const ll_api *a) {
  if (!a->object_field) return ll_sync_key(s, tu, ll_call_arg(call, a->object_arg));
  /* a wrapper acting on a field of its argument: the field is the primitive,
     keyed as ll_sync_key keys a field */
  char *k = ll_xasprintf("F:%s", a->object_field);
  const char *r = intern(s, k);
  free(k);
  return r;
}

/* ---------------------------------------------------------------- sites */

static ll_sync_site *add_site(ll_sync *s, ll_sync_kind kind, const ll_node *n, const ll_func *fn, const char *key,
                              const ll_api *api) {
  ll_sync_site *st = ll_arena_alloc(s->A, sizeof *st);
  st->kind = kind;
  st->node = n;
  st->fn = fn;
  st->key = key;
  st->api = api;
  LL_VEC_PUSH(&s->all, st);
  return st;
}

/* The block that declares a guard constructed by call (the call sits in
 * it, before the declaration statement). */
static const ll_node *scope_of(const ll_node *call) {
  const ll_node *b = call->parent;
  while (b && b->kind != LL_N_BLOCK) b = b->parent;
  return b;
}

static const guard_bind *guard_of(const flocks *fl, const ll_value *v) {
  v = ll_value_strip(v);
  if (!v || v->kind != LL_V_VAR) return NULL;
  for (size_t i = 0; i < fl->guards.n; i++)
    if (fl->guards.v[i].var == v->var) return &fl->guards.v[i];
  return NULL;
}

static flocks *flocks_of(ll_sync *s, const ll_func *fn);

/* The mutex key a lock/unlock call acts on: its object, or the mutex of the
 * guard it is called on. *guard: the guard variable, or -1. */
static const char *lock_target(ll_sync *s, const ll_func *fn, const ll_node *call, const ll_api *a, int *guard) {
  *guard = -1;
  const ll_value *o = ll_call_arg(call, a->object_arg);
  const guard_bind *g = guard_of(flocks_of(s, fn), o);
  if (g) {
    *guard = g->var;
    return g->mutex;
  }
  return ll_sync_key(s, fn->tu, o);
}

/* The guard a raii lock constructor binds (its declared variable), or -1. */
static int raii_guard(const ll_node *call, const ll_api *a) {
  if (!(a->flags & LL_API_RAII) || a->match != LL_MATCH_CONSTRUCTOR || call->is_temporary) return -1;
  const ll_value *r = call->result_to;
  return r && r->kind == LL_V_VAR ? r->var : -1;
}

typedef struct walk {
  ll_sync *s;
  const ll_func *fn;
} walk;

static int is_store_call(const ll_rules *rules, const ll_node *n) {
  if (n->napis || !n->callee) return 0;
  return ll_rules_fact(rules, LL_FACT_OBSERVABLE, n->callee);
}

static void record_call(walk *w, const ll_node *n) {
  ll_sync *s = w->s;
  const ll_tu *tu = w->fn->tu;
  if (n->callee_usr) LL_VEC_PUSH(&s->calls, n);
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    const char *k;
    int guard;
    switch (a->role) {
    case LL_ROLE_WAIT:
      k = ll_sync_call_key(s, tu, n, a);
      LL_VEC_PUSH(&s->waits, add_site(s, LL_SYNC_WAIT, n, w->fn, k, a));
      return;
    case LL_ROLE_SIGNAL:
    case LL_ROLE_CLOSE:
      if ((k = ll_sync_call_key(s, tu, n, a))) add_site(s, LL_SYNC_WAKE, n, w->fn, k, a);
      return;
    case LL_ROLE_LOCK:
    case LL_ROLE_UNLOCK:
      k = lock_target(s, w->fn, n, a, &guard);
      if (k) add_site(s, a->role == LL_ROLE_LOCK ? LL_SYNC_LOCK : LL_SYNC_UNLOCK, n, w->fn, k, a);
      return;
    default:
      break;
    }
  }
  if (is_store_call(s->rules, n)) {
    const ll_value *target = n->obj ? n->obj : ll_call_arg(n, 0);
    const char *k = ll_sync_key(s, tu, target);
    if (k && k[0] != 'V') {
      ll_sync_site *st = add_site(s, LL_SYNC_WRITE, n, w->fn, k, NULL);
      st->value = ll_call_arg(n, n->obj ? 0 : 1);
      st->target = target;
    }
  }
}

static int visit(ll_node *n, void *ctx) {
  walk *w = ctx;
  if (n->kind == LL_N_CALL) {
    record_call(w, n);
  } else if (n->kind == LL_N_ASSIGN && n->lhs && !(n->is_decl && n->lhs->kind == LL_V_FIELD)) {
    /* a member initialiser constructs the object: no task waits on it yet,
       so it is never the write a stop path or a waker races with */
    const char *k = ll_sync_key(w->s, w->fn->tu, n->lhs);
    if (k && k[0] != 'V') {
      ll_sync_site *st = add_site(w->s, LL_SYNC_WRITE, n, w->fn, k, NULL);
      st->value = n->rhs;
      st->target = n->lhs;
    }
  }
  return 0;
}

/* ---------------------------------------------------------------- writes through a pointer */

typedef struct thru {
  const ll_rules *rules;
  int var; /* the parameter's var id */
  int hit;
} thru;

static int is_param(const ll_value *v, int var) {
  v = ll_value_strip(v);
  return v && v->kind == LL_V_VAR && v->var == var;
}

static int thru_visit(ll_node *n, void *ctx) {
  thru *t = ctx;
  if (n->kind == LL_N_ASSIGN && !n->is_decl && n->lhs && n->lhs->kind == LL_V_DEREF && is_param(n->lhs, t->var))
    t->hit = 1;
  if (n->kind == LL_N_CALL && is_store_call(t->rules, n) && is_param(n->obj ? n->obj : ll_call_arg(n, 0), t->var))
    t->hit = 1;
  return t->hit;
}

int ll_sync_writes_through(const ll_rules *rules, const ll_func *fn, size_t param) {
  if (!fn || !fn->body || param >= fn->nparams) return 0;
  thru t = {rules, fn->params[param], 0};
  ll_visit(fn->body, thru_visit, &t);
  return t.hit;
}

/* A project call that passes a flag's address to a function storing
 * through that parameter (set_flag(&s->stop)) writes the flag. Runs once
 * the definitions are sorted (ll_sync_resolve needs them). */
static void record_writes_through(ll_sync *s) {
  for (size_t i = 0; i < s->calls.n; i++) {
    const ll_node *n = s->calls.v[i];
    const ll_func *callee = n->napis ? NULL : ll_sync_resolve(s, n);
    for (size_t a = 0; callee && a < n->nargs; a++) {
      const ll_value *v = n->args[a];
      if (!v || v->kind != LL_V_ADDR || !ll_sync_writes_through(s->rules, callee, a)) continue;
      const char *k = ll_sync_key(s, n->func->tu, v);
      if (k && k[0] != 'V') add_site(s, LL_SYNC_WRITE, n, n->func, k, NULL)->target = v;
    }
  }
}

/* The mutex a wait releases: an argument that is a guard, or a mutex some
 * lock site takes. */
static const char *wait_mutex(ll_sync *s, ll_sync_site *w) {
  const ll_node *n = w->node;
  const ll_api *a = w->api;
  for (size_t i = 0; i < n->nargs; i++) {
    int ix = (int)i;
    if (ix == a->object_arg || ix == a->timeout_arg || ix == a->predicate_arg || ix == a->stop_token_arg) continue;
    const guard_bind *g = guard_of(flocks_of(s, w->fn), n->args[i]);
    if (g) return g->mutex;
    const char *k = ll_sync_key(s, w->fn->tu, n->args[i]);
    if (k && ll_sync_locks(s, k, NULL)) return k;
  }
  return NULL;
}

static int by_key(const void *a, const void *b) {
  const ll_sync_site *x = *(const ll_sync_site *const *)a, *y = *(const ll_sync_site *const *)b;
  uintptr_t p = (uintptr_t)x->key, q = (uintptr_t)y->key;
  if (p != q) return p < q ? -1 : 1;
  return x->node->loc.offset < y->node->loc.offset ? -1 : x->node->loc.offset > y->node->loc.offset;
}

static int by_usr(const void *a, const void *b) {
  const ll_node *x = *(const ll_node *const *)a, *y = *(const ll_node *const *)b;
  return strcmp(x->callee_usr, y->callee_usr);
}

/* The run of v[0..n) (sorted by the pointer key(v[i])) whose key is want:
 * [*lo, return). */
static size_t equal_range(void *const *v, size_t n, const void *want, const void *(*key)(const void *), size_t *lo) {
  size_t a = 0, b = n;
  while (a < b) {
    size_t mid = (a + b) / 2;
    if ((uintptr_t)key(v[mid]) < (uintptr_t)want) a = mid + 1;
    else b = mid;
  }
  size_t end = a;
  while (end < n && key(v[end]) == want) end++;
  *lo = a;
  return end;
}

static const void *site_key(const void *x) { return ((const ll_sync_site *)x)->key; }
static const void *site_fn(const void *x) { return ((const ll_sync_site *)x)->fn; }

static size_t range(const site_list *l, const char *key, const ll_sync_site *const **out) {
  if (out) *out = NULL;
  if (!key || !l->n) return 0;
  size_t lo, end = equal_range((void *const *)l->v, l->n, key, site_key, &lo);
  if (out) *out = l->v + lo;
  return end - lo;
}

size_t ll_sync_wakers(const ll_sync *s, const char *key, const ll_sync_site *const **out) {
  return range(&s->by_kind[LL_SYNC_WAKE], key, out);
}
size_t ll_sync_writers(const ll_sync *s, const char *key, const ll_sync_site *const **out) {
  return range(&s->by_kind[LL_SYNC_WRITE], key, out);
}
size_t ll_sync_locks(const ll_sync *s, const char *key, const ll_sync_site *const **out) {
  return range(&s->by_kind[LL_SYNC_LOCK], key, out);
}
size_t ll_sync_waits(const ll_sync *s, const ll_sync_site *const **out) {
  *out = s->waits.v;
  return s->waits.n;
}

static int by_fn(const void *a, const void *b) {
  const ll_sync_site *x = *(const ll_sync_site *const *)a, *y = *(const ll_sync_site *const *)b;
  uintptr_t p = (uintptr_t)x->fn, q = (uintptr_t)y->fn;
  if (p != q) return p < q ? -1 : 1;
  if (x->node->loc.offset != y->node->loc.offset) return x->node->loc.offset < y->node->loc.offset ? -1 : 1;
  return x->kind < y->kind ? -1 : x->kind > y->kind;
}

size_t ll_sync_sites_in(const ll_sync *s, const ll_func *fn, const ll_sync_site *const **out) {
  const site_list *l = &s->by_fn;
  size_t lo, end = equal_range((void *const *)l->v, l->n, fn, site_fn, &lo);
  *out = l->v + lo;
  return end - lo;
}

size_t ll_sync_callers(const ll_sync *s, const ll_func *fn, const ll_node *const **out) {
  *out = NULL;
  if (!fn->usr || !s->calls.n) return 0;
  size_t lo = 0, hi = s->calls.n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(s->calls.v[mid]->callee_usr, fn->usr) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t end = lo;
  while (end < s->calls.n && strcmp(s->calls.v[end]->callee_usr, fn->usr) == 0) end++;
  *out = s->calls.v + lo;
  return end - lo;
}

const ll_sync_site *ll_sync_site_of(const ll_sync *s, const ll_node *n) {
  if (!n || !n->func) return NULL;
  const ll_sync_site *const *v;
  size_t k = ll_sync_sites_in(s, n->func, &v);
  for (size_t i = 0; i < k; i++)
    if (v[i]->node == n) return v[i];
  return NULL;
}

/* ---------------------------------------------------------------- lock sets */

static const void *fl_fn(const void *x) { return ((const flocks *)x)->fn; }

static int by_fl(const void *a, const void *b) {
  uintptr_t p = (uintptr_t)(*(const flocks *const *)a)->fn, q = (uintptr_t)(*(const flocks *const *)b)->fn;
  return p < q ? -1 : p > q;
}

/* An entry for every canonical function with a body (the only functions
 * sites and lock sets are asked about), made before the walk. */
static void fl_init(ll_sync *s) {
  for (size_t t = 0; t < ll_program_tu_count(s->p); t++) {
    const ll_tu *tu = ll_program_tu(s->p, t);
    for (size_t i = 0; i < tu->nfuncs; i++) {
      if (!tu->funcs[i]->body || !ll_program_is_canonical(s->p, tu->funcs[i])) continue;
      flocks *fl = ll_xcalloc(1, sizeof *fl);
      fl->fn = tu->funcs[i];
      LL_VEC_PUSH(&s->fl, fl);
    }
  }
  if (s->fl.n) qsort(s->fl.v, s->fl.n, sizeof(void *), by_fl);
  s->unknown.state = -1;
  s->unknown.guarded = 1;
}

typedef struct gwalk {
  ll_sync *s;
  flocks *fl;
} gwalk;

static int find_guards(ll_node *n, void *ctx) {
  gwalk *g = ctx;
  if (n->kind != LL_N_CALL) return 0;
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    int var;
    if (a->role != LL_ROLE_LOCK || (var = raii_guard(n, a)) < 0) continue;
    const char *m = ll_sync_key(g->s, g->fl->fn->tu, ll_call_arg(n, a->object_arg));
    if (!m) continue;
    guard_bind b = {var, m, scope_of(n), n->loc.offset};
    LL_VEC_PUSH(&g->fl->guards, b);
  }
  return 0;
}

/* The entry (guards only, no lock set yet) of fn. */
static flocks *flocks_of(ll_sync *s, const ll_func *fn) {
  size_t lo, end = equal_range((void *const *)s->fl.v, s->fl.n, fn, fl_fn, &lo);
  if (lo == end) return &s->unknown;
  flocks *fl = s->fl.v[lo];
  if (fl->guarded) return fl;
  fl->guarded = 1;
  if (fn->body) {
    gwalk g = {s, fl};
    ll_visit(fn->body, find_guards, &g);
  }
  return fl;
}

static int token_of(flocks *fl, const char *mutex, int guard) {
  for (size_t i = 0; i < fl->ntok; i++)
    if (fl->tok[i].mutex == mutex && fl->tok[i].guard == guard) return (int)i;
  if (fl->ntok == MAX_TOKENS) return -1;
  token t = {mutex, guard, NULL, 0};
  for (size_t i = 0; guard >= 0 && i < fl->guards.n; i++)
    if (fl->guards.v[i].var == guard) {
      t.scope = fl->guards.v[i].scope;
      t.offset = fl->guards.v[i].offset;
    }
  fl->tok[fl->ntok] = t;
  return (int)fl->ntok++;
}

/* What node g does to the held tokens: gen and kill masks. -1: too many tokens. */
static int transfer(ll_sync *s, flocks *fl, const ll_cfg_node *g, uint64_t *gen, uint64_t *kill) {
  *gen = *kill = 0;
  if (g->kind != LL_CFG_STMT || !g->n || g->n->kind != LL_N_CALL) return 0;
  const ll_node *n = g->n;
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    if (a->role != LL_ROLE_LOCK && a->role != LL_ROLE_UNLOCK) continue;
    int guard;
    const char *m = lock_target(s, fl->fn, n, a, &guard);
    if (!m) continue;
    if (a->role == LL_ROLE_LOCK) {
      int raii = raii_guard(n, a);
      int t = token_of(fl, m, raii >= 0 ? raii : guard);
      if (t < 0) return -1;
      *gen |= 1ull << t;
    } else {
      for (size_t t = 0; t < fl->ntok; t++)
        if (fl->tok[t].mutex == m && (guard < 0 || fl->tok[t].guard == guard)) *kill |= 1ull << t;
    }
  }
  return 0;
}

/* Must and may sets to a fixed point. Tokens are discovered while iterating
 * (a new one starts absent everywhere it was not generated), so unlocks of
 * a token not seen yet kill nothing: iterate until neither set changes. */
static int solve(ll_sync *s, flocks *fl) {
  const ll_fcfg *c = fl->cfg;
  size_t n = c->n;
  fl->must = ll_xcalloc(n ? n : 1, sizeof(uint64_t));
  fl->may = ll_xcalloc(n ? n : 1, sizeof(uint64_t));
  char *seen = ll_xcalloc(n ? n : 1, 1); /* must[] holds a real value */
  seen[c->entry] = 1;
  for (int changed = 1, rounds = 0; changed && rounds < 200; rounds++) {
    changed = 0;
    for (size_t i = 0; i < n; i++) {
      if (!seen[i]) continue;
      uint64_t gen, kill;
      if (transfer(s, fl, &c->g[i], &gen, &kill) < 0) {
        free(seen);
        return -1;
      }
      uint64_t out_must = (fl->must[i] & ~kill) | gen, out_may = (fl->may[i] & ~kill) | gen;
      for (size_t k = 0; k < c->g[i].nsucc; k++) {
        int j = c->g[i].succ[k];
        if (j == c->entry) continue;
        uint64_t nm = seen[j] ? fl->must[j] & out_must : out_must;
        uint64_t ny = fl->may[j] | out_may;
        if (!seen[j] || nm != fl->must[j] || ny != fl->may[j]) changed = 1;
        seen[j] = 1;
        fl->must[j] = nm;
        fl->may[j] = ny;
      }
    }
  }
  free(seen);
  return 0;
}

static flocks *locks_of(ll_sync *s, const ll_func *fn) {
  flocks *fl = flocks_of(s, fn);
  if (fl->state) return fl;
  fl->state = -1;
  if (!fn->body) return fl;
  fl->cfg = ll_cfgs_get(s->cfgs, fn, 0);
  if (fl->cfg && solve(s, fl) == 0) fl->state = 1;
  return fl;
}

/* The CFG node of IR node n (a statement, or the branch point of an if/loop). */
static int node_id(const ll_fcfg *c, const ll_node *n) {
  int id = ll_cfg_find(c->c, n);
  if (id >= 0) return id;
  for (size_t i = 0; i < c->n; i++)
    if (c->g[i].n == n) return (int)i;
  return -1;
}

/* Token t is alive at IR node n (a guard only inside its scope, after it). */
static int in_scope(const token *t, const ll_node *n) {
  if (t->guard < 0) return 1;
  return t->scope && ll_node_within(n, t->scope) && n->loc.offset >= t->offset;
}

ll_held ll_sync_held(ll_sync *s, const ll_node *n, const char *mutex) {
  if (!n || !n->func || !mutex) return LL_HELD_UNKNOWN;
  flocks *fl = locks_of(s, n->func);
  if (fl->state != 1) return LL_HELD_UNKNOWN;
  int id = node_id(fl->cfg, n);
  if (id < 0) return LL_HELD_UNKNOWN;
  ll_held r = LL_HELD_NO;
  for (size_t t = 0; t < fl->ntok; t++) {
    if (fl->tok[t].mutex != mutex || !in_scope(&fl->tok[t], n)) continue;
    if (fl->must[id] >> t & 1) return LL_HELD_YES;
    if (fl->may[id] >> t & 1) r = LL_HELD_MAYBE;
  }
  return r;
}

int ll_sync_caller_holds(ll_sync *s, const ll_func *fn, const char *mutex) {
  const ll_node *const *v;
  size_t n = ll_sync_callers(s, fn, &v);
  for (size_t i = 0; i < n; i++) {
    if (!ll_sync_same_program(s, v[i]->func, fn)) continue;
    ll_held h = ll_sync_held(s, v[i], mutex);
    if (h == LL_HELD_YES || h == LL_HELD_MAYBE || h == LL_HELD_UNKNOWN) return 1;
  }
  return 0;
}

/* fn (or a project function it calls, depth levels down) takes mutex. */
static int fn_locks(ll_sync *s, const ll_func *fn, const char *mutex, int depth) {
  const ll_sync_site *const *v;
  size_t n = ll_sync_locks(s, mutex, &v);
  for (size_t i = 0; i < n; i++)
    if (v[i]->fn == fn) return 1;
  if (depth <= 0) return 0;
  for (size_t i = 0; i < s->calls.n; i++) {
    const ll_node *c = s->calls.v[i];
    if (c->func != fn) continue;
    const ll_func *callee = ll_sync_resolve(s, c);
    if (callee && callee != fn && fn_locks(s, callee, mutex, depth - 1)) return 1;
  }
  return 0;
}

static void reach(const ll_fcfg *c, int from, char *mark, int **preds, size_t *npreds) {
  int *stack = ll_xmalloc((c->n + 1) * sizeof(int));
  size_t sp = 0;
  stack[sp++] = from;
  while (sp) {
    int i = stack[--sp];
    size_t nk = preds ? npreds[i] : c->g[i].nsucc;
    for (size_t k = 0; k < nk; k++) {
      int j = preds ? preds[i][k] : c->g[i].succ[k];
      if (mark[j]) continue;
      mark[j] = 1;
      stack[sp++] = j;
    }
  }
  free(stack);
}

int ll_sync_locked_between(ll_sync *s, const ll_node *from, const ll_node *to, const char *mutex) {
  if (!from || !to || from->func != to->func || !mutex) return -1;
  flocks *fl = locks_of(s, from->func);
  if (fl->state != 1) return -1;
  const ll_fcfg *c = fl->cfg;
  int a = node_id(c, from), b = node_id(c, to);
  if (a < 0 || b < 0) return -1;
  size_t n = c->n;
  char *fw = ll_xcalloc(n, 1), *bw = ll_xcalloc(n, 1);
  int **preds = ll_xcalloc(n, sizeof *preds);
  size_t *np = ll_xcalloc(n, sizeof *np);
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < c->g[i].nsucc; k++) {
      int j = c->g[i].succ[k];
      preds[j] = ll_xrealloc(preds[j], (np[j] + 1) * sizeof(int));
      preds[j][np[j]++] = (int)i;
    }
  reach(c, a, fw, NULL, NULL);
  reach(c, b, bw, preds, np);
  int found = 0;
  for (size_t i = 0; i < n && !found; i++) {
    if (!fw[i] || !bw[i] || (int)i == a || (int)i == b) continue;
    const ll_node *k = c->g[i].n;
    if (c->g[i].kind != LL_CFG_STMT || !k || k->kind != LL_N_CALL) continue;
    uint64_t gen, kill;
    if (transfer(s, fl, &c->g[i], &gen, &kill) == 0)
      for (size_t t = 0; t < fl->ntok; t++)
        if ((gen >> t & 1) && fl->tok[t].mutex == mutex) found = 1;
    const ll_func *callee = ll_sync_resolve(s, k);
    if (!found && callee && fn_locks(s, callee, mutex, 2)) found = 1;
  }
  for (size_t i = 0; i < n; i++) free(preds[i]);
  free(preds);
  free(np);
  free(fw);
  free(bw);
  return found;
}

/* ---------------------------------------------------------------- programs */

static int by_def(const void *a, const void *b) {
  const ll_func *x = *(const ll_func *const *)a, *y = *(const ll_func *const *)b;
  return strcmp(x->usr, y->usr);
}

/* The definitions of usr: [*lo, return). */
static size_t defs_of(const ll_sync *s, const char *usr, size_t *lo_out) {
  size_t lo = 0, hi = s->defs.n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(s->defs.v[mid]->usr, usr) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t end = lo;
  while (end < s->defs.n && strcmp(s->defs.v[end]->usr, usr) == 0) end++;
  *lo_out = lo;
  return end;
}

const ll_func *ll_sync_resolve(const ll_sync *s, const ll_node *call) {
  if (!call || call->kind != LL_N_CALL || !call->callee_usr) return NULL;
  size_t lo, end = defs_of(s, call->callee_usr, &lo);
  for (size_t i = lo; call->func && i < end; i++)
    if (s->defs.v[i]->tu == call->func->tu) return s->defs.v[i];
  return ll_resolve_callee(s->p, call);
}

static const ll_func *top_of(const ll_func *fn) {
  while (fn->parent) fn = fn->parent;
  return fn;
}

/* fn (or the function enclosing it) is also defined in another file. */
static int defined_twice(const ll_sync *s, const ll_func *fn) {
  fn = top_of(fn);
  if (!fn->usr) return 0;
  size_t lo, end = defs_of(s, fn->usr, &lo);
  for (size_t i = lo; i < end; i++) {
    const ll_func *d = s->defs.v[i];
    if (d != fn && d->loc.file && fn->loc.file && strcmp(d->loc.file, fn->loc.file) != 0) return 1;
  }
  return 0;
}

int ll_sync_same_program(const ll_sync *s, const ll_func *a, const ll_func *b) {
  if (!a || !b) return 0;
  if (a->tu == b->tu) return 1;
  return !defined_twice(s, a) && !defined_twice(s, b);
}

/* ---------------------------------------------------------------- pass */

static void sync_free(void *r) {
  ll_sync *s = r;
  if (!s) return;
  for (size_t i = 0; i < s->fl.n; i++) {
    free(s->fl.v[i]->must);
    free(s->fl.v[i]->may);
    free(s->fl.v[i]->guards.v);
    free(s->fl.v[i]);
  }
  free(s->fl.v);
  for (int k = 0; k <= LL_SYNC_WRITE; k++) free(s->by_kind[k].v);
  free(s->waits.v);
  free(s->by_fn.v);
  free(s->calls.v);
  free(s->defs.v);
  free(s->all.v);
  ll_ptrmap_free(s->keys);
  ll_arena_free(s->A);
  free(s);
}

static void *sync_run(ll_pass_ctx *ctx) {
  ll_sync *s = ll_xcalloc(1, sizeof *s);
  s->p = ll_pass_program(ctx);
  s->rules = ll_pass_packs(ctx);
  s->cfgs = ll_pass_result_of(ctx, &ll_cfgs_pass);
  s->A = ll_arena_new();
  fl_init(s);
  for (size_t t = 0; t < ll_program_tu_count(s->p); t++) {
    ll_tu *tu = ll_program_tu(s->p, t);
    for (size_t i = 0; i < tu->nfuncs; i++) {
      const ll_func *fn = tu->funcs[i];
      if (!fn->body || !ll_program_is_canonical(s->p, fn)) continue;
      walk w = {s, fn};
      ll_visit(fn->body, visit, &w);
      if (fn->usr) LL_VEC_PUSH(&s->defs, fn);
    }
  }
  if (s->defs.n) qsort(s->defs.v, s->defs.n, sizeof(void *), by_def);
  record_writes_through(s);
  for (size_t i = 0; i < s->all.n; i++) {
    LL_VEC_PUSH(&s->by_kind[s->all.v[i]->kind], s->all.v[i]);
    LL_VEC_PUSH(&s->by_fn, s->all.v[i]);
  }
  if (s->by_fn.n) qsort(s->by_fn.v, s->by_fn.n, sizeof(void *), by_fn);
  for (int k = 0; k <= LL_SYNC_WRITE; k++)
    if (s->by_kind[k].n) qsort(s->by_kind[k].v, s->by_kind[k].n, sizeof(void *), by_key);
  if (s->calls.n) qsort(s->calls.v, s->calls.n, sizeof(void *), by_usr);
  /* after the lock index exists: which argument of a wait is its mutex */
  for (size_t i = 0; i < s->waits.n; i++) {
    ll_sync_site *w = (ll_sync_site *)s->waits.v[i];
    w->mutex = wait_mutex(s, w);
  }
  return s;
}

static const ll_pass *const sync_requires[] = {&ll_cfgs_pass, NULL};

const ll_pass ll_sync_pass = {
    .id = "sync",
    .summary = "wakers, writers, waits and lock sets of every primitive and flag",
    .requires = sync_requires,
    .run = sync_run,
    .free_result = sync_free,
};
