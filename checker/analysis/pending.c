/* pending.c - the pending-operation search (see pending.h). */
#include "pending.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define CAP 8            /* pending counts above this are "many" */
#define PEND_INF (CAP + 1)
#define MAX_DEPTH 4

int ll_pending_drops_path(const ll_cfg_node *g) { return g->kind == LL_CFG_ABORT || g->kind == LL_CFG_UNKNOWN; }

/* ---------------------------------------------------------------- task side */


static int op_count_fn(ll_chan_ctx *x, const ll_func *fn, ll_chanref *r, ll_chan_op want, int depth, ll_pending_ops *ts,
                       const ll_func **stack, int nstack);

typedef struct exit_scan {
  const ll_node *loop;
  int exits;
} exit_scan;

static int exit_cb(ll_node *n, void *d) {
  exit_scan *e = d;
  if (n->kind == LL_N_RETURN || n->kind == LL_N_GOTO || n->kind == LL_N_THROW) e->exits++;
  if (n->kind == LL_N_BREAK) {
    /* a break leaves the innermost loop or switch around it */
    const ll_node *p = n->parent;
    while (p && p->kind != LL_N_LOOP && p->kind != LL_N_SWITCH) p = p->parent;
    if (p == e->loop) e->exits++;
  }
  if (n->kind == LL_N_CALL && ll_call_has_role(n, LL_ROLE_TASK_EXIT)) e->exits++;
  return 0;
}

/* An operation repeated in a loop counts as "until the channel is closed"
 * only when the loop cannot end any other way: the operation is in the
 * loop's condition (while (chan_recv(c, &v) == 0)), or the loop is infinite
 * and has no break/return. A loop that can stop on a value (a sentinel) or
 * after a count makes no claim. */
static int loop_forever_op(const ll_node *call) {
  if (!call) return 0;
  const ll_node *loop = ll_enclosing_loop(call);
  while (loop && loop->cond_const == 0) loop = ll_enclosing_loop(loop);
  if (!loop) return 1; /* a goto cycle */
  if (loop->cond && ll_node_within(call, loop->cond)) return 1;
  if (loop->cond_const != 1) return 0;
  exit_scan e = {loop, 0};
  if (loop->nkids) ll_visit(loop->kids[0], exit_cb, &e);
  return e.exits == 0;
}

/* Weight of node g for the count of `want` ops. */
static int node_weight(ll_chan_ctx *x, const ll_fcfg *c, int id, ll_chanref *r, ll_chan_op want, int depth, ll_pending_ops *ts,
                       const ll_func **stack, int nstack) {
  const ll_cfg_node *g = &c->g[id];
  ll_chan_opinfo o = ll_chan_op_of(x->rules, g, r);
  if (o.kind == want && o.forever) {
    if (!ts->op) {
      ts->op = o.call;
      ts->op_fn = c->fn;
      ts->op_api = o.api;
    }
    if (g->kind == LL_CFG_RANGE) {
      ts->until_closed = 1;
      return LL_PENDING_MANY;
    }
    if (!ll_cfg_in_cycle(c->c, id)) return 1;
    return loop_forever_op(o.call) ? LL_PENDING_MANY : 0;
  }
  if (g->kind != LL_CFG_STMT || !g->n || g->n->kind != LL_N_CALL || depth >= MAX_DEPTH) return 0;
  const ll_func *callee = ll_resolve_callee(x->p, g->n);
  if (!callee || !callee->body || ll_call_has_role(g->n, LL_ROLE_SPAWN)) return 0;
  for (int i = 0; i < nstack; i++)
    if (stack[i] == callee) return 0;
  ll_chanref sub;
  memset(&sub, 0, sizeof sub);
  sub.tu = callee->tu;
  sub.rules = r->rules;
  sub.loose_fields = 1;
  for (size_t i = 0; i < r->v.n; i++)
    if (r->v.v[i]->kind == LL_V_FIELD) LL_VEC_PUSH(&sub.v, r->v.v[i]);
  /* parameters: build VAR values in the callee's tu */
  ll_value *pvals = ll_xcalloc(callee->nparams ? callee->nparams : 1, sizeof(ll_value));
  int any = sub.v.n > 0;
  for (size_t i = 0; i < g->n->nargs && i < callee->nparams; i++) {
    if (ll_chanref_match(r, g->n->args[i]) || ll_chanref_base_match(r, g->n->args[i])) {
      pvals[i].kind = LL_V_VAR;
      pvals[i].var = callee->params[i];
      LL_VEC_PUSH(&sub.v, &pvals[i]);
      any = 1;
    }
  }
  int w = 0;
  if (any) {
    ll_chanref_close(&sub, callee);
    const ll_func *st2[MAX_DEPTH + 2];
    int ns = nstack < MAX_DEPTH ? nstack : MAX_DEPTH;
    memcpy(st2, stack, (size_t)ns * sizeof(*stack));
    st2[ns++] = callee;
    w = op_count_fn(x, callee, &sub, want, depth + 1, ts, st2, ns);
    if (w > 0 && ll_cfg_in_cycle(c->c, id)) w = LL_PENDING_MANY;
  }
  ll_chanref_free(&sub);
  free(pvals);
  return w;
}

/* Longest path (in ops) from the entry to an exit over the SCC condensation. */
static int op_count_fn(ll_chan_ctx *x, const ll_func *fn, ll_chanref *r, ll_chan_op want, int depth, ll_pending_ops *ts,
                       const ll_func **stack, int nstack) {
  const ll_fcfg *c = ll_cfgs_get(x->cfgs, fn, LL_PENDING_CFG_FLAGS);
  size_t n = c->n;
  int nscc = ll_cfg_scc_count(c->c);
  int *w = ll_xcalloc((size_t)nscc + 1, sizeof(int));
  for (size_t i = 0; i < n; i++) {
    int nw = node_weight(x, c, (int)i, r, want, depth, ts, stack, nstack);
    int s = c->scc[i];
    w[s] = w[s] + nw > LL_PENDING_MANY ? LL_PENDING_MANY : w[s] + nw;
  }
  /* Tarjan numbers SCCs in reverse topological order: successors first. */
  int *best = ll_xcalloc((size_t)nscc + 1, sizeof(int));
  for (int s = 0; s < nscc; s++) {
    int b = 0;
    for (size_t i = 0; i < n; i++) {
      if (c->scc[i] != s) continue;
      for (size_t e = 0; e < c->g[i].nsucc; e++) {
        int t = c->scc[c->g[i].succ[e]];
        if (t != s && best[t] > b) b = best[t];
      }
    }
    best[s] = b + w[s] > LL_PENDING_MANY ? LL_PENDING_MANY : b + w[s];
  }
  int res = best[c->scc[c->entry]];
  free(w);
  free(best);
  return res;
}

int ll_pending_count(ll_chan_ctx *x, const ll_func *entry, ll_chanref *r, ll_chan_op want, ll_pending_ops *ts) {
  const ll_func *stack[MAX_DEPTH + 2] = {entry};
  return op_count_fn(x, entry, r, want, 0, ts, stack, 1);
}

/* ---------------------------------------------------------------- spawner side */


typedef enum { EF_NONE, EF_MATCH, EF_MATCH_TIMED, EF_SATISFY, EF_SPAWN, EF_JOIN } effect;


static int value_passes(const ll_chanref *r, const ll_value *v) {
  return ll_chanref_match(r, v) || ll_chanref_base_match(r, v);
}

static int handle_is(const ll_spawn *sp, const ll_value *v) {
  if (!sp->handle || !v) return 0;
  v = ll_value_strip(v);
  if (v && v->kind == LL_V_CALL && v->call == sp->site) return 1;
  return ll_value_same(ll_value_strip(sp->handle), v, 0);
}

static effect node_effect(ll_pending_side *s, int id) {
  const ll_cfg_node *g = &s->c->g[id];
  if (id == s->spawn_id) return EF_SPAWN;
  if (s->drain_scc && s->drain_scc[s->c->scc[id]]) return EF_SATISFY;
  ll_chan_opinfo o = ll_chan_op_of(s->x->rules, g, s->r);
  if (o.kind == s->match) {
    if (g->kind == LL_CFG_STMT && ll_cfg_in_cycle(s->c->c, id) && s->c->scc[id] != s->spawn_scc && s->task_ops < LL_PENDING_MANY)
      return EF_SATISFY; /* a loop draining the channel */
    return o.timed ? EF_MATCH_TIMED : EF_MATCH;
  }
  if (o.kind == LL_OP_CLOSE || o.kind == LL_OP_SELECT_ANY) return EF_SATISFY;
  if (g->kind == LL_CFG_RANGE && o.kind == LL_OP_RECV && s->match == LL_OP_RECV) return EF_SATISFY;
  if (g->kind != LL_CFG_STMT || !g->n) return EF_NONE;
  const ll_node *n = g->n;
  if (n->kind == LL_N_RETURN && n->value && value_passes(s->r, n->value)) return EF_SATISFY;
  if (n->kind == LL_N_ASSIGN && n->rhs && ll_chanref_match(s->r, n->rhs)) {
    const ll_value *l = ll_value_strip(n->lhs);
    if (l && (l->kind == LL_V_GLOBAL ||
              (l->kind == LL_V_FIELD && l->base &&
               (ll_value_strip(l->base)->kind == LL_V_THIS || ll_value_strip(l->base)->kind == LL_V_GLOBAL ||
                (ll_value_strip(l->base)->kind == LL_V_VAR && s->c->fn->tu &&
                 (size_t)ll_value_strip(l->base)->var < s->c->fn->tu->nvars &&
                 s->c->fn->tu->vars[ll_value_strip(l->base)->var].is_param)))))
      return EF_SATISFY; /* escapes */
    if (l && (l->kind == LL_V_INDEX || l->kind == LL_V_DEREF)) return EF_SATISFY;
  }
  if (n->kind != LL_N_CALL) return EF_NONE;
  /* cancel / join of this task */
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    if (a->role == LL_ROLE_CANCEL || a->role == LL_ROLE_STOP_REQUEST) {
      const ll_value *obj = ll_call_arg(n, a->object_arg);
      if (handle_is(s->sp, obj)) return EF_SATISFY;
      if (s->sp->site->is_bracket_spawn && s->sp->api->bundle_arg >= 0 && obj &&
          ll_value_same(obj, ll_call_arg(s->sp->site, s->sp->api->bundle_arg), 0))
        return EF_SATISFY;
      if (value_passes(s->r, obj)) return EF_SATISFY; /* channel cancel() */
    }
    if (a->role == LL_ROLE_JOIN && handle_is(s->sp, ll_call_arg(n, a->object_arg))) return EF_JOIN;
  }
  /* the channel or the handle passed somewhere */
  int passes = 0, handle = 0;
  for (size_t i = 0; i < n->nargs; i++) {
    if (value_passes(s->r, n->args[i])) passes = 1;
    if (handle_is(s->sp, n->args[i])) handle = 1;
  }
  if (n->obj && value_passes(s->r, n->obj) && !n->napis) passes = 1;
  if (n->is_bracket_spawn && n->bracket_task)
    for (size_t i = 0; i < n->bracket_task->nargs; i++)
      if (value_passes(s->r, n->bracket_task->args[i])) passes = 1;
  if (handle && !n->napis) return EF_SATISFY;
  if (!passes) return EF_NONE;
  if (ll_call_has_role(n, LL_ROLE_SPAWN) || n->is_bracket_spawn) return EF_SATISFY; /* another task */
  if (n->napis) return EF_NONE; /* a library call on the channel we do not count */
  /* a project function: does it do anything with the channel? */
  const ll_func *callee = ll_resolve_callee(s->x->p, n);
  if (!callee) return EF_SATISFY; /* unknown code */
  return EF_SATISFY;                /* conservative: it may receive or close */
}


/* Which branch of an if testing a spawn's result means the spawn failed:
 * 1 then, 0 else, -1 unknown. */
int ll_pending_spawn_failure_branch(const ll_func *fn, const ll_node *ifn) {
  char *t = ll_pending_cond_text(fn, ifn);
  if (!t) return -1;
  int r = -1;
  if (strstr(t, "<0") || strstr(t, "==-1") || strstr(t, "!=0") || strstr(t, "==NULL") ||
      strstr(t, "==nullptr") || t[0] == '!')
    r = 1;
  else if (strstr(t, ">=0") || strstr(t, "==0") || strstr(t, "!=NULL") || strstr(t, "!=nullptr"))
    r = 0;
  free(t);
  return r;
}

/* Search (node, pending, received) states from the spawn for an exit with
 * work outstanding. */
ll_pending_leak ll_pending_search_exists(ll_pending_side *s) {
  ll_pending_leak L;
  memset(&L, 0, sizeof L);
  L.exit_id = -1;
  L.timed_id = -1;
  size_t n = s->c->n;
  size_t nst = n * (PEND_INF + 1) * 4;
  unsigned char *seen = ll_xcalloc(nst, 1);
  effect *eff = ll_xmalloc(n * sizeof(effect));
  for (size_t i = 0; i < n; i++) eff[i] = node_effect(s, (int)i);
  LL_VEC(int) q = {0};
#define ST(id, p, r) ((((size_t)(id) * (PEND_INF + 1) + (size_t)(p)) * 2 + (size_t)(r)) * 2 + (size_t)(gaveup))
  /* start: just after the spawn, with its ops outstanding */
  int p0 = s->task_ops >= LL_PENDING_MANY ? PEND_INF : (s->task_ops > CAP ? CAP : s->task_ops);
  int is_main = s->c->fn->name && strcmp(s->c->fn->name, "main") == 0 && !s->c->fn->parent;
  const ll_cfg_node *sg = &s->c->g[s->spawn_id];
  int gaveup = 0;
  for (size_t e = 0; e < sg->nsucc; e++) {
    size_t st = ST(sg->succ[e], p0, 0);
    if (!seen[st]) {
      seen[st] = 1;
      LL_VEC_PUSH(&q, (int)st);
    }
  }
  int best_exit = -1, best_recv = 2, best_gaveup = 0;
  size_t head = 0;
  while (head < q.n) {
    size_t st = (size_t)q.v[head++];
    gaveup = (int)(st % 2);
    st /= 2;
    int rcv = (int)(st % 2);
    int pend = (int)((st / 2) % (PEND_INF + 1));
    int id = (int)(st / 2 / (PEND_INF + 1));
    if (s->c->g[id].kind == LL_CFG_CLAUSE && s->c->g[id].clause &&
        (ll_call_has_role(s->c->g[id].clause, LL_ROLE_SELECT_DEADLINE) ||
         ll_call_has_role(s->c->g[id].clause, LL_ROLE_SELECT_DEFAULT)) && !gaveup) {
      gaveup = 1;
      if (L.timed_id < 0) L.timed_id = id;
    }
    const ll_cfg_node *g = &s->c->g[id];
    switch (eff[id]) {
    case EF_SATISFY:
    case EF_JOIN:
      continue;
    case EF_SPAWN: {
      int add = s->task_ops >= LL_PENDING_MANY ? PEND_INF : s->task_ops;
      pend = pend >= PEND_INF || add >= PEND_INF ? PEND_INF : (pend + add > CAP ? CAP : pend + add);
      break;
    }
    case EF_MATCH:
    case EF_MATCH_TIMED:
      if (pend < PEND_INF && pend > 0) pend--;
      rcv = 1;
      break;
    default:
      break;
    }
    if (pend == 0) continue;
    if (g->kind == LL_CFG_EXIT) {
      if (is_main) continue;
      if (rcv < best_recv || best_exit < 0) {
        best_exit = id;
        best_recv = rcv;
        best_gaveup = gaveup;
      }
      continue;
    }
    if (ll_pending_drops_path(g)) continue;
    int only = -1;
    if (g->kind == LL_CFG_NOP && g->n && g->n->kind == LL_N_IF && ll_pending_if_tests(g->n, s->sp->site)) {
      /* `if (h < 0) return;` right after the spawn: on the failure branch
         no task exists */
      int fb = ll_pending_spawn_failure_branch(s->c->fn, g->n);
      if (fb == 1) only = g->else_id;
      else if (fb == 0) only = g->then_id;
      if (fb >= 0 && only < 0) continue;
    }
    for (size_t e = 0; e < g->nsucc; e++) {
      if (only >= 0 && g->succ[e] != only) continue;
      size_t ns = ST(g->succ[e], pend, rcv);
      if (!seen[ns]) {
        seen[ns] = 1;
        LL_VEC_PUSH(&q, (int)ns);
      }
    }
  }
#undef ST
  if (best_exit >= 0) {
    L.found = 1;
    L.exit_id = best_exit;
    L.received = best_recv;
    if (!best_gaveup) L.timed_id = -1;
  } else {
    L.timed_id = -1;
  }
  free(q.v);
  free(seen);
  free(eff);
  return L;
}

/* Text of an if statement's condition, spaces removed (caller frees). */
char *ll_pending_cond_text(const ll_func *fn, const ll_node *ifn) {
  size_t len = 0;
  const char *t = fn && fn->tu ? ll_tu_text(fn->tu, &ifn->loc, &len) : NULL;
  if (!t) return NULL;
  const char *lp = memchr(t, '(', len);
  if (!lp) return NULL;
  ll_buf b = {0};
  int depth = 0;
  for (const char *p = lp + 1; p < t + len; p++) {
    if (*p == '(') depth++;
    if (*p == ')') {
      if (depth == 0) break;
      depth--;
    }
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') ll_buf_putc(&b, *p);
  }
  return b.data ? ll_buf_take(&b) : NULL;
}

/* Which branch of an if testing a timed operation's result is the timeout
 * (failure) branch: 1 then, 0 else, -1 unknown. */
static int failure_branch(const ll_func *fn, const ll_node *ifn) {
  char *t = ll_pending_cond_text(fn, ifn);
  if (!t) return -1;
  int r = -1;
  if (strstr(t, "<0") || strstr(t, "==-1") || strstr(t, "timeout") || strstr(t, "ETIMEDOUT") ||
      strstr(t, "index()==1") || strstr(t, "index()!=0") || strstr(t, "!=0") ||
      (strstr(t, "!=") && strstr(t, "success")))
    r = 1;
  else if (strstr(t, ">=0") || strstr(t, "==0") || strstr(t, "index()==0") ||
           (strstr(t, "==") && strstr(t, "success")))
    r = 0;
  free(t);
  return r;
}

static const ll_value *result_of(const ll_node *call) {
  const ll_node *o = call;
  while (o->outer_call && !o->result_to) o = o->outer_call;
  return o->result_to;
}

typedef struct cond_obj {
  const ll_value *res;
  int hit;
} cond_obj;

static int cond_obj_cb(ll_node *n, void *d) {
  cond_obj *c = d;
  if (n->kind == LL_N_CALL && n->obj && ll_value_same(n->obj, c->res, 0)) c->hit = 1;
  return 0;
}

int ll_pending_if_tests(const ll_node *ifn, const ll_node *call) {
  if (!ifn || ifn->kind != LL_N_IF || !call) return 0;
  if (ifn->cond && ll_node_within(call, ifn->cond)) return 1;
  const ll_value *res = result_of(call);
  if (!res) return 0;
  for (size_t i = 0; i < ifn->ncond_refs; i++) {
    const ll_value *r = ifn->cond_refs[i];
    if (ll_value_same(r, res, 0)) return 1;
    if (r && r->kind == LL_V_CALL && r->call && r->call->obj && ll_value_same(r->call->obj, res, 0)) return 1;
  }
  cond_obj co = {res, 0};
  if (ifn->cond) ll_visit(ifn->cond, cond_obj_cb, &co);
  return co.hit;
}

/* Timeout: a timed matching op reachable from the spawn gives up; on its
 * failure branch nothing receives, closes or cancels before an exit. When
 * the failure branch cannot be told, every path after the op must be
 * silent. */
ll_pending_leak ll_pending_search_timeout(ll_pending_side *s) {
  ll_pending_leak L;
  memset(&L, 0, sizeof L);
  L.exit_id = L.timed_id = -1;
  size_t n = s->c->n;
  if (s->c->fn->name && strcmp(s->c->fn->name, "main") == 0 && !s->c->fn->parent) return L;
  effect *eff = ll_xmalloc(n * sizeof(effect));
  for (size_t i = 0; i < n; i++) eff[i] = node_effect(s, (int)i);
  char *reach = ll_xcalloc(n, 1);
  LL_VEC(int) q = {0};
  const ll_cfg_node *sg = &s->c->g[s->spawn_id];
  for (size_t e = 0; e < sg->nsucc; e++)
    if (!reach[sg->succ[e]]) {
      reach[sg->succ[e]] = 1;
      LL_VEC_PUSH(&q, sg->succ[e]);
    }
  for (size_t h = 0; h < q.n; h++) {
    int id = q.v[h];
    if (eff[id] == EF_SATISFY || eff[id] == EF_JOIN || eff[id] == EF_MATCH) continue;
    if (eff[id] == EF_MATCH_TIMED && L.timed_id < 0) {
      L.timed_id = id;
      continue;
    }
    const ll_cfg_node *g = &s->c->g[id];
    for (size_t e = 0; e < g->nsucc; e++)
      if (!reach[g->succ[e]]) {
        reach[g->succ[e]] = 1;
        LL_VEC_PUSH(&q, g->succ[e]);
      }
  }
  free(q.v);
  if (L.timed_id >= 0) {
    const ll_cfg_node *tg = &s->c->g[L.timed_id];
    const ll_node *tcall = tg->kind == LL_CFG_CLAUSE ? tg->clause : tg->n;
    char *r2 = ll_xcalloc(n, 1);
    LL_VEC(int) q2 = {0};
    int helps = 0, uncertain = 0, exit_id = -1;
    for (size_t e = 0; e < tg->nsucc; e++) {
      r2[tg->succ[e]] = 1;
      LL_VEC_PUSH(&q2, tg->succ[e]);
    }
    for (size_t h = 0; h < q2.n; h++) {
      int id = q2.v[h];
      if (eff[id] == EF_SATISFY || eff[id] == EF_JOIN || eff[id] == EF_MATCH || eff[id] == EF_MATCH_TIMED ||
          eff[id] == EF_SPAWN) {
        helps = 1;
        continue;
      }
      const ll_cfg_node *g = &s->c->g[id];
      if (g->kind == LL_CFG_EXIT) {
        if (exit_id < 0) exit_id = id;
        continue;
      }
      if (ll_pending_drops_path(g)) continue;
      int only = -1;
      if (g->n && g->n->kind == LL_N_IF && g->kind == LL_CFG_NOP && (g->then_id >= 0 || g->else_id >= 0) &&
          tcall && ll_pending_if_tests(g->n, tcall)) {
        int fb = failure_branch(s->c->fn, g->n);
        if (fb == 1) only = g->then_id;
        else if (fb == 0) only = g->else_id;
        else uncertain = 1;
        if (fb >= 0 && only < 0) continue; /* the failure branch is infeasible */
      }
      for (size_t e = 0; e < g->nsucc; e++) {
        int t = g->succ[e];
        if (only >= 0 && t != only) continue;
        if (!r2[t]) {
          r2[t] = 1;
          LL_VEC_PUSH(&q2, t);
        }
      }
    }
    if (exit_id >= 0 && (!uncertain || !helps)) {
      L.found = 1;
      L.exit_id = exit_id;
    }
    free(q2.v);
    free(r2);
  }
  free(reach);
  free(eff);
  return L;
}

