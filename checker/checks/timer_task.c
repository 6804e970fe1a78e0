/* timer_task.c - timer-per-iteration, the sleeping-task form (see
 * timer_forms.h).
 *
 * A task spawned in a loop, whose body only sleeps and then signals (a
 * timer made of a thread per iteration), and that nobody joins, cancels or
 * awaits after the loop. The rule leaves spawns with a channel leak record
 * (chanleak.h) to the channel rules; the spawns this form reports are the
 * rule's result, which wait-without-cancel requires. */
#include <stdlib.h>
#include <string.h>

#include "chan_report.h"
#include "checks.h"
#include "timer_forms.h"

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

/* The task's body sleeps once, first (nothing but the sleep's own argument
 * calls before it), then signals; it neither loops, blocks nor spawns. */
static int only_sleeps(const ll_rules *rules, const ll_func *entry, timer_scan *t) {
  memset(t, 0, sizeof *t);
  t->rules = rules;
  ll_visit(entry->body, timer_cb, t);
  if (t->sleeps != 1 || t->loops || t->blocking || t->spawns || t->calls > 6 || !t->signals) return 0;
  const ll_node *body = entry->body;
  int after = 0;
  for (size_t i = 0; i < body->nkids; i++) {
    const ll_node *k = body->kids[i];
    if (!k) continue;
    if (k == t->sleep) {
      after = 1;
      continue;
    }
    if (!after && k->kind != LL_N_CALL && k->kind != LL_N_DECL && k->kind != LL_N_ASSIGN) return 0;
  }
  return after; /* else the sleep is nested in a condition */
}

static void report_task(ll_pass_ctx *ctx, const ll_spawn *sp, const ll_node *sleep, const ll_mult_info *mi) {
  char *what = sp->site->macro ? ll_xstrdup(sp->site->macro) : ll_xstrdup(ll_chan_short_name(sp->site->callee));
  /* how often: the loop's iterations, and the spawner's calls when it repeats too */
  char *often = mi->kind == LL_MULT_PER_CALL ? ll_mult_phrase(mi, "and the loop runs again") : NULL;
  char *msg = ll_xasprintf("%s starts a task in every loop iteration that only sleeps and then signals: a "
                           "timer made of a thread per iteration%s%s",
                           what, often ? "; " : "", often ? often : "");
  free(often);
  ll_finding f = ll_pass_finding(ctx, msg, ll_timer_span(&sp->site->loc));
  f.confidence = LL_CONF_MEDIUM;
  if (sp->spawner->name) f.function = ll_xstrdup(sp->spawner->name);
  ll_finding_add_related(&f, ll_timer_span(&sleep->loc), "the task only sleeps here");
  ll_finding_add_related(&f, ll_timer_span(&sp->loop->loc), "inside this loop");
  if (mi->kind == LL_MULT_PER_CALL) ll_mult_add_related(&f, mi);
  f.hint = ll_xstrdup("create one timer (or one timer thread) outside the loop and re-arm it each "
                      "iteration instead of starting a sleeping task per iteration");
  ll_pass_report(ctx, f);
  free(msg);
  free(what);
}

int ll_timer_check_task(ll_pass_ctx *ctx, const ll_spawn *sp, const ll_mult_info *mi) {
  if (!sp->loop || !sp->entry || !sp->entry->body) return 0;
  if ((sp->fate & LL_FATE_JOINED) && sp->join_site && ll_node_within(sp->join_site, sp->loop)) return 0;
  if (sp->fate & (LL_FATE_CANCELLED | LL_FATE_ESCAPES | LL_FATE_JOIN_ON_DESTROY)) return 0;
  if (!(sp->fate & (LL_FATE_DETACHED | LL_FATE_DISCARDED)) && (sp->fate & LL_FATE_JOINED)) return 0;
  timer_scan t;
  if (!only_sleeps(ll_pass_packs(ctx), sp->entry, &t)) return 0;
  /* the spawner waits for the tasks after the loop (a countdown over a
     channel, joins): they are awaited, not lost */
  awaited_scan aw = {sp->loop, 0};
  ll_visit(sp->spawner->body, awaited_cb, &aw);
  if (aw.found) return 0;
  report_task(ctx, sp, t.sleep, mi);
  return 1;
}
