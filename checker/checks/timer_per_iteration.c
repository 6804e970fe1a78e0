/* timer_per_iteration.c - timer-per-iteration, in three forms.
 *
 * A call whose rule-pack role is timer_create, inside a loop, creates a timer
 * in every iteration. It is a finding when that timer is lost by the end of
 * the iteration: its handle is discarded, or kept only in a variable local to
 * the iteration and neither released nor stored, or written over a variable
 * declared outside the loop that nothing releases before the next iteration
 * (so every timer but the last leaks).
 *
 * The handle (the call's result, or the pack's timer_arg) is followed through
 * the loop together with its aliases (locals assigned from it). What keeps it
 * alive or frees it ends the search without a finding:
 *   - a timer_release API on it (close, timer_delete, uv_close, ...);
 *   - a store that outlives the iteration: a field, an array element, a
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
 * keep it. RAII timers (asio) and one-shot timers that free themselves are
 * skipped. Guarded creations of an outer handle (`if (fd < 0) fd = ...`),
 * retry loops (`do fd = ...; while (fd < 0)`) and loops that run once are not
 * reported. No fix is offered: moving a creation out of a loop is not a
 * mechanical edit.
 *
 * The per-call form (below, "timers per call"): a creation outside any
 * loop, in a function that runs repeatedly (repeats.h), whose handle is lost
 * when the function returns, kept in a field or global that a function
 * holding the timer later clears without a release, or kept in a global or
 * member that nothing in the program releases.
 *
 * The task form: a task spawned in a loop, whose body only sleeps and then
 * signals (a timer made of a thread per iteration), and that nobody joins,
 * cancels or awaits after the loop. Spawns with a channel leak record
 * (chanleak.h) are left to the channel rules; the spawns this form reports
 * are the pass's result, which wait-without-cancel requires. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chan_report.h"
#include "checks.h"
#include "multiplicity.h"
#include "repeats.h"

#define MAX_ALIASES 32

typedef enum { FATE_LOST, FATE_RELEASED, FATE_KEPT } fate;

/* What the loop does with one timer handle. */
typedef struct track {
  const ll_program *prog;
  const ll_node *loop;
  const ll_node *create;   /* the creating call */
  const ll_api *api;
  int vars[MAX_ALIASES];   /* the handle variable and its local aliases */
  size_t nvars;
  const char *htype;       /* canonical type of the handle variable, or NULL */
  int overflow;            /* more aliases than we follow */
  int released;            /* a release API got one of them */
  int kept;                /* stored somewhere that outlives the iteration / escaped */
  int outer_store;         /* var id of an outer variable a local alias was copied to, or -1 */
} track;

/* ------------------------------------------------------------ helpers */

static const ll_func *top_func(const ll_func *fn) {
  while (fn && fn->parent && (fn->is_lambda || fn->is_block)) fn = fn->parent;
  return fn;
}

static int spelled(const ll_api *a, const char *macro) {
  for (const char *const *p = a->spellings; macro && p && *p; p++)
    if (strcmp(*p, macro) == 0) return 1;
  return 0;
}

/* The API as the user wrote it: its macro spelling (evtimer_new) or name. */
static const char *api_display(const ll_api *a, const ll_node *call) {
  if (a && spelled(a, call->macro)) return call->macro;
  if (a && a->name) return a->name;
  return call->callee ? call->callee : "the call";
}

/* The value with address-of wrappers removed (but not dereferences: `*out`
 * names storage somewhere else). */
static const ll_value *strip_addr(const ll_value *v) {
  while (v && v->kind == LL_V_ADDR && v->base) v = v->base;
  return v;
}

static int track_has(const track *t, int var) {
  for (size_t i = 0; i < t->nvars; i++)
    if (t->vars[i] == var) return 1;
  return 0;
}

/* True when v (with &, * and casts already gone) denotes one of the tracked
 * variables. */
static int refers(const track *t, const ll_value *v) {
  v = ll_value_strip(v);
  return v && v->kind == LL_V_VAR && v->var >= 0 && track_has(t, v->var);
}

static int refers_call(const ll_value *v, const ll_node *call) {
  v = ll_value_strip(v);
  return v && v->kind == LL_V_CALL && v->call == call;
}

/* Is variable `var` declared inside `loop` (its body, condition or step)? */
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

static int declared_in(const ll_node *loop, int var) {
  declctx d = {var, 0};
  for (size_t i = 0; i < loop->nkids && !d.found; i++) ll_visit(loop->kids[i], find_decl, &d);
  if (!d.found && loop->cond) ll_visit(loop->cond, find_decl, &d);
  if (!d.found && loop->inc) ll_visit(loop->inc, find_decl, &d);
  return d.found;
}

/* Visits the parts of a loop that run every iteration (not its init). */
static int visit_loop(const ll_node *loop, ll_visit_fn fn, void *ctx) {
  int r = 0;
  if (loop->cond && (r = ll_visit(loop->cond, fn, ctx))) return r;
  for (size_t i = 0; i < loop->nkids; i++)
    if ((r = ll_visit(loop->kids[i], fn, ctx))) return r;
  if (loop->inc && (r = ll_visit(loop->inc, fn, ctx))) return r;
  return 0;
}

/* The value a pack entry operates on in a call (object_arg). */
static const ll_value *api_object(const ll_node *call, const ll_api *a) {
  int idx = a->object_arg;
  if (idx == LL_ARG_NONE) idx = call->obj ? LL_ARG_OBJECT : 0;
  return ll_call_arg(call, idx);
}

/* Is the callee a function whose body we could read, or a variable (a call
 * through a function pointer)? Both are code we do not model. */
static int callee_is_project(const track *t, const ll_node *call) {
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
static int same_library(const track *t, const char *name) {
  if (!t->create->callee_usr || !name) return 0; /* system library: its calls have no USR */
  size_t p = name_prefix(t->api->name);
  return p && strncmp(name, t->api->name, p) == 0 && name_prefix(name) >= p;
}

/* A library call that takes the timer as its first argument and only
 * configures or uses it: declared in a system header (no USR), or of the
 * creating API's library, and not defined in the program. */
static int library_use(const track *t, const ll_node *call) {
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
    const ll_value *ro = rel ? ll_value_strip(api_object(n, rel)) : NULL;
    if (rel && ro && ro->kind == LL_V_CALL && c->pack && rel->pack && strcmp(rel->pack, c->pack) == 0)
      c->stops = 1;
    if (rel && c->fn->nparams) {
      const ll_value *o = ll_value_strip(api_object(n, rel));
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
static int callback_may_stop(const track *t, const ll_value *v) {
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

static int lambda_captures(const track *t, const ll_value *v) {
  if (!v || v->kind != LL_V_LAMBDA || !v->fn) return 0;
  for (size_t i = 0; i < v->fn->ncaptures; i++)
    if (track_has(t, v->fn->captures[i])) return 1;
  return 0;
}

/* ------------------------------------------------------ the handle's uses */

static void add_alias(track *t, int var) {
  if (var < 0 || track_has(t, var)) return;
  if (t->nvars < MAX_ALIASES) t->vars[t->nvars++] = var;
  else t->overflow = 1; /* too many to follow: say nothing */
}

/* A call that receives the handle (as argument `idx`, or its object when
 * idx == LL_ARG_OBJECT). */
static void use_in_call(track *t, const ll_node *call, int idx) {
  if (call == t->create) return;
  const ll_api *a;
  if ((a = ll_call_api(call, LL_ROLE_TIMER_RELEASE))) {
    const ll_value *o = api_object(call, a);
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
  if (idx == 0 && !call->obj && library_use(t, call)) {
    for (size_t i = 1; i < call->nargs; i++)
      if (callback_may_stop(t, call->args[i])) t->kept = 1;
    return;
  }
  t->kept = 1; /* code that might store it */
}

static int use_visit(ll_node *n, void *p) {
  track *t = p;
  switch (n->kind) {
  case LL_N_CALL:
    if (n->obj && refers(t, n->obj)) use_in_call(t, n, LL_ARG_OBJECT);
    for (size_t i = 0; i < n->nargs; i++) {
      if (refers(t, n->args[i])) use_in_call(t, n, (int)i);
      if (lambda_captures(t, n->args[i])) t->kept = 1;
    }
    break;
  case LL_N_ASSIGN:
    if (lambda_captures(t, n->rhs)) t->kept = 1;
    if (!n->rhs || !refers(t, n->rhs) || !n->lhs) break;
    if (n->op && strcmp(n->op, "=") != 0) break;
    if (n->rhs->kind == LL_V_ADDR) {
      /* a pointer to the handle (g_clear_handle_id(&id, ...) keeps one):
         what is written through it is not followed */
      t->kept = 1;
      break;
    }
    if (n->lhs->kind == LL_V_VAR && n->lhs->var >= 0) {
      if (track_has(t, n->lhs->var)) break;
      if (declared_in(t->loop, n->lhs->var)) add_alias(t, n->lhs->var);
      else if (t->outer_store < 0 || t->outer_store == n->lhs->var) t->outer_store = n->lhs->var;
      else t->kept = 1;
    } else {
      t->kept = 1; /* a field, an element, a global, through a pointer */
    }
    break;
  case LL_N_RETURN:
  case LL_N_THROW:
    if (n->value && (refers(t, n->value) || lambda_captures(t, n->value))) t->kept = 1;
    break;
  default:
    break;
  }
  return 0;
}

/* Follows the tracked variables through the loop until no new alias shows up. */
static void follow(track *t) {
  size_t before;
  do {
    before = t->nvars;
    t->released = t->kept = 0;
    t->outer_store = -1;
    visit_loop(t->loop, use_visit, t);
  } while (t->nvars != before);
  if (t->overflow) t->kept = 1;
}

/* ------------------------------------------------------ loop shapes */

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

/* A pointer variable that the loop points at newly allocated storage
 * (malloc, new, g_new) in every iteration, and at nothing else. */
static int fresh_storage(const ll_node *loop, int var) {
  freshctx f = {var, 0, 0};
  visit_loop(loop, fresh_visit, &f);
  return f.assigned && !f.other;
}

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
  visit_loop(loop, exit_on_var, &e);
  return e.hit;
}

/* The loop body leaves the loop unconditionally after the creation: it does
 * not create a timer per iteration. */
static int runs_once(const ll_node *loop, const ll_node *create) {
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
  const ll_value *o = ll_value_strip(api_object(n, rel));
  if (o && o->kind == LL_V_VAR && o->var == a->var) {
    a->found = n;
    return 1;
  }
  return 0;
}

/* ------------------------------------------------------ reporting */

typedef enum { LOST_DISCARDED, LOST_LOCAL, LOST_OVERWRITTEN } lost_kind;

static ll_span span_of(const ll_loc *l) {
  return ll_span_make(l->file, l->line, l->col, l->end_line, l->end_col);
}

static char *expand_hint(const char *hint, const char *api) {
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

static void report(const ll_program *prog, const ll_node *call, const ll_api *api,
                   const ll_node *loop, lost_kind kind, int var, ll_pass_ctx *ctx) {
  const ll_tu *tu = call->func ? call->func->tu : NULL;
  const char *name = api_display(api, call);
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
  ll_span loc = span_of(&call->loc);
  ll_finding f = ll_pass_finding(ctx, msg, loc);
  free(msg);
  f.confidence = kind == LOST_OVERWRITTEN ? LL_CONF_MEDIUM : LL_CONF_HIGH;
  ll_finding_add_related(&f, span_of(&loop->loc), "in this loop");
  if (kind == LOST_OVERWRITTEN && tu && var >= 0 && (size_t)var < tu->nvars) {
    const ll_var *v = &tu->vars[var];
    char *rm = ll_xasprintf("'%s' is declared outside the loop, so the next iteration overwrites "
                            "the handle", v->name ? v->name : "?");
    ll_finding_add_related(&f, span_of(&v->loc), rm);
    free(rm);
    afterctx a = {loop, var, NULL};
    if (call->func && call->func->body) ll_visit(call->func->body, release_after, &a);
    if (a.found) ll_finding_add_related(&f, span_of(&a.found->loc), "only the last timer is released here");
  }
  f.hint = expand_hint(api->hint, name);
  const ll_func *top = top_func(call->func);
  f.function = top && top->name ? ll_xstrdup(top->name) : NULL;
  (void)prog;
  ll_pass_report(ctx, f);
}

/* ------------------------------------------------------ timers per call
 *
 * A timer created outside any loop, in a function that runs repeatedly
 * (repeats.h), leaks on every call when its handle is lost by the time the
 * function returns, when the field or global holding it is cleared later
 * without a release (a fired GSource whose pointer is set to NULL), or when
 * that slot is never released anywhere and every call overwrites it. */

typedef struct scanctx {
  const ll_program *prog;
  ll_pass_ctx *ctx;
  const ll_rules *rules;
  ll_repeats *reps;
  struct clears *cleared; /* clear sites reported (a field several creators share) */
} scanctx;

typedef struct clears {
  const ll_node **v;
  size_t n, cap;
} clears;

/* True the first time a clear site is seen. */
static int first_clear(const scanctx *s, const ll_node *n) {
  clears *c = s->cleared;
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i] == n) return 0;
  if (c->n == c->cap) {
    c->cap = c->cap ? 2 * c->cap : 8;
    c->v = ll_xrealloc(c->v, c->cap * sizeof *c->v);
  }
  c->v[c->n++] = n;
  return 1;
}

/* The timer_create entry of a call. A library's timer macro over a general
 * call (a timer event made by event_new) matches through the entry's
 * spellings, since macro arguments have no source text to test. */
static const ll_api *timer_api(const scanctx *s, const ll_node *call) {
  const ll_api *a = ll_call_api(call, LL_ROLE_TIMER_CREATE);
  if (a && a->requires_arg_text) {
    /* facts matched it already; keep the rule honest on its own */
    const ll_value *v = ll_call_arg(call, a->requires_arg);
    if (!v || !v->text || !strstr(v->text, a->requires_arg_text)) return NULL;
  }
  if (a || !call->macro || !call->callee) return a;
  const ll_api *c[8];
  size_t n = ll_rules_lookup(s->rules, call->callee, c, 8);
  for (size_t i = 0; i < n && i < 8; i++)
    if (c[i]->role == LL_ROLE_TIMER_CREATE && spelled(c[i], call->macro)) return c[i];
  return NULL;
}

/* The field or global `usr` (through & and *). */
static int is_slot(const ll_value *v, const char *usr) {
  v = ll_value_strip(v);
  return v && (v->kind == LL_V_FIELD || v->kind == LL_V_GLOBAL) && v->usr && strcmp(v->usr, usr) == 0;
}

static const char *slot_name(const ll_value *v) { return v && v->name ? v->name : "?"; }

/* What one function does with the timer held in a slot. */
typedef struct slotuse {
  const scanctx *s;
  const track *t;          /* for library_use (the creating API) */
  const char *usr;
  const ll_node *before;   /* only uses before this node count for the slot itself (NULL: all) */
  int aliases[MAX_ALIASES];
  size_t naliases;
  int released, escaped, read; /* read: tested, or given to a call */
  const ll_node *foreign;  /* a release of another kind of object on it */
} slotuse;

static int slot_alias(const slotuse *u, const ll_value *v) {
  v = ll_value_strip(v);
  if (!v || v->kind != LL_V_VAR) return 0;
  for (size_t i = 0; i < u->naliases; i++)
    if (u->aliases[i] == v->var) return 1;
  return 0;
}

static int counts(const slotuse *u, const ll_node *n, const ll_value *v) {
  if (slot_alias(u, v)) return 1;
  if (!is_slot(v, u->usr)) return 0;
  return !u->before || n->loc.offset < u->before->loc.offset;
}

static void slot_call(slotuse *u, const ll_node *n, int idx) {
  u->read = 1; /* the function knows the slot holds a timer */
  const ll_api *a = ll_call_api(n, LL_ROLE_TIMER_RELEASE);
  if (a && api_object(n, a) == ll_call_arg(n, idx)) {
    u->released = 1;
    return;
  }
  if (ll_rules_fact(u->s->rules, LL_FACT_FOREIGN_RELEASE, n->callee)) {
    if (!u->foreign) u->foreign = n;
    return;
  }
  if (ll_call_has_role(n, LL_ROLE_TIMER_REARM) || idx == LL_ARG_OBJECT) return;
  if (idx == 0 && !n->obj && library_use(u->t, n)) return;
  u->escaped = 1; /* code that might release or keep it */
}

static int slot_visit(ll_node *n, void *p) {
  slotuse *u = p;
  if (n->kind == LL_N_CALL) {
    if (n->obj && counts(u, n, n->obj)) slot_call(u, n, LL_ARG_OBJECT);
    for (size_t i = 0; i < n->nargs; i++) {
      const ll_value *a = n->args[i];
      if (!counts(u, n, a)) continue;
      if (a->kind == LL_V_ADDR) u->escaped = 1; /* a pointer to the slot */
      else slot_call(u, n, (int)i);
    }
  } else if (n->kind == LL_N_ASSIGN && n->rhs && counts(u, n, n->rhs)) {
    const ll_value *l = n->lhs;
    if (n->rhs->kind == LL_V_ADDR || !l || l->kind != LL_V_VAR || l->var < 0) u->escaped = 1;
    else if (slot_alias(u, l)) return 0;
    else if (u->naliases < MAX_ALIASES) u->aliases[u->naliases++] = l->var; /* a local copy */
    else u->escaped = 1;
  } else if ((n->kind == LL_N_RETURN || n->kind == LL_N_THROW) && n->value && counts(u, n, n->value)) {
    u->escaped = 1;
  }
  if (n->cond_refs)
    for (size_t i = 0; i < n->ncond_refs; i++)
      if (counts(u, n, n->cond_refs[i])) u->read = 1;
  return 0;
}

static void slot_scan(slotuse *u, const ll_func *fn) {
  size_t before;
  do { /* until no new alias shows up */
    before = u->naliases;
    u->released = u->escaped = u->read = 0;
    u->foreign = NULL;
    ll_visit(fn->body, slot_visit, u);
  } while (u->naliases != before);
}

/* The creating function uses the slot before it stores the new timer: it
 * tests it (`if (p->src) return;`) or releases the previous one. It is
 * written to run again while a timer is held. */
static int prior_use(const scanctx *s, const track *t, const char *usr) {
  slotuse u;
  memset(&u, 0, sizeof u);
  u.s = s;
  u.t = t;
  u.usr = usr;
  u.before = t->create;
  slot_scan(&u, t->create->func);
  return u.read || u.released || u.escaped;
}

/* Functions given as callbacks to calls on the slot (g_source_set_callback)
 * or to the creating call: they run when the timer fires. */
typedef struct cbset {
  const scanctx *s;
  const char *usr;
  const ll_node *create;
  const char *usrs[16];
  size_t n;
} cbset;

static int cbset_visit(ll_node *n, void *p) {
  cbset *c = p;
  if (n->kind != LL_N_CALL) return 0;
  int on_slot = n == c->create || (n->nargs && is_slot(n->args[0], c->usr)) || (n->obj && is_slot(n->obj, c->usr));
  for (size_t i = 0; on_slot && i < n->nargs; i++) {
    const ll_value *v = ll_value_strip(n->args[i]);
    if (v && v->kind == LL_V_FUNC && v->usr && c->n < 16) c->usrs[c->n++] = v->usr;
  }
  return 0;
}

static int is_timer_callback(const cbset *c, const ll_func *fn) {
  for (size_t i = 0; fn->usr && i < c->n; i++)
    if (strcmp(c->usrs[i], fn->usr) == 0) return 1;
  return 0;
}

/* Visits every canonical function of the program. */
static void each_func(const ll_program *prog, void (*fn)(const ll_func *, void *), void *ctx) {
  for (size_t i = 0; i < ll_program_tu_count(prog); i++) {
    const ll_tu *tu = ll_program_tu(prog, i);
    for (size_t j = 0; j < tu->nfuncs; j++)
      if (tu->funcs[j]->body && ll_program_is_canonical(prog, tu->funcs[j])) fn(tu->funcs[j], ctx);
  }
}

static void cbset_fn(const ll_func *fn, void *p) { ll_visit(fn->body, cbset_visit, p); }

/* Where a function's repetition comes from, as a related location. */
static void add_why(ll_finding *f, const ll_func *fn, const ll_repeat *why) {
  const char *name = fn->name ? fn->name : "?";
  const char *by = why->by && why->by->name ? why->by->name : "?";
  char *m;
  if (why->kind == LL_REP_CALLBACK)
    m = ll_xasprintf("'%s' runs repeatedly: %s registers it here as a callback", name,
                     why->api && why->api->name ? why->api->name : "this call");
  else if (why->kind == LL_REP_LOOP)
    m = ll_xasprintf("'%s' runs repeatedly: '%s' calls it here inside a loop", name, by);
  else
    m = ll_xasprintf("'%s' runs repeatedly: '%s', which runs repeatedly, calls it here", name, by);
  ll_finding_add_related(f, span_of(&why->site->loc), m);
  free(m);
}

static void report_call(const scanctx *s, const track *t, const ll_node *at, char *msg, const ll_repeat *why,
                        const char *self_note) {
  const ll_func *fn = top_func(t->create->func);
  ll_finding f = ll_pass_finding(s->ctx, msg, span_of(&at->loc));
  free(msg);
  f.confidence = LL_CONF_MEDIUM;
  if (at != t->create) ll_finding_add_related(&f, span_of(&t->create->loc), "the timer is created here");
  if (why) add_why(&f, t->create->func, why);
  else if (self_note) ll_finding_add_related(&f, span_of(&t->create->loc), self_note);
  const char *name = api_display(t->api, t->create);
  f.hint = expand_hint(t->api->call_hint ? t->api->call_hint : t->api->hint, name);
  f.function = fn && fn->name ? ll_xstrdup(fn->name) : NULL;
  ll_pass_report(s->ctx, f);
}

static const char *func_name(const ll_node *call) {
  const ll_func *fn = call->func;
  return fn && fn->name ? fn->name : "?";
}

/* A slot cleared (= NULL, = -1) by a function that knows it holds the timer
 * (it read the slot first, or it is the timer's own callback), with no
 * release of the old value before: every call of the creator leaks one. */
typedef struct clearctx {
  const scanctx *s;
  const track *t;
  const ll_value *slot;
  const cbset *cbs;
  const ll_repeat *why;
  const char *self_note;
  int reported;
} clearctx;

static int is_clear(const ll_node *n, const char *usr) {
  if (n->kind != LL_N_ASSIGN || n->is_decl || !n->lhs || !n->rhs || (n->op && strcmp(n->op, "=") != 0)) return 0;
  if (n->lhs->kind != LL_V_FIELD && n->lhs->kind != LL_V_GLOBAL) return 0;
  if (!n->lhs->usr || strcmp(n->lhs->usr, usr) != 0) return 0;
  return n->rhs->kind == LL_V_NULL || (n->rhs->kind == LL_V_INT && n->rhs->known);
}

typedef struct clearfind {
  const char *usr;
  const ll_node *found[8];
  size_t n;
} clearfind;

static int clearfind_visit(ll_node *n, void *p) {
  clearfind *c = p;
  if (is_clear(n, c->usr) && c->n < 8) c->found[c->n++] = n;
  return 0;
}

static void check_clears_fn(const ll_func *fn, void *p) {
  clearctx *c = p;
  clearfind cf = {c->slot->usr, {0}, 0};
  ll_visit(fn->body, clearfind_visit, &cf);
  for (size_t i = 0; i < cf.n; i++) {
    slotuse u;
    memset(&u, 0, sizeof u);
    u.s = c->s;
    u.t = c->t;
    u.usr = c->slot->usr;
    u.before = cf.found[i];
    slot_scan(&u, fn);
    if (!u.read && !is_timer_callback(c->cbs, fn)) continue; /* not known to hold the timer here */
    if (u.released || u.escaped || !first_clear(c->s, cf.found[i])) continue;
    const char *api = api_display(c->t->api, c->t->create);
    char *msg = ll_xasprintf("'%s' is cleared here without releasing the timer %s created in '%s', so it leaks "
                             "on every call of '%s'",
                             slot_name(c->slot), api, func_name(c->t->create), func_name(c->t->create));
    if (u.foreign) {
      char *m = ll_xasprintf("%s; %s does not release it", msg, u.foreign->callee);
      free(msg);
      msg = m;
    }
    report_call(c->s, c->t, cf.found[i], msg, c->why, c->self_note);
    c->reported = 1;
  }
}

/* The slot is released, or handed to code we cannot see, anywhere in the
 * program. */
static void anyuse_fn(const ll_func *fn, void *p) {
  slotuse *u = p;
  slotuse one = *u;
  one.naliases = 0;
  slot_scan(&one, fn);
  u->released |= one.released;
  u->escaped |= one.escaped;
}

static int this_field(const ll_value *v) {
  if (v->kind != LL_V_FIELD) return 0;
  const ll_value *b = v->base;
  return !b || b->kind == LL_V_THIS;
}

static void check_stored(const scanctx *s, const track *t, const ll_value *slot, const ll_repeat *why) {
  if (!slot->usr) return;
  int self = prior_use(s, t, slot->usr);
  if (!why && !self) return;
  char *note = self ? ll_xasprintf("'%s' tests or releases the previous timer in '%s' before creating this one: "
                                   "it is written to run again",
                                   func_name(t->create), slot_name(slot))
                    : NULL;
  cbset cbs;
  memset(&cbs, 0, sizeof cbs);
  cbs.s = s;
  cbs.usr = slot->usr;
  cbs.create = t->create;
  each_func(s->prog, cbset_fn, &cbs);
  clearctx c = {s, t, slot, &cbs, why, note, 0};
  each_func(s->prog, check_clears_fn, &c);
  if (c.reported || self || !why) {
    free(note);
    return;
  }
  free(note);
  /* never released anywhere: a member of the running object, or a global */
  const ll_func *fn = t->create->func;
  if (!(slot->kind == LL_V_GLOBAL || (this_field(slot) && fn->cls))) return;
  slotuse u;
  memset(&u, 0, sizeof u);
  u.s = s;
  u.t = t;
  u.usr = slot->usr;
  each_func(s->prog, anyuse_fn, &u);
  if (u.released || u.escaped) return;
  const char *api = api_display(t->api, t->create);
  char *msg = ll_xasprintf("the timer %s creates on every call of '%s' is stored in '%s', which nothing in the "
                           "program releases, so each call leaks one (%s)",
                           api, func_name(t->create), slot_name(slot),
                           slot->kind == LL_V_GLOBAL ? "the next call overwrites it"
                                                     : "the next call overwrites it, or it is lost with its object");
  report_call(s, t, t->create, msg, why, NULL);
}

/* A release of another kind of object given the timer (g_object_unref on a
 * GSource), for the message. */
typedef struct foreignctx {
  const scanctx *s;
  const track *t;
  const ll_node *found;
} foreignctx;

static int foreign_visit(ll_node *n, void *p) {
  foreignctx *f = p;
  if (n->kind != LL_N_CALL || !n->nargs || !refers(f->t, n->args[0])) return 0;
  if (!ll_rules_fact(f->s->rules, LL_FACT_FOREIGN_RELEASE, n->callee)) return 0;
  f->found = n;
  return 1;
}

/* The statement `x = new T(...)` whose new-expression is this constructor
 * call (the IR places the call before the assignment). */
static const ll_node *heap_assign(const ll_node *call) {
  const ll_node *b = call->parent;
  if (!b || !call->is_construct) return NULL;
  for (size_t i = 0; i + 1 < b->nkids; i++) {
    if (b->kids[i] != call) continue;
    for (size_t j = i + 1; j < b->nkids; j++) {
      const ll_node *n = b->kids[j];
      if (!n || n->kind == LL_N_CALL) continue; /* the argument calls */
      const ll_value *r = n->kind == LL_N_ASSIGN ? n->rhs : NULL;
      if (r && r->kind == LL_V_NEW && r->loc.offset <= call->loc.offset && call->loc.end_offset <= r->loc.end_offset)
        return n;
      return NULL;
    }
  }
  return NULL;
}

/* The function's text has a delete-expression: the IR does not show what it
 * deletes, so a heap object might be freed there. */
static int mentions_delete(const ll_func *fn) {
  size_t len = 0;
  const char *t = fn->tu ? ll_tu_text(fn->tu, &fn->body->loc, &len) : NULL;
  if (!t) return 1;
  for (size_t i = 0; i + 6 <= len; i++)
    if (memcmp(t + i, "delete", 6) == 0 && (i == 0 || !(isalnum((unsigned char)t[i - 1]) || t[i - 1] == '_')) &&
        (i + 6 == len || !(isalnum((unsigned char)t[i + 6]) || t[i + 6] == '_')))
      return 1;
  return 0;
}

/* A timer that its destructor releases (RAII), allocated with new per call
 * and kept only in a local that nothing deletes, stores or captures. */
static void check_heap_raii(const scanctx *s, const ll_node *call, const ll_api *api) {
  const ll_node *a = heap_assign(call);
  const ll_func *fn = call->func;
  if (!a || !fn || !fn->body || ll_enclosing_loop(call)) return;
  const ll_repeat *why = ll_repeats_of(s->reps, fn);
  const ll_value *h = a->lhs;
  if (!why || !h || h->kind != LL_V_VAR || h->var < 0 || mentions_delete(fn)) return;
  if (!fn->tu || (size_t)h->var >= fn->tu->nvars || fn->tu->vars[h->var].is_static) return;
  /* a raw pointer: `std::shared_ptr<T> p(new T(...))` owns what it holds */
  const char *ty = fn->tu->vars[h->var].type;
  size_t tl = ty ? strlen(ty) : 0;
  if (!tl || ty[tl - 1] != '*') return;
  track t;
  memset(&t, 0, sizeof t);
  t.prog = s->prog;
  t.loop = fn->body;
  t.create = call;
  t.api = api;
  t.outer_store = -1;
  add_alias(&t, h->var);
  follow(&t);
  if (t.released || t.kept || t.outer_store >= 0) return;
  report_call(s, &t, call,
              ll_xasprintf("the timer new %s allocates is neither deleted nor stored, so it leaks on every call "
                           "of '%s'",
                           api_display(api, call), func_name(call)),
              why, NULL);
}

static void check_per_call(const scanctx *s, const ll_node *call, const ll_api *api) {
  const ll_func *fn = call->func;
  if (!fn || !fn->body) return;
  const ll_repeat *why = ll_repeats_of(s->reps, fn);
  track t;
  memset(&t, 0, sizeof t);
  t.prog = s->prog;
  t.loop = fn->body;
  t.create = call;
  t.api = api;
  t.outer_store = -1;
  const char *name = api_display(api, call);
  const ll_value *h = api->timer_arg == LL_ARG_RESULT ? call->result_to : ll_call_arg(call, api->timer_arg);
  if (api->timer_arg == LL_ARG_RESULT && !h) {
    if (!why) return;
    if (!call->result_used) {
      for (size_t i = 0; i < call->nargs; i++)
        if (callback_may_stop(&t, call->args[i]) || lambda_captures(&t, call->args[i])) return;
    } else {
      const ll_node *outer = call->outer_call;
      if (!outer || outer->result_to || outer->result_used) return;
      int idx = -2;
      if (outer->obj && refers_call(outer->obj, call)) idx = LL_ARG_OBJECT;
      for (size_t i = 0; i < outer->nargs && idx == -2; i++)
        if (refers_call(outer->args[i], call)) idx = (int)i;
      if (idx == -2) return;
      use_in_call(&t, outer, idx);
      for (size_t i = 0; i < call->nargs; i++)
        if (callback_may_stop(&t, call->args[i])) t.kept = 1;
      if (t.released || t.kept) return;
    }
    report_call(s, &t, call,
                ll_xasprintf("the timer %s creates is discarded, so it leaks on every call of '%s'", name,
                             func_name(call)),
                why, NULL);
    return;
  }
  int by_pointer = h && h->kind == LL_V_VAR && api->timer_arg != LL_ARG_RESULT;
  h = strip_addr(h);
  if (!h) return;
  if ((h->kind == LL_V_FIELD || h->kind == LL_V_GLOBAL) && !by_pointer && api->timer_arg == LL_ARG_RESULT) {
    /* a timer that can end itself (a g_timeout_add callback returning
       FALSE) is freed then: clearing its id afterwards is the idiom */
    for (size_t i = 0; i < call->nargs; i++)
      if (callback_may_stop(&t, call->args[i]) || lambda_captures(&t, call->args[i])) return;
    check_stored(s, &t, h, why);
    return;
  }
  if (h->kind != LL_V_VAR || h->var < 0 || !why) return;
  const ll_tu *tu = fn->tu;
  if (!tu || (size_t)h->var >= tu->nvars || tu->vars[h->var].is_static) return;
  if (by_pointer && !fresh_storage(fn->body, h->var)) return;
  t.htype = tu->vars[h->var].type;
  for (size_t i = 0; i < call->nargs; i++)
    if ((int)i != api->timer_arg && callback_may_stop(&t, call->args[i])) return;
  add_alias(&t, h->var);
  follow(&t);
  if (t.released || t.kept || t.outer_store >= 0) return;
  foreignctx fc = {s, &t, NULL};
  ll_visit(fn->body, foreign_visit, &fc);
  char *msg = ll_xasprintf("the timer %s creates is neither released nor stored, so it leaks on every call of '%s'%s%s%s",
                           name, func_name(call), fc.found ? "; " : "", fc.found ? fc.found->callee : "",
                           fc.found ? " does not release it" : "");
  report_call(s, &t, call, msg, why, NULL);
}

/* ------------------------------------------------------ the check */

static void check_create(const scanctx *s, const ll_node *call, const ll_api *api) {
  const ll_program *prog = s->prog;
  ll_pass_ctx *ctx = s->ctx;
  if (api->flags & LL_API_ONESHOT) return;
  if (api->flags & LL_API_RAII) {
    check_heap_raii(s, call, api);
    return;
  }
  const ll_node *loop = ll_enclosing_loop(call);
  if (!loop || runs_once(loop, call)) {
    check_per_call(s, call, api);
    return;
  }

  track t;
  memset(&t, 0, sizeof t);
  t.prog = prog;
  t.loop = loop;
  t.create = call;
  t.api = api;
  t.outer_store = -1;

  const ll_value *h = api->timer_arg == LL_ARG_RESULT ? call->result_to : ll_call_arg(call, api->timer_arg);
  if (api->timer_arg == LL_ARG_RESULT && !h) {
    if (!call->result_used) {
      for (size_t i = 0; i < call->nargs; i++)
        if (callback_may_stop(&t, call->args[i]) || lambda_captures(&t, call->args[i])) return;
      report(prog, call, api, loop, LOST_DISCARDED, -1, ctx);
      return;
    }
    const ll_node *outer = call->outer_call;
    if (!outer || outer->result_to || outer->result_used) return; /* used in a way we do not model */
    int idx = -2;
    if (outer->obj && refers_call(outer->obj, call)) idx = LL_ARG_OBJECT;
    for (size_t i = 0; i < outer->nargs && idx == -2; i++)
      if (refers_call(outer->args[i], call)) idx = (int)i;
    if (idx == -2) return;
    use_in_call(&t, outer, idx);
    for (size_t i = 0; i < call->nargs; i++)
      if (callback_may_stop(&t, call->args[i])) t.kept = 1;
    if (!t.released && !t.kept) report(prog, call, api, loop, LOST_DISCARDED, -1, ctx);
    return;
  }
  int by_pointer = h && h->kind == LL_V_VAR && api->timer_arg != LL_ARG_RESULT;
  h = strip_addr(h);
  if (!h || h->kind != LL_V_VAR || h->var < 0) return; /* stored in a field, element, global */
  /* uv_timer_init(loop, t): the timer is the storage t points to; only
     storage allocated in this iteration is new each time */
  if (by_pointer && !fresh_storage(loop, h->var)) return;

  int var = h->var;
  const ll_tu *tu = call->func ? call->func->tu : NULL;
  if (tu && (size_t)var < tu->nvars) t.htype = tu->vars[var].type;

  /* callbacks given to the creating call itself */
  for (size_t i = 0; i < call->nargs; i++)
    if ((int)i != api->timer_arg && callback_may_stop(&t, call->args[i])) return;

  add_alias(&t, var);
  follow(&t);
  if (t.released || t.kept) return;

  if (declared_in(loop, var)) {
    if (t.outer_store < 0) {
      report(prog, call, api, loop, LOST_LOCAL, var, ctx);
      return;
    }
    /* copied to a variable declared outside the loop: that one is
       overwritten each iteration unless it is released in the loop */
    track o = t;
    o.nvars = 0;
    add_alias(&o, t.outer_store);
    follow(&o);
    if (o.released || o.kept || o.outer_store >= 0) return;
    if (guarded(call, loop, t.outer_store) || retry_loop(loop, t.outer_store)) return;
    report(prog, call, api, loop, LOST_OVERWRITTEN, t.outer_store, ctx);
    return;
  }
  if (t.outer_store >= 0) return; /* copied between outer variables: not modelled */
  if (guarded(call, loop, var) || retry_loop(loop, var)) return;
  report(prog, call, api, loop, LOST_OVERWRITTEN, var, ctx);
}

static int scan_visit(ll_node *n, void *p) {
  scanctx *s = p;
  const ll_api *api = n->kind == LL_N_CALL ? timer_api(s, n) : NULL;
  if (api) check_create(s, n, api);
  return 0;
}

/* Timers created by a pack's timer_create call in a loop, or in a function
 * that runs repeatedly. */
static void check_timer_calls(const ll_program *prog, ll_pass_ctx *ctx) {
  clears cl = {NULL, 0, 0};
  scanctx s = {prog, ctx, ll_pass_packs(ctx), ll_repeats_build(prog), &cl};
  for (size_t i = 0; i < ll_program_tu_count(prog); i++) {
    const ll_tu *tu = ll_program_tu(prog, i);
    for (size_t j = 0; j < tu->nfuncs; j++) {
      const ll_func *fn = tu->funcs[j];
      if (!fn->body || !ll_program_is_canonical(prog, fn)) continue;
      ll_visit(fn->body, scan_visit, &s);
    }
  }
  ll_repeats_free(s.reps);
  free(cl.v);
}

/* ------------------------------------------------------------ timers made of tasks */

typedef struct timer_scan {
  const ll_rules *rules;
  int sleeps, loops, blocking, calls, spawns, signals;
  const ll_node *sleep;
} timer_scan;

/* Something the task does after sleeping that others can observe: a
 * signal, send, close, a pack's observable call, a store through a
 * pointer/field/global. */
static int is_signal(const ll_rules *rules, const ll_node *n) {
  if (n->kind == LL_N_CALL) {
    if (ll_call_has_role(n, LL_ROLE_SIGNAL) || ll_call_has_role(n, LL_ROLE_SEND) ||
        ll_call_has_role(n, LL_ROLE_CLOSE) || ll_call_has_role(n, LL_ROLE_STOP_REQUEST) ||
        ll_call_has_role(n, LL_ROLE_CANCEL))
      return 1;
    return ll_rules_fact(rules, LL_FACT_OBSERVABLE, n->callee);
  }
  if (n->kind == LL_N_ASSIGN && !n->is_decl && n->lhs) {
    const ll_value *l = ll_value_strip(n->lhs);
    const ll_value *raw = n->lhs;
    if (raw->kind == LL_V_DEREF) return 1;
    return l && (l->kind == LL_V_FIELD || l->kind == LL_V_GLOBAL || l->kind == LL_V_INDEX);
  }
  return 0;
}

static int timer_cb(ll_node *n, void *d) {
  timer_scan *t = d;
  if (n->kind == LL_N_LOOP && n->cond_const != 0) t->loops++;
  if (n->kind == LL_N_ASSIGN && t->sleep && is_signal(t->rules, n)) t->signals++;
  if (n->kind != LL_N_CALL) return 0;
  t->calls++;
  if (ll_call_has_role(n, LL_ROLE_SLEEP)) {
    t->sleeps++;
    if (!t->sleep) t->sleep = n;
  }
  if (t->sleep && n != t->sleep && is_signal(t->rules, n)) t->signals++;
  if (ll_call_has_role(n, LL_ROLE_SPAWN) || n->is_bracket_spawn) t->spawns++;
  if (ll_call_has_role(n, LL_ROLE_RECV) || ll_call_has_role(n, LL_ROLE_WAIT) ||
      ll_call_has_role(n, LL_ROLE_JOIN) || ll_call_has_role(n, LL_ROLE_SELECT) ||
      ll_call_has_role(n, LL_ROLE_SELECT_BEGIN))
    t->blocking++;
  return 0;
}

typedef struct awaited_scan {
  const ll_node *loop;
  int found;
} awaited_scan;

static int awaited_cb(ll_node *n, void *d) {
  awaited_scan *a = d;
  if (n->kind != LL_N_CALL || n->loc.offset < a->loop->loc.end_offset) return 0;
  if (ll_call_has_role(n, LL_ROLE_RECV) || ll_call_has_role(n, LL_ROLE_WAIT) || ll_call_has_role(n, LL_ROLE_JOIN) ||
      ll_call_has_role(n, LL_ROLE_SELECT) || ll_call_has_role(n, LL_ROLE_SELECT_BEGIN))
    a->found = 1;
  return 0;
}

/* The task form: a spawn in a loop whose task only sleeps and then signals.
 * Spawns with a channel leak record are left to the channel rules. Returns
 * 1 when it reports sp. */
static int check_task_timer(ll_pass_ctx *ctx, const ll_spawn *sp, const ll_mult_info *mi) {
  if (!sp->loop || !sp->entry || !sp->entry->body) return 0;
  if ((sp->fate & LL_FATE_JOINED) && sp->join_site && ll_node_within(sp->join_site, sp->loop)) return 0;
  if (sp->fate & (LL_FATE_CANCELLED | LL_FATE_ESCAPES | LL_FATE_JOIN_ON_DESTROY)) return 0;
  if (!(sp->fate & (LL_FATE_DETACHED | LL_FATE_DISCARDED)) && (sp->fate & LL_FATE_JOINED)) return 0;
  timer_scan t;
  memset(&t, 0, sizeof t);
  t.rules = ll_pass_packs(ctx);
  ll_visit(sp->entry->body, timer_cb, &t);
  if (t.sleeps != 1 || t.loops || t.blocking || t.spawns || t.calls > 6 || !t.signals) return 0;
  /* the spawner waits for the tasks after the loop (a countdown over a
     channel, joins): they are awaited, not lost */
  awaited_scan aw = {sp->loop, 0};
  ll_visit(sp->spawner->body, awaited_cb, &aw);
  if (aw.found) return 0;
  /* the sleep comes first: nothing but the sleep's own argument calls before it */
  const ll_node *body = sp->entry->body;
  int after = 0;
  for (size_t i = 0; i < body->nkids; i++) {
    const ll_node *k = body->kids[i];
    if (!k) continue;
    if (k == t.sleep) {
      after = 1;
      continue;
    }
    if (!after && k->kind != LL_N_CALL && k->kind != LL_N_DECL && k->kind != LL_N_ASSIGN) return 0;
  }
  if (!after) return 0; /* the sleep is nested in a condition */
  char *what = sp->site->macro ? ll_xstrdup(sp->site->macro) : ll_xstrdup(ll_chan_short_name(sp->site->callee));
  /* how often: the loop's iterations, and the spawner's calls when it repeats too */
  char *often = mi->kind == LL_MULT_PER_CALL ? ll_mult_phrase(mi, "and the loop runs again") : NULL;
  char *msg = ll_xasprintf("%s starts a task in every loop iteration that only sleeps and then signals: a "
                           "timer made of a thread per iteration%s%s",
                           what, often ? "; " : "", often ? often : "");
  free(often);
  ll_finding f = ll_pass_finding(ctx, msg, span_of(&sp->site->loc));
  f.confidence = LL_CONF_MEDIUM;
  if (sp->spawner->name) f.function = ll_xstrdup(sp->spawner->name);
  ll_finding_add_related(&f, span_of(&t.sleep->loc), "the task only sleeps here");
  ll_finding_add_related(&f, span_of(&sp->loop->loc), "inside this loop");
  if (mi->kind == LL_MULT_PER_CALL) ll_mult_add_related(&f, mi);
  f.hint = ll_xstrdup("create one timer (or one timer thread) outside the loop and re-arm it each "
                      "iteration instead of starting a sleeping task per iteration");
  ll_pass_report(ctx, f);
  free(msg);
  free(what);
  return 1;
}

/* ------------------------------------------------------------ the pass */

struct ll_timer_tasks {
  unsigned char *reported; /* indexed like the task model's spawns */
  size_t n;
};

int ll_timer_tasks_reported(const ll_timer_tasks *t, size_t i) { return t && i < t->n && t->reported[i]; }

static void *run(ll_pass_ctx *ctx) {
  check_timer_calls(ll_pass_program(ctx), ctx);
  ll_tasks *tasks = ll_pass_result_of(ctx, &ll_tasks_pass);
  const ll_spawns *spawns = ll_tasks_spawns(tasks);
  const ll_mult *mult = ll_pass_result_of(ctx, &ll_mult_pass);
  const ll_chanleaks *leaks = ll_pass_result_of(ctx, &ll_chanleaks_pass);
  ll_timer_tasks *t = ll_xcalloc(1, sizeof *t);
  t->n = spawns->n;
  t->reported = ll_xcalloc(t->n ? t->n : 1, 1);
  for (size_t i = 0; i < spawns->n; i++)
    if (!ll_chanleaks_at(leaks, i)) {
      /* the complete fate: a join through a copy of the handle awaits the task too */
      ll_mult_info mi = ll_multiplicity_at(mult, i);
      t->reported[i] = (unsigned char)check_task_timer(ctx, ll_tasks_complete(tasks, i), &mi);
    }
  return t;
}

static void free_result(void *r) {
  ll_timer_tasks *t = r;
  free(t->reported);
  free(t);
}

static const ll_pass *const requires[] = {&ll_tasks_pass, &ll_chanleaks_pass, &ll_mult_pass, NULL};

const ll_pass ll_rule_timer_per_iteration = {
    .id = "timer-per-iteration",
    .default_level = LL_LEVEL_WARNING,
    .is_rule = 1,
    .requires = requires,
    .run = run,
    .free_result = free_result,
};
