/* timer_per_iteration.c - timer-per-iteration, in three forms.
 *
 * A timer (a call whose rule-pack role is timer_create) leaks when it is
 * created again and again and each one is lost:
 *   - per iteration (timer_loop.c): created inside a loop and lost by the
 *     end of the iteration (discarded, neither released nor stored, or
 *     written over an outer variable before it is released);
 *   - per call (timer_call.c): created outside any loop in a function that
 *     runs repeatedly (multiplicity.h), and lost when it returns, cleared
 *     later without a release, or overwritten by the next call;
 *   - the task form (timer_task.c): a task spawned in a loop whose body only
 *     sleeps and then signals, that nobody joins, cancels or awaits.
 * What the code does with the timer handle is followed by timer_handle.c.
 * RAII timers (asio) are only judged when allocated with new per call, and
 * one-shot timers that free themselves are skipped. This file finds the
 * creations, sends each to its form, and holds the pass: its result is the
 * spawns the task form reported, which wait-without-cancel requires. */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "multiplicity.h"
#include "timer_forms.h"

/* The timer_create entry of a call. A library's timer macro over a general
 * call (a timer event made by event_new) matches through the entry's
 * spellings, since macro arguments have no source text to test. */
static const ll_api *timer_api(const ll_rules *rules, const ll_node *call) {
  const ll_api *a = ll_call_api(call, LL_ROLE_TIMER_CREATE);
  if (a && a->requires_arg_text) {
    /* facts matched it already; keep the rule honest on its own */
    const ll_value *v = ll_call_arg(call, a->requires_arg);
    if (!v || !v->text || !strstr(v->text, a->requires_arg_text)) return NULL;
  }
  if (a || !call->macro || !call->callee) return a;
  const ll_api *c[8];
  size_t n = ll_rules_lookup(rules, call->callee, c, 8);
  for (size_t i = 0; i < n && i < 8; i++)
    if (c[i]->role == LL_ROLE_TIMER_CREATE && ll_timer_spelled(c[i], call->macro)) return c[i];
  return NULL;
}

typedef struct scanctx {
  ll_pass_ctx *ctx;
  ll_timer_calls *calls;
} scanctx;

/* One creation to its form. */
static int scan_visit(ll_node *n, void *p) {
  scanctx *s = p;
  const ll_api *api = n->kind == LL_N_CALL ? timer_api(ll_pass_packs(s->ctx), n) : NULL;
  if (!api || (api->flags & LL_API_ONESHOT)) return 0;
  if (api->flags & LL_API_RAII) {
    ll_timer_check_heap(s->calls, n, api);
    return 0;
  }
  const ll_node *loop = ll_enclosing_loop(n);
  if (!loop || ll_timer_runs_once(loop, n)) ll_timer_check_call(s->calls, n, api);
  else ll_timer_check_loop(s->ctx, ll_pass_program(s->ctx), n, api, loop);
  return 0;
}

/* Timers created by a pack's timer_create call in a loop, or in a function
 * that runs repeatedly. */
static void check_timer_calls(ll_pass_ctx *ctx, const ll_mult *mult) {
  const ll_program *prog = ll_pass_program(ctx);
  scanctx s = {ctx, ll_timer_calls_new(ctx, mult)};
  for (size_t i = 0; i < ll_program_tu_count(prog); i++) {
    const ll_tu *tu = ll_program_tu(prog, i);
    for (size_t j = 0; j < tu->nfuncs; j++) {
      const ll_func *fn = tu->funcs[j];
      if (!fn->body || !ll_program_is_canonical(prog, fn)) continue;
      ll_visit(fn->body, scan_visit, &s);
    }
  }
  ll_timer_calls_free(s.calls);
}

/* ------------------------------------------------------------ the pass */

struct ll_timer_tasks {
  unsigned char *reported; /* indexed like the task model's spawns */
  size_t n;
};

int ll_timer_tasks_reported(const ll_timer_tasks *t, size_t i) { return t && i < t->n && t->reported[i]; }

static void *run(ll_pass_ctx *ctx) {
  ll_tasks *tasks = ll_pass_result_of(ctx, &ll_tasks_pass);
  const ll_spawns *spawns = ll_tasks_spawns(tasks);
  const ll_mult *mult = ll_pass_result_of(ctx, &ll_mult_pass);
  const ll_chanleaks *leaks = ll_pass_result_of(ctx, &ll_chanleaks_pass);
  check_timer_calls(ctx, mult);
  ll_timer_tasks *t = ll_xcalloc(1, sizeof *t);
  t->n = spawns->n;
  t->reported = ll_xcalloc(t->n ? t->n : 1, 1);
  for (size_t i = 0; i < spawns->n; i++)
    if (!ll_chanleaks_at(leaks, i)) {
      /* the complete fate: a join through a copy of the handle awaits the task too */
      ll_mult_info mi = ll_multiplicity_at(mult, i);
      t->reported[i] = (unsigned char)ll_timer_check_task(ctx, ll_tasks_complete(tasks, i), &mi);
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
