/* timer_loop.c - timer-per-iteration, the per-iteration form (see
 * timer_forms.h).
 *
 * A call whose rule-pack role is timer_create, inside a loop, creates a timer
 * in every iteration. It is a finding when that timer is lost by the end of
 * the iteration (timer_handle.c follows it): its handle is discarded, or
 * kept only in a variable local to the iteration and neither released nor
 * stored, or written over a variable declared outside the loop that nothing
 * releases before the next iteration (so every timer but the last leaks).
 * Guarded creations of an outer handle (`if (fd < 0) fd = ...`), retry loops
 * (`do fd = ...; while (fd < 0)`) and loops that run once are not reported.
 * No fix is offered: moving a creation out of a loop is not a mechanical
 * edit. */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "timer_forms.h"

/* ------------------------------------------------------ loop shapes */

static int refs_var(ll_value **refs, size_t n, int var) {
  for (size_t i = 0; i < n; i++) {
    const ll_value *v = ll_value_strip(refs[i]);
    if (v && v->kind == LL_V_VAR && v->var == var) return 1;
  }
  return 0;
}

typedef struct assignctx {
  ll_value **refs;
  size_t nrefs;
  int hit;
} assignctx;

static int assigns_ref(ll_node *n, void *p) {
  assignctx *a = p;
  if (n->kind == LL_N_ASSIGN && n->lhs) {
    for (size_t i = 0; i < a->nrefs; i++)
      if (ll_value_same(n->lhs, a->refs[i], 0)) {
        a->hit = 1;
        return 1;
      }
  }
  return 0;
}

/* The creation is guarded by a test of the handle (`if (fd < 0) fd = ...`),
 * or of a flag the guarded branch sets (`if (!armed) { ...; armed = 1; }`). */
static int guarded(const ll_node *create, const ll_node *loop, int var) {
  for (const ll_node *p = create->parent; p && p != loop; p = p->parent) {
    if (p->kind != LL_N_IF) continue;
    if (refs_var(p->cond_refs, p->ncond_refs, var)) return 1;
    assignctx a = {p->cond_refs, p->ncond_refs, 0};
    for (size_t i = 0; i < p->nkids && !a.hit; i++)
      if (p->kids[i] && ll_node_within(create, p->kids[i])) ll_visit(p->kids[i], assigns_ref, &a);
    if (a.hit) return 1;
  }
  return 0;
}

typedef struct exitctx {
  int var;
  int hit;
} exitctx;

static int has_exit(ll_node *n, void *p) {
  (void)p;
  return n->kind == LL_N_BREAK || n->kind == LL_N_RETURN || n->kind == LL_N_GOTO ||
         n->kind == LL_N_THROW;
}

static int exit_on_var(ll_node *n, void *p) {
  exitctx *e = p;
  if (n->kind == LL_N_IF && refs_var(n->cond_refs, n->ncond_refs, e->var)) {
    for (size_t i = 0; i < n->nkids; i++)
      if (n->kids[i] && ll_visit(n->kids[i], has_exit, NULL)) {
        e->hit = 1;
        return 1;
      }
  }
  return 0;
}

/* A retry loop: it tests the handle to decide whether to go round again
 * (`while (fd < 0)`, `if (fd >= 0) break;`). */
static int retry_loop(const ll_node *loop, int var) {
  if (refs_var(loop->cond_refs, loop->ncond_refs, var)) return 1;
  exitctx e = {var, 0};
  ll_timer_visit_loop(loop, exit_on_var, &e);
  return e.hit;
}

int ll_timer_runs_once(const ll_node *loop, const ll_node *create) {
  if (loop->cond_const == 0) return 1;
  const ll_node *body = loop->nkids ? loop->kids[0] : NULL;
  if (!body || body->kind != LL_N_BLOCK) return 0;
  int after = 0;
  for (size_t i = 0; i < body->nkids; i++) {
    const ll_node *s = body->kids[i];
    if (!s) continue;
    if (ll_node_within(create, s)) after = 1;
    if (after && (s->kind == LL_N_BREAK || s->kind == LL_N_RETURN || s->kind == LL_N_THROW ||
                  s->kind == LL_N_GOTO))
      return 1;
  }
  return 0;
}

/* A release of `var` after the loop in the same function (for the message). */
typedef struct afterctx {
  const ll_node *loop;
  int var;
  const ll_node *found;
} afterctx;

static int release_after(ll_node *n, void *p) {
  afterctx *a = p;
  if (n->kind != LL_N_CALL || ll_node_within(n, a->loop)) return 0;
  if (n->loc.offset < a->loop->loc.end_offset || (n->loc.file && a->loop->loc.file && strcmp(n->loc.file, a->loop->loc.file) != 0)) return 0;
  const ll_api *rel = ll_call_api(n, LL_ROLE_TIMER_RELEASE);
  if (!rel) return 0;
  const ll_value *o = ll_value_strip(ll_timer_api_object(n, rel));
  if (o && o->kind == LL_V_VAR && o->var == a->var) {
    a->found = n;
    return 1;
  }
  return 0;
}

/* ------------------------------------------------------ reporting */

typedef enum { LOST_DISCARDED, LOST_LOCAL, LOST_OVERWRITTEN } lost_kind;

static void report(const ll_node *call, const ll_api *api, const ll_node *loop, lost_kind kind, int var,
                   ll_pass_ctx *ctx) {
  const ll_tu *tu = call->func ? call->func->tu : NULL;
  const char *name = ll_timer_api_display(api, call);
  const char *vname = (tu && var >= 0 && (size_t)var < tu->nvars) ? tu->vars[var].name : NULL;
  char *msg;
  switch (kind) {
  case LOST_DISCARDED:
    msg = ll_xasprintf("the timer %s creates in every loop iteration is discarded, so each "
                       "iteration leaks a timer nothing can stop or free", name);
    break;
  case LOST_LOCAL:
    msg = ll_xasprintf("the timer %s creates in every loop iteration is neither released nor "
                       "stored, so each iteration leaks a timer nothing can stop or free", name);
    break;
  default:
    msg = ll_xasprintf("%s overwrites the timer in '%s' in every loop iteration before it is "
                       "released, so every timer but the last leaks", name, vname ? vname : "?");
    break;
  }
  ll_span loc = ll_timer_span(&call->loc);
  ll_finding f = ll_pass_finding(ctx, msg, loc);
  free(msg);
  f.confidence = kind == LOST_OVERWRITTEN ? LL_CONF_MEDIUM : LL_CONF_HIGH;
  ll_finding_add_related(&f, ll_timer_span(&loop->loc), "in this loop");
  if (kind == LOST_OVERWRITTEN && tu && var >= 0 && (size_t)var < tu->nvars) {
    const ll_var *v = &tu->vars[var];
    char *rm = ll_xasprintf("'%s' is declared outside the loop, so the next iteration overwrites "
                            "the handle", v->name ? v->name : "?");
    ll_finding_add_related(&f, ll_timer_span(&v->loc), rm);
    free(rm);
    afterctx a = {loop, var, NULL};
    if (call->func && call->func->body) ll_visit(call->func->body, release_after, &a);
    if (a.found) ll_finding_add_related(&f, ll_timer_span(&a.found->loc), "only the last timer is released here");
  }
  f.hint = ll_timer_hint(api->hint, name);
  const ll_func *top = ll_timer_top_func(call->func);
  f.function = top && top->name ? ll_xstrdup(top->name) : NULL;
  ll_pass_report(ctx, f);
}

/* ------------------------------------------------------ the form */

/* The handle variable var was followed through the loop (t): lost in a
 * local, or overwritten in an outer variable. */
static void judge_var(ll_pass_ctx *ctx, const ll_timer_track *t, int var) {
  const ll_node *call = t->create, *loop = t->loop;
  if (ll_timer_declared_in(loop, var)) {
    if (t->outer_store < 0) {
      report(call, t->api, loop, LOST_LOCAL, var, ctx);
      return;
    }
    /* copied to a variable declared outside the loop: that one is
       overwritten each iteration unless it is released in the loop */
    ll_timer_track o = *t;
    o.nvars = 0;
    ll_timer_track_add(&o, t->outer_store);
    ll_timer_follow(&o);
    if (o.released || o.kept || o.outer_store >= 0) return;
    if (guarded(call, loop, t->outer_store) || retry_loop(loop, t->outer_store)) return;
    report(call, t->api, loop, LOST_OVERWRITTEN, t->outer_store, ctx);
    return;
  }
  if (t->outer_store >= 0) return; /* copied between outer variables: not modelled */
  if (guarded(call, loop, var) || retry_loop(loop, var)) return;
  report(call, t->api, loop, LOST_OVERWRITTEN, var, ctx);
}

void ll_timer_check_loop(ll_pass_ctx *ctx, const ll_program *prog, const ll_node *call, const ll_api *api,
                         const ll_node *loop) {
  ll_timer_track t;
  ll_timer_track_init(&t, prog, loop, call, api);
  const ll_value *h = ll_timer_handle(call, api);
  if (api->timer_arg == LL_ARG_RESULT && !h) {
    if (ll_timer_result_lost(&t)) report(call, api, loop, LOST_DISCARDED, -1, ctx);
    return;
  }
  int by_pointer = h && h->kind == LL_V_VAR && api->timer_arg != LL_ARG_RESULT;
  h = ll_timer_strip_addr(h);
  if (!h || h->kind != LL_V_VAR || h->var < 0) return; /* stored in a field, element, global */
  /* uv_timer_init(loop, t): the timer is the storage t points to; only
     storage allocated in this iteration is new each time */
  if (by_pointer && !ll_timer_fresh_storage(loop, h->var)) return;

  int var = h->var;
  const ll_tu *tu = call->func ? call->func->tu : NULL;
  if (tu && (size_t)var < tu->nvars) t.htype = tu->vars[var].type;

  /* callbacks given to the creating call itself */
  if (ll_timer_args_may_stop(&t, call, api->timer_arg, 0)) return;

  ll_timer_track_add(&t, var);
  ll_timer_follow(&t);
  if (t.released || t.kept) return;
  judge_var(ctx, &t, var);
}
