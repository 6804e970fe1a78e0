/* task.c - the task model (see task.h): spawn sites, task bodies, argument
 * binding and handle fate, read from an indexed ll_program. */
#include "task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const ll_func *ll_resolve_callee(const ll_program *p, const ll_node *call) {
  if (!p || !call || call->kind != LL_N_CALL || !call->callee_usr) return NULL;
  if (call->is_virtual) return ll_program_virtual_target(p, call->callee_usr, call->obj_class);
  /* the definition in the caller's own TU first; none when several programs
     in the tree define it elsewhere */
  const ll_func *fn = ll_program_find_from(p, call->callee_usr, call->func ? call->func->tu : NULL);
  return fn && fn->body ? fn : NULL;
}

/* ---- small helpers ---- */

static int ends_with(const char *s, const char *suffix) {
  if (!s || !suffix) return 0;
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Strips ADDR/DEREF and wrappers that pass their argument through (the
 * packs' pass_through facts). */
static const ll_value *strip_pass(const ll_rules *rules, const ll_value *v) {
  for (int guard = 0; v && guard < 8; guard++) {
    v = ll_value_strip(v);
    if (v && v->kind == LL_V_CALL && v->call && v->call->nargs == 1 &&
        ll_rules_fact(rules, LL_FACT_PASS_THROUGH, v->call->callee)) {
      v = v->call->args[0];
      continue;
    }
    break;
  }
  return v;
}

typedef struct find_assign {
  const ll_value *var;
  const ll_value *rhs; /* last rhs assigned */
} find_assign;

static int find_assign_cb(ll_node *n, void *d) {
  find_assign *fa = d;
  if (n->kind == LL_N_ASSIGN && n->lhs && n->rhs && ll_value_same(n->lhs, fa->var, 0)) fa->rhs = n->rhs;
  return 0;
}

/* The function value a task entry expression denotes (follows one local
 * variable holding a lambda or function). */
static const ll_value *entry_value(const ll_rules *rules, const ll_func *spawner, const ll_value *v) {
  v = strip_pass(rules, v);
  for (int guard = 0; v && v->kind == LL_V_VAR && guard < 4; guard++) {
    find_assign fa = {v, NULL};
    if (spawner && spawner->body) ll_visit(spawner->body, find_assign_cb, &fa);
    if (!fa.rhs) break;
    v = strip_pass(rules, fa.rhs);
  }
  return v;
}

/* ---- an entry read from a field: the functions stored into it ---- */

typedef struct field_cands {
  const ll_program *p;
  const char *usr;        /* the field (or, with elem, the global array) */
  int elem;               /* stores into elements of the global array usr */
  const char *fn_usr;     /* the one function found so far */
  int unknown;            /* something else is stored, or several functions */
  const ll_func *store_fn;/* a function storing its parameter into the field */
  int store_param;
} field_cands;

static void add_cand(field_cands *c, const ll_value *v) {
  v = ll_value_strip(v);
  if (v && v->kind == LL_V_FUNC && v->usr && (!c->fn_usr || strcmp(c->fn_usr, v->usr) == 0)) c->fn_usr = v->usr;
  else c->unknown = 1;
}

static int store_cb(ll_node *n, void *d) {
  field_cands *c = d;
  if (n->kind != LL_N_ASSIGN || !n->lhs || !n->rhs) return 0;
  const ll_value *l = ll_value_strip(n->lhs), *r = ll_value_strip(n->rhs);
  if (l && c->elem) l = l->kind == LL_V_INDEX && l->base && l->base->kind == LL_V_GLOBAL ? l->base : NULL;
  if (!l || l->kind != (c->elem ? LL_V_GLOBAL : LL_V_FIELD) || !l->usr || strcmp(l->usr, c->usr) != 0 || !r ||
      r->kind == LL_V_NULL)
    return 0;
  const ll_var *x = r->kind == LL_V_VAR ? &n->func->tu->vars[r->var] : NULL;
  if (x && x->is_param && x->owner == n->func && n->func->usr && !c->store_fn) {
    c->store_fn = n->func; /* thr_init(t, fn, arg) { t->fn = fn; }: its callers' arguments */
    c->store_param = x->param_index;
  } else {
    add_cand(c, r);
  }
  return 0;
}

static int store_call_cb(ll_node *n, void *d) {
  field_cands *c = d;
  if (n->kind == LL_N_CALL && n->callee_usr && strcmp(n->callee_usr, c->store_fn->usr) == 0)
    add_cand(c, ll_call_arg(n, c->store_param));
  return 0;
}

static void visit_program(const ll_program *p, ll_visit_fn fn, void *ctx) {
  for (size_t t = 0; t < ll_program_tu_count(p); t++) {
    ll_tu *tu = ll_program_tu(p, t);
    for (size_t i = 0; i < tu->nfuncs; i++)
      if (tu->funcs[i]->body && ll_program_is_canonical(p, tu->funcs[i])) ll_visit(tu->funcs[i]->body, fn, ctx);
  }
}

/* The one function with a body stored where c says, or NULL. */
static const ll_func *one_stored(field_cands *c) {
  visit_program(c->p, store_cb, c);
  if (c->store_fn) visit_program(c->p, store_call_cb, c);
  if (c->unknown || !c->fn_usr) return NULL;
  const ll_func *f = ll_program_find(c->p, c->fn_usr);
  return f && f->body ? f : NULL;
}

/* pthread_create(&t->tid, 0, t->fn, t->arg): the task is the one function
 * ever stored into that field (directly, or through the parameter of a
 * function that stores it, at every call of that function); several
 * candidates, or anything else stored, resolve nothing. */
static const ll_func *field_entry(const ll_program *p, const ll_value *ev) {
  if (!ev || ev->kind != LL_V_FIELD || !ev->usr) return NULL;
  field_cands c = {p, ev->usr, 0, NULL, 0, NULL, -1};
  return one_stored(&c);
}

/* pthread_create(&t, 0, workers[i], 0) with `workers` a global array of
 * callbacks: the one function ever stored into its elements, as for a
 * field. */
static const ll_func *element_entry(const ll_program *p, const ll_value *ev) {
  const ll_value *a = ev ? ll_value_strip(ev->base) : NULL;
  if (!a || a->kind != LL_V_GLOBAL || !a->usr) return NULL;
  field_cands c = {p, a->usr, 1, NULL, 0, NULL, -1};
  return one_stored(&c);
}

/* ---- spawn discovery ---- */

typedef struct scan_ctx {
  const ll_program *p;
  const ll_rules *rules;
  const ll_func *fn;
  ll_spawns *out;
} scan_ctx;

static void push_spawn(ll_spawns *s, ll_spawn sp) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 16;
    s->v = ll_xrealloc(s->v, s->cap * sizeof(ll_spawn));
  }
  s->v[s->n++] = sp;
}

static const ll_node *real_loop(const ll_node *n) {
  for (const ll_node *l = ll_enclosing_loop(n); l; l = ll_enclosing_loop(l)) {
    if (l->cond_const == 0) continue; /* do { } while (0) */
    return l;
  }
  return NULL;
}

/* Binds entry parameter i to v (when nothing bound it yet). */
static void bind_param(ll_spawn *sp, int i, ll_value *v) {
  if (!v || i < 0 || i > 64) return;
  if ((size_t)i >= sp->nbind) {
    sp->bind = ll_xrealloc(sp->bind, (size_t)(i + 1) * sizeof(ll_value *));
    memset(sp->bind + sp->nbind, 0, ((size_t)i + 1 - sp->nbind) * sizeof(ll_value *));
    sp->nbind = (size_t)i + 1;
  }
  if (!sp->bind[i]) sp->bind[i] = v;
}

/* Binds entry parameters from args[first..] of a call. */
static void bind_from(ll_spawn *sp, const ll_node *call, size_t first) {
  if (!call || first >= call->nargs) return;
  size_t n = call->nargs - first;
  sp->bind = ll_xcalloc(n, sizeof(ll_value *));
  for (size_t i = 0; i < n; i++) sp->bind[i] = call->args[first + i];
  sp->nbind = n;
}

/* fiber(std::bind(f, a, b)): the task is f; f's parameters take a, b unless
 * a placeholder reorders them (then nothing is bound), and a member
 * function's object comes first (not bound either). */
static void bind_entry(scan_ctx *c, ll_spawn *sp, const ll_node *bind) {
  const ll_value *f = strip_pass(c->rules, ll_call_arg(bind, 0));
  if (!f) return;
  if (f->kind == LL_V_LAMBDA) sp->entry = f->fn;
  else if (f->kind == LL_V_FUNC) sp->entry = ll_program_find_from(c->p, f->usr, c->fn->tu);
  if (sp->entry && !sp->entry->body) sp->entry = NULL;
  if (!sp->entry || sp->entry->cls) return;
  for (size_t i = 1; i < bind->nargs; i++) {
    const char *t = bind->args[i] ? bind->args[i]->text : NULL;
    if (!t || strstr(t, "placeholders") || (t[0] == '_' && t[1] >= '1' && t[1] <= '9')) return;
  }
  bind_from(sp, bind, 1);
}

static void resolve_entry(scan_ctx *c, ll_spawn *sp, const ll_node *site, int entry_arg, int data_arg) {
  const ll_api *api = sp->api;
  if (site->is_bracket_spawn) {
    sp->entry_call = site->bracket_task;
    sp->entry = ll_resolve_callee(c->p, site->bracket_task);
    bind_from(sp, site->bracket_task, 0);
    return;
  }
  const ll_value *ev = entry_value(c->rules, c->fn, ll_call_arg(site, entry_arg));
  if (!ev) return;
  if (ev->kind == LL_V_LAMBDA) {
    sp->entry = ev->fn;
  } else if (ev->kind == LL_V_FUNC) {
    const ll_func *f = ev->is_virtual ? ll_program_virtual_target(c->p, ev->usr, NULL) : ll_program_find_from(c->p, ev->usr, c->fn->tu);
    sp->entry = f && f->body ? f : NULL;
  } else if (ev->kind == LL_V_FIELD) {
    sp->entry = field_entry(c->p, ev);
  } else if (ev->kind == LL_V_INDEX) {
    sp->entry = element_entry(c->p, ev);
  } else if (ev->kind == LL_V_CALL && ev->call && ll_rules_fact(c->rules, LL_FACT_BIND_CALL, ev->call->callee)) {
    bind_entry(c, sp, ev->call);
    return;
  } else if (ev->kind == LL_V_CALL && ev->call) {
    /* co_spawn(ex, task(a), detached): the task is a coroutine call */
    sp->entry_call = ev->call;
    sp->entry = ll_resolve_callee(c->p, ev->call);
    bind_from(sp, ev->call, 0);
    return;
  }
  if (data_arg >= 0) {
    bind_param(sp, api->data_param, ll_call_arg(site, data_arg));
  } else if (data_arg == LL_ARG_REST && entry_arg >= 0) {
    size_t first = (size_t)entry_arg + 1;
    /* a member function pointer takes the object first */
    if (sp->entry && sp->entry->cls && !sp->entry->is_lambda && ev->kind == LL_V_FUNC) first++;
    bind_from(sp, site, first);
  }
}

/* The handle value of a spawn and its immediate fate. */
static void resolve_handle(const ll_rules *rules, ll_spawn *sp, const ll_node *site) {
  const ll_api *api = sp->api;
  switch (api->handle) {
  case LL_HANDLE_NONE:
    sp->handle = NULL;
    break;
  case LL_HANDLE_RETURN:
  case LL_HANDLE_OBJECT:
    sp->handle = site->result_to;
    break;
  case LL_HANDLE_OUT_ARG: {
    const ll_value *h = ll_call_arg(site, api->handle_arg);
    h = ll_value_strip(h);
    if (h && h->kind != LL_V_NULL) sp->handle = h;
    break;
  }
  }
  if (!sp->handle && api->handle == LL_HANDLE_OBJECT && site->outer_call && site->outer_call->callee) {
    /* t = std::thread(f): moved into t; pool.push_back(std::thread(f)) */
    const ll_node *o = site->outer_call;
    if (ends_with(o->callee, "::operator=") && o->obj) sp->handle = o->obj;
    else if (ll_rules_fact(rules, LL_FACT_CONTAINER_STORE, o->callee) && o->obj) {
      sp->handle = o->obj;
      sp->via_container = 1;
    }
  }
  if (site->is_bracket_spawn && api->bundle_arg >= 0) {
    const ll_value *b = ll_call_arg(site, api->bundle_arg);
    if (b && !(b->known && b->ival < 0) && b->kind != LL_V_INT) {
      if (!sp->handle) sp->handle = b;
    }
  }
  if (sp->handle) {
    sp->fate |= LL_FATE_KEPT;
    const ll_value *h = ll_value_strip(sp->handle);
    if (h && (h->kind == LL_V_FIELD || h->kind == LL_V_GLOBAL || h->kind == LL_V_INDEX ||
              h->kind == LL_V_DEREF))
      sp->fate |= LL_FATE_ESCAPES;
  } else if (api->handle == LL_HANDLE_NONE || !site->result_used) {
    sp->fate |= LL_FATE_DISCARDED;
  } else {
    /* used by an enclosing expression: std::thread(f).detach(), a temporary
       moved into something, passed to a function */
    if (!site->is_temporary && !site->outer_call) sp->fate |= LL_FATE_DISCARDED;
  }
  if (api->flags & LL_API_DETACHED) sp->fate |= LL_FATE_DETACHED;
  if (api->flags & LL_API_JOINS_ON_DESTROY) sp->fate |= LL_FATE_JOIN_ON_DESTROY;
  if (api->flags & LL_API_HANDLE_ESCAPES) sp->fate = (sp->fate & ~LL_FATE_DISCARDED) | LL_FATE_KEPT | LL_FATE_ESCAPES;
}

static int is_task_container_op(const ll_rules *rules, const ll_node *n) {
  return n->kind == LL_N_CALL && n->callee && n->obj_type &&
         ll_rules_fact(rules, LL_FACT_CONTAINER_EMPLACE, n->callee);
}

/* The element class of a container of tasks, matched against the packs'
 * constructor spawn entries: "std::vector<std::thread>" -> std::thread. */
static const ll_api *container_spawn_api(const ll_rules *r, const ll_node *n) {
  if (!r) return NULL;
  const char *t = n->obj_type;
  const char *lt = strchr(t, '<');
  if (!lt) return NULL;
  lt++;
  while (*lt == ' ') lt++;
  size_t len = 0;
  while (lt[len] && lt[len] != ',' && lt[len] != '>' && lt[len] != '<') len++;
  while (len && lt[len - 1] == ' ') len--;
  if (!len || len > 200) return NULL;
  char cls[256];
  memcpy(cls, lt, len);
  cls[len] = 0;
  const char *base = strrchr(cls, ':');
  base = base ? base + 1 : cls;
  char callee[600];
  snprintf(callee, sizeof callee, "%s::%s", cls, base);
  const ll_api *apis[8];
  size_t k = ll_rules_lookup(r, callee, apis, 8);
  if (k > 8) k = 8;
  for (size_t i = 0; i < k; i++) {
    const ll_api *a = apis[i];
    if (a->role != LL_ROLE_SPAWN || a->match != LL_MATCH_CONSTRUCTOR) continue;
    /* the same overload filter the IR applies to a direct construction */
    if ((int)n->nargs < a->min_args || (a->max_args >= 0 && (int)n->nargs > a->max_args)) continue;
    if (a->requires_arg_text) {
      const ll_value *ra = ll_call_arg(n, a->requires_arg);
      if (!ra || !ra->text || !strstr(ra->text, a->requires_arg_text)) continue;
    }
    return a;
  }
  return NULL;
}

static int handle_matches(const ll_rules *rules, const ll_spawn *sp, const ll_func *fn, const ll_value *v);

/* The pool_push calls in the spawner on the handle of a pool spawn. */
typedef struct push_find {
  const ll_rules *rules;
  const ll_spawn *sp;
  const ll_node *push;
  const ll_api *api;
  int count;
} push_find;

static int push_cb(ll_node *n, void *d) {
  push_find *f = d;
  const ll_api *a = n->kind == LL_N_CALL ? ll_call_api(n, LL_ROLE_POOL_PUSH) : NULL;
  if (!a || !handle_matches(f->rules, f->sp, f->sp->spawner, ll_call_arg(n, a->object_arg))) return 0;
  f->push = n;
  f->api = a;
  f->count++;
  return 0;
}

/* g_thread_pool_new(work, user_data, ...) then g_thread_pool_push(pool,
 * item, ...): the worker's parameter for the item takes what the spawner
 * pushes. One push site only: several may push different things, and the
 * pushes of other functions are not followed (say nothing then). */
static void bind_pushed(scan_ctx *c, ll_spawn *sp) {
  if (!sp->handle || !sp->spawner->body) return;
  push_find f = {c->rules, sp, NULL, NULL, 0};
  ll_visit(sp->spawner->body, push_cb, &f);
  if (f.count == 1) bind_param(sp, f.api->data_param, ll_call_arg(f.push, f.api->data_arg));
}

static int scan_cb(ll_node *n, void *d) {
  scan_ctx *c = d;
  if (n->kind != LL_N_CALL) return 0;
  const ll_api *api = ll_call_api(n, LL_ROLE_SPAWN);
  int via_container = 0;
  if (!api && is_task_container_op(c->rules, n)) {
    api = container_spawn_api(c->rules, n);
    /* push_back(std::thread(f)) constructs the thread as a separate call */
    if (api && n->nargs == 1) {
      const ll_value *a = strip_pass(c->rules, n->args[0]);
      if (a && a->kind == LL_V_CALL && a->call && ll_call_has_role(a->call, LL_ROLE_SPAWN)) api = NULL;
    }
    via_container = api != NULL;
  }
  if (!api) return 0;
  if (!via_container && api->match == LL_MATCH_CONSTRUCTOR && !n->is_construct) return 0;
  ll_spawn sp;
  memset(&sp, 0, sizeof sp);
  sp.site = n;
  sp.spawner = c->fn;
  sp.api = api;
  sp.via_container = via_container;
  sp.loop = real_loop(n);
  int entry_arg = api->entry_arg, data_arg = api->data_arg;
  /* std::async(policy, f, ...) / fiber(launch, f, ...): the entry moves one
     to the right when the first argument is not callable */
  if (!n->is_bracket_spawn && entry_arg >= 0 && (size_t)entry_arg + 1 < n->nargs) {
    const ll_value *e = entry_value(c->rules, c->fn, ll_call_arg(n, entry_arg));
    if (e && e->kind != LL_V_LAMBDA && e->kind != LL_V_FUNC && e->kind != LL_V_CALL &&
        ll_rules_fact(c->rules, LL_FACT_LEADING_ARG_TYPE, e->type)) {
      entry_arg++;
    }
  }
  resolve_entry(c, &sp, n, entry_arg, data_arg);
  if (via_container) {
    sp.handle = n->obj;
    sp.fate |= LL_FATE_KEPT;
    if (api->flags & LL_API_JOINS_ON_DESTROY) sp.fate |= LL_FATE_JOIN_ON_DESTROY;
    const ll_value *h = ll_value_strip(n->obj);
    if (h && (h->kind == LL_V_FIELD || h->kind == LL_V_GLOBAL)) sp.fate |= LL_FATE_ESCAPES;
  } else {
    resolve_handle(c->rules, &sp, n);
    bind_pushed(c, &sp);
  }
  push_spawn(c->out, sp);
  return 0;
}

/* ---- handle fate over the program ---- */

typedef struct fate_ctx {
  const ll_rules *rules;
  ll_spawn *sp;
  const ll_func *fn;
} fate_ctx;

static int handle_matches(const ll_rules *rules, const ll_spawn *sp, const ll_func *fn, const ll_value *v) {
  const ll_value *h = ll_value_strip(sp->handle);
  v = strip_pass(rules, v);
  if (!v) return 0;
  if (v->kind == LL_V_CALL && v->call == sp->site) return 1; /* std::thread(f).detach() */
  if (!h) return 0;
  if (h->kind == LL_V_VAR) return fn->tu == sp->spawner->tu && ll_value_same(h, v, 0);
  if (h->kind == LL_V_FIELD || h->kind == LL_V_GLOBAL) return ll_value_same(h, v, 1);
  if (h->kind == LL_V_INDEX) return ll_value_same(h, v, 1) && fn->tu == sp->spawner->tu;
  return 0;
}

static const ll_node *first_node(const ll_node *a, const ll_node *b) {
  if (!a) return b;
  if (!b) return a;
  return b->loc.line < a->loc.line ? b : a;
}

/* A call role that decides a task's fate through its handle. */
static int is_fate_role(ll_role r) {
  return r == LL_ROLE_JOIN || r == LL_ROLE_DETACH || r == LL_ROLE_CANCEL || r == LL_ROLE_STOP_REQUEST;
}

/* Records that call n joins, detaches or cancels (or asks to stop) the task.
 * by_line: of several joins keep the earliest in the source (the spawner's
 * own joins), else the first one found. */
static void mark_fate(ll_spawn *sp, ll_role role, const ll_node *n, int by_line) {
  if (role == LL_ROLE_JOIN) {
    sp->fate |= LL_FATE_JOINED;
    if (by_line) sp->join_site = first_node(sp->join_site, n);
    else if (!sp->join_site) sp->join_site = n;
  } else if (role == LL_ROLE_DETACH) {
    sp->fate |= LL_FATE_DETACHED;
    if (!sp->detach_site) sp->detach_site = n;
  } else {
    sp->fate |= LL_FATE_CANCELLED;
    if (!sp->cancel_site) sp->cancel_site = n;
  }
}

static int fate_cb(ll_node *n, void *d) {
  fate_ctx *c = d;
  ll_spawn *sp = c->sp;
  if (n->kind == LL_N_CALL) {
    for (size_t i = 0; i < n->napis; i++) {
      const ll_api *a = n->apis[i];
      if (!is_fate_role(a->role)) continue;
      if (!handle_matches(c->rules, sp, c->fn, ll_call_arg(n, a->object_arg))) continue;
      mark_fate(sp, a->role, n, c->fn == sp->spawner);
    }
    /* thread attributes made detached (PTHREAD_CREATE_DETACHED is 1) and
       passed as the spawn's second argument */
    if (ll_rules_fact(c->rules, LL_FACT_DETACH_ATTRIBUTE, n->callee) && c->fn == sp->spawner &&
        n->nargs == 2 && sp->site->nargs > 1 && ll_value_same(n->args[0], sp->site->args[1], 0)) {
      const ll_value *st = n->args[1];
      if (st && st->known && st->ival == 1) {
        sp->fate |= LL_FATE_DETACHED;
        if (!sp->detach_site) sp->detach_site = n;
      }
    }
    /* the handle passed to a function we do not model */
    if (c->fn == sp->spawner && n != sp->site && sp->handle && !n->napis) {
      for (size_t i = 0; i < n->nargs; i++)
        if (handle_matches(c->rules, sp, c->fn, n->args[i])) sp->fate |= LL_FATE_ESCAPES;
    }
  } else if (n->kind == LL_N_ASSIGN && c->fn == sp->spawner && sp->handle && n->rhs &&
             handle_matches(c->rules, sp, c->fn, n->rhs)) {
    const ll_value *l = ll_value_strip(n->lhs);
    if (l && l->kind != LL_V_VAR) sp->fate |= LL_FATE_ESCAPES;
  } else if (n->kind == LL_N_RETURN && c->fn == sp->spawner && n->value && handle_matches(c->rules, sp, c->fn, n->value)) {
    sp->fate |= LL_FATE_ESCAPES;
  }
  return 0;
}

/* for (auto &t : pool) t.join(): marks a container spawn joined/detached. */
typedef struct range_ctx {
  ll_spawn *sp;
  const ll_func *fn;
} range_ctx;

static int range_cb(ll_node *n, void *d) {
  range_ctx *c = d;
  if (n->kind != LL_N_LOOP || n->loop_kind != LL_LOOP_RANGE || !n->range) return 0;
  if (c->fn->tu != c->sp->spawner->tu && ll_value_strip(c->sp->handle)->kind == LL_V_VAR) return 0;
  if (!ll_value_same(n->range, c->sp->handle, 1)) return 0;
  if (!n->nkids || !n->kids[0]) return 0;
  /* any join/detach in the body on the loop variable */
  LL_VEC(ll_node *) st = {0};
  LL_VEC_PUSH(&st, n->kids[0]);
  while (st.n) {
    ll_node *x = st.v[--st.n];
    if (!x) continue;
    if (x->kind == LL_N_CALL) {
      if (ll_call_has_role(x, LL_ROLE_JOIN)) mark_fate(c->sp, LL_ROLE_JOIN, x, 0);
      if (ll_call_has_role(x, LL_ROLE_DETACH)) mark_fate(c->sp, LL_ROLE_DETACH, x, 0);
    }
    for (size_t i = 0; i < x->nkids; i++) LL_VEC_PUSH(&st, x->kids[i]);
    if (x->cond) LL_VEC_PUSH(&st, x->cond);
  }
  free(st.v);
  return 0;
}

static void compute_fate(const ll_program *p, const ll_rules *rules, ll_spawn *sp) {
  if (!sp->handle && sp->site->result_used) {
    /* std::thread(f).detach(): scan the spawner only */
    fate_ctx c = {rules, sp, sp->spawner};
    if (sp->spawner->body) ll_visit(sp->spawner->body, fate_cb, &c);
    return;
  }
  if (!sp->handle) return;
  const ll_value *h = ll_value_strip(sp->handle);
  int local = h && (h->kind == LL_V_VAR || h->kind == LL_V_INDEX);
  for (size_t t = 0; t < ll_program_tu_count(p); t++) {
    ll_tu *tu = ll_program_tu(p, t);
    if (local && tu != sp->spawner->tu) continue;
    for (size_t i = 0; i < tu->nfuncs; i++) {
      const ll_func *fn = tu->funcs[i];
      if (!fn->body || !ll_program_is_canonical(p, fn)) continue;
      if (local) {
        /* locals: the spawner and its lambdas */
        const ll_func *top = fn;
        while (top->parent) top = top->parent;
        const ll_func *stop = sp->spawner;
        while (stop->parent) stop = stop->parent;
        if (top != stop) continue;
      }
      fate_ctx c = {rules, sp, fn};
      ll_visit(fn->body, fate_cb, &c);
      if (sp->via_container) {
        range_ctx rc = {sp, fn};
        ll_visit(fn->body, range_cb, &rc);
      }
    }
  }
}

/* ---- the complete fate: copies and move-assignments of the handle ---- */

/* The joins, detaches and cancels of h, a copy of the handle (or the object
 * a task is move-assigned to): fields, globals and array elements match
 * anywhere, variables in the spawner's TU. */
typedef struct copy_fate {
  const ll_program *p;
  ll_spawn *sp;
  const ll_value *h;
} copy_fate;

static int copy_fate_cb(ll_node *n, void *d) {
  copy_fate *f = d;
  if (n->kind != LL_N_CALL) return 0;
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    if (!is_fate_role(a->role)) continue;
    const ll_value *v = ll_value_strip(ll_call_arg(n, a->object_arg));
    if (!v) continue;
    int loose = f->h->kind == LL_V_FIELD || f->h->kind == LL_V_GLOBAL || f->h->kind == LL_V_INDEX;
    if (!loose && n->func->tu != f->sp->spawner->tu) continue;
    if (!ll_value_same(f->h, v, loose)) continue;
    mark_fate(f->sp, a->role, n, 0);
  }
  return 0;
}

static void fate_scan(const ll_program *p, ll_spawn *sp, const ll_value *h) {
  copy_fate f = {p, sp, h};
  for (size_t t = 0; t < ll_program_tu_count(p); t++) {
    ll_tu *tu = ll_program_tu(p, t);
    for (size_t i = 0; i < tu->nfuncs; i++) {
      const ll_func *fn = tu->funcs[i];
      if (fn->body && ll_program_is_canonical(p, fn)) ll_visit(fn->body, copy_fate_cb, &f);
    }
  }
}

/* `pthread_create(&t, ...); threads[i] = t;`: the handle copied from a
 * local into a field, global or array element is joined or cancelled
 * through that copy. */
typedef struct copy_ctx {
  const ll_value *h;
  LL_VEC(const ll_value *) to;
} copy_ctx;

static int copy_cb(ll_node *n, void *d) {
  copy_ctx *c = d;
  if (n->kind != LL_N_ASSIGN || !n->lhs || !n->rhs) return 0;
  const ll_value *r = ll_value_strip(n->rhs), *l = ll_value_strip(n->lhs);
  if (!r || !l || r->kind != LL_V_VAR || !ll_value_same(r, c->h, 0)) return 0;
  if (l->kind == LL_V_FIELD || l->kind == LL_V_GLOBAL || l->kind == LL_V_INDEX) LL_VEC_PUSH(&c->to, l);
  return 0;
}

static void copied_handle_fate(const ll_program *p, ll_spawn *sp) {
  const ll_value *h = ll_value_strip(sp->handle);
  if (!h || h->kind != LL_V_VAR || !sp->spawner->body) return;
  if (sp->fate & (LL_FATE_JOINED | LL_FATE_CANCELLED)) return;
  copy_ctx c = {h, {0}};
  ll_visit(sp->spawner->body, copy_cb, &c);
  for (size_t i = 0; i < c.to.n; i++) fate_scan(p, sp, c.to.v[i]);
  free(c.to.v);
}

static void assigned_handle_fate(const ll_program *p, ll_spawn *sp) {
  copied_handle_fate(p, sp);
  const ll_node *o = sp->site->outer_call;
  if (sp->handle || !o || !o->callee || !o->obj) return;
  size_t len = strlen(o->callee);
  if (len < 11 || strcmp(o->callee + len - 11, "::operator=") != 0) return;
  const ll_value *h = ll_value_strip(o->obj);
  if (!h || (h->kind != LL_V_FIELD && h->kind != LL_V_GLOBAL && h->kind != LL_V_VAR)) return;
  sp->handle = o->obj;
  sp->fate |= LL_FATE_KEPT;
  fate_scan(p, sp, h);
}

/* ---- thread classes: a start() per object class ---- */

/* The one virtual call in trampoline e on its parameter `param`
 * (`static_cast<T *>(self)->run()`); NULL when there is none or several. */
typedef struct vcall_find {
  const ll_func *e;
  int param;
  const ll_node *call;
  int count;
} vcall_find;

static int vcall_cb(ll_node *n, void *d) {
  vcall_find *f = d;
  if (n->kind != LL_N_CALL || !n->is_virtual || !n->callee_usr || !n->obj) return 0;
  const ll_value *o = ll_value_strip(n->obj);
  for (int guard = 0; o && o->kind == LL_V_CALL && o->call && o->call->nargs == 1 && guard < 4; guard++)
    o = ll_value_strip(o->call->args[0]); /* a cast spelled as a call */
  const ll_var *x = o && o->kind == LL_V_VAR ? &f->e->tu->vars[o->var] : NULL;
  if (x && x->owner == f->e && x->is_param && x->param_index == f->param) {
    f->call = n;
    f->count++;
  }
  return 0;
}

/* Spawn sp in method S of class B starts trampoline E with `this`, and E
 * calls a virtual method of that object which several classes override:
 * the task is unknown at the spawn. Returns that virtual call, else NULL. */
static const ll_node *dispatch_of(const ll_program *p, const ll_spawn *sp) {
  const ll_func *e = sp->entry, *s = sp->spawner;
  if (!e || !e->body || e->cls == NULL || !s->cls || !s->usr || sp->entry_call) return NULL;
  int param = -1;
  for (size_t i = 0; i < sp->nbind && i < e->nparams; i++) {
    const ll_value *b = ll_value_strip(sp->bind[i]);
    if (b && b->kind == LL_V_THIS) param = (int)i;
  }
  if (param < 0) return NULL;
  vcall_find f = {e, param, NULL, 0};
  ll_visit(e->body, vcall_cb, &f);
  if (f.count != 1 || ll_program_virtual_target(p, f.call->callee_usr, s->cls)) return NULL;
  return ll_program_overriders(p, f.call->callee_usr, NULL, NULL, 0) > 1 ? f.call : NULL;
}

typedef struct start_find {
  const ll_program *p;
  const ll_spawn *sp; /* the spawn in S */
  const ll_node *vcall;
  ll_spawns *out;
} start_find;

/* `w.start()` on an object of class K: a spawn of K's overrider. */
static int start_cb(ll_node *n, void *d) {
  start_find *f = d;
  if (n->kind != LL_N_CALL || !n->callee_usr || !n->obj_class || strcmp(n->callee_usr, f->sp->spawner->usr) != 0)
    return 0;
  const ll_func *t = ll_program_virtual_target(f->p, f->vcall->callee_usr, n->obj_class);
  if (!t || !t->body) return 0;
  ll_spawn sp = *f->sp;
  sp.site = n;
  sp.spawner = n->func;
  sp.entry = t;
  sp.bind = NULL;
  sp.nbind = 0;
  sp.loop = real_loop(n);
  push_spawn(f->out, sp);
  return 0;
}

/* `class Worker : public Thread { void run() override; }` started by
 * Thread::start(), whose trampoline calls the virtual run() that several
 * classes override: at each call of start() on an object whose class the
 * caller knows (a local, a member, a new-expression: its static class, and
 * no class derived from it overrides run() differently), the task is that
 * class's run(), and the call is a spawn of it with the handle of the spawn
 * in start(). A call on a base pointer stays unknown (silent). */
static void per_object_spawns(const ll_program *p, ll_spawns *out) {
  size_t n = out->n;
  for (size_t i = 0; i < n; i++) {
    const ll_node *vcall = dispatch_of(p, &out->v[i]);
    if (!vcall) continue;
    ll_spawn base = out->v[i];
    start_find f = {p, &base, vcall, out};
    visit_program(p, start_cb, &f);
  }
}

void ll_spawns_find_rules(const ll_program *p, const ll_rules *rules, ll_spawns *out) {
  if (!p || !out) return;
  for (size_t t = 0; t < ll_program_tu_count(p); t++) {
    ll_tu *tu = ll_program_tu(p, t);
    for (size_t i = 0; i < tu->nfuncs; i++) {
      const ll_func *fn = tu->funcs[i];
      if (!fn->body || !ll_program_is_canonical(p, fn)) continue;
      scan_ctx c = {p, rules, fn, out};
      ll_visit(fn->body, scan_cb, &c);
    }
  }
  per_object_spawns(p, out);
  for (size_t i = 0; i < out->n; i++) compute_fate(p, rules, &out->v[i]);
}

void ll_spawns_free(ll_spawns *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n; i++) free(s->v[i].bind);
  free(s->v);
  s->v = NULL;
  s->n = s->cap = 0;
}

/* ---- the pass ---- */

struct ll_tasks {
  const ll_program *p;
  ll_spawns spawns;
  ll_spawn *complete;  /* complete[i]: spawns.v[i] with its complete fate, once done[i] */
  unsigned char *done;
};

const ll_spawns *ll_tasks_spawns(const ll_tasks *t) { return &t->spawns; }

const ll_spawn *ll_tasks_complete(ll_tasks *t, size_t i) {
  if (i >= t->spawns.n) return NULL;
  if (!t->done[i]) {
    t->complete[i] = t->spawns.v[i]; /* shares bind with spawns.v[i], which owns it */
    assigned_handle_fate(t->p, &t->complete[i]);
    t->done[i] = 1;
  }
  return &t->complete[i];
}

static void *run_tasks(ll_pass_ctx *ctx) {
  ll_tasks *t = ll_xcalloc(1, sizeof *t);
  t->p = ll_pass_program(ctx);
  ll_spawns_find_rules(t->p, ll_pass_packs(ctx), &t->spawns);
  t->complete = ll_xcalloc(t->spawns.n ? t->spawns.n : 1, sizeof *t->complete);
  t->done = ll_xcalloc(t->spawns.n ? t->spawns.n : 1, 1);
  return t;
}

static void free_tasks(void *r) {
  ll_tasks *t = r;
  ll_spawns_free(&t->spawns);
  free(t->complete);
  free(t->done);
  free(t);
}

const ll_pass ll_tasks_pass = {
    .id = "tasks",
    .summary = "spawn sites, task bodies, argument binding and handle fate",
    .run = run_tasks,
    .free_result = free_tasks,
};
