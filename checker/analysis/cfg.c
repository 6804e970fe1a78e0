/* cfg.c - lowering a function's IR to a control-flow graph (cfg.h). */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

struct ll_cfg {
  const ll_func *fn;
  ll_cfg_node *g;
  size_t n, cap;
  int entry;
  /* LL_CFG_SCC */
  int *scc;       /* scc id per node */
  int *scc_size;  /* nodes per scc id */
  int *self_loop; /* per node */
  int nscc;
};

typedef struct glabel {
  const char *name;
  int id;
} glabel;

/* Lowering state. */
typedef struct lctx {
  unsigned flags;
  const ll_rules *rules;         /* the packs' process_exit facts */
  int brk, cont;                 /* break / continue targets (-1: none) */
  LL_VEC(int) *cases;            /* case label ids of the innermost switch */
  int has_default;               /* ... which has a default label */
  const int *handlers;           /* LL_CFG_CATCH_EDGES: handler entries of the innermost try */
  size_t nhandlers;
  const ll_node *clause_pending; /* clause call whose `if (0) {...}` comes next */
  const ll_node *clause_inner;   /* consumed by the first conditional IF inside */
  LL_VEC(glabel) labels;
  LL_VEC(glabel) gotos;          /* id = goto node, name = target */
} lctx;

static int gnew(ll_cfg *c, ll_cfg_kind kind, const ll_node *n) {
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 64;
    c->g = ll_xrealloc(c->g, c->cap * sizeof(ll_cfg_node));
  }
  ll_cfg_node *x = &c->g[c->n];
  memset(x, 0, sizeof *x);
  x->kind = kind;
  x->n = n;
  x->then_id = x->else_id = -1;
  return (int)c->n++;
}

static void gedge(ll_cfg *c, int from, int to) {
  if (from < 0 || to < 0) return;
  ll_cfg_node *x = &c->g[from];
  for (size_t i = 0; i < x->nsucc; i++)
    if (x->succ[i] == to) return;
  if (x->nsucc == x->capsucc) {
    x->capsucc = x->capsucc ? x->capsucc * 2 : 2;
    x->succ = ll_xrealloc(x->succ, x->capsucc * sizeof(int));
  }
  x->succ[x->nsucc++] = to;
}

/* Calls that end the process: the packs' process_exit facts (and
 * process_exit_more with LL_CFG_LIB_EXITS). */
static int is_noreturn(const ll_node *n, unsigned flags, const ll_rules *rules) {
  if (!n->callee) return 0;
  if (ll_rules_fact(rules, LL_FACT_PROCESS_EXIT, n->callee)) return 1;
  return (flags & LL_CFG_LIB_EXITS) && ll_rules_fact(rules, LL_FACT_PROCESS_EXIT_MORE, n->callee);
}

static int is_clause_call(const ll_node *n) {
  return n && n->kind == LL_N_CALL &&
         (ll_call_has_role(n, LL_ROLE_SELECT_RECV) || ll_call_has_role(n, LL_ROLE_SELECT_SEND) ||
          ll_call_has_role(n, LL_ROLE_SELECT_DEADLINE) || ll_call_has_role(n, LL_ROLE_SELECT_DEFAULT));
}

static int lower(ll_cfg *c, const ll_node *n, int next, lctx *lc);

static int lower_block(ll_cfg *c, const ll_node *b, int next, lctx *lc) {
  if (!b) return next;
  if (b->kind != LL_N_BLOCK) return lower(c, b, next, lc);
  for (size_t i = b->nkids; i-- > 0;) {
    const ll_node *k = b->kids[i];
    if (!k) continue;
    const ll_node *saved = lc->clause_pending;
    lc->clause_pending = NULL;
    if (k->kind == LL_N_IF && k->cond_const == 0) {
      /* the clause call is the nearest call before this `if (0)` */
      for (size_t j = i; j-- > 0;) {
        const ll_node *p = b->kids[j];
        if (!p) continue;
        if (p->kind == LL_N_CALL) {
          if (is_clause_call(p)) lc->clause_pending = p;
          break;
        }
        if (p->kind != LL_N_ASSIGN && p->kind != LL_N_DECL) break;
      }
    }
    next = lower(c, k, next, lc);
    lc->clause_pending = saved;
  }
  return next;
}

static int lower_call(ll_cfg *c, const ll_node *n, int next, lctx *lc) {
  int id;
  int task_exit = ll_call_has_role(n, LL_ROLE_TASK_EXIT);
  if (is_noreturn(n, lc->flags, lc->rules)) {
    id = gnew(c, LL_CFG_ABORT, n);
    c->g[id].task_exit = task_exit;
    if ((lc->flags & LL_CFG_ABORT_FALLS_THROUGH) && !task_exit) gedge(c, id, next);
  } else if (task_exit) {
    id = gnew(c, LL_CFG_EXIT, n);
  } else {
    id = gnew(c, LL_CFG_STMT, n);
    gedge(c, id, next);
  }
  /* inside a try body every call may throw into a handler */
  for (size_t i = 0; i < lc->nhandlers; i++) gedge(c, id, lc->handlers[i]);
  return id;
}

static int lower_if(ll_cfg *c, const ll_node *n, int next, lctx *lc) {
  const ll_node *clause = NULL;
  if (n->cond_const == 0 && lc->clause_pending) {
    lc->clause_inner = lc->clause_pending;
    lc->clause_pending = NULL;
  } else if (n->cond_const != 0 && lc->clause_inner) {
    clause = lc->clause_inner;
    lc->clause_inner = NULL;
  }
  int then_e = n->nkids > 0 && n->kids[0] ? lower(c, n->kids[0], next, lc) : next;
  int else_e = n->nkids > 1 && n->kids[1] ? lower(c, n->kids[1], next, lc) : next;
  if (clause) {
    int cl = gnew(c, LL_CFG_CLAUSE, n);
    c->g[cl].clause = clause;
    gedge(c, cl, then_e);
    then_e = cl;
  }
  int b = gnew(c, LL_CFG_NOP, n);
  if (n->cond_const != 0) gedge(c, b, then_e);
  if (n->cond_const != 1) gedge(c, b, else_e);
  if (n->cond_const != 0) c->g[b].then_id = then_e;
  if (n->cond_const != 1) c->g[b].else_id = else_e;
  return lower_block(c, n->cond, b, lc);
}

static int lower_loop(ll_cfg *c, const ll_node *n, int next, lctx *lc) {
  int h = gnew(c, LL_CFG_NOP, n);
  c->g[h].loop_head = 1;
  int saved_b = lc->brk, saved_c = lc->cont;
  const ll_node *body = n->nkids ? n->kids[0] : NULL;
  if (n->loop_kind == LL_LOOP_DO) {
    int br = gnew(c, LL_CFG_NOP, n);
    int cond_e = lower_block(c, n->cond, br, lc);
    lc->brk = next;
    lc->cont = cond_e;
    int body_e = lower(c, body, cond_e, lc);
    lc->brk = saved_b;
    lc->cont = saved_c;
    if (n->cond_const != 0) gedge(c, br, h);
    if (n->cond_const != 1) gedge(c, br, next);
    gedge(c, h, body_e);
    return h;
  }
  int inc_e = lower_block(c, n->inc, h, lc);
  lc->brk = next;
  lc->cont = inc_e;
  int body_e = lower(c, body, inc_e, lc);
  lc->brk = saved_b;
  lc->cont = saved_c;
  int br = gnew(c, n->loop_kind == LL_LOOP_RANGE ? LL_CFG_RANGE : LL_CFG_NOP, n);
  if (n->loop_kind == LL_LOOP_RANGE) {
    /* the range head: each iteration takes an element (a receive when the
       range is a channel); leaving it means the range ended */
    int into = gnew(c, LL_CFG_NOP, n);
    gedge(c, br, into);
    gedge(c, into, body_e);
    gedge(c, br, next);
  } else {
    if (n->cond_const != 0) gedge(c, br, body_e);
    if (n->cond_const != 1) gedge(c, br, next);
  }
  int cond_e = lower_block(c, n->cond, br, lc);
  gedge(c, h, cond_e);
  return lower_block(c, n->init, h, lc);
}

static int lower_switch(ll_cfg *c, const ll_node *n, int next, lctx *lc) {
  int saved_b = lc->brk;
  __typeof__(lc->cases) saved_cases = lc->cases;
  int saved_def = lc->has_default;
  LL_VEC(int) cases = {0};
  lc->cases = (__typeof__(lc->cases))&cases;
  lc->has_default = 0;
  lc->brk = next;
  if (n->nkids) (void)lower(c, n->kids[0], next, lc);
  int has_default = lc->has_default;
  lc->brk = saved_b;
  lc->cases = saved_cases;
  lc->has_default = saved_def;
  int b = gnew(c, LL_CFG_NOP, n);
  for (size_t i = 0; i < cases.n; i++) gedge(c, b, cases.v[i]);
  if (!has_default) gedge(c, b, next);
  free(cases.v);
  return lower_block(c, n->cond, b, lc);
}

static int lower_try(ll_cfg *c, const ll_node *n, int next, lctx *lc) {
  if (!(lc->flags & LL_CFG_CATCH_EDGES)) {
    /* handlers are not linked: which calls throw is not modelled */
    int body_e = n->nkids ? lower(c, n->kids[0], next, lc) : next;
    for (size_t i = 1; i < n->nkids; i++) (void)lower(c, n->kids[i], next, lc);
    return body_e;
  }
  size_t nh = n->nkids > 1 ? n->nkids - 1 : 0;
  int *hs = ll_xcalloc(nh ? nh : 1, sizeof(int));
  for (size_t i = 0; i < nh; i++) hs[i] = lower(c, n->kids[i + 1], next, lc);
  const int *saved_h = lc->handlers;
  size_t saved_nh = lc->nhandlers;
  lc->handlers = hs;
  lc->nhandlers = nh;
  int body_e = n->nkids ? lower(c, n->kids[0], next, lc) : next;
  lc->handlers = saved_h;
  lc->nhandlers = saved_nh;
  free(hs);
  return body_e;
}

/* Returns the id of the first node of n, whose control continues at next. */
static int lower(ll_cfg *c, const ll_node *n, int next, lctx *lc) {
  if (!n) return next;
  switch (n->kind) {
  case LL_N_BLOCK:
    return lower_block(c, n, next, lc);
  case LL_N_CALL:
    return lower_call(c, n, next, lc);
  case LL_N_ASSIGN:
  case LL_N_DECL: {
    int id = gnew(c, LL_CFG_STMT, n);
    gedge(c, id, next);
    return id;
  }
  case LL_N_RETURN:
  case LL_N_THROW:
    return gnew(c, LL_CFG_EXIT, n);
  case LL_N_BREAK: {
    int id = gnew(c, LL_CFG_NOP, n);
    gedge(c, id, lc->brk >= 0 ? lc->brk : next);
    return id;
  }
  case LL_N_CONTINUE: {
    int id = gnew(c, LL_CFG_NOP, n);
    gedge(c, id, lc->cont >= 0 ? lc->cont : next);
    return id;
  }
  case LL_N_GOTO: {
    if (!n->label) return gnew(c, LL_CFG_UNKNOWN, n); /* computed goto */
    int id = gnew(c, LL_CFG_NOP, n);
    glabel gl = {n->label, id};
    LL_VEC_PUSH(&lc->gotos, gl);
    return id;
  }
  case LL_N_LABEL: {
    int id = gnew(c, LL_CFG_NOP, n);
    gedge(c, id, next);
    if (n->label) {
      glabel gl = {n->label, id};
      LL_VEC_PUSH(&lc->labels, gl);
    }
    return id;
  }
  case LL_N_CASE: {
    int id = gnew(c, LL_CFG_NOP, n);
    gedge(c, id, next);
    if (lc->cases) {
      LL_VEC_PUSH(lc->cases, id);
      if (n->is_default) lc->has_default = 1;
    }
    return id;
  }
  case LL_N_IF:
    return lower_if(c, n, next, lc);
  case LL_N_LOOP:
    return lower_loop(c, n, next, lc);
  case LL_N_SWITCH:
    return lower_switch(c, n, next, lc);
  case LL_N_TRY:
    return lower_try(c, n, next, lc);
  }
  return next;
}

/* Iterative Tarjan. */
static void scc_compute(ll_cfg *c) {
  size_t n = c->n;
  c->scc = ll_xcalloc(n ? n : 1, sizeof(int));
  c->scc_size = ll_xcalloc(n ? n : 1, sizeof(int));
  c->self_loop = ll_xcalloc(n ? n : 1, sizeof(int));
  int *index = ll_xmalloc((n ? n : 1) * sizeof(int));
  int *low = ll_xmalloc((n ? n : 1) * sizeof(int));
  char *on = ll_xcalloc(n ? n : 1, 1);
  int *stack = ll_xmalloc((n ? n : 1) * sizeof(int));
  int *cs_node = ll_xmalloc((n ? n : 1) * sizeof(int));
  size_t *cs_edge = ll_xmalloc((n ? n : 1) * sizeof(size_t));
  for (size_t i = 0; i < n; i++) index[i] = -1;
  int idx = 0, sp = 0, nscc = 0;
  for (size_t root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    int csp = 0;
    cs_node[csp] = (int)root;
    cs_edge[csp] = 0;
    csp++;
    index[root] = low[root] = idx++;
    stack[sp++] = (int)root;
    on[root] = 1;
    while (csp) {
      int v = cs_node[csp - 1];
      ll_cfg_node *x = &c->g[v];
      if (cs_edge[csp - 1] < x->nsucc) {
        int w = x->succ[cs_edge[csp - 1]++];
        if (w == v) c->self_loop[v] = 1;
        if (index[w] < 0) {
          index[w] = low[w] = idx++;
          stack[sp++] = w;
          on[w] = 1;
          cs_node[csp] = w;
          cs_edge[csp] = 0;
          csp++;
        } else if (on[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
      } else {
        if (low[v] == index[v]) {
          int w, size = 0;
          do {
            w = stack[--sp];
            on[w] = 0;
            c->scc[w] = nscc;
            size++;
          } while (w != v);
          c->scc_size[nscc] = size;
          nscc++;
        }
        csp--;
        if (csp) {
          int u = cs_node[csp - 1];
          if (low[v] < low[u]) low[u] = low[v];
        }
      }
    }
  }
  c->nscc = nscc;
  free(index);
  free(low);
  free(on);
  free(stack);
  free(cs_node);
  free(cs_edge);
}

ll_cfg *ll_cfg_build(const ll_func *fn, unsigned flags, const ll_rules *rules) {
  ll_cfg *c = ll_xcalloc(1, sizeof(ll_cfg));
  c->fn = fn;
  int end_exit = gnew(c, LL_CFG_EXIT, NULL);
  lctx lc;
  memset(&lc, 0, sizeof lc);
  lc.flags = flags;
  lc.rules = rules;
  lc.brk = lc.cont = -1;
  c->entry = lower(c, fn->body, end_exit, &lc);
  for (size_t i = 0; i < lc.gotos.n; i++) {
    int target = -1;
    for (size_t j = 0; j < lc.labels.n; j++)
      if (strcmp(lc.labels.v[j].name, lc.gotos.v[i].name) == 0) target = lc.labels.v[j].id;
    if (target >= 0) gedge(c, lc.gotos.v[i].id, target);
    else c->g[lc.gotos.v[i].id].kind = LL_CFG_UNKNOWN;
  }
  free(lc.labels.v);
  free(lc.gotos.v);
  if (flags & LL_CFG_SCC) scc_compute(c);
  return c;
}

void ll_cfg_free(ll_cfg *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n; i++) free(c->g[i].succ);
  free(c->g);
  free(c->scc);
  free(c->scc_size);
  free(c->self_loop);
  free(c);
}

const ll_func *ll_cfg_func(const ll_cfg *c) { return c->fn; }

const ll_cfg_node *ll_cfg_nodes(const ll_cfg *c, size_t *n) {
  if (n) *n = c->n;
  return c->g;
}

int ll_cfg_entry(const ll_cfg *c) { return c->entry; }

int ll_cfg_find(const ll_cfg *c, const ll_node *n) {
  for (size_t i = 0; i < c->n; i++)
    if (c->g[i].kind == LL_CFG_STMT && c->g[i].n == n) return (int)i;
  return -1;
}

const int *ll_cfg_scc(const ll_cfg *c) { return c->scc; }

int ll_cfg_scc_count(const ll_cfg *c) { return c->nscc; }

int ll_cfg_in_cycle(const ll_cfg *c, int id) { return c->scc_size[c->scc[id]] > 1 || c->self_loop[id]; }
