/* timer_call.c - timer-per-iteration, the per-call form (see timer_forms.h).
 *
 * A timer created outside any loop, in a function that the program shows
 * runs repeatedly (ll_multiplicity_shown: a registered callback, a function
 * called in a loop or by one that repeats), leaks on every call when its
 * handle is lost by the time the function returns (timer_handle.c follows
 * it through the body), when the field or global holding it is cleared
 * later without a release (a fired GSource whose pointer is set to NULL) by
 * a function that knows it holds the timer, or when that slot is a global
 * or member that nothing in the program releases and every call overwrites
 * it. A creator that tests or releases the previous timer in its slot
 * first is written to run again: the clears of that slot are judged even
 * when nothing shows that it repeats. An RAII timer allocated with new per
 * call and kept only in a local that nothing deletes leaks too. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "timer_forms.h"

typedef struct clears {
  const ll_node **v;
  size_t n, cap;
} clears;

struct ll_timer_calls {
  const ll_program *prog;
  ll_pass_ctx *ctx;
  const ll_rules *rules;
  const ll_mult *mult;
  clears *cleared; /* clear sites reported (a field several creators share) */
};

ll_timer_calls *ll_timer_calls_new(ll_pass_ctx *ctx, const ll_mult *mult) {
  ll_timer_calls *s = ll_xcalloc(1, sizeof *s);
  s->prog = ll_pass_program(ctx);
  s->ctx = ctx;
  s->rules = ll_pass_packs(ctx);
  s->mult = mult;
  s->cleared = ll_xcalloc(1, sizeof *s->cleared);
  return s;
}

void ll_timer_calls_free(ll_timer_calls *s) {
  if (!s) return;
  free(s->cleared->v);
  free(s->cleared);
  free(s);
}

/* True the first time a clear site is seen. */
static int first_clear(const ll_timer_calls *s, const ll_node *n) {
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

/* The field or global `usr` (through & and *). */
static int is_slot(const ll_value *v, const char *usr) {
  v = ll_value_strip(v);
  return v && (v->kind == LL_V_FIELD || v->kind == LL_V_GLOBAL) && v->usr && strcmp(v->usr, usr) == 0;
}

static const char *slot_name(const ll_value *v) { return v && v->name ? v->name : "?"; }

/* What one function does with the timer held in a slot. */
typedef struct slotuse {
  const ll_timer_calls *s;
  const ll_timer_track *t;          /* for library_use (the creating API) */
  const char *usr;
  const ll_node *before;   /* only uses before this node count for the slot itself (NULL: all) */
  int aliases[LL_TIMER_MAX_ALIASES];
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
  if (a && ll_timer_api_object(n, a) == ll_call_arg(n, idx)) {
    u->released = 1;
    return;
  }
  if (ll_rules_fact(u->s->rules, LL_FACT_FOREIGN_RELEASE, n->callee)) {
    if (!u->foreign) u->foreign = n;
    return;
  }
  if (ll_call_has_role(n, LL_ROLE_TIMER_REARM) || idx == LL_ARG_OBJECT) return;
  if (idx == 0 && !n->obj && ll_timer_library_use(u->t, n)) return;
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
    else if (u->naliases < LL_TIMER_MAX_ALIASES) u->aliases[u->naliases++] = l->var; /* a local copy */
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
static int prior_use(const ll_timer_calls *s, const ll_timer_track *t, const char *usr) {
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
  const ll_timer_calls *s;
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
static void add_why(ll_finding *f, const ll_func *fn, const ll_mult_info *why) {
  const char *name = fn->name ? fn->name : "?";
  const char *by = why->by && why->by->name ? why->by->name : "?";
  char *m;
  if (why->why == LL_MULT_WHY_CALLBACK)
    m = ll_xasprintf("'%s' runs repeatedly: %s registers it here as a callback", name,
                     why->api && why->api->name ? why->api->name : "this call");
  else if (why->why == LL_MULT_WHY_CALLED_IN_LOOP)
    m = ll_xasprintf("'%s' runs repeatedly: '%s' calls it here inside a loop", name, by);
  else
    m = ll_xasprintf("'%s' runs repeatedly: '%s', which runs repeatedly, calls it here", name, by);
  ll_finding_add_related(f, ll_timer_span(why->related), m);
  free(m);
}

/* How often fn runs as the program shows it, or NULL (in *buf). */
static const ll_mult_info *repeats(const ll_timer_calls *s, const ll_func *fn, ll_mult_info *buf) {
  *buf = ll_multiplicity_shown(s->mult, fn);
  return ll_mult_repeats(buf) ? buf : NULL;
}

static void report_call(const ll_timer_calls *s, const ll_timer_track *t, const ll_node *at, char *msg, const ll_mult_info *why,
                        const char *self_note) {
  const ll_func *fn = ll_timer_top_func(t->create->func);
  ll_finding f = ll_pass_finding(s->ctx, msg, ll_timer_span(&at->loc));
  free(msg);
  f.confidence = LL_CONF_MEDIUM;
  if (at != t->create) ll_finding_add_related(&f, ll_timer_span(&t->create->loc), "the timer is created here");
  if (why) add_why(&f, t->create->func, why);
  else if (self_note) ll_finding_add_related(&f, ll_timer_span(&t->create->loc), self_note);
  const char *name = ll_timer_api_display(t->api, t->create);
  f.hint = ll_timer_hint(t->api->call_hint ? t->api->call_hint : t->api->hint, name);
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
  const ll_timer_calls *s;
  const ll_timer_track *t;
  const ll_value *slot;
  const cbset *cbs;
  const ll_mult_info *why;
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
    const char *api = ll_timer_api_display(c->t->api, c->t->create);
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

static void check_stored(const ll_timer_calls *s, const ll_timer_track *t, const ll_value *slot, const ll_mult_info *why) {
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
  const char *api = ll_timer_api_display(t->api, t->create);
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
  const ll_timer_calls *s;
  const ll_timer_track *t;
  const ll_node *found;
} foreignctx;

static int foreign_visit(ll_node *n, void *p) {
  foreignctx *f = p;
  if (n->kind != LL_N_CALL || !n->nargs || !ll_timer_refers(f->t, n->args[0])) return 0;
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
void ll_timer_check_heap(ll_timer_calls *s, const ll_node *call, const ll_api *api) {
  const ll_node *a = heap_assign(call);
  const ll_func *fn = call->func;
  if (!a || !fn || !fn->body || ll_enclosing_loop(call)) return;
  ll_mult_info shown;
  const ll_mult_info *why = repeats(s, fn, &shown);
  const ll_value *h = a->lhs;
  if (!why || !h || h->kind != LL_V_VAR || h->var < 0 || mentions_delete(fn)) return;
  if (!fn->tu || (size_t)h->var >= fn->tu->nvars || fn->tu->vars[h->var].is_static) return;
  /* a raw pointer: `std::shared_ptr<T> p(new T(...))` owns what it holds */
  const char *ty = fn->tu->vars[h->var].type;
  size_t tl = ty ? strlen(ty) : 0;
  if (!tl || ty[tl - 1] != '*') return;
  ll_timer_track t;
  ll_timer_track_init(&t, s->prog, fn->body, call, api);
  ll_timer_track_add(&t, h->var);
  ll_timer_follow(&t);
  if (t.released || t.kept || t.outer_store >= 0) return;
  report_call(s, &t, call,
              ll_xasprintf("the timer new %s allocates is neither deleted nor stored, so it leaks on every call "
                           "of '%s'",
                           ll_timer_api_display(api, call), func_name(call)),
              why, NULL);
}

/* The handle is a local variable: lost when the body neither releases nor
 * stores it. */
static void check_local(const ll_timer_calls *s, ll_timer_track *t, int var, const ll_mult_info *why) {
  const ll_node *call = t->create;
  const ll_func *fn = call->func;
  const ll_tu *tu = fn->tu;
  if (!tu || (size_t)var >= tu->nvars || tu->vars[var].is_static) return;
  t->htype = tu->vars[var].type;
  if (ll_timer_args_may_stop(t, call, t->api->timer_arg, 0)) return;
  ll_timer_track_add(t, var);
  ll_timer_follow(t);
  if (t->released || t->kept || t->outer_store >= 0) return;
  foreignctx fc = {s, t, NULL};
  ll_visit(fn->body, foreign_visit, &fc);
  char *msg = ll_xasprintf("the timer %s creates is neither released nor stored, so it leaks on every call of '%s'%s%s%s",
                           ll_timer_api_display(t->api, call), func_name(call), fc.found ? "; " : "",
                           fc.found ? fc.found->callee : "", fc.found ? " does not release it" : "");
  report_call(s, t, call, msg, why, NULL);
}

void ll_timer_check_call(ll_timer_calls *s, const ll_node *call, const ll_api *api) {
  const ll_func *fn = call->func;
  if (!fn || !fn->body) return;
  ll_mult_info shown;
  const ll_mult_info *why = repeats(s, fn, &shown);
  ll_timer_track t;
  ll_timer_track_init(&t, s->prog, fn->body, call, api);
  const ll_value *h = ll_timer_handle(call, api);
  if (api->timer_arg == LL_ARG_RESULT && !h) {
    if (!why || !ll_timer_result_lost(&t)) return;
    report_call(s, &t, call,
                ll_xasprintf("the timer %s creates is discarded, so it leaks on every call of '%s'",
                             ll_timer_api_display(api, call), func_name(call)),
                why, NULL);
    return;
  }
  int by_pointer = h && h->kind == LL_V_VAR && api->timer_arg != LL_ARG_RESULT;
  h = ll_timer_strip_addr(h);
  if (!h) return;
  if ((h->kind == LL_V_FIELD || h->kind == LL_V_GLOBAL) && !by_pointer && api->timer_arg == LL_ARG_RESULT) {
    /* a timer that can end itself (a g_timeout_add callback returning
       FALSE) is freed then: clearing its id afterwards is the idiom */
    if (ll_timer_args_may_stop(&t, call, LL_ARG_NONE, 1)) return;
    check_stored(s, &t, h, why);
    return;
  }
  if (h->kind != LL_V_VAR || h->var < 0 || !why) return;
  if (by_pointer && !ll_timer_fresh_storage(fn->body, h->var)) return;
  check_local(s, &t, h->var, why);
}
