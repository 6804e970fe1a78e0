/* stop_cannot_wake.c - stop-cannot-wake: a task honours a stop path that
 * cannot reach the operation it is parked on.
 *
 * For every spawn whose task body we can see (stoppath.h gives the task's
 * functions, the flags its conditions read and its stop path):
 *  - no waker (shape 1): a stop path writes a flag the task reads and then
 *    joins it, but the task parks in a wait with no timeout, inside a loop,
 *    on a field/global primitive that nothing on the stop path signals,
 *    posts, closes or cancels;
 *  - uninterruptible blocking (shape 7): the same, with the task parked in
 *    blocking I/O (accept/recv on a socket field, epoll_wait/poll with no
 *    timeout, a main-context iteration that may block) that no interrupt on
 *    the stop path reaches (shutdown() of that socket, an eventfd/pipe write,
 *    a wakeup), or sleeping for a duration that is not a constant;
 *  - destroyed under the waiter (shape 5): the function that joins the task
 *    destroys a primitive the task waits on before the join;
 *  - the release is skipped when the spawn fails (shape 6): a spawn that
 *    reports failure only through its result, dropped (directly, or by the
 *    callers of a function that returns it), then a wait with no timeout
 *    whose only wakers are the task (or a barrier the task is a party of);
 *  - a stop flag nobody writes: the task's loop can end only through flags
 *    of internal linkage that no code writes, and the task is joined.
 *
 * Ownership: a task whose loop can never end is wait-without-cancel's; this
 * rule reports only tasks with a way out (a flag) that the stop path cannot
 * deliver, and the creator-side hangs of shape 6. One finding per spawn.
 * When the primitive, the writer or the stop path cannot be known (not a
 * field or global, an unresolved call that receives it, a function pointer
 * on the stop path), nothing is reported. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "multiplicity.h"
#include "stoppath.h"

extern const ll_pass ll_rule_stop_cannot_wake; /* its hint names its id */

/* ---------------------------------------------------------------- helpers */

static int ident_char(char c) { return c == '_' || isalnum((unsigned char)c); }

static ll_span span_of(const ll_loc *l) {
  return ll_span_make(l->file ? l->file : "", l->line, l->col, l->end_line, l->end_col);
}

static const ll_api *api_with(const ll_node *k, ll_role role) {
  for (size_t i = 0; i < k->napis; i++)
    if (k->apis[i]->role == role) return k->apis[i];
  return NULL;
}

static const ll_value *object_of(const ll_node *k, const ll_api *a) {
  return a ? ll_call_arg(k, a->object_arg) : NULL;
}

/* The call's display name: its macro, or the last two name components. */
static char *display(const ll_node *k) {
  if (k->macro && k->macro[0]) return ll_xstrdup(k->macro);
  const char *q = k->callee ? k->callee : "?";
  const char *last = NULL, *prev = NULL, *p = q;
  while ((p = strstr(p, "::"))) {
    prev = last;
    last = p;
    p += 2;
  }
  return ll_xstrdup(last && prev ? prev + 2 : q);
}

static char *value_text(const ll_value *v) {
  return ll_xstrdup(v && v->text ? v->text : (v && v->name ? v->name : "it"));
}

/* The value is a compile-time duration: an integer constant, or a duration
 * built from constants (std::chrono::seconds(5), 100ms). A pointer (a
 * timespec) is not judged. */
static int constant_duration(const ll_value *v, int depth) {
  if (!v || depth > 3) return 1;
  if (v->known) return 1;
  switch (v->kind) {
  case LL_V_INT: case LL_V_ADDR: case LL_V_NULL: case LL_V_STRING: return 1;
  case LL_V_CALL:
    if (!v->call) return 1;
    for (size_t i = 0; i < v->call->nargs; i++)
      if (!constant_duration(v->call->args[i], depth + 1)) return 0;
    return 1;
  default:
    return 0;
  }
}

/* ---------------------------------------------------------------- reach of the stop path */

enum { WAKE_WAIT, WAKE_IO };

static int role_wakes(const ll_api *a, int kind) {
  switch (a->role) {
  case LL_ROLE_CANCEL: case LL_ROLE_STOP_REQUEST: return 1;
  case LL_ROLE_INTERRUPT: return 1;
  case LL_ROLE_SIGNAL: case LL_ROLE_CLOSE: return kind == WAKE_WAIT;
  case LL_ROLE_WAIT: return kind == WAKE_WAIT && (a->flags & LL_API_BARRIER);
  default: return 0;
  }
}

/* arg is x, or an object x belongs to (lib_stop(server) may wake server->cv). */
static int arg_reaches(const ll_value *arg, const ll_value *x) {
  if (!arg || !x) return 0;
  if (ll_value_same(arg, x, 1)) return 1;
  for (const ll_value *b = ll_value_strip(x); b; b = ll_value_strip(b->base)) {
    if (b != ll_value_strip(x) && ll_value_same(arg, b, 0)) return 1;
    if (b->kind == LL_V_THIS && ll_value_strip(arg) && ll_value_strip(arg)->kind == LL_V_THIS) return 1;
    if (!b->base) break;
  }
  return 0;
}

/* The object a wrapper acts on through v (this->f in a method, p->f for a
 * parameter p of fn): its position, -1 for `this`, or -2 when v is not of
 * that form. */
static int receiver_of(const ll_func *fn, const ll_value *v) {
  v = ll_value_strip(v);
  const ll_value *b = v && v->kind == LL_V_FIELD ? ll_value_strip(v->base) : NULL;
  if (b && b->kind == LL_V_THIS) return -1;
  for (size_t i = 0; b && b->kind == LL_V_VAR && i < fn->nparams; i++)
    if (fn->params[i] == b->var) return (int)i;
  return -2;
}

/* What a call of fn passes as receiver r (receiver_of). */
static const ll_value *receiver_at(const ll_node *call, int r) {
  return r == -1 ? call->obj : r >= 0 ? ll_call_arg(call, r) : NULL;
}

typedef struct parked {
  const ll_node *call;
  const ll_api *api;
  const ll_value *obj; /* NULL for sleeps and descriptor sets */
  const ll_value *via; /* a wrapper method's wait: the object the task calls it on */
  int kind;            /* WAKE_WAIT or WAKE_IO */
  int sleep;
} parked;

/* The waker k acts on a field of its function's receiver (this->c of a
 * wrapper method, e->c of event_set(e)), and every call of that function
 * on the stop path passes an object other than via (the stop path's
 * stop_requested.set() wakes stop_requested's condition, not runcond's).
 * A function the stop path does not call by name: unknown. */
static int other_object(const ll_program *p, const ll_stoppath *sp, const ll_node *k, const ll_value *o,
                        const ll_value *via) {
  int recv = receiver_of(k->func, o);
  if (!via || recv == -2) return 0;
  size_t calls = 0;
  for (size_t i = 0; i < sp->calls.n; i++) {
    const ll_node *c = sp->calls.v[i];
    if (c->napis || ll_stop_resolve(p, c) != k->func) continue;
    const ll_value *r = receiver_at(c, recv);
    if (!ll_stop_ident(r) || ll_value_same(r, via, 1)) return 0;
    calls++;
  }
  return calls > 0;
}

/* Something on the stop path can wake what the task is parked on: x (NULL:
 * anything of the kind, for epoll/poll sets and sleeps), through via when
 * x is a wrapper's own primitive. Unknown identity or an unresolved call
 * that receives x counts as a waker. */
static int stop_reaches(const ll_program *p, const ll_stoppath *sp, const ll_value *x, const ll_value *via,
                        int kind) {
  for (size_t i = 0; i < sp->calls.n; i++) {
    const ll_node *k = sp->calls.v[i];
    if (!k->napis) {
      if (!k->callee) return 1; /* a function pointer: cannot know */
      if (ll_stop_resolve(p, k)) continue;
      for (size_t j = 0; j < k->nargs; j++)
        if (arg_reaches(k->args[j], x) || arg_reaches(k->args[j], via)) return 1;
      if (k->obj && (arg_reaches(k->obj, x) || arg_reaches(k->obj, via))) return 1;
      continue;
    }
    for (size_t j = 0; j < k->napis; j++) {
      const ll_api *a = k->apis[j];
      if (!role_wakes(a, kind)) continue;
      if (a->role == LL_ROLE_CANCEL || a->role == LL_ROLE_STOP_REQUEST || !x) return 1;
      const ll_value *o = object_of(k, a);
      if (!ll_stop_ident(o)) return 1;
      if (ll_value_same(o, x, 1) && !other_object(p, sp, k, o, via)) return 1;
      if (via && ll_value_same(o, via, 1)) return 1; /* a wrapper's waker called on the same object */
    }
  }
  return 0;
}

/* ---------------------------------------------------------------- parked operations */

/* A literal of at least `min` in an expression's text (next * 1000000). */
static int text_has_factor(const char *s, long long min) {
  for (const char *b = s; s && *s; s++) {
    if (!isdigit((unsigned char)*s)) continue;
    if (s > b && ident_char(s[-1])) { /* a digit inside a name */
      while (ident_char(s[1])) s++;
      continue;
    }
    char *end;
    long long v = strtoll(s, &end, 10);
    if (v >= min) return 1;
    s = end - 1;
  }
  return 0;
}

/* The sleep can be long: a seconds count that is not a constant, a milli- or
 * microsecond count computed with a factor of a second (next * 1000000), a
 * constant of ten seconds or more, or a duration object of seconds (or
 * coarser) that is not a constant. Shorter variable sleeps (backoffs,
 * slices) only delay a stop. */
static int long_sleep(const ll_rules *r, const ll_node *k, const ll_api *a) {
  const ll_value *v = ll_call_arg(k, a->timeout_arg >= 0 ? a->timeout_arg : 0);
  if (!v) return 0;
  long long scale = ll_rules_fact(r, LL_FACT_SLEEP_SECONDS, k->callee)  ? 1
                    : ll_rules_fact(r, LL_FACT_SLEEP_MILLIS, k->callee) ? 1000
                    : ll_rules_fact(r, LL_FACT_SLEEP_MICROS, k->callee) ? 1000000
                                                                        : 0;
  if (scale) {
    if (v->known) return v->ival >= 10 * scale;
    if (constant_duration(v, 0)) return 0;
    return scale == 1 || text_has_factor(v->text, scale);
  }
  const char *type = v->type;
  const ll_value *sv = ll_value_strip(v);
  if (!type && sv && sv->kind == LL_V_VAR && sv->var >= 0 && (size_t)sv->var < k->func->tu->nvars)
    type = k->func->tu->vars[sv->var].type;
  return type && ll_rules_fact(r, LL_FACT_COARSE_DURATION, type) && !constant_duration(v, 0);
}

/* A loop around n in its function is steered by flag: its condition reads
 * it, or an if inside it does. */
typedef struct steer_ctx {
  const ll_program *p;
  const ll_value *flag;
} steer_ctx;

static int steer_cb(ll_node *n, void *d) {
  steer_ctx *s = d;
  return n->kind == LL_N_IF && ll_stop_cond_reads(s->p, n, s->flag);
}

static int in_flag_loop(const ll_program *p, const ll_node *n, const ll_value *flag) {
  for (ll_node *l = ll_enclosing_loop(n); l; l = ll_enclosing_loop(l)) {
    if (ll_stop_cond_reads(p, l, flag)) return 1;
    steer_ctx s = {p, flag};
    if (l->nkids && l->kids[0] && ll_visit(l->kids[0], steer_cb, &s)) return 1;
  }
  return 0;
}

/* k runs once per turn of a loop the stop flag steers: it is in one, or it
 * is not in a loop of its own and its function is called from one (an event
 * loop's `loop_once()` helper). A wait further down (a handshake inside a
 * helper with its own predicate loop) is woken by its own parties. */
/* The loop around k tests only fields of one receiver of its function
 * (while (!val) in a wrapper's wait_for(), while (!e->on) in
 * event_wait(e)): the wrapper's own predicate, which only a call on the
 * same object can change. Its receiver, or -2. */
static int own_state_loop(const ll_node *k) {
  const ll_node *l = ll_enclosing_loop(k);
  if (!l || ll_enclosing_loop(l) || !l->ncond_refs || !l->cond || l->cond->nkids) return -2; /* calls: cannot know */
  int r = receiver_of(k->func, l->cond_refs[0]);
  for (size_t i = 1; i < l->ncond_refs && r != -2; i++)
    if (receiver_of(k->func, l->cond_refs[i]) != r) r = -2;
  return r;
}

/* k runs once per turn of a loop the stop flag steers: it is in one, or it
 * is not in a loop of its own (or only in its wrapper object's own
 * predicate loop) and its function is called from one (an event loop's
 * `loop_once()` helper, a wrapper's `cond.wait_for()`). A wait further down
 * (a handshake inside a helper with its own predicate loop) is woken by its
 * own parties. *via: for a wrapper method, the object the task calls it on
 * (the wrapper's primitive is that object's). */
static int steered(const ll_program *p, const ll_taskfns *t, const ll_node *k, const ll_value *flag,
                   const ll_value **via) {
  *via = NULL;
  if (in_flag_loop(p, k, flag)) return 1;
  int recv = own_state_loop(k), wrapper = recv != -2;
  if (ll_enclosing_loop(k) && !wrapper) return 0;
  for (size_t i = 0; i < t->n; i++) {
    ll_nodevec calls = {0};
    ll_stop_calls_from(NULL, t->fns[i], &calls);
    const ll_node *hit = NULL;
    for (size_t c = 0; c < calls.n && !hit; c++)
      if (!calls.v[c]->napis && ll_stop_resolve(p, calls.v[c]) == k->func && in_flag_loop(p, calls.v[c], flag))
        hit = calls.v[c];
    free(calls.v);
    if (hit && wrapper && !ll_stop_ident(receiver_at(hit, recv))) return 0;
    if (hit) {
      *via = wrapper ? receiver_at(hit, recv) : NULL;
      return 1;
    }
  }
  return 0;
}


/* The first operation the task parks on inside a loop that the stop path
 * cannot reach. */
static int find_unreached(const ll_program *p, const ll_rules *r, const ll_taskfns *t, const ll_stoppath *sp,
                          parked *out) {
  for (size_t i = 0; i < t->n; i++) {
    ll_nodevec calls = {0};
    ll_stop_calls_from(NULL, t->fns[i], &calls);
    for (size_t c = 0; c < calls.n; c++) {
      const ll_node *k = calls.v[c];
      const ll_value *via = NULL;
      if (!k->napis || !steered(p, t, k, sp->flag, &via)) continue;
      for (size_t j = 0; j < k->napis; j++) {
        const ll_api *a = k->apis[j];
        parked pk = {k, a, NULL, via, WAKE_WAIT, 0};
        if (a->flags & LL_API_NONBLOCKING) continue;
        if (a->role == LL_ROLE_WAIT && ll_call_waits_forever(k, a)) {
          pk.obj = object_of(k, a);
          if (!ll_stop_ident(pk.obj)) continue;
        } else if (a->role == LL_ROLE_BLOCKING_IO && ll_call_waits_forever(k, a)) {
          pk.kind = WAKE_IO;
          if (a->object_arg != LL_ARG_NONE) {
            pk.obj = object_of(k, a);
            if (!ll_stop_ident(pk.obj)) continue; /* a local descriptor: nobody else can name it */
          }
        } else if (a->role == LL_ROLE_SLEEP) {
          if (!long_sleep(r, k, a)) continue;
          pk.kind = WAKE_IO;
          pk.sleep = 1;
        } else {
          continue;
        }
        if (!stop_reaches(p, sp, pk.obj, pk.via, pk.kind)) {
          *out = pk;
          free(calls.v);
          return 1;
        }
      }
    }
    free(calls.v);
  }
  return 0;
}

/* A primitive the task waits on that the join's function destroys before
 * the join. */
static const ll_node *destroyed_before_join(const ll_taskfns *t, const ll_node *join, const ll_node **wait) {
  ll_nodevec mine = {0};
  ll_stop_calls_from(NULL, join->func, &mine);
  const ll_node *hit = NULL;
  for (size_t d = 0; d < mine.n && !hit; d++) {
    const ll_node *k = mine.v[d];
    const ll_api *da = api_with(k, LL_ROLE_DESTROY);
    if (!da || k->loc.offset >= join->loc.offset) continue;
    const ll_value *x = object_of(k, da);
    if (!ll_stop_ident(x)) continue;
    for (size_t i = 0; i < t->n && !hit; i++) {
      ll_nodevec tc = {0};
      ll_stop_calls_from(NULL, t->fns[i], &tc);
      for (size_t c = 0; c < tc.n && !hit; c++) {
        const ll_api *wa = api_with(tc.v[c], LL_ROLE_WAIT);
        if (wa && !(wa->flags & LL_API_NONBLOCKING) && ll_value_same(object_of(tc.v[c], wa), x, 1)) {
          hit = k;
          *wait = tc.v[c];
        }
      }
      free(tc.v);
    }
  }
  free(mine.v);
  return hit;
}

/* ---------------------------------------------------------------- report */

typedef struct story {
  const char *msg;
  const ll_loc *related[4];
  const char *why[4];
  const char *hint;
  ll_confidence conf;
  const char *repeats; /* subject of the multiplicity phrase ("the creator can hang"); NULL: a stop hangs */
} story;

/* A repeated spawn says how often (multiplicity.h): a task is left parked,
 * or the creator can hang, again on every call or iteration. */
static void emit(ll_pass_ctx *ctx, const ll_spawn *sp, const story *s) {
  ll_mult_info mi = ll_multiplicity_of(ll_pass_result_of(ctx, &ll_mult_pass), sp);
  char *how = ll_mult_repeats(&mi) ? ll_mult_phrase(&mi, s->repeats ? s->repeats : "a task can be left parked") : NULL;
  char *msg = how ? ll_xasprintf("%s; %s", s->msg, how) : ll_xstrdup(s->msg);
  ll_finding f = ll_pass_finding(ctx, msg, span_of(&sp->site->loc));
  free(msg);
  free(how);
  f.confidence = s->conf;
  if (sp->spawner->name) f.function = ll_xstrdup(sp->spawner->name);
  for (int i = 0; i < 4; i++)
    if (s->related[i]) ll_finding_add_related(&f, span_of(s->related[i]), s->why[i]);
  ll_mult_add_related(&f, &mi);
  f.hint = ll_xasprintf("%s; if the wait is meant to outlive the stop, say so on the spawn line: "
                        "// leaklint:ignore[%s] REASON",
                        s->hint, ll_rule_stop_cannot_wake.id);
  ll_pass_report(ctx, f);
}

static const char *hint_or(const ll_api *a, const char *fallback) { return a && a->hint ? a->hint : fallback; }

/* The hint of a signal that wakes x elsewhere in the program (the library's
 * own waker of that primitive), else the wait's own. */
static const char *waker_hint(const ll_nodevec *all, const parked *pk) {
  for (size_t i = 0; i < all->n; i++) {
    const ll_api *a = api_with(all->v[i], LL_ROLE_SIGNAL);
    if (a && a->hint && ll_value_same(object_of(all->v[i], a), pk->obj, 1)) return a->hint;
  }
  return hint_or(pk->api, "wake the wait in the stop path after setting the flag (broadcast, post, or push a "
                          "sentinel) before joining");
}

static void report_unreached(ll_pass_ctx *ctx, const ll_spawn *sp, const ll_stoppath *st, const parked *pk,
                             const ll_nodevec *all) {
  char *op = display(pk->call), *join = display(st->join), *flag = value_text(st->flag);
  char *obj = NULL;
  if (pk->obj && pk->via) { /* a wrapper's own primitive: name the wrapper object too */
    char *o = value_text(pk->obj), *v = value_text(pk->via);
    obj = ll_xasprintf("%s (of %s)", o, v);
    free(o);
    free(v);
  } else if (pk->obj) {
    obj = value_text(pk->obj);
  }
  char *msg;
  story s = {0};
  if (pk->sleep)
    msg = ll_xasprintf("the stop path sets %s and joins the task, but the task sleeps in %s for a duration that is "
                       "not a constant and nothing interrupts it, so %s waits out the whole sleep",
                       flag, op, join);
  else if (pk->kind == WAKE_IO && obj)
    msg = ll_xasprintf("the stop path sets %s and joins the task, but the task is blocked in %s on %s and nothing on "
                       "the stop path interrupts it (close() alone does not), so %s hangs",
                       flag, op, obj, join);
  else if (pk->kind == WAKE_IO)
    msg = ll_xasprintf("the stop path sets %s and joins the task, but the task is blocked in %s with no timeout and "
                       "nothing on the stop path wakes it, so %s hangs",
                       flag, op, join);
  else
    msg = ll_xasprintf("the stop path sets %s and joins the task, but nothing on it wakes %s the task is parked on "
                       "(%s, no timeout), so %s hangs",
                       flag, obj ? obj : "the primitive", op, join);
  s.msg = msg;
  s.conf = pk->sleep ? LL_CONF_MEDIUM : LL_CONF_HIGH;
  s.related[0] = &pk->call->loc;
  s.why[0] = pk->sleep ? "sleeps here; nothing cuts the sleep short" : "parks here; the stop path never reaches it";
  s.related[1] = &st->write->loc;
  s.why[1] = "the stop flag is set here, without a wakeup";
  s.related[2] = &st->join->loc;
  s.why[2] = "this join waits for the parked task";
  s.hint = pk->kind == WAKE_WAIT ? waker_hint(all, pk) : hint_or(pk->api, "interrupt the blocking call in the stop path");
  emit(ctx, sp, &s);
  free(msg);
  free(op);
  free(join);
  free(flag);
  free(obj);
}

static void report_destroyed(ll_pass_ctx *ctx, const ll_spawn *sp, const ll_node *destroy, const ll_node *wait,
                             const ll_node *join) {
  char *d = display(destroy), *w = display(wait), *j = display(join);
  char *msg = ll_xasprintf("%s destroys what the task waits on in %s before %s has joined the task: the task can "
                           "still be parked on it, and the process hangs or misbehaves at stop",
                           d, w, j);
  story s = {msg, {&destroy->loc, &wait->loc, &join->loc}, {"destroyed here", "the task waits on it here", "joined only here, after"},
             hint_or(api_with(destroy, LL_ROLE_DESTROY), "join the task first, then destroy it"), LL_CONF_HIGH};
  emit(ctx, sp, &s);
  free(msg);
  free(d);
  free(w);
  free(j);
}

/* ---------------------------------------------------------------- the task overwrites the stop */

/* The constant a flag write stores (an assignment, or a store call's value
 * argument), or 0 when it is not a constant. */
static int written_const(const ll_node *n, long long *out) {
  const ll_value *v = n->kind == LL_N_ASSIGN ? n->rhs : ll_call_arg(n, n->obj ? 0 : 1);
  v = ll_value_strip(v);
  if (!v || !(v->known || v->kind == LL_V_INT)) return 0;
  *out = v->ival;
  return 1;
}

/* The spawner waits after the spawn (a start-up handshake: the task has
 * run its first statements before anyone can stop it). */
static int handshake_after(const ll_spawn *sp) {
  ll_nodevec calls = {0};
  ll_stop_calls_from(NULL, sp->spawner, &calls);
  int hit = 0;
  for (size_t i = 0; i < calls.n && !hit; i++)
    hit = calls.v[i]->loc.offset > sp->site->loc.offset && api_with(calls.v[i], LL_ROLE_WAIT);
  free(calls.v);
  return hit;
}

static int reads_flag_cb(ll_node *n, void *d) {
  const steer_ctx *s = d;
  return (n->kind == LL_N_LOOP || n->kind == LL_N_IF) && ll_stop_cond_reads(s->p, n, s->flag);
}

/* The task's entry writes the stop flag with a constant other than the stop
 * path's, unconditionally, before anything can test it: the statements of
 * its body up to the first branch, loop or project call. A stop that lands
 * between the spawn and that write is overwritten (gRunSched = true in the
 * thread, gRunSched = false in the stop). */
static const ll_node *overwrites_stop(ll_pass_ctx *ctx, const ll_spawn *sp, const ll_stoppath *st) {
  const ll_program *p = ll_pass_program(ctx);
  long long stop_v, task_v;
  const ll_node *body = sp->entry->body;
  if (!written_const(st->write, &stop_v) || !body || handshake_after(sp)) return NULL;
  for (size_t i = 0; i < body->nkids; i++) {
    const ll_node *k = body->kids[i];
    const ll_value *f = ll_stop_written_flag(ll_pass_packs(ctx), k);
    if (f && ll_value_same(ll_value_strip(f), ll_value_strip(st->flag), 1))
      return written_const(k, &task_v) && (task_v != 0) != (stop_v != 0) ? k : NULL;
    if (k->kind != LL_N_CALL && k->kind != LL_N_ASSIGN && k->kind != LL_N_DECL) return NULL;
    if (k->kind == LL_N_CALL && !k->napis && ll_stop_resolve(p, k)) return NULL;
    steer_ctx sc = {p, st->flag};
    if (ll_visit((ll_node *)k, reads_flag_cb, &sc)) return NULL;
  }
  return NULL;
}

static void report_overwritten(ll_pass_ctx *ctx, const ll_spawn *sp, const ll_stoppath *st, const ll_node *own) {
  char *flag = value_text(st->flag), *j = display(st->join);
  char *msg = ll_xasprintf("the task sets its own stop flag %s when it starts, after it was spawned: a stop that sets "
                           "%s before the task gets there is overwritten, and the task runs on (and parks) while "
                           "the stop path skips or hangs in %s",
                           flag, flag, j);
  story s = {msg, {&own->loc, &st->write->loc, &st->join->loc},
             {"the task overwrites the flag here", "the stop path sets it here", "this join can hang"},
             "set the run flag in the spawner before starting the task (under the mutex the stop path takes), and "
             "have the task only test it",
             LL_CONF_HIGH};
  emit(ctx, sp, &s);
  free(msg);
  free(flag);
  free(j);
}

/* ---------------------------------------------------------------- shape 6: a failed spawn */

/* A (function, offset) after which a failed spawn goes unnoticed. */
typedef struct blind {
  const ll_func *fn;
  unsigned after;
  const ll_node *drop; /* the call whose failure result is dropped */
} blind;

/* The spawn's result is tested by an if whose branch returns. */
static int checked_with_return(const ll_node *site) {
  const ll_node *c = site->parent;
  if (!c || !c->parent || c->parent->kind != LL_N_IF || c->parent->cond != c) return 0;
  const ll_node *then = c->parent->nkids ? c->parent->kids[0] : NULL;
  if (!then) return 0;
  if (then->kind == LL_N_RETURN) return 1;
  for (size_t i = 0; i < then->nkids; i++)
    if (then->kids[i]->kind == LL_N_RETURN) return 1;
  return 0;
}

static int dropped(const ll_node *call) { return !call->result_used && !call->result_to; }

static size_t blind_spots(ll_stopctx *sc, const ll_spawn *sp, blind *out, size_t max) {
  size_t n = 0;
  if (dropped(sp->site)) {
    out[n++] = (blind){sp->spawner, sp->site->loc.offset, sp->site};
    return n;
  }
  if (!checked_with_return(sp->site)) return 0;
  const ll_func *fns[2] = {sp->spawner, NULL};
  for (int level = 0; level < 2 && fns[0]; level++) {
    const ll_node *cs[8];
    size_t nc = ll_stop_callers(sc, fns[0], cs, 8);
    fns[0] = NULL;
    for (size_t i = 0; i < nc && n < max; i++) {
      if (!dropped(cs[i])) continue;
      out[n++] = (blind){cs[i]->func, cs[i]->loc.offset, cs[i]};
      if (!fns[0]) fns[0] = cs[i]->func; /* its callers may drop its result too */
    }
  }
  return n;
}

/* Outside the task, a signal or close of the wait's library on something
 * whose identity we do not know (it may be x). */
static int unknown_waker(const ll_nodevec *all, const ll_taskfns *t, const ll_api *wa) {
  for (size_t i = 0; i < all->n; i++) {
    const ll_node *k = all->v[i];
    if (ll_taskfns_has(t, k->func)) continue;
    for (size_t j = 0; j < k->napis; j++) {
      const ll_api *a = k->apis[j];
      /* a wrapper acting on a field of its argument names that field */
      if ((a->role == LL_ROLE_SIGNAL || a->role == LL_ROLE_CLOSE) && !a->object_field &&
          !ll_stop_ident(object_of(k, a)) && strcmp(a->pack, wa->pack) == 0)
        return 1;
    }
  }
  return 0;
}

/* Every waker of the wait k (sync.h: signals and closes of its key) is one
 * of the task's functions, and there is one; or k is a barrier wait and the
 * task is a party of the same barrier. */
static int only_task_wakes(ll_sync *sy, const ll_nodevec *all, const ll_taskfns *t, const ll_node *k,
                           const ll_api *wa) {
  const char *key = ll_sync_call_key(sy, k->func->tu, k, wa);
  if (!key || unknown_waker(all, t, wa)) return 0;
  const ll_sync_site *const *ws;
  size_t nw = ll_sync_wakers(sy, key, &ws), mine = 0;
  if (wa->flags & LL_API_BARRIER) {
    const ll_sync_site *const *all_waits;
    size_t n = ll_sync_waits(sy, &all_waits);
    for (size_t i = 0; i < n; i++)
      if (all_waits[i]->key == key && ll_taskfns_has(t, all_waits[i]->fn)) return 1;
    return 0;
  }
  for (size_t i = 0; i < nw; i++) {
    if (!ll_sync_same_program(sy, ws[i]->fn, k->func)) continue;
    if (!ll_taskfns_has(t, ws[i]->fn)) return 0;
    mine++;
  }
  return mine > 0;
}

static int report_failed_spawn(ll_pass_ctx *ctx, ll_stopctx *sc, ll_sync *sy, const ll_spawn *sp,
                               const ll_taskfns *t, const ll_nodevec *all) {
  if (!(sp->api->flags & LL_API_FAILS_BY_RESULT)) return 0;
  blind b[8];
  size_t nb = blind_spots(sc, sp, b, 8);
  for (size_t i = 0; i < nb; i++) {
    ll_nodevec calls = {0};
    ll_stop_calls_from(NULL, b[i].fn, &calls);
    for (size_t c = 0; c < calls.n; c++) {
      const ll_node *k = calls.v[c];
      const ll_api *wa = api_with(k, LL_ROLE_WAIT);
      if (!wa || k->loc.offset <= b[i].after || !ll_call_waits_forever(k, wa)) continue;
      if ((!wa->object_field && !ll_stop_ident(object_of(k, wa))) || !only_task_wakes(sy, all, t, k, wa)) continue;
      char *s = display(sp->site), *w = display(k), *d = display(b[i].drop);
      char *msg = b[i].drop == sp->site
                      ? ll_xasprintf("%s's result is not checked, but the creator then waits in %s for the task: if "
                                     "the thread was not created, nothing wakes that wait and the creator hangs",
                                     s, w)
                      : ll_xasprintf("a failure of %s is returned, but the result of the %s call is dropped and the "
                                     "caller then waits in %s for the task: if the thread was not created, the wait "
                                     "hangs",
                                     s, d, w);
      story st = {msg, {&k->loc, b[i].drop != sp->site ? &b[i].drop->loc : NULL},
                  {wa->flags & LL_API_BARRIER ? "waits for parties that may not exist"
                                              : "waits for a wakeup only the task sends",
                   "the spawn's failure is dropped here"},
                  "check the result of the spawn and do not wait for a task that was not created (propagate the "
                  "error, or abort)",
                  LL_CONF_HIGH, "the creator can hang"};
      emit(ctx, sp, &st);
      free(msg);
      free(s);
      free(w);
      free(d);
      free(calls.v);
      return 1;
    }
    free(calls.v);
  }
  return 0;
}

/* ---------------------------------------------------------------- a flag nobody writes */

/* usr is a global of internal linkage (clang spells the file in the USR). */
static int internal_global(const ll_value *v) {
  v = ll_value_strip(v);
  return v && v->kind == LL_V_GLOBAL && v->usr && strncmp(v->usr, "c:", 2) == 0 && v->usr[2] != '@' && v->name;
}

/* Some text of the tu can write `name`: an assignment, ++/--, or its address
 * taken (a declaration line starting with `static` is its definition).
 * Text, not ll_sync_writers: the IR records no ++/--, no C11 atomic
 * operation (atomic_store is a builtin expression, not a call) and no
 * file-scope initialiser, so the IR's writers would miss real ones and
 * claim "no code writes it" (fixture pthread_flag_written_out_of_ir_fixed.c). */
static int text_may_write(const ll_tu *tu, const char *name) {
  size_t nl = strlen(name);
  for (size_t f = 0; f < tu->nfiles; f++) {
    const char *s = tu->contents[f];
    size_t len = tu->lens[f];
    for (size_t i = 0; s && i + nl <= len; i++) {
      if (memcmp(s + i, name, nl) != 0) continue;
      char pc = i ? s[i - 1] : ' ', nc = i + nl < len ? s[i + nl] : ' ';
      if (ident_char(pc) || ident_char(nc)) continue;
      /* its address taken or a prefix ++/--, also in another static's
         initialiser (static int *const p = &flag;) */
      size_t b = i;
      while (b && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
      if (b && (s[b - 1] == '&' || (b >= 2 && (s[b - 1] == '+' || s[b - 1] == '-') && s[b - 2] == s[b - 1])))
        return 1;
      size_t ls = i;
      while (ls && s[ls - 1] != '\n') ls--;
      while (ls < i && (s[ls] == ' ' || s[ls] == '\t')) ls++;
      if (strncmp(s + ls, "static", 6) == 0) continue;
      size_t j = i + nl;
      while (j < len && (s[j] == ' ' || s[j] == '\t')) j++;
      if (j + 1 < len && ((s[j] == '=' && s[j + 1] != '=') || (s[j + 1] == '=' && strchr("+-*/|&^", s[j])) ||
                          (s[j] == '+' && s[j + 1] == '+') || (s[j] == '-' && s[j + 1] == '-')))
        return 1;
    }
  }
  return 0;
}

static int exits_loop(ll_node *n, void *d) {
  (void)d;
  return n->kind == LL_N_BREAK || n->kind == LL_N_RETURN || n->kind == LL_N_GOTO || n->kind == LL_N_THROW ||
         (n->kind == LL_N_CALL && ll_call_has_role(n, LL_ROLE_TASK_EXIT));
}

typedef struct dead_ctx {
  const ll_node *loop;
} dead_ctx;

static int dead_cb(ll_node *n, void *d) {
  dead_ctx *c = d;
  if (n->kind != LL_N_LOOP || n->cond_const != -1 || !n->ncond_refs) return 0;
  for (size_t i = 0; i < n->ncond_refs; i++) {
    const ll_value *r = n->cond_refs[i];
    if (!internal_global(r) || text_may_write(n->func->tu, ll_value_strip(r)->name)) return 0;
  }
  if (n->cond && n->cond->nkids) return 0; /* calls in the condition: cannot know */
  for (size_t i = 0; i < n->nkids; i++)
    if (n->kids[i] && ll_visit(n->kids[i], exits_loop, NULL)) return 0;
  c->loop = n;
  return 1;
}

static int report_unwritten(ll_pass_ctx *ctx, const ll_spawn *sp, const ll_taskfns *t) {
  if (!(sp->fate & LL_FATE_JOINED) || !sp->join_site) return 0;
  for (size_t i = 0; i < t->n; i++) {
    dead_ctx c = {NULL};
    ll_visit(t->fns[i]->body, dead_cb, &c);
    if (!c.loop) continue;
    char *flag = value_text(c.loop->cond_refs[0]), *j = display(sp->join_site);
    char *msg = ll_xasprintf("the task loops until %s changes, but no code writes %s, so %s waits forever", flag,
                             flag, j);
    story s = {msg, {&c.loop->loc, &sp->join_site->loc}, {"the only way out of this loop", "this join never returns"},
               "add a stop flag the stop path sets (and the loop tests) before joining the task", LL_CONF_HIGH};
    emit(ctx, sp, &s);
    free(msg);
    free(flag);
    free(j);
    return 1;
  }
  return 0;
}

/* ---------------------------------------------------------------- a runner kept alive */

/* A call of the program that keeps `obj` running (a work guard on it, the
 * packs' keeps_running) and stores the guard in a field or global: it lives
 * as long as its owner, past the join in the owner's destructor. */
static const ll_node *kept_running(const ll_program *p, const ll_rules *r, const ll_value *obj) {
  ll_nodevec calls = {0};
  for (size_t t = 0; t < ll_program_tu_count(p); t++) {
    const ll_tu *tu = ll_program_tu(p, t);
    for (size_t j = 0; j < tu->nfuncs; j++)
      if (tu->funcs[j]->body && ll_program_is_canonical(p, tu->funcs[j])) ll_stop_calls_from(NULL, tu->funcs[j], &calls);
  }
  const ll_node *hit = NULL;
  for (size_t i = 0; i < calls.n && !hit; i++) {
    const ll_node *k = calls.v[i];
    if (!k->callee || !ll_rules_fact(r, LL_FACT_KEEPS_RUNNING, k->callee)) continue;
    const ll_node *holder = k->outer_call ? k->outer_call : k; /* ?(make_work_guard(...)) -> this.work */
    if (!holder->result_to || !ll_stop_ident(holder->result_to)) continue;
    for (size_t j = 0; j < k->nargs && !hit; j++)
      if (ll_value_same(k->args[j], obj, 1)) hit = k;
  }
  free(calls.v);
  return hit;
}

/* The task's entry is a blocking_io runner passed with its object, to the
 * spawn or to a binder in its arguments (std::thread(&io_context::run, &ctx),
 * create_thread(bind(&io_context::run, &ctx))): that function reference and
 * object. */
static const ll_value *bound_runner(const ll_rules *r, const ll_node *c, const ll_value **obj, int depth) {
  if (!c || depth > 3) return NULL;
  for (size_t i = 0; i < c->nargs; i++) {
    const ll_value *a = c->args[i];
    if (a && a->kind == LL_V_FUNC && a->name) {
      const ll_api *apis[LL_MAX_APIS];
      size_t n = ll_rules_lookup(r, a->name, apis, LL_MAX_APIS);
      for (size_t j = 0; j < n && j < LL_MAX_APIS; j++)
        if (apis[j]->role == LL_ROLE_BLOCKING_IO && i + 1 < c->nargs && ll_stop_ident(c->args[i + 1])) {
          *obj = c->args[i + 1];
          return a;
        }
    }
    const ll_value *in = a && a->kind == LL_V_CALL ? bound_runner(r, a->call, obj, depth + 1) : NULL;
    if (in) return in;
  }
  return NULL;
}

static int report_guarded_runner(ll_pass_ctx *ctx, const ll_spawn *sp) {
  if (sp->entry || !(sp->fate & LL_FATE_JOINED) || !sp->join_site) return 0;
  const ll_rules *r = ll_pass_packs(ctx);
  const ll_value *obj = NULL;
  const ll_value *fnref = bound_runner(r, sp->site, &obj, 0);
  const ll_node *guard = fnref ? kept_running(ll_pass_program(ctx), r, obj) : NULL;
  if (!guard) return 0;
  ll_stoppath st = {0};
  st.join = sp->join_site;
  ll_stop_calls_before(ll_pass_program(ctx), sp->join_site->func, sp->join_site->loc.offset, &st.calls);
  int reached = stop_reaches(ll_pass_program(ctx), &st, NULL, NULL, WAKE_IO);
  free(st.calls.v);
  if (reached) return 0;
  char *j = display(sp->join_site), *o = value_text(ll_value_strip(obj));
  char *msg = ll_xasprintf("the task runs %s on %s, which a work guard keeps from returning, and %s joins it "
                           "without stopping it or releasing the guard, so the join hangs",
                           fnref->name, o, j);
  const ll_api *apis[LL_MAX_APIS];
  size_t na = ll_rules_lookup(r, fnref->name, apis, LL_MAX_APIS);
  story s = {msg, {&fnref->loc, &guard->loc, &sp->join_site->loc},
             {"the task runs this", "the guard that keeps it running", "this join never returns"},
             hint_or(na ? apis[0] : NULL, "stop the event loop before joining the threads that run it"),
             LL_CONF_HIGH};
  emit(ctx, sp, &s);
  free(msg);
  free(j);
  free(o);
  return 1;
}

/* ---------------------------------------------------------------- driver */

static int pack_call_cb(ll_node *n, void *d) {
  if (n->kind == LL_N_CALL && n->napis) LL_VEC_PUSH((ll_nodevec *)d, n);
  return 0;
}

/* Every pack-tagged call of the program (canonical functions). */
static void all_pack_calls(const ll_program *p, ll_nodevec *out) {
  for (size_t i = 0; i < ll_program_tu_count(p); i++) {
    const ll_tu *tu = ll_program_tu(p, i);
    for (size_t j = 0; j < tu->nfuncs; j++)
      if (tu->funcs[j]->body && ll_program_is_canonical(p, tu->funcs[j])) ll_visit(tu->funcs[j]->body, pack_call_cb, out);
  }
}

static void check_spawn(ll_pass_ctx *ctx, ll_stopctx *sc, ll_sync *sy, const ll_spawn *sp, const ll_nodevec *all) {
  const ll_program *p = ll_pass_program(ctx);
  if (!sp->entry || !sp->entry->body) {
    report_guarded_runner(ctx, sp);
    return;
  }
  ll_taskfns t;
  ll_taskfns_collect(p, sp->entry, &t);
  if (report_failed_spawn(ctx, sc, sy, sp, &t, all)) return;
  if (!(sp->fate & LL_FATE_JOINED) || !sp->join_site) return;
  const ll_node *wait = NULL;
  const ll_node *d = destroyed_before_join(&t, sp->join_site, &wait);
  if (d) {
    report_destroyed(ctx, sp, d, wait, sp->join_site);
    return;
  }
  ll_stoppath st;
  if (ll_stoppath_find(sc, &t, sp->join_site, &st)) {
    parked pk;
    const ll_node *own = overwrites_stop(ctx, sp, &st);
    if (own) report_overwritten(ctx, sp, &st, own);
    else if (find_unreached(p, ll_pass_packs(ctx), &t, &st, &pk)) report_unreached(ctx, sp, &st, &pk, all);
    ll_stoppath_free(&st);
    return;
  }
  report_unwritten(ctx, sp, &t);
}

static void *run(ll_pass_ctx *ctx) {
  ll_tasks *tasks = ll_pass_result_of(ctx, &ll_tasks_pass);
  const ll_spawns *spawns = ll_tasks_spawns(tasks);
  ll_nodevec all = {0};
  int have_all = 0;
  ll_sync *sy = ll_pass_result_of(ctx, &ll_sync_pass);
  ll_stopctx *sc = ll_stopctx_new(ll_pass_program(ctx), ll_pass_packs(ctx), sy);
  for (size_t i = 0; i < spawns->n; i++) {
    const ll_spawn *sp = &spawns->v[i];
    if (!sp->site || !sp->spawner) continue;
    if (!have_all) {
      all_pack_calls(ll_pass_program(ctx), &all);
      have_all = 1;
    }
    check_spawn(ctx, sc, sy, ll_tasks_complete(tasks, i), &all);
  }
  ll_stopctx_free(sc);
  free(all.v);
  return NULL;
}

static const ll_pass *const requires[] = {&ll_tasks_pass, &ll_sync_pass, &ll_mult_pass, NULL};

const ll_pass ll_rule_stop_cannot_wake = {
    .id = "stop-cannot-wake",
    .default_level = LL_LEVEL_WARNING,
    .is_rule = 1,
    .requires = requires,
    .run = run,
};
