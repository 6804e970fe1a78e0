/* chanref.c - a channel's references and operations in one function (see
 * chanref.h). Aliasing is flow-insensitive: precision comes from refusing
 * (ll_chanref_reassigned) what it cannot tell apart. */
#include "chanref.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

const ll_value *ll_chanref_strip(const ll_rules *rules, const ll_value *v) {
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
      if (k->nargs == 1 && ll_rules_fact(rules, LL_FACT_PASS_THROUGH, k->callee)) {
        v = k->args[0];
        continue;
      }
    }
    break;
  }
  return v;
}

int ll_chanref_match(const ll_chanref *r, const ll_value *v) {
  v = ll_chanref_strip(r->rules, v);
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
int ll_chanref_base_match(const ll_chanref *r, const ll_value *v) {
  v = ll_value_strip(v);
  if (!v) return 0;
  for (size_t i = 0; i < r->v.n; i++) {
    const ll_value *a = r->v.v[i];
    if (a->kind == LL_V_FIELD && a->base && ll_value_same(a->base, v, 0)) return 1;
  }
  return 0;
}

void ll_chanref_add(ll_chanref *r, const ll_value *v) {
  v = ll_chanref_strip(r->rules, v);
  if (!v || ll_chanref_match(r, v)) return;
  if (v->kind != LL_V_VAR && v->kind != LL_V_FIELD && v->kind != LL_V_GLOBAL) return;
  LL_VEC_PUSH(&r->v, v);
}

typedef struct alias_ctx {
  ll_chanref *r;
  int changed;
} alias_ctx;

static int alias_cb(ll_node *n, void *d) {
  alias_ctx *a = d;
  if (n->kind == LL_N_ASSIGN && n->lhs && n->rhs && (!n->op || strcmp(n->op, "=") == 0) &&
      ll_chanref_match(a->r, n->rhs) && !ll_chanref_match(a->r, n->lhs)) {
    const ll_value *l = ll_chanref_strip(a->r->rules, n->lhs);
    if (l && (l->kind == LL_V_VAR || l->kind == LL_V_FIELD)) {
      ll_chanref_add(a->r, l);
      a->changed = 1;
    }
  }
  return 0;
}

void ll_chanref_close(ll_chanref *r, const ll_func *fn) {
  if (!fn || !fn->body) return;
  for (int it = 0; it < 6; it++) {
    alias_ctx a = {r, 0};
    ll_visit(fn->body, alias_cb, &a);
    if (!a.changed) break;
  }
}

void ll_chanref_free(ll_chanref *r) { free(r->v.v); }

typedef struct reassign_ctx {
  const ll_chanref *r;
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
int ll_chanref_reassigned(const ll_chanref *r, const ll_func *fn) {
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
ll_chan_opinfo ll_chan_op_of(const ll_rules *rules, const ll_cfg_node *g, const ll_chanref *r) {
  ll_chan_opinfo o;
  memset(&o, 0, sizeof o);
  if (g->kind == LL_CFG_CLAUSE && g->clause) {
    const ll_node *cl = g->clause;
    const ll_api *a = ll_call_api(cl, LL_ROLE_SELECT_SEND);
    ll_chan_op k = LL_OP_SEND;
    if (!a) {
      a = ll_call_api(cl, LL_ROLE_SELECT_RECV);
      k = LL_OP_RECV;
    }
    if (!a) return o;
    if (!ll_chanref_match(r, ll_call_arg(cl, a->object_arg))) return o;
    o.kind = k;
    o.call = cl;
    o.api = a;
    o.forever = !clause_limited(cl);
    o.timed = !o.forever;
    return o;
  }
  if (g->kind == LL_CFG_RANGE && g->n && g->n->range && ll_chanref_match(r, g->n->range)) {
    const ll_api *apis[4];
    size_t k = g->n->range_class ? ll_rules_lookup_range(rules, g->n->range_class, apis, 4) : 0;
    if (k > 4) k = 4;
    for (size_t i = 0; i < k; i++) {
      if (apis[i]->role == LL_ROLE_RECV) {
        o.kind = LL_OP_RECV;
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
    ll_chan_op k;
    switch (a->role) {
    case LL_ROLE_SEND: k = LL_OP_SEND; break;
    case LL_ROLE_RECV: k = LL_OP_RECV; break;
    case LL_ROLE_CLOSE: k = LL_OP_CLOSE; break;
    case LL_ROLE_SELECT: k = LL_OP_SELECT_ANY; break;
    default: continue;
    }
    if (k == LL_OP_SELECT_ANY) {
      /* a select over a clause array we do not model (libdill choose,
         libtask chanalt): it may well involve the channel */
    } else if (!ll_chanref_match(r, ll_call_arg(call, a->object_arg))) {
      continue;
    }
    o.kind = k;
    o.call = call;
    o.api = a;
    o.forever = (k == LL_OP_SEND || k == LL_OP_RECV) && ll_call_waits_forever(call, a);
    o.timed = (k == LL_OP_SEND || k == LL_OP_RECV) && !o.forever && !(a->flags & LL_API_NONBLOCKING);
    return o;
  }
  return o;
}

