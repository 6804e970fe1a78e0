/* lost_wakeup.c - lost-wakeup: a wait whose wakeup can be lost, so the task
 * (or the thread that started it) parks for good.
 *
 * For every condition wait W on a primitive C whose mutex M is known (the
 * sync analysis: a wait argument that is a mutex or a guard of one), the
 * stop paths of W are the wakers S of C in other functions together with
 * what they write before S: a flag F written in S's function, or in a
 * project function it calls there. The waiter side is read from the IR: the
 * guards of W (the enclosing if/loop conditions, and the predicate lambda
 * of the wait) and whether each is tested while M is held. Then:
 *  - F is re-tested under M by a guard, but the stop path writes F and
 *    wakes C without holding M and without taking M in between (shape 2,
 *    writer side: the wakeup can fall between the check and the wait);
 *  - F is tested by the task outside M (an outer loop, an exit test, or
 *    anywhere when the wait has no guard at all) and no guard tested under
 *    M reads F: a one-shot or bare wait loses a stop that lands between
 *    the test and the wait (shape 2 waiter side, shape 4); when instead a
 *    loop or predicate under M that ignores F guards the wait, the stop's
 *    wakeup finds the predicate unchanged and the task waits again (shape
 *    3), unless the stop path also touches what the predicate reads;
 *  - the predicate's state (read directly or through an accessor) is
 *    written without M in one function, and the stop path wakes C without
 *    M in another and then joins: nothing orders the two against the
 *    waiter's check (shape 2, apart);
 *  - a creator starts a task and then waits once, unguarded, on C, and the
 *    only wakers of C are in that task: the task can signal first and the
 *    creator waits for ever (shape 4).
 * Functions of two files that both define them (a bug and its fixed twin in
 * one run) are kept apart: they are separate programs.
 * Anything unknown (no key for C, F or M, a lock set we could not build, a
 * caller of the stop path that may hold M, a predicate that calls project
 * code) makes no claim. The finding is at the spawn site; related
 * locations tell the story (the wait, the flag, the writer, the waker, the
 * join). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "multiplicity.h"
#include "sync.h"

#define REACH_DEPTH 3

typedef struct lw {
  ll_pass_ctx *ctx;
  const ll_program *p;
  const ll_rules *rules;
  ll_sync *s;
  ll_tasks *tasks;
  const ll_mult *mult;
  LL_VEC(const ll_node *) done; /* spawn sites reported */
} lw;

/* ---------------------------------------------------------------- reading */

static int is_ident(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* name occurs in text[0..len) as a whole identifier. */
static int has_ident(const char *text, size_t len, const char *name) {
  size_t n = name ? strlen(name) : 0;
  if (!text || !n) return 0;
  for (size_t i = 0; i + n <= len; i++) {
    if (memcmp(text + i, name, n) != 0) continue;
    if (i > 0 && is_ident(text[i - 1])) continue;
    if (i + n < len && is_ident(text[i + n])) continue;
    return 1;
  }
  return 0;
}

static int loc_has_ident(const ll_tu *tu, const ll_loc *l, const char *name) {
  size_t len = 0;
  const char *t = ll_tu_text(tu, l, &len);
  return has_ident(t, len, name);
}

/* The flag a write site stores into: its value (for the name). */
static const ll_value *write_target(const ll_sync_site *x) {
  return ll_value_strip(x->target);
}

static const char *write_name(const ll_sync_site *x) {
  const ll_value *v = write_target(x);
  while (v && v->kind == LL_V_INDEX && v->base) v = ll_value_strip(v->base);
  return v && (v->kind == LL_V_FIELD || v->kind == LL_V_GLOBAL) ? v->name : NULL;
}

/* What one flag looks like in the waiter's function: its key, its name,
 * and the local variables assigned from it there (exit = flag.load()). */
typedef struct flag {
  const char *key, *name;
  const ll_func *fn;
  LL_VEC(int) alias;
} flag;

/* v reads the flag: the flag itself, a local copy, or a call on it (load). */
static int value_reads(lw *x, const flag *f, const ll_value *v) {
  v = ll_value_strip(v);
  if (!v) return 0;
  if (v->kind == LL_V_VAR)
    for (size_t i = 0; i < f->alias.n; i++)
      if (f->alias.v[i] == v->var) return 1;
  if (v->kind == LL_V_CALL && v->call) return v->call->obj && ll_sync_key(x->s, f->fn->tu, v->call->obj) == f->key;
  return ll_sync_key(x->s, f->fn->tu, v) == f->key;
}

typedef struct alias_walk {
  lw *x;
  flag *f;
} alias_walk;

static int find_alias(ll_node *n, void *ctx) {
  alias_walk *a = ctx;
  if (n->kind == LL_N_ASSIGN && n->lhs && n->lhs->kind == LL_V_VAR && value_reads(a->x, a->f, n->rhs))
    LL_VEC_PUSH(&a->f->alias, n->lhs->var);
  return 0;
}

static void flag_init(lw *x, flag *f, const ll_sync_site *w, const ll_sync_site *wr) {
  memset(f, 0, sizeof *f);
  f->key = wr->key;
  f->name = write_name(wr);
  f->fn = w->fn;
  alias_walk a = {x, f};
  ll_visit(w->fn->body, find_alias, &a);
}

/* A member operator called with no object: the IR lost what it reads (an
 * atomic's conversion to bool), so only the source text can tell. */
static int opaque_call(const ll_node *k) {
  if (k->kind != LL_N_CALL || k->obj || !k->callee || k->nargs != 0) return 0;
  const char *last = NULL;
  for (const char *p = k->callee; (p = strstr(p, "::")); p += 2) last = p + 2;
  return last && strncmp(last, "operator", 8) == 0; /* a C++ member operator (conversion) */
}

typedef struct ret_walk {
  lw *x;
  const char *key;
  const ll_tu *tu;
  int hit;
  int opaque;                      /* the body converts an object the IR lost */
  LL_VEC(const ll_node *) returns; /* returns of an expression the IR keeps no refs of */
} ret_walk;

static int ret_visit(ll_node *n, void *ctx) {
  ret_walk *r = ctx;
  if (n->kind == LL_N_CALL) r->opaque |= opaque_call(n);
  if (n->kind == LL_N_RETURN && n->value) {
    const ll_value *v = ll_value_strip(n->value);
    if (v && v->kind == LL_V_CALL && v->call && v->call->obj) v = v->call->obj; /* return flag.load() */
    if (ll_sync_key(r->x->s, r->tu, v) == r->key) r->hit = 1;
    if (n->value->kind == LL_V_OTHER) LL_VEC_PUSH(&r->returns, n);
  }
  return r->hit;
}

/* call is an accessor of the flag: a project function that returns it
 * (glbl.GetGlobalInputTermState(), deadline_set()), or returns an
 * expression of it (return deadline != 0) where the IR lost the atomic's
 * conversion: then the returned expression's text names the flag. */
static int accessor_of(lw *x, const flag *f, const ll_node *call) {
  const ll_func *g = ll_sync_resolve(x->s, call);
  if (!g || !g->body || g == f->fn) return 0;
  ret_walk r = {x, f->key, g->tu, 0, 0, {0}};
  ll_visit(g->body, ret_visit, &r);
  for (size_t i = 0; !r.hit && r.opaque && i < r.returns.n; i++)
    r.hit = loc_has_ident(g->tu, &r.returns.v[i]->loc, f->name);
  free(r.returns.v);
  return r.hit;
}

/* The condition of if/loop g reads the flag: a ref, a call on it, or (when
 * the condition holds a call the IR kept no object for) its name in the
 * condition's text. */
static int cond_reads(lw *x, const flag *f, const ll_node *g) {
  for (size_t i = 0; i < g->ncond_refs; i++)
    if (value_reads(x, f, g->cond_refs[i])) return 1;
  if (!g->cond) return 0;
  int opaque = 0;
  for (size_t i = 0; i < g->cond->nkids; i++) {
    const ll_node *k = g->cond->kids[i];
    if (k->kind == LL_N_CALL && k->obj && value_reads(x, f, k->obj)) return 1;
    if (k->kind == LL_N_CALL && accessor_of(x, f, k)) return 1;
    opaque |= opaque_call(k);
  }
  return opaque && loc_has_ident(f->fn->tu, &g->cond->loc, f->name);
}

typedef struct lam_walk {
  lw *x;
  const flag *f;
  int hit, opaque;
} lam_walk;

static int lam_visit(ll_node *n, void *ctx) {
  lam_walk *a = ctx;
  if (n->kind == LL_N_IF || n->kind == LL_N_LOOP) a->hit |= cond_reads(a->x, a->f, n);
  if (n->kind == LL_N_CALL) {
    if ((n->obj && value_reads(a->x, a->f, n->obj)) || accessor_of(a->x, a->f, n)) a->hit = 1;
    for (size_t i = 0; i < n->nargs; i++)
      if (value_reads(a->x, a->f, n->args[i])) a->hit = 1;
    a->opaque |= opaque_call(n);
  }
  if (n->kind == LL_N_RETURN && n->value) {
    if (value_reads(a->x, a->f, n->value)) a->hit = 1;
    a->opaque |= n->value->kind == LL_V_OTHER; /* `a || !b`: the IR keeps no refs */
  }
  return a->hit;
}

/* The predicate lambda reads the flag (its refs; its text when the IR lost
 * them). */
static int lambda_reads(lw *x, const flag *f, const ll_func *lam) {
  lam_walk a = {x, f, 0, 0};
  ll_visit(lam->body, lam_visit, &a);
  return a.hit || (a.opaque && loc_has_ident(lam->tu, &lam->body->loc, f->name));
}

/* ---------------------------------------------------------------- the wait */

typedef struct guard {
  const ll_node *g; /* an enclosing IF or non-constant LOOP of the wait */
  int locked;       /* its condition is tested with the wait's mutex held */
  int window;       /* re-tested before the task waits again: the guards up to
                       the innermost loop (none when the wait has a predicate) */
} guard;

typedef struct waiter {
  const ll_sync_site *w;
  const ll_func *pred;     /* predicate lambda (tested under the mutex by the wait) */
  guard gs[16];
  size_t ng;
  int rewaits;             /* a loop or predicate tested under the mutex re-waits */
  int pred_unknown;        /* that loop's condition calls project code */
} waiter;

typedef struct lam_var {
  int var;
  const ll_func *fn;
} lam_var;

static int find_lam_var(ll_node *n, void *ctx) {
  lam_var *l = ctx;
  if (n->kind != LL_N_ASSIGN || !n->lhs || n->lhs->kind != LL_V_VAR || n->lhs->var != l->var) return 0;
  /* auto pred = [&]{...}: the lambda, possibly through its closure's constructor */
  const ll_value *v = n->rhs;
  for (int hop = 0; v && v->kind == LL_V_CALL && v->call && v->call->nargs == 1 && hop < 2; hop++)
    v = v->call->args[0];
  if (v && v->kind == LL_V_LAMBDA) l->fn = v->fn;
  return 0;
}

/* The wait's predicate lambda: written in place, or a local the function
 * assigned a lambda to (auto pred = [&]{...}; cv.wait(lk, pred)). */
static const ll_func *pred_lambda(const ll_node *call, const ll_api *a) {
  const ll_value *v = a->predicate_arg >= 0 ? ll_call_arg(call, a->predicate_arg) : NULL;
  for (int hop = 0; v && hop < 4; hop++) {
    if (v->kind == LL_V_LAMBDA) return v->fn;
    if (v->kind == LL_V_VAR && call->func && call->func->body) {
      lam_var l = {v->var, NULL};
      ll_visit(call->func->body, find_lam_var, &l);
      return l.fn;
    }
    if (v->kind != LL_V_CALL || !v->call || v->call->nargs != 1) break;
    v = v->call->args[0];
  }
  return NULL;
}

/* The first node where g's condition is evaluated (its first call, or g). */
static const ll_node *cond_point(const ll_node *g) {
  return g->cond && g->cond->nkids ? g->cond->kids[0] : g;
}

static int calls_project(lw *x, const ll_node *block) {
  if (!block) return 0;
  for (size_t i = 0; i < block->nkids; i++) {
    const ll_node *k = block->kids[i];
    if (k->kind == LL_N_CALL && ll_resolve_callee(x->p, k)) return 1;
  }
  return 0;
}

static int waiter_init(lw *x, waiter *wt, const ll_sync_site *w) {
  memset(wt, 0, sizeof *wt);
  wt->w = w;
  wt->pred = pred_lambda(w->node, w->api);
  wt->rewaits = wt->pred != NULL;
  int window = wt->pred == NULL;
  const ll_node *prev = w->node;
  for (const ll_node *g = w->node->parent; g && wt->ng < 16; prev = g, g = g->parent) {
    if (g->kind != LL_N_IF && g->kind != LL_N_LOOP) continue;
    if (g->cond && ll_node_within(w->node, g->cond)) return 0; /* a wait inside a condition */
    if (g->kind == LL_N_LOOP && (g->cond_const == 1 || (g->init && ll_node_within(prev, g->init)))) continue;
    ll_held h = ll_sync_held(x->s, cond_point(g), w->mutex);
    if (h == LL_HELD_UNKNOWN) return 0;
    guard gd = {g, h == LL_HELD_YES, window};
    wt->gs[wt->ng++] = gd;
    if (window && g->kind == LL_N_LOOP) {
      wt->rewaits = gd.locked;
      if (gd.locked && calls_project(x, g->cond)) wt->pred_unknown = 1;
      window = 0;
    }
  }
  return 1;
}

/* The flag is tested under the mutex right before the wait: by the
 * predicate, by a locked guard the wakeup re-tests, or (a wait that does
 * not re-wait by itself) by any locked guard. */
static int retested_locked(lw *x, const waiter *wt, const flag *f) {
  if (wt->pred) return lambda_reads(x, f, wt->pred);
  for (size_t i = 0; i < wt->ng; i++)
    if (wt->gs[i].locked && (wt->gs[i].window || !wt->rewaits) && cond_reads(x, f, wt->gs[i].g)) return 1;
  return 0;
}

typedef struct any_walk {
  lw *x;
  const flag *f;
  const char *mutex;
  int hit;
} any_walk;

/* A condition outside the mutex reads the flag (a test under it, before
 * the wait, leaves no gap for the stop to fall in). */
static int any_cond_reads(ll_node *n, void *ctx) {
  any_walk *a = ctx;
  if ((n->kind == LL_N_IF || n->kind == LL_N_LOOP) && cond_reads(a->x, a->f, n) &&
      ll_sync_held(a->x->s, cond_point(n), a->mutex) == LL_HELD_NO)
    a->hit = 1;
  return a->hit;
}

/* Where the task tests the flag other than right before the wait: an
 * outer guard (shape 3 needs one that the re-wait never reaches), an
 * unlocked guard (shape 2, waiter side) or, for a wait with no guard at
 * all, any condition of its function (returns the wait itself then). */
static const ll_node *tested_elsewhere(lw *x, const waiter *wt, const flag *f) {
  for (size_t i = 0; i < wt->ng; i++) {
    const guard *g = &wt->gs[i];
    if (wt->rewaits ? !g->window : !g->locked)
      if (cond_reads(x, f, g->g)) return g->g;
  }
  if (wt->ng || wt->pred) return NULL;
  any_walk a = {x, f, wt->w->mutex, 0};
  ll_visit(wt->w->fn->body, any_cond_reads, &a);
  return a.hit ? wt->w->node : NULL;
}

/* ---------------------------------------------------------------- stop paths */

typedef struct stop {
  const ll_sync_site *wake;  /* S */
  const ll_sync_site *write; /* X: the write of the flag */
  const ll_node *at;         /* where the stop path writes: X, or the call that reaches X */
} stop;

/* Does the stop path touch what the predicate reads (a write to, or a call
 * on, something named in it)? Then its wakeup may change the predicate. */
static int touches_pred(lw *x, const waiter *wt, const ll_func *fn) {
  const ll_sync_site *const *v;
  size_t n = ll_sync_sites_in(x->s, fn, &v);
  for (size_t i = 0; i < n; i++) {
    if (v[i]->kind != LL_SYNC_WRITE) continue;
    const char *name = write_name(v[i]);
    if (wt->pred && loc_has_ident(wt->pred->tu, &wt->pred->body->loc, name)) return 1;
    for (size_t k = 0; k < wt->ng; k++)
      if (wt->gs[k].window && wt->gs[k].g->cond && loc_has_ident(wt->w->fn->tu, &wt->gs[k].g->cond->loc, name))
        return 1;
  }
  return 0;
}

typedef struct call_walk {
  const ll_node *before;
  LL_VEC(const ll_node *) calls;
} call_walk;

static int calls_before(ll_node *n, void *ctx) {
  call_walk *c = ctx;
  if (n->kind == LL_N_CALL && n->loc.offset < c->before->loc.offset) LL_VEC_PUSH(&c->calls, n);
  return 0;
}

/* The writes before the waker S in its function: direct, or in a project
 * function called there (one level). fn_skip is the waiter's function. */
static size_t stops_of(lw *x, const ll_sync_site *S, const ll_func *skip, stop *out, size_t max) {
  size_t n = 0;
  const ll_sync_site *const *v;
  size_t k = ll_sync_sites_in(x->s, S->fn, &v);
  for (size_t i = 0; i < k && n < max; i++)
    if (v[i]->kind == LL_SYNC_WRITE && v[i]->node->loc.offset < S->node->loc.offset) {
      stop st = {S, v[i], v[i]->node};
      out[n++] = st;
    }
  call_walk cw = {S->node, {0}};
  ll_visit(S->fn->body, calls_before, &cw);
  for (size_t i = 0; i < cw.calls.n && n < max; i++) {
    const ll_func *g = ll_sync_resolve(x->s, cw.calls.v[i]);
    if (!g || g == S->fn || g == skip) continue;
    size_t m = ll_sync_sites_in(x->s, g, &v);
    for (size_t j = 0; j < m && n < max; j++)
      if (v[j]->kind == LL_SYNC_WRITE) {
        stop st = {S, v[j], cw.calls.v[i]};
        out[n++] = st;
      }
  }
  free(cw.calls.v);
  return n;
}

/* The stop path writes and wakes with the mutex certainly not held, takes
 * it nowhere in between, and no caller of its function may hold it. */
static int stop_unlocked(lw *x, const stop *st, const char *m) {
  if (ll_sync_held(x->s, st->at, m) != LL_HELD_NO) return 0;
  if (st->at != st->write->node && ll_sync_held(x->s, st->write->node, m) != LL_HELD_NO) return 0;
  if (ll_sync_held(x->s, st->wake->node, m) != LL_HELD_NO) return 0;
  if (ll_sync_locked_between(x->s, st->at, st->wake->node, m) != 0) return 0;
  return !ll_sync_caller_holds(x->s, st->wake->fn, m);
}

/* ---------------------------------------------------------------- tasks */

static int reaches(lw *x, const ll_func *from, const ll_func *to, int depth) {
  if (from == to) return 1;
  if (depth <= 0 || !from->body) return 0;
  const ll_node *const *callers;
  size_t n = ll_sync_callers(x->s, to, &callers);
  for (size_t i = 0; i < n; i++) {
    const ll_func *c = callers[i]->func; /* a lambda is a function of its own: from can be one */
    if (c && ll_sync_same_program(x->s, c, to) && reaches(x, from, c, depth - 1)) return 1;
  }
  return 0;
}

/* The spawn whose task reaches fn (index), or -1. */
static long task_of(lw *x, const ll_func *fn) {
  const ll_spawns *sp = ll_tasks_spawns(x->tasks);
  for (size_t i = 0; i < sp->n; i++)
    if (sp->v[i].entry && sp->v[i].site && ll_sync_same_program(x->s, sp->v[i].entry, fn) &&
        reaches(x, sp->v[i].entry, fn, REACH_DEPTH))
      return (long)i;
  return -1;
}

/* ---------------------------------------------------------------- report */

static ll_span span_of(const ll_loc *l) {
  return ll_span_make(l->file ? l->file : "", l->line, l->col, l->end_line, l->end_col);
}

/* How a call is shown: a function as is, a method with its class
 * ("condition_variable::wait"), a constructor by its class ("std::thread"),
 * a macro by its spelling. Caller frees. */
static char *call_display(const ll_node *call, const ll_api *a) {
  if (call->macro && call->macro[0]) return ll_xstrdup(call->macro);
  if (a && a->match == LL_MATCH_CONSTRUCTOR && a->name) return ll_xstrdup(a->name);
  const char *q = call->callee ? call->callee : (a && a->name ? a->name : "?");
  const char *last = NULL, *prev = NULL;
  for (const char *p = q; (p = strstr(p, "::")); p += 2) {
    prev = last;
    last = p;
  }
  return ll_xstrdup(last && prev ? prev + 2 : q);
}

static const char *fn_name(const ll_func *fn) {
  while (fn && fn->is_lambda && fn->parent) fn = fn->parent;
  return fn && fn->name ? fn->name : "?";
}

static char *consequence(const ll_spawn *sp) {
  if (sp->fate & LL_FATE_JOINED) return ll_xstrdup("so the join that waits for it hangs");
  if (sp->fate & LL_FATE_DETACHED) return ll_xstrdup("and it is detached, so it stays parked for the life of the process");
  return ll_xstrdup("so it stays parked and never finishes");
}

static const char *lock_hint(lw *x, const char *m) {
  const ll_sync_site *const *v;
  size_t n = ll_sync_locks(x->s, m, &v);
  for (size_t i = 0; i < n; i++)
    if (v[i]->api && v[i]->api->hint) return v[i]->api->hint;
  return "set the flag and wake the waiter while holding the mutex the waiter holds between its check and its wait";
}

/* A repeated spawn says how often it happens: every call (or iteration)
 * can leave one more task (or creator) parked. */
static void emit(lw *x, const ll_spawn *sp, char *msg, char *hint, ll_confidence conf, ll_finding *rel) {
  const ll_node *site = sp->site;
  const ll_func *spawner = sp->spawner;
  ll_mult_info mi = ll_multiplicity_of(x->mult, sp);
  char *phrase = ll_mult_repeats(&mi) ? ll_mult_phrase(&mi, "this can happen again") : NULL;
  if (phrase) {
    char *m2 = ll_xasprintf("%s; %s", msg, phrase);
    free(msg);
    free(phrase);
    msg = m2;
  }
  ll_finding f = ll_pass_finding(x->ctx, msg, span_of(&site->loc));
  f.confidence = conf;
  if (spawner && spawner->name) f.function = ll_xstrdup(fn_name(spawner));
  f.hint = hint;
  /* the story was collected before the finding existed: hand it over */
  f.related = rel->related;
  f.nrelated = rel->nrelated;
  rel->related = NULL;
  rel->nrelated = 0;
  ll_mult_add_related(&f, &mi);
  LL_VEC_PUSH(&x->done, site);
  ll_pass_report(x->ctx, f);
  free(msg);
}

static int reported(const lw *x, const ll_node *site) {
  for (size_t i = 0; i < x->done.n; i++)
    if (x->done.v[i] == site) return 1;
  return 0;
}

enum { SHAPE_WRITER = 2, SHAPE_APART = 21, SHAPE_WAITER = 20, SHAPE_PRED = 3 };

static void report_task(lw *x, long si, const waiter *wt, const stop *st, const flag *f, int shape,
                        const ll_node *test) {
  const ll_spawn *sp = ll_tasks_complete(x->tasks, (size_t)si);
  if (reported(x, sp->site)) return;
  const ll_sync_site *w = wt->w;
  char *wait = call_display(w->node, w->api), *wake = call_display(st->wake->node, st->wake->api);
  char *spawn = call_display(sp->site, sp->api);
  const char *stopper = fn_name(st->wake->fn);
  char *cons = consequence(sp), *msg, *hint;
  if (shape == SHAPE_APART) {
    msg = ll_xasprintf("lost wakeup: the task started by %s waits in %s until '%s' changes; %s writes '%s' and %s "
                       "calls %s before it joins, neither holding the mutex the task holds between its check and "
                       "its wait, so the wakeup can come before the task parks and the task sleeps on, %s",
                       spawn, wait, f->name, fn_name(st->write->fn), f->name, stopper, wake, cons);
    hint = ll_xstrdup(lock_hint(x, w->mutex));
  } else if (shape == SHAPE_WRITER) {
    msg = ll_xasprintf("lost wakeup: the task started by %s waits in %s until '%s' changes, but %s writes '%s' and "
                       "calls %s without holding the mutex the task holds between its check and its wait; the "
                       "wakeup can fall in that gap and the task sleeps on, %s",
                       spawn, wait, f->name, stopper, f->name, wake, cons);
    hint = ll_xstrdup(lock_hint(x, w->mutex));
  } else if (shape == SHAPE_WAITER && !test) {
    msg = ll_xasprintf("lost wakeup: the task started by %s waits in %s with no predicate, at a point where it "
                       "may not be parked yet when %s sets '%s' and calls %s; that wakeup is lost and the task "
                       "waits for the next one, %s",
                       spawn, wait, stopper, f->name, wake, cons);
    hint = ll_xasprintf("set '%s' under the mutex and wait only while it is unset: while (!%s) wait", f->name,
                        f->name);
  } else if (shape == SHAPE_WAITER) {
    msg = ll_xasprintf("lost wakeup: the task started by %s tests '%s' without holding the mutex of its %s and "
                       "then waits without testing it again; when %s sets '%s' and calls %s between the test and "
                       "the wait, the wakeup is lost, %s",
                       spawn, f->name, wait, stopper, f->name, wake, cons);
    hint = ll_xasprintf("test '%s' under the mutex in the wait's own loop or predicate (while (!%s && ...) wait), "
                        "and set it under the same mutex",
                        f->name, f->name);
  } else {
    msg = ll_xasprintf("the wait's predicate ignores the stop: the task started by %s stops when '%s' is set, "
                       "but the predicate of its %s does not test '%s'; %s sets it and calls %s, the task wakes, "
                       "finds its predicate unchanged and waits again, %s",
                       spawn, f->name, wait, f->name, stopper, wake, cons);
    hint = w->api->hint ? ll_xasprintf("%s (here: '%s')", w->api->hint, f->name)
                        : ll_xasprintf("add '%s' to the wait's predicate", f->name);
  }
  ll_finding rel = {0};
  ll_finding_add_related(&rel, span_of(&w->node->loc),
                         shape == SHAPE_PRED ? "waits here; its predicate does not test the stop flag"
                                             : "the task waits here");
  if (test) ll_finding_add_related(&rel, span_of(&test->loc), "tests the flag here, without the mutex");
  ll_finding_add_related(&rel, span_of(&st->write->node->loc),
                         shape == SHAPE_WRITER || shape == SHAPE_APART ? "writes the flag here without the mutex"
                                                                       : "sets the flag here");
  ll_finding_add_related(&rel, span_of(&st->wake->node->loc),
                         shape == SHAPE_WRITER || shape == SHAPE_APART ? "wakes here, also without the mutex"
                                                                       : "and wakes the task here");
  if ((sp->fate & LL_FATE_JOINED) && sp->join_site)
    ll_finding_add_related(&rel, span_of(&sp->join_site->loc), "this join can hang");
  emit(x, sp, msg, hint, shape == SHAPE_PRED ? LL_CONF_MEDIUM : LL_CONF_HIGH, &rel);
  free(cons);
  free(wait);
  free(wake);
  free(spawn);
}

/* ---------------------------------------------------------------- checks */

#define MAX_STOPS 64

/* ---- shape 2 apart: the state is written in one place, the stop path only wakes */

typedef struct keys {
  lw *x;
  const ll_tu *tu;
  LL_VEC(const char *) v;
  int depth;
} keys;

static void add_key(keys *k, const ll_value *v) {
  const char *key = ll_sync_key(k->x->s, k->tu, v);
  if (key && key[0] != 'V') LL_VEC_PUSH(&k->v, key);
}

static int key_visit(ll_node *n, void *ctx);

/* The keys an accessor called in a predicate returns (one level). */
static void accessor_keys(keys *k, const ll_node *call) {
  const ll_func *g = k->depth ? NULL : ll_sync_resolve(k->x->s, call);
  if (!g || !g->body) return;
  keys sub = {k->x, g->tu, {0}, 1};
  ll_visit(g->body, key_visit, &sub);
  for (size_t i = 0; i < sub.v.n; i++) LL_VEC_PUSH(&k->v, sub.v.v[i]);
  free(sub.v.v);
}

static int key_visit(ll_node *n, void *ctx) {
  keys *k = ctx;
  if (n->kind == LL_N_RETURN && n->value) add_key(k, n->value);
  if (k->depth) return 0; /* in an accessor: only what it returns */
  if (n->kind == LL_N_IF || n->kind == LL_N_LOOP)
    for (size_t i = 0; i < n->ncond_refs; i++) add_key(k, n->cond_refs[i]);
  if (n->kind == LL_N_CALL) {
    if (n->obj) add_key(k, n->obj);
    accessor_keys(k, n);
  }
  return 0;
}

/* The state the wait's predicate (or its locked re-tested guards) reads. */
static void pred_keys(lw *x, const waiter *wt, keys *k) {
  k->x = x;
  k->tu = wt->w->fn->tu;
  if (wt->pred) {
    ll_visit(wt->pred->body, key_visit, k);
    return;
  }
  for (size_t i = 0; i < wt->ng; i++) {
    const ll_node *g = wt->gs[i].g;
    if (!wt->gs[i].locked || !wt->gs[i].window) continue;
    for (size_t r = 0; r < g->ncond_refs; r++) add_key(k, g->cond_refs[r]);
    for (size_t c = 0; g->cond && c < g->cond->nkids; c++) key_visit(g->cond->kids[c], k);
  }
}

typedef struct join_walk {
  const ll_node *after;
  int hit;
} join_walk;

static int join_after(ll_node *n, void *ctx) {
  join_walk *j = ctx;
  if (n->kind == LL_N_CALL && n->loc.offset > j->after->loc.offset && ll_call_has_role(n, LL_ROLE_JOIN)) j->hit = 1;
  return j->hit;
}

/* S wakes without the mutex (nor a caller holding it) and then joins. */
static int wakes_then_joins(lw *x, const ll_sync_site *S, const char *m) {
  if (ll_sync_held(x->s, S->node, m) != LL_HELD_NO || ll_sync_caller_holds(x->s, S->fn, m)) return 0;
  join_walk j = {S->node, 0};
  ll_visit(S->fn->body, join_after, &j);
  return j.hit;
}

/* Shape 2 with the write and the wakeup apart: the predicate's state is
 * written without the mutex in one function, and the stop path wakes
 * without it in another before joining; nothing orders the two against the
 * waiter's check. */
static int check_apart(lw *x, const waiter *wt, long *si) {
  const ll_sync_site *w = wt->w;
  keys k = {0};
  pred_keys(x, wt, &k);
  const ll_sync_site *const *wk;
  size_t nw = ll_sync_wakers(x->s, w->key, &wk);
  int done = 0;
  for (size_t i = 0; i < nw && !done; i++) {
    const ll_sync_site *S = wk[i];
    if (S->fn == w->fn || !ll_sync_same_program(x->s, S->fn, w->fn) || !wakes_then_joins(x, S, w->mutex)) continue;
    for (size_t j = 0; j < k.v.n && !done; j++) {
      const ll_sync_site *const *wr;
      size_t n = ll_sync_writers(x->s, k.v.v[j], &wr);
      for (size_t q = 0; q < n && !done; q++) {
        const ll_sync_site *X = wr[q];
        if (X->fn == w->fn || X->fn == S->fn || !ll_sync_same_program(x->s, X->fn, w->fn)) continue;
        if (ll_sync_held(x->s, X->node, w->mutex) != LL_HELD_NO || ll_sync_caller_holds(x->s, X->fn, w->mutex))
          continue;
        flag f = {0};
        f.key = X->key;
        f.name = write_name(X);
        if (!f.name) continue;
        if (*si == -2) *si = task_of(x, w->fn);
        if (*si < 0) break;
        stop st = {S, X, X->node};
        report_task(x, *si, wt, &st, &f, SHAPE_APART, NULL);
        done = 1;
      }
    }
  }
  free(k.v.v);
  return done;
}

/* Shapes 2 and 3 for one wait: the first stop path that loses its wakeup. */
static void check_task_wait(lw *x, const ll_sync_site *w) {
  waiter wt;
  if (!waiter_init(x, &wt, w)) return;
  long si = -1;
  int task_known = 0;
  const ll_sync_site *const *wk;
  size_t nw = ll_sync_wakers(x->s, w->key, &wk);
  for (size_t i = 0; i < nw; i++) {
    if (wk[i]->fn == w->fn || !ll_sync_same_program(x->s, wk[i]->fn, w->fn)) continue;
    stop st[MAX_STOPS];
    size_t ns = stops_of(x, wk[i], w->fn, st, MAX_STOPS);
    for (size_t j = 0; j < ns; j++) {
      flag f;
      flag_init(x, &f, w, st[j].write);
      int shape = 0;
      const ll_node *test = NULL;
      if (!f.name) {
        /* a flag we cannot name cannot be matched against the waiter */
      } else if (retested_locked(x, &wt, &f)) {
        if (stop_unlocked(x, &st[j], w->mutex)) shape = SHAPE_WRITER;
      } else if ((test = tested_elsewhere(x, &wt, &f))) {
        if (!wt.rewaits) shape = SHAPE_WAITER;
        else if (!wt.pred_unknown && !touches_pred(x, &wt, st[j].wake->fn) &&
                 (st[j].at == st[j].write->node || !touches_pred(x, &wt, st[j].write->fn)))
          shape = SHAPE_PRED;
        if (test == w->node) test = NULL;
      }
      free(f.alias.v);
      if (!shape) continue;
      if (!task_known) {
        si = task_of(x, w->fn);
        task_known = 1;
      }
      if (si < 0) return;
      report_task(x, si, &wt, &st[j], &f, shape, test);
      return;
    }
  }
  if (!task_known) si = -2;
  if (si != -1) check_apart(x, &wt, &si);
}

/* Shape 4, the creator: start a task, then wait once, unguarded, for a
 * wakeup that only that task sends. */
static void check_creator_wait(lw *x, const ll_sync_site *w) {
  if (pred_lambda(w->node, w->api)) return;
  const ll_spawns *sps = ll_tasks_spawns(x->tasks);
  for (size_t i = 0; i < sps->n; i++) {
    const ll_spawn *sp = &sps->v[i];
    if (sp->spawner != w->fn || !sp->entry || !sp->site || sp->site->loc.offset >= w->node->loc.offset) continue;
    /* every if/loop around the wait also encloses the spawn: one-shot */
    int guarded = 0;
    for (const ll_node *g = w->node->parent; g; g = g->parent)
      if ((g->kind == LL_N_IF || (g->kind == LL_N_LOOP && g->cond_const != 1)) && !ll_node_within(sp->site, g))
        guarded = 1;
    if (guarded) continue;
    const ll_sync_site *const *wk;
    size_t nw = ll_sync_wakers(x->s, w->key, &wk), mine = 0, in_task = 0;
    const ll_sync_site *first = NULL;
    for (size_t k = 0; k < nw; k++) {
      if (!ll_sync_same_program(x->s, wk[k]->fn, w->fn)) continue;
      if (!mine++) first = wk[k];
      in_task += reaches(x, sp->entry, wk[k]->fn, 2);
    }
    if (!mine || in_task != mine) continue;
    const ll_spawn *full = ll_tasks_complete(x->tasks, i);
    if (reported(x, full->site)) return;
    char *wait = call_display(w->node, w->api), *wake = call_display(first->node, first->api);
    char *msg = ll_xasprintf("lost wakeup: %s starts a task and then waits once in %s for the %s that only this "
                             "task sends; the task can send it before the wait begins, and then %s waits forever",
                             fn_name(w->fn), wait, wake, fn_name(w->fn));
    char *hint = ll_xstrdup("have the task set a flag under the mutex before it signals, and wait in a loop "
                            "holding the mutex: while (!ready) wait");
    ll_finding rel = {0};
    ll_finding_add_related(&rel, span_of(&w->node->loc), "waits here once, with no predicate");
    ll_finding_add_related(&rel, span_of(&first->node->loc), "the task's only wakeup, which can come first");
    if (ll_sync_held(x->s, w->node, w->mutex) == LL_HELD_NO)
      ll_finding_add_related(&rel, span_of(&w->node->loc), "and the mutex it releases is not held here");
    emit(x, full, msg, hint, LL_CONF_HIGH, &rel);
    free(wait);
    free(wake);
    return;
  }
}

static void *run(ll_pass_ctx *ctx) {
  lw x;
  memset(&x, 0, sizeof x);
  x.ctx = ctx;
  x.p = ll_pass_program(ctx);
  x.rules = ll_pass_packs(ctx);
  x.s = ll_pass_result_of(ctx, &ll_sync_pass);
  x.tasks = ll_pass_result_of(ctx, &ll_tasks_pass);
  x.mult = ll_pass_result_of(ctx, &ll_mult_pass);
  const ll_sync_site *const *w;
  size_t n = ll_sync_waits(x.s, &w);
  for (size_t i = 0; i < n; i++) {
    if (!w[i]->key || !w[i]->mutex || (w[i]->api->flags & LL_API_NONBLOCKING)) continue;
    if (!ll_call_waits_forever(w[i]->node, w[i]->api)) continue;
    check_creator_wait(&x, w[i]);
    if (ll_sync_held(x.s, w[i]->node, w[i]->mutex) != LL_HELD_YES) continue;
    check_task_wait(&x, w[i]);
  }
  free(x.done.v);
  return NULL;
}

static const ll_pass *const requires[] = {&ll_sync_pass, &ll_tasks_pass, &ll_mult_pass, NULL};

const ll_pass ll_rule_lost_wakeup = {
    .id = "lost-wakeup",
    .default_level = LL_LEVEL_WARNING,
    .is_rule = 1,
    .requires = requires,
    .run = run,
};
