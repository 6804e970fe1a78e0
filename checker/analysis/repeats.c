/* repeats.c - which functions run repeatedly (see repeats.h).
 *
 * One walk over every canonical function collects the evidence (repeating
 * registrations, calls in loops) and the call edges between project
 * functions; then LL_REPEATS_MAX_DEPTH rounds carry the evidence from
 * callers to callees. Functions are keyed by USR (one entry for every copy
 * of a header function), lambdas and blocks by their ll_func. */
#include "repeats.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct rep_ent {
  const char *usr;    /* key, or NULL for a lambda/block keyed by fn */
  const ll_func *fn;
  ll_repeat why;
  int set;
} rep_ent;

typedef struct edge {
  const ll_func *from, *to;
  const ll_node *site;
} edge;

struct ll_repeats {
  rep_ent *tab;
  size_t cap; /* power of two */
  size_t n;
  edge *edges;
  size_t nedges, edges_cap;
};

static uint64_t key_hash(const char *usr, const ll_func *fn) {
  if (usr) return ll_hash_fast(usr, strlen(usr), 0x7265703a);
  uintptr_t p = (uintptr_t)fn;
  return ll_hash_fast(&p, sizeof p, 0x7265703b);
}

static int key_eq(const rep_ent *e, const char *usr, const ll_func *fn) {
  if (usr) return e->usr && strcmp(e->usr, usr) == 0;
  return !e->usr && e->fn == fn;
}

static rep_ent *slot(ll_repeats *r, const ll_func *fn);

static void grow(ll_repeats *r) {
  rep_ent *old = r->tab;
  size_t oldcap = r->cap;
  r->cap = oldcap ? oldcap * 2 : 256;
  r->tab = ll_xcalloc(r->cap, sizeof *r->tab);
  r->n = 0;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].fn) *slot(r, old[i].fn) = old[i];
  free(old);
}

/* The entry of fn, created empty when absent. */
static rep_ent *slot(ll_repeats *r, const ll_func *fn) {
  if ((r->n + 1) * 2 > r->cap) grow(r);
  const char *usr = fn->usr;
  size_t i = (size_t)key_hash(usr, fn) & (r->cap - 1);
  while (r->tab[i].fn && !key_eq(&r->tab[i], usr, fn)) i = (i + 1) & (r->cap - 1);
  if (!r->tab[i].fn) {
    r->tab[i].fn = fn;
    r->tab[i].usr = usr;
    r->n++;
  }
  return &r->tab[i];
}

static const rep_ent *find(const ll_repeats *r, const ll_func *fn) {
  if (!r || !r->cap || !fn) return NULL;
  const char *usr = fn->usr;
  size_t i = (size_t)key_hash(usr, fn) & (r->cap - 1);
  while (r->tab[i].fn) {
    if (key_eq(&r->tab[i], usr, fn)) return &r->tab[i];
    i = (i + 1) & (r->cap - 1);
  }
  return NULL;
}

static void set_why(ll_repeats *r, const ll_func *fn, ll_repeat why) {
  rep_ent *e = slot(r, fn);
  if (e->set && e->why.depth <= why.depth) return;
  e->why = why;
  e->set = 1;
}

static void add_edge(ll_repeats *r, const ll_func *from, const ll_func *to, const ll_node *site) {
  if (r->nedges == r->edges_cap) {
    r->edges_cap = r->edges_cap ? r->edges_cap * 2 : 256;
    r->edges = ll_xrealloc(r->edges, r->edges_cap * sizeof *r->edges);
  }
  r->edges[r->nedges++] = (edge){from, to, site};
}

/* ------------------------------------------------------------ evidence */

typedef struct walk {
  ll_repeats *r;
  const ll_program *prog;
} walk;

static int returns_true(ll_node *n, void *p) {
  (void)p;
  return n->kind == LL_N_RETURN && n->value && n->value->kind == LL_V_INT && n->value->known &&
         n->value->ival != 0;
}

/* The function a callback argument names (a function or a lambda/block
 * literal whose body we have), or NULL. */
static const ll_func *callback_target(const walk *w, const ll_value *v) {
  v = ll_value_strip(v);
  if (!v) return NULL;
  if (v->kind == LL_V_LAMBDA) return v->fn;
  if (v->kind == LL_V_FUNC && v->usr) return ll_program_find(w->prog, v->usr);
  return NULL;
}

static void registration(walk *w, ll_node *call, const ll_api *a) {
  const ll_func *cb = callback_target(w, ll_call_arg(call, a->entry_arg));
  if (!cb || !cb->body) return;
  if ((a->flags & LL_API_WHILE_TRUE) && !ll_visit(cb->body, returns_true, NULL)) {
    add_edge(w->r, call->func, cb, call); /* once per registration */
    return;
  }
  set_why(w->r, cb, (ll_repeat){LL_REP_CALLBACK, call, call->func, a, 0});
}

/* A loop that goes round more than once as far as we can tell. */
static const ll_node *repeating_loop(const ll_node *n) {
  const ll_node *loop = ll_enclosing_loop(n);
  return loop && loop->cond_const != 0 ? loop : NULL;
}

static int walk_visit(ll_node *n, void *p) {
  walk *w = p;
  if (n->kind != LL_N_CALL || !n->func) return 0;
  int registered = 0;
  for (size_t i = 0; i < n->napis; i++)
    if (n->apis[i]->role == LL_ROLE_CALLBACK) {
      registration(w, n, n->apis[i]);
      registered = 1;
    }
  if (registered || !n->callee_usr) return 0;
  const ll_func *callee = ll_program_find(w->prog, n->callee_usr);
  if (!callee || !callee->body) return 0;
  if (repeating_loop(n)) set_why(w->r, callee, (ll_repeat){LL_REP_LOOP, n, n->func, NULL, 0});
  else add_edge(w->r, n->func, callee, n);
  return 0;
}

/* One round: the callees of functions known to repeat (at depth d) repeat. */
static int propagate(ll_repeats *r, int d) {
  int changed = 0;
  for (size_t i = 0; i < r->nedges; i++) {
    const edge *e = &r->edges[i];
    const rep_ent *from = find(r, e->from);
    if (!from || !from->set || from->why.depth != d) continue;
    const rep_ent *to = find(r, e->to);
    if (to && to->set) continue;
    set_why(r, e->to, (ll_repeat){LL_REP_CALLER, e->site, e->from, NULL, d + 1});
    changed = 1;
  }
  return changed;
}

ll_repeats *ll_repeats_build(const ll_program *prog) {
  ll_repeats *r = ll_xcalloc(1, sizeof *r);
  walk w = {r, prog};
  for (size_t i = 0; i < ll_program_tu_count(prog); i++) {
    const ll_tu *tu = ll_program_tu(prog, i);
    for (size_t j = 0; j < tu->nfuncs; j++) {
      const ll_func *fn = tu->funcs[j];
      if (fn->body && ll_program_is_canonical(prog, fn)) ll_visit(fn->body, walk_visit, &w);
    }
  }
  for (int d = 0; d < LL_REPEATS_MAX_DEPTH; d++)
    if (!propagate(r, d)) break;
  return r;
}

void ll_repeats_free(ll_repeats *r) {
  if (!r) return;
  free(r->tab);
  free(r->edges);
  free(r);
}

const ll_repeat *ll_repeats_of(const ll_repeats *r, const ll_func *fn) {
  const rep_ent *e = find(r, fn);
  return e && e->set ? &e->why : NULL;
}
