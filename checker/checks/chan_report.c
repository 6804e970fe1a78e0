/* chan_report.c - the wording of unbuffered-send and unbuffered-recv
 * findings (see chan_report.h): message, related locations, and a buffer
 * fix or the pack's hint. */
#include "chan_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multiplicity.h"
#include "util.h"

/* ---------------------------------------------------------------- findings */

static ll_span span_of(const ll_loc *l) {
  return ll_span_make(l->file ? l->file : "", l->line, l->col, l->end_line, l->end_col);
}

const char *ll_chan_short_name(const char *q) {
  if (!q) return "?";
  const char *s = q, *p;
  /* drop leading namespaces/classes, keep the last component */
  while ((p = strstr(s, "::"))) s = p + 2;
  return s;
}

static char *op_name(const ll_node *call) {
  if (!call) return ll_xstrdup("a channel operation");
  if (call->kind == LL_N_LOOP) return ll_xstrdup("a range-for over the channel");
  if (call->macro) return ll_xstrdup(call->macro);
  return ll_xstrdup(ll_chan_short_name(call->callee));
}

/* Loop bound text of `for (i = 0; i < N; ...)`: N (caller frees), or NULL. */
static char *loop_bound(const ll_func *fn, const ll_node *loop) {
  if (!loop || loop->loop_kind != LL_LOOP_FOR || !fn || !fn->tu) return NULL;
  size_t len = 0;
  const char *t = ll_tu_text(fn->tu, &loop->loc, &len);
  if (!t) return NULL;
  const char *lp = memchr(t, '(', len);
  if (!lp) return NULL;
  size_t i = (size_t)(lp - t) + 1;
  int depth = 0;
  size_t semi1 = 0, semi2 = 0;
  for (; i < len; i++) {
    char ch = t[i];
    if (ch == '(' || ch == '[' || ch == '{') depth++;
    else if (ch == ')' || ch == ']' || ch == '}') {
      if (depth == 0) break;
      depth--;
    } else if (ch == ';' && depth == 0) {
      if (!semi1) semi1 = i;
      else if (!semi2) { semi2 = i; break; }
    }
  }
  if (!semi1 || !semi2) return NULL;
  /* init must start the counter at 0 */
  const char *init = lp + 1;
  size_t ilen = (size_t)(t + semi1 - init);
  int zero = 0;
  for (size_t k = 0; k + 1 < ilen; k++)
    if (init[k] == '=' && (k == 0 || init[k - 1] != '=')) {
      const char *z = init + k + 1;
      while (*z == ' ') z++;
      if (*z == '0' && (z[1] == ';' || z[1] == ' ' || z + 1 == t + semi1)) zero = 1;
      break;
    }
  if (!zero) return NULL;
  const char *cond = t + semi1 + 1;
  size_t clen = (size_t)(t + semi2 - cond);
  const char *lt = NULL;
  for (size_t k = 0; k < clen; k++)
    if (cond[k] == '<' && (k + 1 >= clen || cond[k + 1] != '=') && (k + 1 >= clen || cond[k + 1] != '<')) {
      lt = cond + k + 1;
      break;
    }
  if (!lt) return NULL;
  while (lt < cond + clen && *lt == ' ') lt++;
  const char *e = cond + clen;
  while (e > lt && e[-1] == ' ') e--;
  if (e <= lt || e - lt > 60) return NULL;
  for (const char *q = lt; q < e; q++)
    if (!(q[0] == '_' || (q[0] >= '0' && q[0] <= '9') || (q[0] >= 'a' && q[0] <= 'z') ||
          (q[0] >= 'A' && q[0] <= 'Z')))
      return NULL; /* keep to a plain identifier or literal */
  return ll_xstrndup(lt, (size_t)(e - lt));
}

static int is_int_literal(const char *s) {
  if (!s || !*s) return 0;
  for (const char *p = s; *p; p++)
    if (*p < '0' || *p > '9') return 0;
  return 1;
}

/* The identifier is a variable of fn declared before `before`. */
static int ident_in_scope(const ll_func *fn, const char *id, const ll_loc *before) {
  if (is_int_literal(id)) return 1;
  const ll_tu *tu = fn->tu;
  const ll_func *top = fn;
  for (size_t i = 0; i < tu->nvars; i++) {
    const ll_var *v = &tu->vars[i];
    if (!v->name || strcmp(v->name, id) != 0) continue;
    for (const ll_func *f = top; f; f = f->parent)
      if (v->owner == f && (v->is_param || v->loc.offset < before->offset)) return 1;
  }
  return 0;
}

static char *subst(const char *tmpl, const char *n, const char *api) {
  ll_buf b = {0};
  for (const char *p = tmpl; *p; p++) {
    if (strncmp(p, "{n}", 3) == 0 && n) {
      ll_buf_puts(&b, n);
      p += 2;
    } else if (strncmp(p, "{api}", 5) == 0 && api) {
      ll_buf_puts(&b, api);
      p += 4;
    } else {
      ll_buf_putc(&b, *p);
    }
  }
  return ll_buf_take(&b);
}

static long long next_pow2_above(long long n) {
  long long p = 2;
  while (p <= n && p < (1LL << 40)) p *= 2;
  return p;
}

static void add_fix_or_hint(ll_finding *f, const ll_spawn *sp, const ll_chanleak *ch, const char *size_text,
                            long long size_known) {
  const ll_api *ca = ch->capi;
  char *hint = NULL;
  int buffer_ok = ca->capacity != LL_CAP_ALWAYS_UNBUFFERED && ca->buffer_hint && size_text;
  if (buffer_ok) {
    char num[64];
    const char *n = size_text;
    if (ca->capacity == LL_CAP_RING) {
      if (size_known <= 0) buffer_ok = 0;
      else {
        snprintf(num, sizeof num, "%lld", next_pow2_above(size_known));
        n = num;
      }
    }
    if (buffer_ok) {
      char *code = subst(ca->buffer_hint, n, ll_chan_short_name(ca->name));
      hint = ll_xasprintf("give the channel room for %s unreceived value%s: %s", size_text,
                          strcmp(size_text, "1") == 0 ? "" : "s", code);
      free(code);
      /* a safe edit: the capacity argument is a literal and n is in scope */
      const ll_value *cv = ch->cap_val;
      if (cv && cv->kind == LL_V_INT && cv->known && cv->loc.end_offset > cv->loc.offset &&
          ident_in_scope(sp->spawner, n, &ch->create->loc)) {
        size_t tl = 0;
        const char *txt = ll_tu_text(sp->spawner->tu, &cv->loc, &tl);
        int literal = txt && tl > 0;
        for (size_t k = 0; literal && k < tl; k++)
          if (txt[k] < '0' || txt[k] > '9') literal = 0;
        if (literal) {
          ll_edit *ed = ll_xcalloc(1, sizeof(ll_edit));
          ed->span = span_of(&cv->loc);
          ed->replacement = ll_xstrdup(n);
          char *title = ll_xasprintf("Give the channel a buffer of %s", n);
          ll_finding_add_fix(f, title, LL_FIX_SAFE, ed, 1);
          free(title);
        }
      }
    }
  }
  if (!hint) {
    const char *h = ca->hint ? ca->hint : sp->api->hint;
    if (h) hint = subst(h, size_text, ll_chan_short_name(ca->name));
  }
  if (hint) {
    free(f->hint);
    f->hint = hint;
  }
}

/* ---------------------------------------------------------------- fate and multiplicity */

/* A function's short name for a message: "Server::stop" -> "stop". */
static const char *fn_name(const ll_func *fn) { return fn && fn->name ? ll_chan_short_name(fn->name) : "?"; }

/* The complete fate joins the task outside the function that leaves it
 * blocked (a copy of the handle in a field, joined by a stop function):
 * that join hangs. The join site, or NULL. */
static const ll_node *hanging_join(const ll_spawn *sp, const ll_func *leaver) {
  if (!(sp->fate & LL_FATE_JOINED) || !sp->join_site || sp->join_site->func == leaver) return NULL;
  return sp->join_site;
}

/* The complete fate cancels the running task outside the function that
 * leaves it blocked (through a copy of its handle, by a stop function): it
 * can be stopped, so it is not reported. Cancels inside that function are
 * the pending search's, path by path. */
static int cancelled_elsewhere(const ll_spawn *sp, const ll_func *leaver) {
  const ll_node *k = sp->cancel_site;
  if (!(sp->fate & LL_FATE_CANCELLED) || !k || k->func == leaver) return 0;
  for (size_t j = 0; j < k->napis; j++) {
    const ll_api *a = k->apis[j];
    if (a->role == LL_ROLE_STOP_REQUEST) return 1;
    if (a->role == LL_ROLE_CANCEL && !(a->flags & LL_API_QUEUED_CANCEL)) return 1;
  }
  return 0;
}

/* Appends what the fate and the multiplicity add to a message: the join
 * that hangs, or how often a new task leaks (both with a related
 * location). Takes msg, returns the new message. */
static char *add_fate(ll_finding *f, char *msg, const ll_spawn *sp, const ll_func *leaver, const ll_mult_info *mi) {
  const ll_node *j = hanging_join(sp, leaver);
  char *out;
  if (j) {
    out = ll_xasprintf("%s; the %s in `%s` that waits for it then hangs forever", msg, ll_chan_short_name(j->callee),
                       fn_name(j->func));
    ll_finding_add_related(f, span_of(&j->loc), "this join never returns");
  } else {
    char *again = ll_mult_phrase(mi, "a new task leaks");
    if (!again) return msg;
    out = ll_xasprintf("%s; %s", msg, again);
    free(again);
    ll_mult_add_related(f, mi);
  }
  free(msg);
  return out;
}

/* The policy of multiplicity.h, and a cancel through a copy of the handle
 * (a start/stop contract is about the stop that cancels not being called:
 * its cancel does not count). */
static int worth_reporting(const ll_chanleak *lk, const ll_mult_info *mi) {
  if (!lk->contract && cancelled_elsewhere(lk->sp, lk->cfg->fn)) return 0;
  return ll_mult_should_report(mi, lk->sp);
}

/* A spawner exit with the task's operations pending. */
static void report_exit(ll_pass_ctx *ctx, const ll_chanleak *lk, const ll_mult_info *mi) {
  const ll_spawn *sp = lk->sp;
  const ll_chanleak *ch = lk;
  const ll_pending_ops *ts = &lk->ts;
  const ll_pending_leak *L = &lk->leak;
  int task_ops = lk->task_ops, timeout = lk->timeout;
  const ll_fcfg *sc = lk->cfg;
  const ll_node *site = sp->site;
  char *opn = op_name(ts->op);
  const ll_cfg_node *eg = &sc->g[L->exit_id];
  unsigned exit_line = eg->n ? eg->n->loc.line : (sc->fn->body ? sc->fn->body->loc.end_line : 0);
  int is_send = lk->op == LL_OP_SEND;
  const char *without = is_send ? "receiving" : "sending or closing the channel";
  char *msg;
  char *size_text = NULL;
  long long size_known = -1;
  char *bound = sp->loop ? loop_bound(sp->spawner, sp->loop) : NULL;
  int in_loop = sp->loop && ll_cfg_in_cycle(lk->cfg->c, lk->spawn_id);
  if (timeout) {
    const ll_cfg_node *tg = &sc->g[L->timed_id];
    const ll_node *tcall = tg->kind == LL_CFG_CLAUSE ? tg->clause : tg->n;
    const char *what = is_send ? "the receive" : "the send";
    const char *how = "times out";
    if (tg->kind == LL_CFG_CLAUSE && tcall && ll_call_has_role(tcall, LL_ROLE_SELECT_DEADLINE)) {
      what = "the select deadline";
      how = "expires";
    } else if (tg->kind == LL_CFG_CLAUSE && tcall && ll_call_has_role(tcall, LL_ROLE_SELECT_DEFAULT)) {
      what = "the select's non-blocking branch";
      how = "is taken";
    }
    msg = ll_xasprintf("task started here can block forever in %s: when %s at line %u %s the caller gives "
                       "up without %s",
                       opn, what, tcall ? tcall->loc.line : 0, how,
                       is_send ? "cancelling the task or closing the channel" : "closing the channel");
    size_known = task_ops < LL_PENDING_MANY ? task_ops : -1;
  } else if (ts->until_closed || task_ops >= LL_PENDING_MANY) {
    if (is_send)
      msg = ll_xasprintf("task started here sends in a loop and can block forever in %s: the caller "
                         "returns at line %u without receiving everything or closing the channel",
                         opn, exit_line);
    else
      msg = ll_xasprintf("task started here receives until the channel is closed and can block forever "
                         "in %s: the caller returns at line %u without closing it",
                         opn, exit_line);
  } else if (!L->received) {
    msg = ll_xasprintf("task started here can block forever in %s: the caller returns at line %u without %s",
                       opn, exit_line, without);
    size_known = task_ops;
  } else if (in_loop) {
    msg = ll_xasprintf("tasks started here in a loop can block forever in %s: the caller %s fewer times "
                       "than they %s and returns at line %u",
                       opn, is_send ? "receives" : "sends", is_send ? "send" : "receive", exit_line);
    if (bound) {
      if (task_ops > 1) size_text = ll_xasprintf("%d * %s", task_ops, bound);
      else size_text = ll_xstrdup(bound);
      if (is_int_literal(bound)) size_known = atoll(bound) * task_ops;
    }
  } else {
    msg = ll_xasprintf("task started here can %s %d times in %s but the caller %s fewer times and returns "
                       "at line %u",
                       is_send ? "send" : "receive", task_ops, opn, is_send ? "receives" : "sends", exit_line);
    size_known = task_ops;
  }
  if (!size_text && size_known > 0) size_text = ll_xasprintf("%lld", size_known);
  ll_finding f = ll_pass_finding(ctx, "", span_of(&site->loc));
  f.confidence = LL_CONF_HIGH;
  if (sp->spawner->name) f.function = ll_xstrdup(sp->spawner->name);
  if (ts->op) ll_finding_add_related(&f, span_of(&ts->op->loc), "blocks here forever");
  ll_finding_add_related(&f, span_of(&ch->create->loc), "created unbuffered here");
  if (timeout) {
    const ll_cfg_node *tg = &sc->g[L->timed_id];
    const ll_node *tcall = tg->kind == LL_CFG_CLAUSE ? tg->clause : tg->n;
    if (tcall) ll_finding_add_related(&f, span_of(&tcall->loc), "gives up here when this times out");
  }
  {
    const char *rm = is_send ? "returns here without receiving" : "returns here without sending or closing";
    if (eg->n) {
      ll_finding_add_related(&f, span_of(&eg->n->loc), rm);
    } else if (sc->fn->body && sc->fn->body->loc.end_line) {
      const ll_loc *bl = &sc->fn->body->loc;
      unsigned col = bl->end_col > 1 ? bl->end_col - 1 : 1;
      ll_finding_add_related(&f, ll_span_make(bl->file ? bl->file : "", bl->end_line, col, bl->end_line, col + 1), rm);
    }
  }
  msg = add_fate(&f, msg, sp, sc->fn, mi);
  free(f.message);
  f.message = msg; /* the finding owns it now */
  msg = NULL;
  if (!is_send || ts->until_closed || task_ops >= LL_PENDING_MANY) {
    /* a buffer does not help a receiver or a loop: the cancel path */
    const char *h = !is_send && ts->op_api && ts->op_api->hint ? ts->op_api->hint
                    : ch->capi->hint                          ? ch->capi->hint
                                                              : sp->api->hint;
    if (h) f.hint = subst(h, NULL, ll_chan_short_name(ch->capi->name));
  } else {
    add_fix_or_hint(&f, sp, ch, size_text, size_known);
  }
  ll_pass_report(ctx, f);
  free(msg);
  free(opn);
  free(size_text);
  free(bound);
}

/* A start function's task that only its stop function ends, started by a
 * caller that can return without the stop. */
static void report_contract(ll_pass_ctx *ctx, const ll_chanleak *lk, const ll_mult_info *mi) {
  const ll_func *fn = lk->cfg->fn, *start = lk->start;
  const ll_cfg_node *eg = &lk->cfg->g[lk->leak.exit_id];
  unsigned exit_line = eg->n ? eg->n->loc.line : (fn->body ? fn->body->loc.end_line : 0);
  char *opn = op_name(lk->ts.op);
  char *msg = ll_xasprintf("task started here by %s can block forever in %s until %s runs: %s calls %s "
                           "at line %u and returns at line %u without it",
                           ll_chan_short_name(start->name), opn, ll_chan_short_name(lk->stop->name),
                           ll_chan_short_name(fn->name), ll_chan_short_name(start->name), lk->start_call->loc.line,
                           exit_line);
  ll_finding f = ll_pass_finding(ctx, "", span_of(&lk->sp->site->loc));
  f.confidence = LL_CONF_MEDIUM;
  if (start->name) f.function = ll_xstrdup(start->name);
  ll_finding_add_related(&f, span_of(&lk->ts.op->loc), "blocks here forever");
  ll_finding_add_related(&f, span_of(&lk->create->loc), "created unbuffered here");
  ll_finding_add_related(&f, span_of(&lk->start_call->loc), "started here without a matching stop");
  if (eg->n) ll_finding_add_related(&f, span_of(&eg->n->loc), "returns here");
  ll_finding_add_related(&f, span_of(&lk->stop->loc), "only this function ends the task");
  msg = add_fate(&f, msg, lk->sp, fn, mi);
  free(f.message);
  f.message = msg; /* the finding owns it now */
  msg = NULL;
  f.hint = ll_xasprintf("call %s on every path after %s (or stop the task in the object's cleanup)",
                        ll_chan_short_name(lk->stop->name), ll_chan_short_name(start->name));
  ll_pass_report(ctx, f);
  free(msg);
  free(opn);
}

void ll_chan_report(ll_pass_ctx *ctx, const ll_chanleak *lk, const ll_mult *mult) {
  /* how often the leak repeats: the spawn's, or for a start/stop contract
     the caller's that starts without stopping */
  ll_mult_info mi = lk->contract ? ll_multiplicity_of_func(mult, lk->cfg->fn) : ll_multiplicity_of(mult, lk->sp);
  if (!worth_reporting(lk, &mi)) return;
  if (lk->contract) report_contract(ctx, lk, &mi);
  else report_exit(ctx, lk, &mi);
}

void ll_chan_report_all(ll_pass_ctx *ctx, ll_chan_op op) {
  const ll_spawns *spawns = ll_tasks_spawns(ll_pass_result_of(ctx, &ll_tasks_pass));
  const ll_chanleaks *leaks = ll_pass_result_of(ctx, &ll_chanleaks_pass);
  const ll_mult *mult = ll_pass_result_of(ctx, &ll_mult_pass);
  for (size_t i = 0; i < spawns->n; i++) {
    const ll_chanleak *lk = ll_chanleaks_at(leaks, i);
    if (lk && lk->op == op) ll_chan_report(ctx, lk, mult);
  }
}
