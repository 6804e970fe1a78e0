/* check_chan.c - unbuffered-send / unbuffered-recv, and timer-per-iteration
 * for spawned tasks that only sleep and signal.
 *
 * For every spawn whose task can block forever on a channel created
 * unbuffered in the spawner, the spawner's control-flow graph is searched
 * from the spawn to its exits, counting how many of the task's blocking
 * operations are still outstanding (sends for unbuffered-send, receives for
 * unbuffered-recv). Operations that end the wait (the matching receive or
 * send, a close, a cancel of the task) reduce or clear the count; anything
 * we cannot see through (the channel escaping to unknown code, a select we
 * do not model) clears it too: precision first. An exit reached with work
 * outstanding is a finding at the spawn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "checks.h"

#define INF_OPS 1000
#define CAP 8            /* pending counts above this are "many" */
#define PEND_INF (CAP + 1)
#define MAX_DEPTH 4

/* ---------------------------------------------------------------- CFG */

/* A function's control-flow graph (cfg.h) with its arrays at hand; the
 * arrays are borrowed from c. */
typedef struct cfg {
  ll_cfg *c;
  const ll_func *fn;
  const ll_cfg_node *g;
  size_t n;
  int entry;
  const int *scc; /* scc id per node */
} cfg;

/* Paths the channel rules follow: try handlers stay unreachable (which
 * calls throw is not modelled), a process exit ends the path. */
#define CFG_FLAGS LL_CFG_SCC

static int in_cycle(const cfg *c, int id) { return ll_cfg_in_cycle(c->c, id); }

/* A process exit or a jump we cannot follow: the path is not followed. */
static int drops_path(const ll_cfg_node *g) { return g->kind == LL_CFG_ABORT || g->kind == LL_CFG_UNKNOWN; }

/* ---------------------------------------------------------------- context */

typedef struct cfg_cache {
  LL_VEC(cfg *) v;
} cfg_cache;

typedef struct cctx {
  const ll_program *p;
  const ll_rules *rules;
  cfg_cache cache;
} cctx;

static cfg *get_cfg(cctx *x, const ll_func *fn) {
  for (size_t i = 0; i < x->cache.v.n; i++)
    if (x->cache.v.v[i]->fn == fn) return x->cache.v.v[i];
  cfg *c = ll_xcalloc(1, sizeof(cfg));
  c->c = ll_cfg_build(fn, CFG_FLAGS);
  c->fn = fn;
  c->g = ll_cfg_nodes(c->c, &c->n);
  c->entry = ll_cfg_entry(c->c);
  c->scc = ll_cfg_scc(c->c);
  LL_VEC_PUSH(&x->cache.v, c);
  return c;
}

static void cfg_free(cfg *c) {
  if (!c) return;
  ll_cfg_free(c->c);
  free(c);
}

/* A set of values denoting one channel inside one function. */
typedef struct refs {
  LL_VEC(const ll_value *) v;
  const ll_tu *tu; /* vars compare only within this tu */
  int loose_fields;
} refs;

static const ll_value *strip_pass(const ll_value *v) {
  for (int guard = 0; v && guard < 8; guard++) {
    v = ll_value_strip(v);
    if (!v) return NULL;
    if (v->kind == LL_V_INDEX && v->base) {
      v = v->base;
      continue;
    }
    if (v->kind == LL_V_CALL && v->call) {
      const ll_node *k = v->call;
      const ll_api *dup = ll_call_api(k, LL_ROLE_CHAN_DUP);
      if (dup) {
        const ll_value *o = ll_call_arg(k, dup->object_arg >= 0 ? dup->object_arg : 0);
        if (o) {
          v = o;
          continue;
        }
      }
      if (k->nargs == 1 && k->callee &&
          (strcmp(k->callee, "std::ref") == 0 || strcmp(k->callee, "std::cref") == 0 ||
           strcmp(k->callee, "std::move") == 0 || strcmp(k->callee, "std::forward") == 0 ||
           strcmp(k->callee, "boost::ref") == 0)) {
        v = k->args[0];
        continue;
      }
    }
    break;
  }
  return v;
}

static int refs_match(const refs *r, const ll_value *v) {
  v = strip_pass(v);
  if (!v) return 0;
  for (size_t i = 0; i < r->v.n; i++) {
    const ll_value *a = r->v.v[i];
    if (a->kind == LL_V_VAR) {
      if (v->kind == LL_V_VAR && a->var == v->var) return 1;
      continue;
    }
    if (a->kind == LL_V_FIELD && v->kind == LL_V_FIELD) {
      if (ll_value_same(a, v, r->loose_fields)) return 1;
      continue;
    }
    if (ll_value_same(a, v, 0)) return 1;
  }
  return 0;
}

/* True when v is the base object of a field ref (passing &args passes the
 * channel stored in args.ch). */
static int refs_base_match(const refs *r, const ll_value *v) {
  v = ll_value_strip(v);
  if (!v) return 0;
  for (size_t i = 0; i < r->v.n; i++) {
    const ll_value *a = r->v.v[i];
    if (a->kind == LL_V_FIELD && a->base && ll_value_same(a->base, v, 0)) return 1;
  }
  return 0;
}

static void refs_add(refs *r, const ll_value *v) {
  v = strip_pass(v);
  if (!v || refs_match(r, v)) return;
  if (v->kind != LL_V_VAR && v->kind != LL_V_FIELD && v->kind != LL_V_GLOBAL) return;
  LL_VEC_PUSH(&r->v, v);
}

typedef struct alias_ctx {
  refs *r;
  int changed;
} alias_ctx;

static int alias_cb(ll_node *n, void *d) {
  alias_ctx *a = d;
  if (n->kind == LL_N_ASSIGN && n->lhs && n->rhs && (!n->op || strcmp(n->op, "=") == 0) &&
      refs_match(a->r, n->rhs) && !refs_match(a->r, n->lhs)) {
    const ll_value *l = strip_pass(n->lhs);
    if (l && (l->kind == LL_V_VAR || l->kind == LL_V_FIELD)) {
      refs_add(a->r, l);
      a->changed = 1;
    }
  }
  return 0;
}

static void refs_close(refs *r, const ll_func *fn) {
  if (!fn || !fn->body) return;
  for (int it = 0; it < 6; it++) {
    alias_ctx a = {r, 0};
    ll_visit(fn->body, alias_cb, &a);
    if (!a.changed) break;
  }
}

static void refs_free(refs *r) { free(r->v.v); }

typedef struct reassign_ctx {
  const refs *r;
  int *count; /* per ref */
} reassign_ctx;

static int reassign_cb(ll_node *n, void *d) {
  reassign_ctx *c = d;
  if (n->kind != LL_N_ASSIGN || !n->lhs) return 0;
  const ll_value *l = ll_value_strip(n->lhs);
  if (!l || l->kind != LL_V_VAR) return 0;
  for (size_t i = 0; i < c->r->v.n; i++)
    if (c->r->v.v[i]->kind == LL_V_VAR && c->r->v.v[i]->var == l->var) c->count[i]++;
  return 0;
}

/* A variable of the channel's alias set that is assigned more than once
 * (a chain of channels built in a loop, a variable reused for another
 * channel): flow-insensitive aliasing cannot tell the channels apart, so
 * make no claim. */
static int refs_reassigned(const refs *r, const ll_func *fn) {
  if (!fn || !fn->body || !r->v.n) return 0;
  reassign_ctx c = {r, ll_xcalloc(r->v.n, sizeof(int))};
  ll_visit(fn->body, reassign_cb, &c);
  int bad = 0;
  for (size_t i = 0; i < r->v.n; i++)
    if (c.count[i] > 1) bad = 1;
  free(c.count);
  return bad;
}

/* ---------------------------------------------------------------- ops */

typedef enum { OP_NONE, OP_SEND, OP_RECV, OP_CLOSE, OP_SELECT_ANY } op_kind;

typedef struct op_info {
  op_kind kind;
  int forever;     /* blocks with no limit */
  int timed;       /* has a finite timeout or races a timer */
  const ll_node *call;
  const ll_api *api;
} op_info;

/* The select block (libmill choose) a clause call belongs to has a
 * deadline or otherwise clause. */
typedef struct sel_scan {
  int limited;
} sel_scan;

static int sel_cb(ll_node *n, void *d) {
  sel_scan *s = d;
  if (n->kind != LL_N_CALL) return 0;
  const ll_api *a = ll_call_api(n, LL_ROLE_SELECT_DEFAULT);
  if (a) s->limited = 1;
  a = ll_call_api(n, LL_ROLE_SELECT_DEADLINE);
  if (a) {
    const ll_value *t = ll_call_arg(n, a->timeout_arg >= 0 ? a->timeout_arg : 0);
    if (!t || !ll_api_is_forever(a, t->known, t->ival)) s->limited = 1;
  }
  return 0;
}

static int clause_limited(const ll_node *clause) {
  const ll_node *loop = ll_enclosing_loop(clause);
  const ll_node *scope = loop ? loop : clause->parent;
  if (!scope) return 0;
  sel_scan s = {0};
  ll_visit((ll_node *)scope, sel_cb, &s);
  return s.limited;
}

/* The channel op of node g on the channel r, if any. */
static op_info op_of(cctx *x, const ll_cfg_node *g, const refs *r) {
  op_info o;
  memset(&o, 0, sizeof o);
  if (g->kind == LL_CFG_CLAUSE && g->clause) {
    const ll_node *cl = g->clause;
    const ll_api *a = ll_call_api(cl, LL_ROLE_SELECT_SEND);
    op_kind k = OP_SEND;
    if (!a) {
      a = ll_call_api(cl, LL_ROLE_SELECT_RECV);
      k = OP_RECV;
    }
    if (!a) return o;
    if (!refs_match(r, ll_call_arg(cl, a->object_arg))) return o;
    o.kind = k;
    o.call = cl;
    o.api = a;
    o.forever = !clause_limited(cl);
    o.timed = !o.forever;
    return o;
  }
  if (g->kind == LL_CFG_RANGE && g->n && g->n->range && refs_match(r, g->n->range)) {
    const ll_api *apis[4];
    size_t k = g->n->range_class ? ll_rules_lookup_range(x->rules, g->n->range_class, apis, 4) : 0;
    if (k > 4) k = 4;
    for (size_t i = 0; i < k; i++) {
      if (apis[i]->role == LL_ROLE_RECV) {
        o.kind = OP_RECV;
        o.forever = 1;
        o.call = g->n;
        o.api = apis[i];
        return o;
      }
    }
    return o;
  }
  if (g->kind != LL_CFG_STMT || !g->n || g->n->kind != LL_N_CALL) return o;
  const ll_node *call = g->n;
  for (size_t i = 0; i < call->napis; i++) {
    const ll_api *a = call->apis[i];
    op_kind k;
    switch (a->role) {
    case LL_ROLE_SEND: k = OP_SEND; break;
    case LL_ROLE_RECV: k = OP_RECV; break;
    case LL_ROLE_CLOSE: k = OP_CLOSE; break;
    case LL_ROLE_SELECT: k = OP_SELECT_ANY; break;
    default: continue;
    }
    if (k == OP_SELECT_ANY) {
      /* a select over a clause array we do not model (libdill choose,
         libtask chanalt): it may well involve the channel */
    } else if (!refs_match(r, ll_call_arg(call, a->object_arg))) {
      continue;
    }
    o.kind = k;
    o.call = call;
    o.api = a;
    o.forever = (k == OP_SEND || k == OP_RECV) && ll_call_waits_forever(call, a);
    o.timed = (k == OP_SEND || k == OP_RECV) && !o.forever && !(a->flags & LL_API_NONBLOCKING);
    return o;
  }
  return o;
}

/* ---------------------------------------------------------------- task side */

typedef struct task_sum {
  int count;              /* max blocking ops of the wanted kind on one path (INF_OPS = many) */
  const ll_node *op;      /* the first such op */
  const ll_func *op_fn;
  const ll_api *op_api;
  int until_closed;       /* the task loops on the op until the channel is closed */
  int other_block;        /* the task also blocks forever on the other direction first */
} task_sum;

static int op_count_fn(cctx *x, const ll_func *fn, refs *r, op_kind want, int depth, task_sum *ts,
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
static int node_weight(cctx *x, const cfg *c, int id, refs *r, op_kind want, int depth, task_sum *ts,
                       const ll_func **stack, int nstack) {
  const ll_cfg_node *g = &c->g[id];
  op_info o = op_of(x, g, r);
  if (o.kind == want && o.forever) {
    if (!ts->op) {
      ts->op = o.call;
      ts->op_fn = c->fn;
      ts->op_api = o.api;
    }
    if (g->kind == LL_CFG_RANGE) {
      ts->until_closed = 1;
      return INF_OPS;
    }
    if (!in_cycle(c, id)) return 1;
    return loop_forever_op(o.call) ? INF_OPS : 0;
  }
  if (g->kind != LL_CFG_STMT || !g->n || g->n->kind != LL_N_CALL || depth >= MAX_DEPTH) return 0;
  const ll_func *callee = ll_resolve_callee(x->p, g->n);
  if (!callee || !callee->body || ll_call_has_role(g->n, LL_ROLE_SPAWN)) return 0;
  for (int i = 0; i < nstack; i++)
    if (stack[i] == callee) return 0;
  refs sub;
  memset(&sub, 0, sizeof sub);
  sub.tu = callee->tu;
  sub.loose_fields = 1;
  for (size_t i = 0; i < r->v.n; i++)
    if (r->v.v[i]->kind == LL_V_FIELD) LL_VEC_PUSH(&sub.v, r->v.v[i]);
  /* parameters: build VAR values in the callee's tu */
  ll_value *pvals = ll_xcalloc(callee->nparams ? callee->nparams : 1, sizeof(ll_value));
  int any = sub.v.n > 0;
  for (size_t i = 0; i < g->n->nargs && i < callee->nparams; i++) {
    if (refs_match(r, g->n->args[i]) || refs_base_match(r, g->n->args[i])) {
      pvals[i].kind = LL_V_VAR;
      pvals[i].var = callee->params[i];
      LL_VEC_PUSH(&sub.v, &pvals[i]);
      any = 1;
    }
  }
  int w = 0;
  if (any) {
    refs_close(&sub, callee);
    const ll_func *st2[MAX_DEPTH + 2];
    int ns = nstack < MAX_DEPTH ? nstack : MAX_DEPTH;
    memcpy(st2, stack, (size_t)ns * sizeof(*stack));
    st2[ns++] = callee;
    w = op_count_fn(x, callee, &sub, want, depth + 1, ts, st2, ns);
    if (w > 0 && in_cycle(c, id)) w = INF_OPS;
  }
  refs_free(&sub);
  free(pvals);
  return w;
}

/* Longest path (in ops) from the entry to an exit over the SCC condensation. */
static int op_count_fn(cctx *x, const ll_func *fn, refs *r, op_kind want, int depth, task_sum *ts,
                       const ll_func **stack, int nstack) {
  cfg *c = get_cfg(x, fn);
  size_t n = c->n;
  int nscc = ll_cfg_scc_count(c->c);
  int *w = ll_xcalloc((size_t)nscc + 1, sizeof(int));
  for (size_t i = 0; i < n; i++) {
    int nw = node_weight(x, c, (int)i, r, want, depth, ts, stack, nstack);
    int s = c->scc[i];
    w[s] = w[s] + nw > INF_OPS ? INF_OPS : w[s] + nw;
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
    best[s] = b + w[s] > INF_OPS ? INF_OPS : b + w[s];
  }
  int res = best[c->scc[c->entry]];
  free(w);
  free(best);
  return res;
}

/* ---------------------------------------------------------------- spawner side */

typedef struct leak {
  int found;
  int exit_id;       /* node of the abandoning exit */
  int received;      /* some matching op happened on the path */
  int timed_id;      /* Timeout: the timed op that gives up (-1 none) */
} leak;

typedef enum { EF_NONE, EF_MATCH, EF_MATCH_TIMED, EF_SATISFY, EF_SPAWN, EF_JOIN } effect;

typedef struct side {
  cctx *x;
  const ll_spawn *sp;
  const cfg *c;
  refs *r;
  op_kind match;      /* the spawner op that releases one task op */
  int spawn_id;
  int task_ops;       /* per spawn */
  int spawn_scc;
  char *drain_scc;    /* per scc: a loop that repeats the matching op (drains) */
} side;

static int value_passes(const refs *r, const ll_value *v) {
  return refs_match(r, v) || refs_base_match(r, v);
}

static int handle_is(const ll_spawn *sp, const ll_value *v) {
  if (!sp->handle || !v) return 0;
  v = ll_value_strip(v);
  if (v && v->kind == LL_V_CALL && v->call == sp->site) return 1;
  return ll_value_same(ll_value_strip(sp->handle), v, 0);
}

static effect node_effect(side *s, int id) {
  const ll_cfg_node *g = &s->c->g[id];
  if (id == s->spawn_id) return EF_SPAWN;
  if (s->drain_scc && s->drain_scc[s->c->scc[id]]) return EF_SATISFY;
  op_info o = op_of(s->x, g, s->r);
  if (o.kind == s->match) {
    if (g->kind == LL_CFG_STMT && in_cycle(s->c, id) && s->c->scc[id] != s->spawn_scc && s->task_ops < INF_OPS)
      return EF_SATISFY; /* a loop draining the channel */
    return o.timed ? EF_MATCH_TIMED : EF_MATCH;
  }
  if (o.kind == OP_CLOSE || o.kind == OP_SELECT_ANY) return EF_SATISFY;
  if (g->kind == LL_CFG_RANGE && o.kind == OP_RECV && s->match == OP_RECV) return EF_SATISFY;
  if (g->kind != LL_CFG_STMT || !g->n) return EF_NONE;
  const ll_node *n = g->n;
  if (n->kind == LL_N_RETURN && n->value && value_passes(s->r, n->value)) return EF_SATISFY;
  if (n->kind == LL_N_ASSIGN && n->rhs && refs_match(s->r, n->rhs)) {
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

static int if_tests(const ll_node *ifn, const ll_node *call);
static char *cond_text(const ll_func *fn, const ll_node *ifn);

/* Which branch of an if testing a spawn's result means the spawn failed:
 * 1 then, 0 else, -1 unknown. */
static int spawn_failure_branch(const ll_func *fn, const ll_node *ifn) {
  char *t = cond_text(fn, ifn);
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
static leak search_exists(side *s) {
  leak L;
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
  int p0 = s->task_ops >= INF_OPS ? PEND_INF : (s->task_ops > CAP ? CAP : s->task_ops);
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
      int add = s->task_ops >= INF_OPS ? PEND_INF : s->task_ops;
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
    if (drops_path(g)) continue;
    int only = -1;
    if (g->kind == LL_CFG_NOP && g->n && g->n->kind == LL_N_IF && if_tests(g->n, s->sp->site)) {
      /* `if (h < 0) return;` right after the spawn: on the failure branch
         no task exists */
      int fb = spawn_failure_branch(s->c->fn, g->n);
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
static char *cond_text(const ll_func *fn, const ll_node *ifn) {
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
  char *t = cond_text(fn, ifn);
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

static int if_tests(const ll_node *ifn, const ll_node *call) {
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
static leak search_timeout(side *s) {
  leak L;
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
      if (drops_path(g)) continue;
      int only = -1;
      if (g->n && g->n->kind == LL_N_IF && g->kind == LL_CFG_NOP && (g->then_id >= 0 || g->else_id >= 0) &&
          tcall && if_tests(g->n, tcall)) {
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

/* ---------------------------------------------------------------- findings */

static ll_span span_of(const ll_loc *l) {
  return ll_span_make(l->file ? l->file : "", l->line, l->col, l->end_line, l->end_col);
}

static const char *short_name(const char *q) {
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
  return ll_xstrdup(short_name(call->callee));
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

typedef struct chan_found {
  const ll_node *create;
  const ll_api *capi;
  const ll_value *cap_val;
} chan_found;

static void add_fix_or_hint(ll_finding *f, const ll_spawn *sp, const chan_found *ch, const char *size_text,
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
      char *code = subst(ca->buffer_hint, n, short_name(ca->name));
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
    if (h) hint = subst(h, size_text, short_name(ca->name));
  }
  if (hint) {
    free(f->hint);
    f->hint = hint;
  }
}

/* ---------------------------------------------------------------- per spawn */

typedef struct create_scan {
  const ll_func *fn;
  LL_VEC(const ll_node *) v;
} create_scan;

static int create_cb(ll_node *n, void *d) {
  create_scan *cs = d;
  if (n->kind == LL_N_CALL && ll_call_has_role(n, LL_ROLE_CHAN_CREATE)) LL_VEC_PUSH(&cs->v, n);
  return 0;
}

/* Capacity of a creation: 0 unbuffered, >0 buffered, -1 unknown. */
static long long capacity_of(const ll_node *cr, const ll_api *a, const ll_value **cap_val) {
  *cap_val = NULL;
  if (a->capacity == LL_CAP_ALWAYS_UNBUFFERED) return 0;
  if (a->capacity == LL_CAP_NONE || a->capacity == LL_CAP_ZERO_UNBOUNDED) return -1;
  const ll_value *v = a->capacity_arg >= 0 ? ll_call_arg(cr, a->capacity_arg) : NULL;
  *cap_val = v;
  long long cap;
  if (!v) cap = a->capacity_default;
  else if (v->known) cap = v->ival;
  else return -1;
  if (a->capacity == LL_CAP_RING) return cap <= 1 ? 0 : cap - 1;
  return cap;
}

/* The channel is created straight into storage that outlives the spawner
 * (a global, a field of this, of a parameter, or of a global). */
static int creation_escapes(const ll_func *fn, const ll_value *t) {
  t = ll_value_strip(t);
  while (t && (t->kind == LL_V_FIELD || t->kind == LL_V_INDEX) && t->base) {
    t = ll_value_strip(t->base);
  }
  if (!t) return 1;
  if (t->kind == LL_V_GLOBAL || t->kind == LL_V_THIS) return 1;
  if (t->kind == LL_V_VAR && fn->tu && t->var >= 0 && (size_t)t->var < fn->tu->nvars) {
    const ll_var *v = &fn->tu->vars[t->var];
    if (v->is_param || v->is_static) return 1;
    return 0;
  }
  return t->kind != LL_V_VAR;
}

/* The task-side references of the spawner-side channel refs `sr`: fields and
 * (same TU) variables, plus the entry's parameters bound to one of them. */
static void task_refs_for(const ll_spawn *sp, const refs *sr, refs *tr) {
  memset(tr, 0, sizeof *tr);
  tr->loose_fields = 1;
  const ll_func *e = sp->entry;
  tr->tu = e->tu;
  for (size_t i = 0; i < sr->v.n; i++) {
    const ll_value *v = sr->v.v[i];
    if (v->kind == LL_V_FIELD) LL_VEC_PUSH(&tr->v, v);
    else if ((v->kind == LL_V_VAR || v->kind == LL_V_GLOBAL) && e->tu == sp->spawner->tu) LL_VEC_PUSH(&tr->v, v);
  }
}

typedef struct pvals {
  LL_VEC(ll_value *) v;
} pvals;

static void bind_params(const ll_spawn *sp, const refs *sr, refs *tr, pvals *pv) {
  const ll_func *e = sp->entry;
  for (size_t i = 0; i < sp->nbind && i < e->nparams; i++) {
    if (!sp->bind[i]) continue;
    if (refs_match(sr, sp->bind[i]) || refs_base_match(sr, sp->bind[i])) {
      ll_value *v = ll_xcalloc(1, sizeof(ll_value));
      v->kind = LL_V_VAR;
      v->var = e->params[i];
      LL_VEC_PUSH(&pv->v, v);
      LL_VEC_PUSH(&tr->v, v);
    }
  }
}

/* task_refs_for + bind_params + closure over the entry; the parameter
 * values in *pv are owned: release both with task_side_free. */
static void task_side(const ll_spawn *sp, const refs *sr, refs *tr, pvals *pv) {
  memset(pv, 0, sizeof *pv);
  task_refs_for(sp, sr, tr);
  bind_params(sp, sr, tr, pv);
  refs_close(tr, sp->entry);
}

static void task_side_free(refs *tr, pvals *pv) {
  for (size_t i = 0; i < pv->v.n; i++) free(pv->v.v[i]);
  free(pv->v.v);
  refs_free(tr);
}

static int task_gets_channel(const ll_spawn *sp, const refs *sr) {
  for (size_t i = 0; i < sp->nbind; i++)
    if (sp->bind[i] && (refs_match(sr, sp->bind[i]) || refs_base_match(sr, sp->bind[i]))) return 1;
  const ll_func *e = sp->entry;
  if (e->parent && e->tu == sp->spawner->tu) {
    for (size_t i = 0; i < e->ncaptures; i++) {
      ll_value v;
      memset(&v, 0, sizeof v);
      v.kind = LL_V_VAR;
      v.var = e->captures[i];
      if (refs_match(sr, &v) || refs_base_match(sr, &v)) return 1;
    }
  }
  for (size_t i = 0; i < sr->v.n; i++)
    if (sr->v.v[i]->kind == LL_V_FIELD && (e->captures_this || e->cls)) return 1;
  return 0;
}

static void report(cctx *x, const ll_spawn *sp, size_t si, unsigned char *reported, ll_findings *out,
                   const char *rule, const chan_found *ch, const task_sum *ts, int task_ops, side *s,
                   const leak *L, int timeout) {
  const ll_node *site = sp->site;
  char *opn = op_name(ts->op);
  const ll_cfg_node *eg = &s->c->g[L->exit_id];
  unsigned exit_line = eg->n ? eg->n->loc.line : (s->c->fn->body ? s->c->fn->body->loc.end_line : 0);
  int is_send = strcmp(rule, "unbuffered-send") == 0;
  const char *without = is_send ? "receiving" : "sending or closing the channel";
  char *msg;
  char *size_text = NULL;
  long long size_known = -1;
  char *bound = sp->loop ? loop_bound(sp->spawner, sp->loop) : NULL;
  int in_loop = sp->loop && in_cycle(s->c, s->spawn_id);
  if (timeout) {
    const ll_cfg_node *tg = &s->c->g[L->timed_id];
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
    size_known = task_ops < INF_OPS ? task_ops : -1;
  } else if (ts->until_closed || task_ops >= INF_OPS) {
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
  ll_finding f = ll_finding_make(rule, LL_LEVEL_WARNING, msg, span_of(&site->loc));
  f.confidence = LL_CONF_HIGH;
  if (sp->spawner->name) f.function = ll_xstrdup(sp->spawner->name);
  if (ts->op) ll_finding_add_related(&f, span_of(&ts->op->loc), "blocks here forever");
  ll_finding_add_related(&f, span_of(&ch->create->loc), "created unbuffered here");
  if (timeout) {
    const ll_cfg_node *tg = &s->c->g[L->timed_id];
    const ll_node *tcall = tg->kind == LL_CFG_CLAUSE ? tg->clause : tg->n;
    if (tcall) ll_finding_add_related(&f, span_of(&tcall->loc), "gives up here when this times out");
  }
  {
    const char *rm = is_send ? "returns here without receiving" : "returns here without sending or closing";
    if (eg->n) {
      ll_finding_add_related(&f, span_of(&eg->n->loc), rm);
    } else if (s->c->fn->body && s->c->fn->body->loc.end_line) {
      const ll_loc *bl = &s->c->fn->body->loc;
      unsigned col = bl->end_col > 1 ? bl->end_col - 1 : 1;
      ll_finding_add_related(&f, ll_span_make(bl->file ? bl->file : "", bl->end_line, col, bl->end_line, col + 1), rm);
    }
  }
  if (!is_send || ts->until_closed || task_ops >= INF_OPS) {
    /* a buffer does not help a receiver or a loop: the cancel path */
    const char *h = !is_send && ts->op_api && ts->op_api->hint ? ts->op_api->hint
                    : ch->capi->hint                          ? ch->capi->hint
                                                              : sp->api->hint;
    if (h) f.hint = subst(h, NULL, short_name(ch->capi->name));
  } else {
    add_fix_or_hint(&f, sp, ch, size_text, size_known);
  }
  ll_findings_push(out, f);
  reported[si] = 1;
  free(msg);
  free(opn);
  free(size_text);
  free(bound);
  (void)x;
}

/* ---------------------------------------------------------------- method contracts */

/* MethodContractViolation: a start function creates the channel in a field
 * of its object (this, or a struct parameter) and spawns a task blocking on
 * it; only a stop function (closing that field or cancelling the handle
 * field) ends the task. A caller in the project that calls start on a local
 * object and can return without calling a stop function leaks the task. */

typedef struct stop_scan {
  const char *chan_usr, *handle_usr;
  int hit;
} stop_scan;

static int stop_cb(ll_node *n, void *d) {
  stop_scan *st = d;
  if (n->kind != LL_N_CALL) return 0;
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    if (a->role != LL_ROLE_CLOSE && a->role != LL_ROLE_CANCEL && a->role != LL_ROLE_STOP_REQUEST) continue;
    const ll_value *o = strip_pass(ll_call_arg(n, a->object_arg));
    if (!o || o->kind != LL_V_FIELD || !o->usr) continue;
    if ((st->chan_usr && strcmp(o->usr, st->chan_usr) == 0) || (st->handle_usr && strcmp(o->usr, st->handle_usr) == 0))
      st->hit = 1;
  }
  return 0;
}

typedef struct stop_set {
  LL_VEC(const ll_func *) v;
} stop_set;

static int in_stop_set(const stop_set *ss, const char *usr) {
  if (!usr) return 0;
  for (size_t i = 0; i < ss->v.n; i++)
    if (ss->v.v[i]->usr && strcmp(ss->v.v[i]->usr, usr) == 0) return 1;
  return 0;
}

/* The caller-side object a call to `start` passes: the implicit object of
 * a method call, or the argument bound to `param` (a var id of start). */
static const ll_value *start_object(const ll_func *start, const ll_node *call, int param_var) {
  if (param_var < 0) return call->obj ? ll_value_strip(call->obj) : NULL;
  for (size_t i = 0; i < start->nparams && i < call->nargs; i++)
    if (start->params[i] == param_var) return ll_value_strip(call->args[i]);
  return NULL;
}

static int passes_obj(const ll_value *v, const ll_value *obj) {
  v = ll_value_strip(v);
  if (!v) return 0;
  if (ll_value_same(v, obj, 0)) return 1;
  return v->kind == LL_V_FIELD && v->base && ll_value_same(v->base, obj, 0);
}

static void check_contract(cctx *x, const ll_spawn *sp, size_t si, unsigned char *reported, ll_findings *out,
                           const ll_node *cr, const ll_api *ca, const ll_value *capv, const ll_value *target) {
  const ll_func *start = sp->spawner;
  while (start->parent) start = start->parent;
  if (!start->usr || !sp->entry || start != sp->spawner) return;
  const ll_value *t = ll_value_strip(target);
  while (t && t->kind == LL_V_INDEX && t->base) t = ll_value_strip(t->base);
  if (!t || t->kind != LL_V_FIELD || !t->usr || !t->base) return;
  const ll_value *base = ll_value_strip(t->base);
  int param_var = -1;
  if (base->kind == LL_V_VAR) {
    if (!start->tu || base->var < 0 || (size_t)base->var >= start->tu->nvars || !start->tu->vars[base->var].is_param)
      return;
    param_var = base->var;
  } else if (base->kind != LL_V_THIS) {
    return;
  }
  /* the task blocks on that channel */
  refs sr;
  memset(&sr, 0, sizeof sr);
  sr.tu = start->tu;
  refs_add(&sr, t);
  refs_close(&sr, start);
  if (!task_gets_channel(sp, &sr)) {
    refs_free(&sr);
    return;
  }
  refs tr;
  pvals pv;
  task_side(sp, &sr, &tr, &pv);
  task_sum ts;
  op_kind want = OP_NONE;
  int ops = 0;
  for (int pass = 0; pass < 2 && ops <= 0; pass++) {
    memset(&ts, 0, sizeof ts);
    want = pass == 0 ? OP_SEND : OP_RECV;
    const ll_func *stack[MAX_DEPTH + 2] = {sp->entry};
    ops = op_count_fn(x, sp->entry, &tr, want, 0, &ts, stack, 1);
  }
  task_side_free(&tr, &pv);
  refs_free(&sr);
  if (ops <= 0 || !ts.op) return;
  /* the stop functions */
  const ll_value *h = ll_value_strip(sp->handle);
  stop_scan st0 = {t->usr, h && h->kind == LL_V_FIELD ? h->usr : NULL, 0};
  stop_set ss;
  memset(&ss, 0, sizeof ss);
  for (size_t ti = 0; ti < ll_program_tu_count(x->p); ti++) {
    ll_tu *tu = ll_program_tu(x->p, ti);
    for (size_t i = 0; i < tu->nfuncs; i++) {
      const ll_func *fn = tu->funcs[i];
      if (!fn->body || !fn->usr || fn == start || fn->parent || !ll_program_is_canonical(x->p, fn)) continue;
      stop_scan st = st0;
      ll_visit(fn->body, stop_cb, &st);
      if (st.hit) LL_VEC_PUSH(&ss.v, fn);
    }
  }
  if (!ss.v.n) {
    free(ss.v.v);
    return;
  }
  /* callers of start on a local object */
  for (size_t ti = 0; ti < ll_program_tu_count(x->p) && !reported[si]; ti++) {
    ll_tu *tu = ll_program_tu(x->p, ti);
    for (size_t i = 0; i < tu->nfuncs && !reported[si]; i++) {
      const ll_func *fn = tu->funcs[i];
      if (!fn->body || fn == start || !ll_program_is_canonical(x->p, fn)) continue;
      if (fn->name && strcmp(fn->name, "main") == 0 && !fn->parent) continue;
      cfg *c = get_cfg(x, fn);
      for (size_t gi = 0; gi < c->n && !reported[si]; gi++) {
        const ll_cfg_node *g = &c->g[gi];
        if (g->kind != LL_CFG_STMT || !g->n || g->n->kind != LL_N_CALL || !g->n->callee_usr ||
            strcmp(g->n->callee_usr, start->usr) != 0)
          continue;
        const ll_value *obj = start_object(start, g->n, param_var);
        if (!obj || obj->kind != LL_V_VAR || obj->var < 0 || (size_t)obj->var >= tu->nvars) continue;
        const ll_var *ov = &tu->vars[obj->var];
        if (ov->is_param || ov->is_static) continue;
        /* search from the call for an exit with no stop on obj */
        char *seen = ll_xcalloc(c->n, 1);
        LL_VEC(int) q = {0};
        int exit_id = -1, unknown = 0;
        for (size_t e = 0; e < g->nsucc; e++) {
          seen[g->succ[e]] = 1;
          LL_VEC_PUSH(&q, g->succ[e]);
        }
        for (size_t hq = 0; hq < q.n && exit_id < 0; hq++) {
          int id = q.v[hq];
          const ll_cfg_node *y = &c->g[id];
          if (y->kind == LL_CFG_EXIT) {
            if (!(y->n && y->n->kind == LL_N_RETURN && y->n->value && passes_obj(y->n->value, obj))) exit_id = id;
            continue;
          }
          if (drops_path(y)) continue;
          if (y->kind == LL_CFG_STMT && y->n) {
            const ll_node *n = y->n;
            int stop = 0;
            if (n->kind == LL_N_CALL) {
              int passes = n->obj && passes_obj(n->obj, obj);
              for (size_t a = 0; a < n->nargs; a++)
                if (passes_obj(n->args[a], obj)) passes = 1;
              if (passes && in_stop_set(&ss, n->callee_usr)) stop = 1;
              else if (passes && !n->napis && n->callee_usr && strcmp(n->callee_usr, start->usr) != 0) {
                const ll_func *callee = ll_resolve_callee(x->p, n);
                if (!callee) stop = 1; /* unknown code may stop it */
                else stop = 1;         /* project code: not followed, assume it may */
              }
            } else if (n->kind == LL_N_ASSIGN && n->rhs && passes_obj(n->rhs, obj)) {
              stop = 1; /* the object escapes */
            }
            if (stop) continue;
          }
          int only = -1;
          if (y->kind == LL_CFG_NOP && y->n && y->n->kind == LL_N_IF && if_tests(y->n, g->n)) {
            int fb = spawn_failure_branch(fn, y->n);
            if (fb < 0) {
              char *ct = cond_text(fn, y->n);
              /* `if (start(&s))`: C's non-zero error */
              if (ct && ct[0] != '!' && strchr(ct, '(') && ct[strlen(ct) - 1] == ')') fb = 1;
              free(ct);
            }
            if (fb == 1) only = y->else_id;
            else if (fb == 0) only = y->then_id;
            else unknown = 1;
            if (fb >= 0 && only < 0) continue;
          }
          for (size_t e = 0; e < y->nsucc; e++) {
            if (only >= 0 && y->succ[e] != only) continue;
            if (!seen[y->succ[e]]) {
              seen[y->succ[e]] = 1;
              LL_VEC_PUSH(&q, y->succ[e]);
            }
          }
        }
        free(q.v);
        free(seen);
        if (exit_id < 0 || unknown) continue;
        /* report at the spawn */
        const ll_cfg_node *eg = &c->g[exit_id];
        unsigned exit_line = eg->n ? eg->n->loc.line : (fn->body ? fn->body->loc.end_line : 0);
        char *opn = op_name(ts.op);
        const char *rule = want == OP_SEND ? "unbuffered-send" : "unbuffered-recv";
        char *msg = ll_xasprintf("task started here by %s can block forever in %s until %s runs: %s calls %s "
                                 "at line %u and returns at line %u without it",
                                 short_name(start->name), opn, short_name(ss.v.v[0]->name), short_name(fn->name),
                                 short_name(start->name), g->n->loc.line, exit_line);
        ll_finding f = ll_finding_make(rule, LL_LEVEL_WARNING, msg, span_of(&sp->site->loc));
        f.confidence = LL_CONF_MEDIUM;
        if (start->name) f.function = ll_xstrdup(start->name);
        ll_finding_add_related(&f, span_of(&ts.op->loc), "blocks here forever");
        ll_finding_add_related(&f, span_of(&cr->loc), "created unbuffered here");
        ll_finding_add_related(&f, span_of(&g->n->loc), "started here without a matching stop");
        if (eg->n) ll_finding_add_related(&f, span_of(&eg->n->loc), "returns here");
        ll_finding_add_related(&f, span_of(&ss.v.v[0]->loc), "only this function ends the task");
        f.hint = ll_xasprintf("call %s on every path after %s (or stop the task in the object's cleanup)",
                              short_name(ss.v.v[0]->name), short_name(start->name));
        ll_findings_push(out, f);
        reported[si] = 1;
        free(msg);
        free(opn);
      }
    }
  }
  free(ss.v.v);
  (void)ca;
  (void)capv;
}

static void check_spawn(cctx *x, const ll_spawn *sp, size_t si, unsigned char *reported, ll_findings *out) {
  if (!sp->entry || !sp->entry->body || !sp->spawner->body) return;
  create_scan cs;
  memset(&cs, 0, sizeof cs);
  cs.fn = sp->spawner;
  ll_visit(sp->spawner->body, create_cb, &cs);
  /* a lambda spawner may use a channel of its enclosing function: skip */
  for (size_t k = 0; k < cs.v.n && !reported[si]; k++) {
    const ll_node *cr = cs.v.v[k];
    const ll_api *ca = ll_call_api(cr, LL_ROLE_CHAN_CREATE);
    const ll_value *capv = NULL;
    long long cap = capacity_of(cr, ca, &capv);
    if (cap != 0) continue;
    const ll_value *target = ll_call_arg(cr, ca->object_arg);
    if (!target) continue;
    if (creation_escapes(sp->spawner, target)) {
      check_contract(x, sp, si, reported, out, cr, ca, capv, target);
      continue;
    }
    refs sr;
    memset(&sr, 0, sizeof sr);
    sr.tu = sp->spawner->tu;
    refs_add(&sr, target);
    if (!sr.v.n) continue;
    refs_close(&sr, sp->spawner);
    if (refs_reassigned(&sr, sp->spawner) || !task_gets_channel(sp, &sr)) {
      refs_free(&sr);
      continue;
    }
    refs tr;
    pvals pv;
    task_side(sp, &sr, &tr, &pv);
    cfg *sc = get_cfg(x, sp->spawner);
    int spawn_id = ll_cfg_find(sc->c, sp->site);
    chan_found ch = {cr, ca, capv};
    for (int pass = 0; pass < 2 && spawn_id >= 0 && !reported[si]; pass++) {
      op_kind want = pass == 0 ? OP_SEND : OP_RECV;
      const char *rule = pass == 0 ? "unbuffered-send" : "unbuffered-recv";
      task_sum ts;
      memset(&ts, 0, sizeof ts);
      const ll_func *stack[MAX_DEPTH + 2] = {sp->entry};
      int ops = op_count_fn(x, sp->entry, &tr, want, 0, &ts, stack, 1);
      if (ops <= 0 || !ts.op) continue;
      side s;
      memset(&s, 0, sizeof s);
      s.x = x;
      s.sp = sp;
      s.c = sc;
      s.r = &sr;
      s.match = pass == 0 ? OP_RECV : OP_SEND;
      s.spawn_id = spawn_id;
      s.task_ops = ops;
      s.spawn_scc = sc->scc[spawn_id];
      /* loops (not around the spawn) that repeat the matching op are
         assumed to drain the channel, from the moment they are entered */
      s.drain_scc = ll_xcalloc(sc->n + 1, 1);
      if (ops < INF_OPS)
        for (size_t gi = 0; gi < sc->n; gi++) {
          if (!in_cycle(sc, (int)gi) || sc->scc[gi] == s.spawn_scc) continue;
          op_info o = op_of(x, &sc->g[gi], &sr);
          if (o.kind == s.match) s.drain_scc[sc->scc[gi]] = 1;
        }
      leak L = search_exists(&s);
      int timeout = L.found && L.timed_id >= 0 && !L.received;
      if (!L.found) {
        L = search_timeout(&s);
        timeout = L.found;
      }
      if (L.found) report(x, sp, si, reported, out, rule, &ch, &ts, ops, &s, &L, timeout);
      free(s.drain_scc);
    }
    task_side_free(&tr, &pv);
    refs_free(&sr);
  }
  free(cs.v.v);
}

/* ---------------------------------------------------------------- timers made of tasks */

typedef struct timer_scan {
  int sleeps, loops, blocking, calls, spawns, signals;
  const ll_node *sleep;
} timer_scan;

/* Something the task does after sleeping that others can observe: a
 * signal, send, close, a store through a pointer/field/global. */
static int is_signal(const ll_node *n) {
  if (n->kind == LL_N_CALL) {
    if (ll_call_has_role(n, LL_ROLE_SIGNAL) || ll_call_has_role(n, LL_ROLE_SEND) ||
        ll_call_has_role(n, LL_ROLE_CLOSE) || ll_call_has_role(n, LL_ROLE_STOP_REQUEST) ||
        ll_call_has_role(n, LL_ROLE_CANCEL))
      return 1;
    const char *c = n->callee ? n->callee : "";
    return strstr(c, "::store") || strstr(c, "::exchange") || strstr(c, "::notify") ||
           strstr(c, "::set_value") || strstr(c, "atomic_store") || strstr(c, "::operator=");
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
  if (n->kind == LL_N_ASSIGN && t->sleep && is_signal(n)) t->signals++;
  if (n->kind != LL_N_CALL) return 0;
  t->calls++;
  if (ll_call_has_role(n, LL_ROLE_SLEEP)) {
    t->sleeps++;
    if (!t->sleep) t->sleep = n;
  }
  if (t->sleep && n != t->sleep && is_signal(n)) t->signals++;
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

static void check_task_timer(cctx *x, const ll_spawn *sp, size_t si, unsigned char *reported, ll_findings *out) {
  if (!sp->loop || !sp->entry || !sp->entry->body || reported[si]) return;
  if ((sp->fate & LL_FATE_JOINED) && sp->join_site && ll_node_within(sp->join_site, sp->loop)) return;
  if (sp->fate & (LL_FATE_CANCELLED | LL_FATE_ESCAPES | LL_FATE_JOIN_ON_DESTROY)) return;
  if (!(sp->fate & (LL_FATE_DETACHED | LL_FATE_DISCARDED)) && (sp->fate & LL_FATE_JOINED)) return;
  timer_scan t;
  memset(&t, 0, sizeof t);
  ll_visit(sp->entry->body, timer_cb, &t);
  if (t.sleeps != 1 || t.loops || t.blocking || t.spawns || t.calls > 6 || !t.signals) return;
  /* the spawner waits for the tasks after the loop (a countdown over a
     channel, joins): they are awaited, not lost */
  awaited_scan aw = {sp->loop, 0};
  ll_visit(sp->spawner->body, awaited_cb, &aw);
  if (aw.found) return;
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
    if (!after && k->kind != LL_N_CALL && k->kind != LL_N_DECL && k->kind != LL_N_ASSIGN) return;
  }
  if (!after) return; /* the sleep is nested in a condition */
  char *what = sp->site->macro ? ll_xstrdup(sp->site->macro) : ll_xstrdup(short_name(sp->site->callee));
  char *msg = ll_xasprintf("%s starts a task in every loop iteration that only sleeps and then signals: a "
                           "timer made of a thread per iteration",
                           what);
  ll_finding f = ll_finding_make("timer-per-iteration", LL_LEVEL_WARNING, msg, span_of(&sp->site->loc));
  f.confidence = LL_CONF_MEDIUM;
  if (sp->spawner->name) f.function = ll_xstrdup(sp->spawner->name);
  ll_finding_add_related(&f, span_of(&t.sleep->loc), "the task only sleeps here");
  ll_finding_add_related(&f, span_of(&sp->loop->loc), "inside this loop");
  f.hint = ll_xstrdup("create one timer (or one timer thread) outside the loop and re-arm it each "
                      "iteration instead of starting a sleeping task per iteration");
  ll_findings_push(out, f);
  reported[si] = 1;
  free(msg);
  free(what);
  (void)x;
}

/* ---------------------------------------------------------------- entry */

void ll_check_chan(const ll_program *prog, const ll_rules *rules, const ll_spawns *spawns,
                   unsigned char *reported, ll_findings *out) {
  if (!prog || !spawns) return;
  cctx x;
  memset(&x, 0, sizeof x);
  x.p = prog;
  x.rules = rules;
  for (size_t i = 0; i < spawns->n; i++) check_spawn(&x, &spawns->v[i], i, reported, out);
  for (size_t i = 0; i < spawns->n; i++) check_task_timer(&x, &spawns->v[i], i, reported, out);
  for (size_t i = 0; i < x.cache.v.n; i++) cfg_free(x.cache.v.v[i]);
  free(x.cache.v.v);
}
