/* chanleak.c - spawns whose task can block forever on an unbuffered
 * channel (see chanleak.h): for every channel the spawner creates unbuffered
 * and hands to the task, the pending-operation search (pending.h) runs for
 * the task's sends, then its receives; a channel created into the object of
 * a start function is checked against the callers of start instead (a
 * start without its stop). The first leak of a spawn is its record. */
#include "chanleak.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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
static void task_refs_for(const ll_spawn *sp, const ll_chanref *sr, ll_chanref *tr) {
  memset(tr, 0, sizeof *tr);
  tr->loose_fields = 1;
  const ll_func *e = sp->entry;
  tr->tu = e->tu;
  tr->rules = sr->rules;
  for (size_t i = 0; i < sr->v.n; i++) {
    const ll_value *v = sr->v.v[i];
    if (v->kind == LL_V_FIELD) LL_VEC_PUSH(&tr->v, v);
    else if ((v->kind == LL_V_VAR || v->kind == LL_V_GLOBAL) && e->tu == sp->spawner->tu) LL_VEC_PUSH(&tr->v, v);
  }
}

typedef struct pvals {
  LL_VEC(ll_value *) v;
} pvals;

static void bind_params(const ll_spawn *sp, const ll_chanref *sr, ll_chanref *tr, pvals *pv) {
  const ll_func *e = sp->entry;
  for (size_t i = 0; i < sp->nbind && i < e->nparams; i++) {
    if (!sp->bind[i]) continue;
    if (ll_chanref_match(sr, sp->bind[i]) || ll_chanref_base_match(sr, sp->bind[i])) {
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
static void task_side(const ll_spawn *sp, const ll_chanref *sr, ll_chanref *tr, pvals *pv) {
  memset(pv, 0, sizeof *pv);
  task_refs_for(sp, sr, tr);
  bind_params(sp, sr, tr, pv);
  ll_chanref_close(tr, sp->entry);
}

static void task_side_free(ll_chanref *tr, pvals *pv) {
  for (size_t i = 0; i < pv->v.n; i++) free(pv->v.v[i]);
  free(pv->v.v);
  ll_chanref_free(tr);
}

static int task_gets_channel(const ll_spawn *sp, const ll_chanref *sr) {
  for (size_t i = 0; i < sp->nbind; i++)
    if (sp->bind[i] && (ll_chanref_match(sr, sp->bind[i]) || ll_chanref_base_match(sr, sp->bind[i]))) return 1;
  const ll_func *e = sp->entry;
  if (e->parent && e->tu == sp->spawner->tu) {
    for (size_t i = 0; i < e->ncaptures; i++) {
      ll_value v;
      memset(&v, 0, sizeof v);
      v.kind = LL_V_VAR;
      v.var = e->captures[i];
      if (ll_chanref_match(sr, &v) || ll_chanref_base_match(sr, &v)) return 1;
    }
  }
  for (size_t i = 0; i < sr->v.n; i++)
    if (sr->v.v[i]->kind == LL_V_FIELD && (e->captures_this || e->cls)) return 1;
  return 0;
}
/* ---------------------------------------------------------------- method contracts */

/* MethodContractViolation: a start function creates the channel in a field
 * of its object (this, or a struct parameter) and spawns a task blocking on
 * it; only a stop function (closing that field or cancelling the handle
 * field) ends the task. A caller in the project that calls start on a local
 * object and can return without calling a stop function leaks the task. */

typedef struct stop_scan {
  const ll_rules *rules;
  const char *chan_usr, *handle_usr;
  int hit;
} stop_scan;

static int stop_cb(ll_node *n, void *d) {
  stop_scan *st = d;
  if (n->kind != LL_N_CALL) return 0;
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    if (a->role != LL_ROLE_CLOSE && a->role != LL_ROLE_CANCEL && a->role != LL_ROLE_STOP_REQUEST) continue;
    const ll_value *o = ll_chanref_strip(st->rules, ll_call_arg(n, a->object_arg));
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

/* The channel field t of a start function's object, when the task blocks
 * on it: the object's parameter (*param_var; -1 = this), the operation kind
 * and what the task does (*ts, *ops). 0 when there is no such task. */
static int contract_task(ll_chan_ctx *x, const ll_spawn *sp, const ll_value *target, const ll_value **tfield,
                         int *param_var_out, ll_chan_op *want_out, ll_pending_ops *ts_out) {
  const ll_func *start = sp->spawner;
  while (start->parent) start = start->parent;
  if (!start->usr || !sp->entry || start != sp->spawner) return 0;
  const ll_value *t = ll_value_strip(target);
  while (t && t->kind == LL_V_INDEX && t->base) t = ll_value_strip(t->base);
  if (!t || t->kind != LL_V_FIELD || !t->usr || !t->base) return 0;
  const ll_value *base = ll_value_strip(t->base);
  int param_var = -1;
  if (base->kind == LL_V_VAR) {
    if (!start->tu || base->var < 0 || (size_t)base->var >= start->tu->nvars || !start->tu->vars[base->var].is_param)
      return 0;
    param_var = base->var;
  } else if (base->kind != LL_V_THIS) {
    return 0;
  }
  /* the task blocks on that channel */
  ll_chanref sr;
  memset(&sr, 0, sizeof sr);
  sr.tu = start->tu;
  sr.rules = x->rules;
  ll_chanref_add(&sr, t);
  ll_chanref_close(&sr, start);
  if (!task_gets_channel(sp, &sr)) {
    ll_chanref_free(&sr);
    return 0;
  }
  ll_chanref tr;
  pvals pv;
  task_side(sp, &sr, &tr, &pv);
  ll_pending_ops ts;
  ll_chan_op want = LL_OP_NONE;
  int ops = 0;
  for (int pass = 0; pass < 2 && ops <= 0; pass++) {
    memset(&ts, 0, sizeof ts);
    want = pass == 0 ? LL_OP_SEND : LL_OP_RECV;
    ops = ll_pending_count(x, sp->entry, &tr, want, &ts);
  }
  task_side_free(&tr, &pv);
  ll_chanref_free(&sr);
  if (ops <= 0 || !ts.op) return 0;
  *tfield = t;
  *param_var_out = param_var;
  *want_out = want;
  *ts_out = ts;
  return 1;
}

/* The project functions other than start that close the channel field or
 * cancel the handle field: the object's stop functions. */
static void stop_functions(ll_chan_ctx *x, const ll_spawn *sp, const ll_func *start, const ll_value *t,
                           stop_set *ss) {
  const ll_value *h = ll_value_strip(sp->handle);
  stop_scan st0 = {x->rules, t->usr, h && h->kind == LL_V_FIELD ? h->usr : NULL, 0};
  memset(ss, 0, sizeof *ss);
  for (size_t ti = 0; ti < ll_program_tu_count(x->p); ti++) {
    ll_tu *tu = ll_program_tu(x->p, ti);
    for (size_t i = 0; i < tu->nfuncs; i++) {
      const ll_func *fn = tu->funcs[i];
      if (!fn->body || !fn->usr || fn == start || fn->parent || !ll_program_is_canonical(x->p, fn)) continue;
      stop_scan st = st0;
      ll_visit(fn->body, stop_cb, &st);
      if (st.hit) LL_VEC_PUSH(&ss->v, fn);
    }
  }
}

/* From the call g of start in fn on the local object obj: the first exit
 * reached without a stop function on obj (-1: none, or a branch we cannot
 * tell). */
static int exit_without_stop(ll_chan_ctx *x, const ll_fcfg *c, const ll_func *fn, const ll_func *start,
                             const ll_cfg_node *g, const ll_value *obj, const stop_set *ss) {
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
    if (ll_pending_drops_path(y)) continue;
    if (y->kind == LL_CFG_STMT && y->n) {
      const ll_node *n = y->n;
      int stop = 0;
      if (n->kind == LL_N_CALL) {
        int passes = n->obj && passes_obj(n->obj, obj);
        for (size_t a = 0; a < n->nargs; a++)
          if (passes_obj(n->args[a], obj)) passes = 1;
        if (passes && in_stop_set(ss, n->callee_usr)) stop = 1;
        else if (passes && !n->napis && n->callee_usr && strcmp(n->callee_usr, start->usr) != 0) {
          /* unknown code may stop it; project code is not followed: assume it may */
          stop = 1;
        }
      } else if (n->kind == LL_N_ASSIGN && n->rhs && passes_obj(n->rhs, obj)) {
        stop = 1; /* the object escapes */
      }
      if (stop) continue;
    }
    int only = -1;
    if (y->kind == LL_CFG_NOP && y->n && y->n->kind == LL_N_IF && ll_pending_if_tests(y->n, g->n)) {
      int fb = ll_pending_spawn_failure_branch(fn, y->n);
      if (fb < 0) {
        char *ct = ll_pending_cond_text(fn, y->n);
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
  (void)x;
  return unknown ? -1 : exit_id;
}

/* The first caller in the project that calls start on a local object and
 * can return without a stop function: a leak record, or NULL. */
static ll_chanleak *contract_caller(ll_chan_ctx *x, const ll_spawn *sp, const ll_func *start, int param_var,
                                    const stop_set *ss) {
  for (size_t ti = 0; ti < ll_program_tu_count(x->p); ti++) {
    ll_tu *tu = ll_program_tu(x->p, ti);
    for (size_t i = 0; i < tu->nfuncs; i++) {
      const ll_func *fn = tu->funcs[i];
      if (!fn->body || fn == start || !ll_program_is_canonical(x->p, fn)) continue;
      if (fn->name && strcmp(fn->name, "main") == 0 && !fn->parent) continue;
      const ll_fcfg *c = ll_cfgs_get(x->cfgs, fn, LL_PENDING_CFG_FLAGS);
      for (size_t gi = 0; gi < c->n; gi++) {
        const ll_cfg_node *g = &c->g[gi];
        if (g->kind != LL_CFG_STMT || !g->n || g->n->kind != LL_N_CALL || !g->n->callee_usr ||
            strcmp(g->n->callee_usr, start->usr) != 0)
          continue;
        const ll_value *obj = start_object(start, g->n, param_var);
        if (!obj || obj->kind != LL_V_VAR || obj->var < 0 || (size_t)obj->var >= tu->nvars) continue;
        const ll_var *ov = &tu->vars[obj->var];
        if (ov->is_param || ov->is_static) continue;
        int exit_id = exit_without_stop(x, c, fn, start, g, obj, ss);
        if (exit_id < 0) continue;
        ll_chanleak *lk = ll_xcalloc(1, sizeof *lk);
        lk->contract = 1;
        lk->cfg = c;
        lk->leak.found = 1;
        lk->leak.exit_id = exit_id;
        lk->leak.timed_id = -1;
        lk->start = start;
        lk->stop = ss->v.v[0];
        lk->start_call = g->n;
        (void)sp;
        return lk;
      }
    }
  }
  return NULL;
}

/* The unbuffered channel a leak record is about: its creation, its
 * chan_create entry and its capacity argument. */
static void set_channel(ll_chanleak *lk, const ll_node *cr, const ll_api *ca, const ll_value *capv) {
  lk->create = cr;
  lk->capi = ca;
  lk->cap_val = capv;
}

/* MethodContractViolation for the channel created into target. */
static ll_chanleak *check_contract(ll_chan_ctx *x, const ll_spawn *sp, const ll_node *cr, const ll_api *ca,
                                   const ll_value *capv, const ll_value *target) {
  const ll_value *t = NULL;
  int param_var = -1;
  ll_chan_op want = LL_OP_NONE;
  ll_pending_ops ts;
  memset(&ts, 0, sizeof ts);
  if (!contract_task(x, sp, target, &t, &param_var, &want, &ts)) return NULL;
  const ll_func *start = sp->spawner; /* contract_task checked it is not nested */
  stop_set ss;
  stop_functions(x, sp, start, t, &ss);
  ll_chanleak *lk = ss.v.n ? contract_caller(x, sp, start, param_var, &ss) : NULL;
  free(ss.v.v);
  if (!lk) return NULL;
  lk->sp = sp;
  lk->op = want;
  lk->ts = ts;
  set_channel(lk, cr, ca, capv);
  return lk;
}

/* The spawner-side search for one channel and one direction: a leak record,
 * or NULL. */
static ll_chanleak *search_side(ll_chan_ctx *x, const ll_spawn *sp, const ll_fcfg *sc, int spawn_id, ll_chanref *sr,
                                ll_chanref *tr, ll_chan_op want) {
  ll_pending_ops ts;
  memset(&ts, 0, sizeof ts);
  int ops = ll_pending_count(x, sp->entry, tr, want, &ts);
  if (ops <= 0 || !ts.op) return NULL;
  ll_pending_side s;
  memset(&s, 0, sizeof s);
  s.x = x;
  s.sp = sp;
  s.c = sc;
  s.r = sr;
  s.match = want == LL_OP_SEND ? LL_OP_RECV : LL_OP_SEND;
  s.spawn_id = spawn_id;
  s.task_ops = ops;
  s.spawn_scc = sc->scc[spawn_id];
  /* loops (not around the spawn) that repeat the matching op are
     assumed to drain the channel, from the moment they are entered */
  s.drain_scc = ll_xcalloc(sc->n + 1, 1);
  if (ops < LL_PENDING_MANY)
    for (size_t gi = 0; gi < sc->n; gi++) {
      if (!ll_cfg_in_cycle(sc->c, (int)gi) || sc->scc[gi] == s.spawn_scc) continue;
      ll_chan_opinfo o = ll_chan_op_of(x->rules, &sc->g[gi], sr);
      if (o.kind == s.match) s.drain_scc[sc->scc[gi]] = 1;
    }
  ll_pending_leak L = ll_pending_search_exists(&s);
  int timeout = L.found && L.timed_id >= 0 && !L.received;
  if (!L.found) {
    L = ll_pending_search_timeout(&s);
    timeout = L.found;
  }
  free(s.drain_scc);
  if (!L.found) return NULL;
  ll_chanleak *lk = ll_xcalloc(1, sizeof *lk);
  *lk = (ll_chanleak){.sp = sp, .op = want, .ts = ts, .task_ops = ops, .cfg = sc, .spawn_id = spawn_id, .leak = L,
                      .timeout = timeout};
  return lk;
}

/* The first leak of a spawn: channels in creation order, sends before
 * receives on each. */
static ll_chanleak *check_spawn(ll_chan_ctx *x, const ll_spawn *sp) {
  if (!sp->entry || !sp->entry->body || !sp->spawner->body) return NULL;
  create_scan cs;
  memset(&cs, 0, sizeof cs);
  cs.fn = sp->spawner;
  ll_visit(sp->spawner->body, create_cb, &cs);
  ll_chanleak *found = NULL;
  /* a lambda spawner may use a channel of its enclosing function: skip */
  for (size_t k = 0; k < cs.v.n && !found; k++) {
    const ll_node *cr = cs.v.v[k];
    const ll_api *ca = ll_call_api(cr, LL_ROLE_CHAN_CREATE);
    const ll_value *capv = NULL;
    long long cap = capacity_of(cr, ca, &capv);
    if (cap != 0) continue;
    const ll_value *target = ll_call_arg(cr, ca->object_arg);
    if (!target) continue;
    if (creation_escapes(sp->spawner, target)) {
      found = check_contract(x, sp, cr, ca, capv, target);
      continue;
    }
    ll_chanref sr;
    memset(&sr, 0, sizeof sr);
    sr.tu = sp->spawner->tu;
    sr.rules = x->rules;
    ll_chanref_add(&sr, target);
    if (!sr.v.n) continue;
    ll_chanref_close(&sr, sp->spawner);
    if (ll_chanref_reassigned(&sr, sp->spawner) || !task_gets_channel(sp, &sr)) {
      ll_chanref_free(&sr);
      continue;
    }
    ll_chanref tr;
    pvals pv;
    task_side(sp, &sr, &tr, &pv);
    const ll_fcfg *sc = ll_cfgs_get(x->cfgs, sp->spawner, LL_PENDING_CFG_FLAGS);
    int spawn_id = ll_cfg_find(sc->c, sp->site);
    if (spawn_id >= 0) found = search_side(x, sp, sc, spawn_id, &sr, &tr, LL_OP_SEND);
    if (spawn_id >= 0 && !found) found = search_side(x, sp, sc, spawn_id, &sr, &tr, LL_OP_RECV);
    if (found) set_channel(found, cr, ca, capv);
    task_side_free(&tr, &pv);
    ll_chanref_free(&sr);
  }
  free(cs.v.v);
  return found;
}

/* ---------------------------------------------------------------- the pass */

struct ll_chanleaks {
  ll_chanleak **by_spawn; /* indexed like the task model's spawns; NULL = no leak */
  size_t n;
};

const ll_chanleak *ll_chanleaks_at(const ll_chanleaks *l, size_t i) {
  return l && i < l->n ? l->by_spawn[i] : NULL;
}

static void *run_chanleaks(ll_pass_ctx *ctx) {
  ll_tasks *tasks = ll_pass_result_of(ctx, &ll_tasks_pass);
  const ll_spawns *spawns = ll_tasks_spawns(tasks);
  ll_chan_ctx x = {ll_pass_program(ctx), ll_pass_packs(ctx), ll_pass_result_of(ctx, &ll_cfgs_pass)};
  ll_chanleaks *l = ll_xcalloc(1, sizeof *l);
  l->n = spawns->n;
  l->by_spawn = ll_xcalloc(l->n ? l->n : 1, sizeof *l->by_spawn);
  for (size_t i = 0; i < spawns->n; i++) {
    const ll_spawn *sp = &spawns->v[i];
    if (!sp->entry || !sp->entry->body || !sp->spawner->body) continue;
    /* the complete fate (a copy of the handle joined or cancelled
       elsewhere, a task move-assigned into an object): what the rules
       report reads it; computed only for spawns with a body to search */
    l->by_spawn[i] = check_spawn(&x, ll_tasks_complete(tasks, i));
  }
  return l;
}

static void free_chanleaks(void *r) {
  ll_chanleaks *l = r;
  for (size_t i = 0; i < l->n; i++) free(l->by_spawn[i]);
  free(l->by_spawn);
  free(l);
}

static const ll_pass *const requires[] = {&ll_tasks_pass, &ll_cfgs_pass, NULL};

const ll_pass ll_chanleaks_pass = {
    .id = "chanleaks",
    .summary = "spawns whose task can block forever on an unbuffered channel of the spawner",
    .requires = requires,
    .run = run_chanleaks,
    .free_result = free_chanleaks,
};
