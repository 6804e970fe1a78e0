/* timer_handle.c - what a scope (a loop, or the body of the creating
 * function) does with one timer handle (see timer_forms.h).
 *
 * The handle (the call's result, or the pack's timer_arg) is followed
 * through the scope together with its aliases (locals assigned from it).
 * What keeps it alive or frees it ends the search without a finding:
 *   - a timer_release API on it (close, timer_delete, uv_close, ...);
 *   - a store that outlives the scope: a field, an array element, a
 *     global, through a pointer, a container method, a return;
 *   - any call we cannot see into that receives it in a position where it
 *     could be stored (project functions, function pointers, library calls
 *     that take it after their first argument), or a lambda/block that
 *     captures it (precision first);
 *   - a callback registered with it that stops the timer itself (releases its
 *     handle parameter, or returns 0 = G_SOURCE_REMOVE on some path), or a
 *     callback we cannot see.
 * Re-arm APIs and library calls that take the timer as their first argument
 * (configuration: g_source_attach, dispatch_resume, ...) neither release nor
 * keep it. A copy into a variable declared outside the scope is recorded
 * (outer_store) for the forms to judge. */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "timer_forms.h"

/* ------------------------------------------------------------ helpers */

const ll_func *ll_timer_top_func(const ll_func *fn) {
  while (fn && fn->parent && (fn->is_lambda || fn->is_block)) fn = fn->parent;
  return fn;
}

int ll_timer_spelled(const ll_api *a, const char *macro) {
  for (const char *const *p = a->spellings; macro && p && *p; p++)
    if (strcmp(*p, macro) == 0) return 1;
  return 0;
}

const char *ll_timer_api_display(const ll_api *a, const ll_node *call) {
  if (a && ll_timer_spelled(a, call->macro)) return call->macro;
  if (a && a->name) return a->name;
  return call->callee ? call->callee : "the call";
}

ll_span ll_timer_span(const ll_loc *l) { return ll_span_make(l->file, l->line, l->col, l->end_line, l->end_col); }

char *ll_timer_hint(const char *hint, const char *api) {
  if (!hint) return NULL;
  ll_buf b = {0};
  for (const char *p = hint; *p;) {
    if (strncmp(p, "{api}", 5) == 0) {
      ll_buf_puts(&b, api);
      p += 5;
    } else {
      ll_buf_putc(&b, *p++);
    }
  }
  return ll_buf_take(&b);
}

const ll_value *ll_timer_strip_addr(const ll_value *v) {
  while (v && v->kind == LL_V_ADDR && v->base) v = v->base;
  return v;
}

const ll_value *ll_timer_handle(const ll_node *call, const ll_api *api) {
  return api->timer_arg == LL_ARG_RESULT ? call->result_to : ll_call_arg(call, api->timer_arg);
}

static int track_has(const ll_timer_track *t, int var) {
  for (size_t i = 0; i < t->nvars; i++)
    if (t->vars[i] == var) return 1;
  return 0;
}

/* True when v (with &, * and casts already gone) denotes one of the tracked
 * variables. */
int ll_timer_refers(const ll_timer_track *t, const ll_value *v) {
  v = ll_value_strip(v);
  return v && v->kind == LL_V_VAR && v->var >= 0 && track_has(t, v->var);
}

static int refers_call(const ll_value *v, const ll_node *call) {
  v = ll_value_strip(v);
  return v && v->kind == LL_V_CALL && v->call == call;
}

typedef struct declctx {
  int var;
  int found;
} declctx;

static int find_decl(ll_node *n, void *p) {
  declctx *d = p;
  if ((n->kind == LL_N_DECL || (n->kind == LL_N_ASSIGN && n->is_decl)) && n->lhs &&
      n->lhs->kind == LL_V_VAR && n->lhs->var == d->var) {
    d->found = 1;
    return 1;
  }
  return 0;
}

int ll_timer_declared_in(const ll_node *loop, int var) {
  declctx d = {var, 0};
  for (size_t i = 0; i < loop->nkids && !d.found; i++) ll_visit(loop->kids[i], find_decl, &d);
  if (!d.found && loop->cond) ll_visit(loop->cond, find_decl, &d);
  if (!d.found && loop->inc) ll_visit(loop->inc, find_decl, &d);
  return d.found;
}

int ll_timer_visit_loop(const ll_node *loop, ll_visit_fn fn, void *ctx) {
  int r = 0;
  if (loop->cond && (r = ll_visit(loop->cond, fn, ctx))) return r;
  for (size_t i = 0; i < loop->nkids; i++)
    if ((r = ll_visit(loop->kids[i], fn, ctx))) return r;
  if (loop->inc && (r = ll_visit(loop->inc, fn, ctx))) return r;
  return 0;
}

const ll_value *ll_timer_api_object(const ll_node *call, const ll_api *a) {
  int idx = a->object_arg;
  if (idx == LL_ARG_NONE) idx = call->obj ? LL_ARG_OBJECT : 0;
  return ll_call_arg(call, idx);
}

/* Is the callee a function whose body we could read, or a variable (a call
 * through a function pointer)? Both are code we do not model. */
static int callee_is_project(const ll_timer_track *t, const ll_node *call) {
  if (call->callee_usr && ll_program_find(t->prog, call->callee_usr)) return 1;
  return 0;
}

static int callee_is_pointer(const ll_node *call) {
  const ll_func *fn = call->func;
  if (!call->callee || !fn || !fn->tu) return 1;
  const ll_tu *tu = fn->tu;
  for (size_t i = 0; i < tu->nvars; i++)
    if (tu->vars[i].name && strcmp(tu->vars[i].name, call->callee) == 0) return 1;
  return 0;
}

/* The library prefix of a C name: "g_", "uv_", "dispatch_", "timerfd_". */
static size_t name_prefix(const char *s) {
  const char *u = s ? strchr(s, '_') : NULL;
  if (!u || strchr(s, ':')) return 0;
  return (size_t)(u - s) + 1;
}

/* Same library as the creating API: a name with its prefix, when that
 * library's headers are not system headers (found through -I, as GLib is
 * with pkg-config), so that its functions have USRs like the project's. */
static int same_library(const ll_timer_track *t, const char *name) {
  if (!t->create->callee_usr || !name) return 0; /* system library: its calls have no USR */
  size_t p = name_prefix(t->api->name);
  return p && strncmp(name, t->api->name, p) == 0 && name_prefix(name) >= p;
}

/* A library call that takes the timer as its first argument and only
 * configures or uses it: declared in a system header (no USR), or of the
 * creating API's library, and not defined in the program. */
int ll_timer_library_use(const ll_timer_track *t, const ll_node *call) {
  if (callee_is_project(t, call) || callee_is_pointer(call)) return 0;
  if (!call->callee_usr) return 1;
  return same_library(t, call->callee);
}

/* ------------------------------------------------------ callbacks */

typedef struct cbctx {
  const ll_func *fn;
  const char *htype; /* the timer handle's type (NULL: unknown) */
  const char *pack;  /* the creating API's pack */
  int stops;
} cbctx;

/* Is parameter k of a callback the timer handle itself (libuv passes the
 * uv_timer_t *), as opposed to user data (GLib's gpointer)? */
static int param_is_handle(const cbctx *c, size_t k) {
  const ll_tu *tu = c->fn->tu;
  int id = c->fn->params[k];
  if (!c->htype || !tu || id < 0 || (size_t)id >= tu->nvars || !tu->vars[id].type) return 0;
  const char *pt = tu->vars[id].type;
  size_t n = strlen(c->htype);
  return strcmp(pt, c->htype) == 0 || (strncmp(pt, c->htype, n) == 0 && strcmp(pt + n, " *") == 0);
}

static int cb_visit(ll_node *n, void *p) {
  cbctx *c = p;
  if (n->kind == LL_N_RETURN && n->value) {
    const ll_value *v = n->value;
    /* returning 0 (FALSE, G_SOURCE_REMOVE) or something we cannot evaluate:
       the source can end itself */
    if (!(v->kind == LL_V_INT && v->known && v->ival != 0)) c->stops = 1;
  }
  if (n->kind == LL_N_CALL) {
    const ll_api *rel = ll_call_api(n, LL_ROLE_TIMER_RELEASE);
    /* a release of a timer we cannot name (the running event, found through
       the library) may be this one */
    const ll_value *ro = rel ? ll_value_strip(ll_timer_api_object(n, rel)) : NULL;
    if (rel && ro && ro->kind == LL_V_CALL && c->pack && rel->pack && strcmp(rel->pack, c->pack) == 0)
      c->stops = 1;
    if (rel && c->fn->nparams) {
      const ll_value *o = ll_value_strip(ll_timer_api_object(n, rel));
      for (size_t i = 0; o && i < c->fn->nparams; i++)
        if (o->kind == LL_V_VAR && o->var == c->fn->params[i]) c->stops = 1;
    }
    /* a callback that hands its timer handle to code we cannot see */
    for (size_t i = 0; i < n->nargs; i++) {
      const ll_value *a = ll_value_strip(n->args[i]);
      if (!a || a->kind != LL_V_VAR || n->napis || !n->callee_usr) continue;
      for (size_t k = 0; k < c->fn->nparams; k++)
        if (a->var == c->fn->params[k] && param_is_handle(c, k)) c->stops = 1;
    }
  }
  return c->stops;
}

/* A function registered as the timer's callback: 1 when it can stop the
 * timer itself or we cannot see it, 0 when it provably never does. */
static int callback_may_stop(const ll_timer_track *t, const ll_value *v) {
  if (!v || v->kind != LL_V_FUNC) return 0;
  /* a GSource that ends itself is still referenced by its creator */
  if (t->api->flags & LL_API_CALLER_REF) return 0;
  /* a library function (g_free as a destroy notify) cannot stop our timer */
  if (!v->usr) return 0;
  const ll_func *fn = ll_program_find(t->prog, v->usr);
  if (!fn || !fn->body) return same_library(t, v->name) ? 0 : 1; /* else a project function we cannot see */
  cbctx c = {fn, t->htype, t->api->pack, 0};
  ll_visit(fn->body, cb_visit, &c);
  return c.stops;
}

static int lambda_captures(const ll_timer_track *t, const ll_value *v) {
  if (!v || v->kind != LL_V_LAMBDA || !v->fn) return 0;
  for (size_t i = 0; i < v->fn->ncaptures; i++)
    if (track_has(t, v->fn->captures[i])) return 1;
  return 0;
}

/* ------------------------------------------------------ the handle's uses */

void ll_timer_track_add(ll_timer_track *t, int var) {
  if (var < 0 || track_has(t, var)) return;
  if (t->nvars < LL_TIMER_MAX_ALIASES) t->vars[t->nvars++] = var;
  else t->overflow = 1; /* too many to follow: say nothing */
}

/* A call that receives the handle (as argument `idx`, or its object when
 * idx == LL_ARG_OBJECT). */
static void use_in_call(ll_timer_track *t, const ll_node *call, int idx) {
  if (call == t->create) return;
  const ll_api *a;
  if ((a = ll_call_api(call, LL_ROLE_TIMER_RELEASE))) {
    const ll_value *o = ll_timer_api_object(call, a);
    if ((idx == LL_ARG_OBJECT && o == call->obj) || (idx >= 0 && o == ll_call_arg(call, idx))) {
      t->released = 1;
      return;
    }
  }
  if ((a = ll_call_api(call, LL_ROLE_TIMER_REARM)) || (a = ll_call_api(call, LL_ROLE_TIMER_CREATE))) {
    /* re-armed (or initialised again): still the same timer; look at the
       callbacks registered with it */
    for (size_t i = 0; i < call->nargs; i++)
      if (callback_may_stop(t, call->args[i])) t->kept = 1;
    return;
  }
  if (idx == LL_ARG_OBJECT) {
    /* a method of the timer object itself */
    return;
  }
  for (size_t i = 0; i < call->napis; i++) {
    ll_role r = call->apis[i]->role;
    if (r == LL_ROLE_SEND || r == LL_ROLE_SELECT_SEND || r == LL_ROLE_SPAWN || r == LL_ROLE_SIGNAL) {
      t->kept = 1; /* handed to another task */
      return;
    }
  }
  if (idx == 0 && !call->obj && ll_timer_library_use(t, call)) {
    for (size_t i = 1; i < call->nargs; i++)
      if (callback_may_stop(t, call->args[i])) t->kept = 1;
    return;
  }
  t->kept = 1; /* code that might store it */
}

static int use_visit(ll_node *n, void *p) {
  ll_timer_track *t = p;
  switch (n->kind) {
  case LL_N_CALL:
    if (n->obj && ll_timer_refers(t, n->obj)) use_in_call(t, n, LL_ARG_OBJECT);
    for (size_t i = 0; i < n->nargs; i++) {
      if (ll_timer_refers(t, n->args[i])) use_in_call(t, n, (int)i);
      if (lambda_captures(t, n->args[i])) t->kept = 1;
    }
    break;
  case LL_N_ASSIGN:
    if (lambda_captures(t, n->rhs)) t->kept = 1;
    if (!n->rhs || !ll_timer_refers(t, n->rhs) || !n->lhs) break;
    if (n->op && strcmp(n->op, "=") != 0) break;
    if (n->rhs->kind == LL_V_ADDR) {
      /* a pointer to the handle (g_clear_handle_id(&id, ...) keeps one):
         what is written through it is not followed */
      t->kept = 1;
      break;
    }
    if (n->lhs->kind == LL_V_VAR && n->lhs->var >= 0) {
      if (track_has(t, n->lhs->var)) break;
      if (ll_timer_declared_in(t->loop, n->lhs->var)) ll_timer_track_add(t, n->lhs->var);
      else if (t->outer_store < 0 || t->outer_store == n->lhs->var) t->outer_store = n->lhs->var;
      else t->kept = 1;
    } else {
      t->kept = 1; /* a field, an element, a global, through a pointer */
    }
    break;
  case LL_N_RETURN:
  case LL_N_THROW:
    if (n->value && (ll_timer_refers(t, n->value) || lambda_captures(t, n->value))) t->kept = 1;
    break;
  default:
    break;
  }
  return 0;
}

void ll_timer_follow(ll_timer_track *t) {
  size_t before;
  do {
    before = t->nvars;
    t->released = t->kept = 0;
    t->outer_store = -1;
    ll_timer_visit_loop(t->loop, use_visit, t);
  } while (t->nvars != before);
  if (t->overflow) t->kept = 1;
}

typedef struct freshctx {
  int var;
  int assigned, other;
} freshctx;

static int fresh_visit(ll_node *n, void *p) {
  freshctx *f = p;
  if (n->kind == LL_N_ASSIGN && n->lhs && n->lhs->kind == LL_V_VAR && n->lhs->var == f->var) {
    f->assigned = 1;
    const ll_value *r = n->rhs;
    if (!r || !(r->kind == LL_V_NEW || r->kind == LL_V_CALL)) f->other = 1;
  }
  return 0;
}


/* uv_timer_init(loop, t): the timer is the storage t points to; only
 * storage allocated in each run (malloc, new, g_new) is new each time. */
int ll_timer_fresh_storage(const ll_node *scope, int var) {
  freshctx f = {var, 0, 0};
  ll_timer_visit_loop(scope, fresh_visit, &f);
  return f.assigned && !f.other;
}

/* ------------------------------------------------------ the forms' entry points */

void ll_timer_track_init(ll_timer_track *t, const ll_program *prog, const ll_node *scope, const ll_node *create,
                         const ll_api *api) {
  memset(t, 0, sizeof *t);
  t->prog = prog;
  t->loop = scope;
  t->create = create;
  t->api = api;
  t->outer_store = -1;
}

int ll_timer_args_may_stop(const ll_timer_track *t, const ll_node *call, int skip, int captures) {
  for (size_t i = 0; i < call->nargs; i++) {
    if ((int)i == skip) continue;
    if (callback_may_stop(t, call->args[i]) || (captures && lambda_captures(t, call->args[i]))) return 1;
  }
  return 0;
}

int ll_timer_result_lost(ll_timer_track *t) {
  const ll_node *call = t->create;
  if (!call->result_used) return !ll_timer_args_may_stop(t, call, LL_ARG_NONE, 1);
  const ll_node *outer = call->outer_call;
  if (!outer || outer->result_to || outer->result_used) return 0; /* used in a way we do not model */
  int idx = -2;
  if (outer->obj && refers_call(outer->obj, call)) idx = LL_ARG_OBJECT;
  for (size_t i = 0; i < outer->nargs && idx == -2; i++)
    if (refers_call(outer->args[i], call)) idx = (int)i;
  if (idx == -2) return 0;
  use_in_call(t, outer, idx);
  if (ll_timer_args_may_stop(t, call, LL_ARG_NONE, 0)) t->kept = 1;
  return !t->released && !t->kept;
}
