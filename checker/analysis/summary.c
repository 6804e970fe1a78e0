/* summary.c - inferred API summaries (see summary.h). */
#include "summary.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char ll_summary_origin[] = "<inferred>";

#define MAX_ROUNDS 8 /* wrapper-of-wrapper depth inferred */

typedef struct summary {
  ll_api api;
  const ll_func *fn;
  const ll_node *site; /* a per-site entry (a select block's wait), else NULL */
  char *why;
} summary;

/* A trampoline: an entry that calls `b->f(b->a)` with b its parameter. */
typedef struct tramp {
  const ll_func *fn;
  int param;
  const char *field, *arg_field; /* field names; arg_field NULL: no argument */
} tramp;

/* What is stored into one field (by base type and field name), program-wide. */
typedef struct fstore {
  char *key;
  const char *usr;  /* the one function stored, NULL if none yet */
  int many;         /* several functions, or something else, are stored */
} fstore;

typedef struct callref {
  const char *usr;
  ll_node *call;
} callref;

/* A call shown by its own name rather than the macro it is written in. */
typedef struct respelled {
  ll_node *call;
  const char *macro; /* the IR's macro, restored by ll_summaries_free */
} respelled;

struct ll_summaries {
  const ll_program *p;
  const ll_rules *rules;
  LL_VEC(summary *) v;
  LL_VEC(tramp) tramps;
  LL_VEC(fstore) stores;
  LL_VEC(callref) calls; /* every call with a callee USR, sorted by USR */
  LL_VEC(ll_node *) resolved; /* indirect calls given a callee_usr */
  LL_VEC(respelled) respelled;
};

int ll_api_is_inferred(const ll_api *a) { return a && a->pack_file && strcmp(a->pack_file, ll_summary_origin) == 0; }

/* ---- values and parameters ---- */

static const ll_var *var_of(const ll_func *fn, const ll_value *v) {
  if (!v || v->kind != LL_V_VAR || !fn->tu || v->var < 0 || (size_t)v->var >= fn->tu->nvars) return NULL;
  return &fn->tu->vars[v->var];
}

typedef struct alias_ctx {
  int var, count;
  const ll_value *rhs;
} alias_ctx;

static int alias_cb(ll_node *n, void *d) {
  alias_ctx *a = d;
  if (n->kind == LL_N_ASSIGN && n->lhs && n->lhs->kind == LL_V_VAR && n->lhs->var == a->var) {
    a->count++;
    a->rhs = n->rhs;
  }
  return 0;
}

/* The parameter index v denotes in fn: the parameter itself, or a local
 * assigned once from one (`struct thr *t = arg;`); -1 otherwise. */
static int param_of(const ll_func *fn, const ll_value *v) {
  v = ll_value_strip(v);
  const ll_var *x = var_of(fn, v);
  if (!x || x->owner != fn) return -1;
  if (x->is_param) return x->param_index;
  alias_ctx a = {v->var, 0, NULL};
  if (fn->body) ll_visit(fn->body, alias_cb, &a);
  if (a.count != 1 || !a.rhs) return -1;
  const ll_var *y = var_of(fn, ll_value_strip(a.rhs));
  return y && y->owner == fn && y->is_param ? y->param_index : -1;
}

typedef struct pun_ctx {
  const ll_func *fn;
  int var, count, param;
} pun_ctx;

static int pun_cb(ll_node *n, void *d) {
  pun_ctx *c = d;
  if (n->kind != LL_N_ASSIGN || !n->lhs) return 0;
  const ll_value *l = ll_value_strip(n->lhs);
  if (!l || l->kind != LL_V_FIELD || !l->base) return 0;
  const ll_value *b = ll_value_strip(l->base);
  if (!b || b->kind != LL_V_VAR || b->var != c->var) return 0;
  c->count++;
  c->param = param_of(c->fn, n->rhs);
  return 0;
}

int ll_summary_entry_param(const ll_func *fn, const ll_value *v) {
  int p = param_of(fn, v);
  v = ll_value_strip(v);
  if (p >= 0 || !v || v->kind != LL_V_FIELD || !v->base) return p;
  /* union { void (*in)(void *); void *(*out)(void *); } f; f.in = entry;
     ... f.out: a cast spelled as a union (libuv) */
  const ll_value *b = ll_value_strip(v->base);
  const ll_var *x = var_of(fn, b);
  if (!x || x->is_param || x->owner != fn || !x->type || strncmp(x->type, "union", 5) != 0) return -1;
  pun_ctx c = {fn, b->var, 0, -1};
  ll_visit(fn->body, pun_cb, &c);
  return c.count == 1 ? c.param : -1;
}

/* The storage root of v: through fields and elements to a variable, this
 * or a global. */
static const ll_value *root_of(const ll_value *v) {
  for (int guard = 0; guard < 16; guard++) {
    v = ll_value_strip(v);
    if (!v || (v->kind != LL_V_FIELD && v->kind != LL_V_INDEX) || !v->base) return v;
    v = v->base;
  }
  return NULL;
}

/* The object v of a call in fn, as an argument index of fn: a parameter
 * (or a field of one), or LL_ARG_OBJECT for a member of the method's own
 * object; LL_ARG_NONE otherwise. */
static int object_param(const ll_func *fn, const ll_value *v) {
  const ll_value *s = ll_value_strip(v);
  if (s && s->kind == LL_V_FIELD && !s->base) return fn->cls ? LL_ARG_OBJECT : LL_ARG_NONE;
  const ll_value *r = root_of(v);
  if (!r) return LL_ARG_NONE;
  if (r->kind == LL_V_THIS) return fn->cls ? LL_ARG_OBJECT : LL_ARG_NONE;
  int pi = param_of(fn, r);
  return pi >= 0 ? pi : LL_ARG_NONE;
}

/* The field the object v of a call is, as its USR (through elements to
 * their array, as identity does elsewhere); NULL when v is a variable
 * itself. A wrapper acting on `p->cv` acts on that field, not on p. */
static const char *object_field_of(const ll_value *v) {
  for (int guard = 0; guard < 16; guard++) {
    v = ll_value_strip(v);
    if (!v || v->kind != LL_V_INDEX) break;
    v = v->base;
  }
  return v && v->kind == LL_V_FIELD ? v->usr : NULL;
}

/* ---- straight-line: does fn always reach node n? ---- */

static int jumps_cb(ll_node *n, void *d) {
  (void)d;
  return n->kind == LL_N_RETURN || n->kind == LL_N_GOTO || n->kind == LL_N_THROW || n->kind == LL_N_BREAK ||
         n->kind == LL_N_CONTINUE;
}

/* n runs whenever its function (or the subtree `top`) runs: every enclosing
 * node is a block, a try body, a condition or a do-while(0), and no earlier
 * statement of an enclosing block may leave first. */
static int straight_line(const ll_node *n, const ll_node *top) {
  for (const ll_node *c = n, *a = n->parent; a && c != top; c = a, a = a->parent) {
    if (c == a->cond || c == a->init) continue;
    if (a->kind == LL_N_TRY && a->nkids && c == a->kids[0]) continue;
    if (a->kind == LL_N_LOOP && a->cond_const == 0 && a->loop_kind == LL_LOOP_DO) continue;
    if (a->kind != LL_N_BLOCK) return 0;
    for (size_t i = 0; i < a->nkids && a->kids[i] != c; i++)
      if (a->kids[i] && ll_visit(a->kids[i], jumps_cb, NULL)) return 0;
  }
  return 1;
}

/* ---- field stores and trampolines ---- */

/* "struct thr *const" -> "thr": the key of a struct type. */
static char *type_key(const char *t, const char *field) {
  ll_buf b = {0};
  while (t && *t) {
    if (strncmp(t, "struct ", 7) == 0) t += 7;
    else if (strncmp(t, "union ", 6) == 0) t += 6;
    else if (strncmp(t, "const ", 6) == 0) t += 6;
    else if (strncmp(t, "volatile ", 9) == 0) t += 9;
    else {
      if (*t != '*' && *t != '&' && *t != ' ') ll_buf_putc(&b, *t);
      t++;
    }
  }
  ll_buf_puts(&b, "::");
  ll_buf_puts(&b, field);
  return ll_buf_take(&b);
}

static fstore *store_at(ll_summaries *s, const char *key) {
  for (size_t i = 0; i < s->stores.n; i++)
    if (strcmp(s->stores.v[i].key, key) == 0) return &s->stores.v[i];
  return NULL;
}

static void note_store(ll_summaries *s, const ll_node *n) {
  const ll_value *l = ll_value_strip(n->lhs), *r = ll_value_strip(n->rhs);
  if (!l || l->kind != LL_V_FIELD || !l->name || !l->base || !l->base->type || !r) return;
  if (r->kind == LL_V_NULL || (r->kind == LL_V_INT && r->known && r->ival == 0)) return; /* cleared */
  char *key = type_key(l->base->type, l->name);
  fstore *f = store_at(s, key);
  if (!f) {
    fstore nf = {key, NULL, 0};
    LL_VEC_PUSH(&s->stores, nf);
    f = &s->stores.v[s->stores.n - 1];
  } else {
    free(key);
  }
  if (r->kind == LL_V_FUNC && r->usr && (!f->usr || strcmp(f->usr, r->usr) == 0) && !f->many) f->usr = r->usr;
  else f->many = 1;
}

/* An indirect call written `b->f(...)`, `b.f(...)` or `(*b->f)(...)`: the
 * IR has no callee expression for calls through pointers, so the simple
 * forms are read from the source text. Writes b's name and f's. */
static int field_call_text(const ll_node *call, char *base, char *field, size_t cap) {
  size_t len = 0;
  const char *t = ll_tu_text(call->func->tu, &call->loc, &len);
  if (!t || call->callee_usr) return 0;
  size_t i = 0;
#define SKIP() while (i < len && isspace((unsigned char)t[i])) i++
  int paren = 0;
  SKIP();
  if (i < len && t[i] == '(') {
    i++;
    SKIP();
    if (i >= len || t[i] != '*') return 0;
    i++;
    paren = 1;
  }
  char *outs[2] = {base, field};
  for (int k = 0; k < 2; k++) {
    SKIP();
    size_t s0 = i;
    while (i < len && (isalnum((unsigned char)t[i]) || t[i] == '_')) i++;
    if (i == s0 || i - s0 >= cap) return 0;
    memcpy(outs[k], t + s0, i - s0);
    outs[k][i - s0] = 0;
    SKIP();
    if (k == 0) {
      if (i + 1 < len && t[i] == '-' && t[i + 1] == '>') i += 2;
      else if (i < len && t[i] == '.') i++;
      else return 0;
    }
  }
  if (paren) {
    if (i >= len || t[i] != ')') return 0;
    i++;
    SKIP();
  }
#undef SKIP
  return i < len && t[i] == '(';
}

/* The variable named `name` visible in fn (its own, or an enclosing one). */
static const ll_value *find_named(const ll_func *fn, const char *name, ll_value *tmp) {
  const ll_tu *tu = fn->tu;
  for (size_t i = 0; tu && i < tu->nvars; i++) {
    if (!tu->vars[i].name || strcmp(tu->vars[i].name, name) != 0) continue;
    for (const ll_func *f = fn; f; f = f->parent) {
      if (tu->vars[i].owner != f) continue;
      memset(tmp, 0, sizeof *tmp);
      tmp->kind = LL_V_VAR;
      tmp->var = (int)i;
      tmp->type = tu->vars[i].type;
      return tmp;
    }
  }
  return NULL;
}

/* ---- calls written inside a macro's argument ---- */

static int ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* The text from the call's location to the end of its file (a call in a
 * macro is located at the invocation's first token). */
static const char *text_from(const ll_node *c, size_t *len) {
  const ll_tu *tu = c->func ? c->func->tu : NULL;
  for (size_t i = 0; tu && c->loc.file && i < tu->nfiles; i++) {
    if (strcmp(tu->files[i], c->loc.file) != 0 || c->loc.offset > tu->lens[i]) continue;
    *len = tu->lens[i] - c->loc.offset;
    return tu->contents[i] + c->loc.offset;
  }
  return NULL;
}

/* `NUTS_PASS(nng_thread_create(&t, fn, arg))`: the IR's macro is the
 * outermost expansion the call came from, but the call is spelled by its own
 * name inside the macro's argument, and a message should name what the
 * user wrote. True when the invocation `MACRO(...)` at the call's location
 * spells the callee's last name component as a call inside its
 * parentheses. `go(f(x))` or `START(t, f, a)`, whose expansion makes the
 * call, do not spell the callee: they stay shown as the macro. */
static int spelled_in_macro_arg(const ll_node *c) {
  size_t len = 0, ml = strlen(c->macro);
  const char *t = text_from(c, &len);
  const char *name = c->callee;
  for (const char *q; name && (q = strstr(name, "::"));) name = q + 2;
  if (!t || !name || !*name || len <= ml || strncmp(t, c->macro, ml) != 0 || ident_char(t[ml])) return 0;
  size_t nl = strlen(name), i = ml;
  while (i < len && isspace((unsigned char)t[i])) i++;
  if (i >= len || t[i] != '(') return 0;
  for (int depth = 0; i + nl < len; i++) {
    depth += t[i] == '(' ? 1 : t[i] == ')' ? -1 : 0;
    if (depth == 0) return 0; /* the invocation ends */
    if (strncmp(t + i, name, nl) != 0 || ident_char(t[i - 1]) || ident_char(t[i + nl])) continue;
    size_t e = i + nl;
    while (e < len && isspace((unsigned char)t[e])) e++;
    if (e < len && t[e] == '(') return 1;
  }
  return 0;
}

static void respell(ll_summaries *s, ll_node *c) {
  if (!c->macro || !c->macro[0] || !c->callee || !spelled_in_macro_arg(c)) return;
  respelled r = {c, c->macro};
  LL_VEC_PUSH(&s->respelled, r);
  c->macro = NULL;
}

typedef struct walk {
  ll_summaries *s;
  const ll_func *fn;
} walk;

static int index_cb(ll_node *n, void *d) {
  walk *w = d;
  if (n->kind == LL_N_ASSIGN && n->lhs && n->rhs) note_store(w->s, n);
  if (n->kind != LL_N_CALL) return 0;
  respell(w->s, n);
  if (n->callee_usr) {
    callref r = {n->callee_usr, n};
    LL_VEC_PUSH(&w->s->calls, r);
  }
  char base[128], field[128];
  if (!field_call_text(n, base, field, sizeof base)) return 0;
  ll_value tmp;
  const ll_value *bv = find_named(w->fn, base, &tmp);
  int pi = bv ? param_of(w->fn, bv) : -1;
  if (pi < 0) return 0;
  const char *arg_field = NULL;
  if (n->nargs == 1) {
    const ll_value *a = ll_value_strip(n->args[0]);
    if (!a || a->kind != LL_V_FIELD || !a->base || param_of(w->fn, a->base) != pi) return 0;
    arg_field = a->name;
  } else if (n->nargs) {
    return 0;
  }
  tramp t = {w->fn, pi, ll_xstrdup(field), arg_field ? ll_xstrdup(arg_field) : NULL};
  LL_VEC_PUSH(&w->s->tramps, t);
  return 0;
}

static int cmp_callref(const void *a, const void *b) {
  const callref *x = a, *y = b;
  int c = strcmp(x->usr, y->usr);
  if (c) return c;
  return x->call < y->call ? -1 : x->call > y->call;
}

/* Every canonical function with a body, in program order. */
#define FOR_FUNCS(p, fn)                                                        \
  for (size_t t_ = 0; t_ < ll_program_tu_count(p); t_++)                        \
    for (size_t i_ = 0; i_ < ll_program_tu(p, t_)->nfuncs; i_++)                \
      for (const ll_func *fn = ll_program_tu(p, t_)->funcs[i_]; fn; fn = NULL) \
        if (fn->body && ll_program_is_canonical(p, fn))

static void build_index(ll_summaries *s) {
  FOR_FUNCS(s->p, fn) {
    walk w = {s, fn};
    ll_visit(fn->body, index_cb, &w);
  }
  if (s->calls.n) qsort(s->calls.v, s->calls.n, sizeof(callref), cmp_callref);
}

/* Indirect field calls with exactly one function ever stored in the field
 * resolve to it (callee_usr is set: ll_resolve_callee follows it). */
typedef struct resolve_ctx {
  ll_summaries *s;
  const ll_func *fn;
} resolve_ctx;

static int resolve_cb(ll_node *n, void *d) {
  resolve_ctx *r = d;
  char base[128], field[128];
  if (n->kind != LL_N_CALL || !field_call_text(n, base, field, sizeof base)) return 0;
  ll_value tmp;
  const ll_value *bv = find_named(r->fn, base, &tmp);
  if (!bv || !bv->type) return 0;
  char *key = type_key(bv->type, field);
  const fstore *f = store_at(r->s, key);
  free(key);
  if (f && f->usr && !f->many) {
    n->callee_usr = f->usr;
    LL_VEC_PUSH(&r->s->resolved, n);
  }
  return 0;
}

static const tramp *tramp_of(const ll_summaries *s, const ll_func *fn) {
  for (size_t i = 0; fn && i < s->tramps.n; i++)
    if (s->tramps.v[i].fn == fn) return &s->tramps.v[i];
  return NULL;
}

/* ---- attaching ---- */

static int has_pack_api(const ll_node *n) {
  for (size_t i = 0; i < n->napis; i++)
    if (!ll_api_is_inferred(n->apis[i])) return 1;
  return 0;
}

/* Adds sm's entry to every call that means sm->fn (same-TU definition
 * first: another program's function of the same name is not this one). */
static void attach(ll_summaries *s, summary *sm) {
  callref key = {sm->fn->usr, NULL};
  size_t lo = 0, hi = s->calls.n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (strcmp(s->calls.v[mid].usr, key.usr) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (size_t i = lo; i < s->calls.n && strcmp(s->calls.v[i].usr, key.usr) == 0; i++) {
    ll_node *c = s->calls.v[i].call;
    if (has_pack_api(c) || c->napis >= LL_MAX_APIS) continue;
    if (ll_program_find_from(s->p, sm->fn->usr, c->func ? c->func->tu : NULL) != sm->fn) continue;
    c->apis[c->napis++] = &sm->api;
  }
}

static summary *new_summary(ll_summaries *s, const ll_func *fn, const ll_api *from, ll_role role) {
  summary *sm = ll_xcalloc(1, sizeof *sm);
  sm->api = *from;
  sm->fn = fn;
  ll_api *a = &sm->api;
  a->pack_file = ll_summary_origin;
  a->name = a->callee = fn->name;
  a->epilogue = NULL;
  a->spellings = NULL;
  a->match = fn->cls ? LL_MATCH_METHOD : LL_MATCH_FUNCTION;
  a->role = role;
  a->min_args = 0;
  a->max_args = -1;
  a->bundle_arg = -1;
  a->requires_arg_text = NULL;
  a->requires_arg = -1;
  a->entry_arg = a->data_arg = a->handle_arg = LL_ARG_NONE;
  a->object_arg = a->timeout_arg = a->stop_token_arg = a->predicate_arg = LL_ARG_NONE;
  a->timer_arg = LL_ARG_NONE;
  a->object_field = NULL;
  a->handle = LL_HANDLE_NONE;
  LL_VEC_PUSH(&s->v, sm);
  return sm;
}

const ll_api *ll_summaries_of(const ll_summaries *s, const ll_func *fn, ll_role role) {
  for (size_t i = 0; s && i < s->v.n; i++)
    if (s->v.v[i]->fn == fn && s->v.v[i]->api.role == role && !s->v.v[i]->site) return &s->v.v[i]->api;
  return NULL;
}

static const char *loc_text(const ll_node *n, char *buf, size_t cap) {
  snprintf(buf, cap, "%s:%u", n->loc.file ? n->loc.file : "?", n->loc.line);
  return buf;
}

static const char *call_name(const ll_node *c) { return c->macro ? c->macro : c->callee ? c->callee : "?"; }

/* ---- spawn wrappers ---- */

typedef struct spawn_fit {
  int entry, data;   /* fn's parameters */
  const tramp *via;  /* entry reached through this trampoline's field */
} spawn_fit;

typedef struct store_find {
  const ll_func *fn;
  int base_param;
  const char *field;
  int value_param; /* out: the parameter stored, -1 none */
  int count;
} store_find;

static int store_cb(ll_node *n, void *d) {
  store_find *f = d;
  if (n->kind != LL_N_ASSIGN || !n->lhs || !n->rhs) return 0;
  const ll_value *l = ll_value_strip(n->lhs);
  if (!l || l->kind != LL_V_FIELD || !l->name || strcmp(l->name, f->field) != 0 || !l->base) return 0;
  if (param_of(f->fn, l->base) != f->base_param) return 0;
  f->count++;
  f->value_param = param_of(f->fn, n->rhs);
  return 0;
}

/* The parameter fn stores (once) into field `field` of parameter base. */
static int stored_param(const ll_func *fn, int base, const char *field) {
  store_find f = {fn, base, field, -1, 0};
  ll_visit(fn->body, store_cb, &f);
  return f.count == 1 ? f.value_param : -1;
}

/* Does the spawn call c in fn start fn's own parameter? */
static int fit_spawn(const ll_summaries *s, const ll_func *fn, const ll_node *c, const ll_api *a, spawn_fit *out) {
  if (c->is_bracket_spawn || a->entry_arg < 0) return 0;
  const ll_value *ev = ll_value_strip(ll_call_arg(c, a->entry_arg));
  out->via = NULL;
  out->data = -1;
  out->entry = ll_summary_entry_param(fn, ev);
  if (out->entry >= 0) {
    if (a->data_arg >= 0) out->data = param_of(fn, ll_call_arg(c, a->data_arg));
    else if (a->data_arg == LL_ARG_REST) {
      /* spawn(f, args...) forwarding every later parameter in order */
      size_t first = (size_t)a->entry_arg + 1, k = 0;
      for (; first + k < c->nargs; k++)
        if (param_of(fn, c->args[first + k]) != out->entry + 1 + (int)k) return 0;
      out->data = LL_ARG_REST;
    }
    return 1;
  }
  /* pthread_create(&t->tid, 0, tramp, t) after t->fn = fn; t->arg = arg
     (std::thread(tramp, t): the first argument after the entry) */
  int darg = a->data_arg == LL_ARG_REST ? a->entry_arg + 1 : a->data_arg;
  if (!ev || ev->kind != LL_V_FUNC || darg < 0) return 0;
  const tramp *tr = tramp_of(s, ll_program_find_from(s->p, ev->usr, fn->tu));
  int base = tr ? param_of(fn, ll_call_arg(c, darg)) : -1;
  if (base < 0) return 0;
  out->entry = stored_param(fn, base, tr->field);
  if (out->entry < 0) return 0;
  out->data = tr->arg_field ? stored_param(fn, base, tr->arg_field) : -1;
  out->via = tr;
  return 1;
}

typedef struct handle_scan {
  const ll_rules *rules;
  const ll_func *fn;
  const ll_node *site;
  const ll_value *h;
  int returned, joined, detached, escapes;
  int out_param; /* *thrp = thr: copied through this parameter, or -1 */
} handle_scan;

/* A local handle copied out: `*thrp = t` (through a parameter), into other
 * storage, or passed to a function we know nothing about. */
static void handle_copies(handle_scan *h, const ll_node *n) {
  if (n->kind == LL_N_ASSIGN && n->rhs && n->lhs && ll_value_same(ll_value_strip(n->rhs), h->h, 0)) {
    const ll_value *l = ll_value_strip(n->lhs);
    int pi = param_of(h->fn, root_of(n->lhs));
    if (pi >= 0 && l && l->kind != LL_V_VAR) h->out_param = pi;
    else if (l && l->kind != LL_V_VAR) h->escapes = 1;
  }
  if (n->kind == LL_N_CALL && n != h->site && !n->napis)
    for (size_t i = 0; i < n->nargs; i++)
      if (ll_value_same(ll_value_strip(n->args[i]), h->h, 0)) h->escapes = 1;
}

static int handle_cb(ll_node *n, void *d) {
  handle_scan *h = d;
  if (n->kind == LL_N_RETURN && n->value && h->h && ll_value_same(ll_value_strip(n->value), h->h, 0)) h->returned = 1;
  if (h->h && h->h->kind == LL_V_VAR) handle_copies(h, n);
  if (n->kind != LL_N_CALL || n == h->site) return 0;
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    const ll_value *o = ll_value_strip(ll_call_arg(n, a->object_arg));
    if (!o || !h->h || !ll_value_same(o, h->h, 0)) continue;
    if (a->role == LL_ROLE_JOIN) h->joined = 1;
    if (a->role == LL_ROLE_DETACH) h->detached = 1;
  }
  /* a detached attribute (PTHREAD_CREATE_DETACHED is 1) passed as arg 1 */
  if (ll_rules_fact(h->rules, LL_FACT_DETACH_ATTRIBUTE, n->callee) && n->nargs == 2 && h->site->nargs > 1 &&
      ll_value_same(n->args[0], h->site->args[1], 0) && n->args[1] && n->args[1]->known && n->args[1]->ival == 1)
    h->detached = 1;
  return 0;
}

/* Where the handle of spawn c (entry a) goes, seen from fn's callers.
 * 0: fn joins it itself (a synchronous run, not a spawn). */
static int wrapper_handle(const ll_summaries *s, const ll_func *fn, const ll_node *c, const ll_api *a, ll_api *out) {
  const ll_value *h = NULL;
  if (a->handle == LL_HANDLE_OUT_ARG) h = ll_value_strip(ll_call_arg(c, a->handle_arg));
  else if (a->handle != LL_HANDLE_NONE) h = ll_value_strip(c->result_to);
  if (h && h->kind == LL_V_NULL) h = NULL;
  const ll_node *o = c->outer_call;
  size_t ol = o && o->callee ? strlen(o->callee) : 0;
  if (!h && a->handle == LL_HANDLE_OBJECT && o && o->obj && ol > 11 && strcmp(o->callee + ol - 11, "::operator=") == 0)
    h = ll_value_strip(o->obj); /* t->th = std::thread(...) */
  handle_scan hs = {s->rules, fn, c, h, 0, 0, 0, 0, -1};
  ll_visit(fn->body, handle_cb, &hs);
  if (hs.joined) return 0;
  if (hs.detached) out->flags |= LL_API_DETACHED;
  out->handle = LL_HANDLE_NONE;
  if (!h) return 1;
  const ll_value *r = root_of(h);
  int pi = r ? param_of(fn, r) : -1;
  if (pi >= 0 && (h != r || (var_of(fn, r) && var_of(fn, r)->is_param))) {
    out->handle = LL_HANDLE_OUT_ARG; /* *tid, t->tid: through the caller's argument */
    out->handle_arg = pi;
  } else if (h->kind == LL_V_VAR && hs.returned) {
    out->handle = LL_HANDLE_RETURN;
  } else if (h->kind == LL_V_VAR && hs.out_param >= 0) {
    out->handle = LL_HANDLE_OUT_ARG;
    out->handle_arg = hs.out_param;
  } else if (h->kind != LL_V_VAR || hs.escapes) {
    out->flags |= LL_API_HANDLE_ESCAPES; /* a global, a field of something else */
  }
  return 1;
}

static int try_spawn(ll_summaries *s, const ll_func *fn, const ll_node *c) {
  const ll_api *a = ll_call_api(c, LL_ROLE_SPAWN);
  spawn_fit fit;
  if (!a || !fit_spawn(s, fn, c, a, &fit)) return 0;
  ll_api tmp = *a;
  if (!wrapper_handle(s, fn, c, a, &tmp)) return 0;
  summary *sm = new_summary(s, fn, &tmp, LL_ROLE_SPAWN);
  sm->api.entry_arg = fit.entry;
  sm->api.data_arg = fit.data;
  sm->api.handle = tmp.handle;
  sm->api.handle_arg = tmp.handle_arg;
  char where[512];
  sm->why = fit.via ? ll_xasprintf("stores parameter %d in ->%s and calls %s at %s with %s, which calls ->%s",
                                   fit.entry, fit.via->field, call_name(c), loc_text(c, where, sizeof where),
                                   fit.via->fn->name, fit.via->field)
                    : ll_xasprintf("calls %s at %s with parameter %d as the entry", call_name(c),
                                   loc_text(c, where, sizeof where), fit.entry);
  attach(s, sm);
  return 1;
}

/* ---- wait, signal, ... wrappers ---- */

static int is_object_role(ll_role r) {
  return r == LL_ROLE_WAIT || r == LL_ROLE_SIGNAL || r == LL_ROLE_SEND || r == LL_ROLE_RECV || r == LL_ROLE_CLOSE ||
         r == LL_ROLE_CANCEL || r == LL_ROLE_JOIN;
}

static int is_blocking_role(ll_role r) {
  return r == LL_ROLE_WAIT || r == LL_ROLE_SEND || r == LL_ROLE_RECV || r == LL_ROLE_JOIN;
}

static int map_param(const ll_func *fn, const ll_node *c, int arg) {
  if (arg < 0) return LL_ARG_NONE;
  int p = param_of(fn, ll_call_arg(c, arg));
  return p >= 0 ? p : LL_ARG_NONE;
}

/* The timeout of a wrapper of c (entry a): 1 with out->timeout_arg set
 * (a parameter, or none = forever), 0 when the wrapper waits a fixed finite
 * time or one we cannot read (no summary: we say nothing). */
static int wrapper_timeout(const ll_func *fn, const ll_node *c, const ll_api *a, ll_api *out) {
  out->timeout_arg = LL_ARG_NONE;
  if (a->timeout_arg < 0 || !is_blocking_role(a->role)) return 1;
  const ll_value *t = ll_call_arg(c, a->timeout_arg);
  if (!t) return a->nforever == 0;
  int p = param_of(fn, t);
  if (p >= 0) {
    out->timeout_arg = p;
    return 1;
  }
  if (ll_call_waits_forever(c, a)) {
    out->nforever = 0;
    return 1;
  }
  return 0;
}

static summary *object_summary(ll_summaries *s, const ll_func *fn, const ll_node *c, const ll_api *a, int obj,
                               const char *field) {
  ll_api tmp = *a;
  if (!wrapper_timeout(fn, c, a, &tmp)) return NULL;
  summary *sm = new_summary(s, fn, &tmp, a->role);
  sm->api.object_arg = obj;
  sm->api.object_field = field;
  sm->api.timeout_arg = tmp.timeout_arg;
  sm->api.nforever = tmp.nforever;
  sm->api.stop_token_arg = map_param(fn, c, a->stop_token_arg);
  sm->api.predicate_arg = map_param(fn, c, a->predicate_arg);
  return sm;
}

/* The first call in subtree `top` that always runs there and has an entry
 * of `role` on an object fn receives. */
typedef struct obj_find {
  const ll_func *fn;
  const ll_node *top;
  int want_role; /* -1: any object role */
  const ll_node *call;
  const ll_api *api;
  int obj;
  const char *field;  /* the field of obj the primitive is (api.object_field) */
  int tparam;         /* if_timeout_cb: the timeout parameter */
  const ll_node *ifn; /* if_timeout_cb: the if that picks the form */
} obj_find;

static int obj_cb(ll_node *n, void *d) {
  obj_find *f = d;
  if (n->kind != LL_N_CALL || !straight_line(n, f->top)) return 0;
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    if (!is_object_role(a->role) || (f->want_role >= 0 && (int)a->role != f->want_role)) continue;
    int o = object_param(f->fn, ll_call_arg(n, a->object_arg));
    if (o == LL_ARG_NONE) continue;
    f->call = n;
    f->api = a;
    f->obj = o;
    /* a wrapper of a wrapper keeps the inner primitive's field */
    f->field = a->object_field ? a->object_field : object_field_of(ll_call_arg(n, a->object_arg));
    return 1;
  }
  return 0;
}

/* `if (P OP K)` / `if (!P)` / `if (P)`: the values of the timeout P for
 * which the branch `then_forever ? then : else` runs, as forever values. */
static int cond_forever(const ll_node *ifn, int then_forever, long long *vals) {
  size_t len = 0;
  const char *t = ll_tu_text(ifn->func->tu, &ifn->loc, &len);
  const char *lp = t ? memchr(t, '(', len) : NULL;
  if (!lp) return 0;
  char buf[128];
  size_t n = 0;
  int depth = 0;
  for (const char *q = lp; q < t + len && n + 1 < sizeof buf; q++) {
    if (*q == '(') depth++;
    if (*q == ')' && --depth == 0) break;
    if (!isspace((unsigned char)*q) && !(q == lp)) buf[n++] = *q;
  }
  buf[n] = 0;
  const char *op = strpbrk(buf, "=!<>");
  if (buf[0] == '!' && !strpbrk(buf + 1, "=<>")) return then_forever ? (vals[0] = 0, 1) : 0;
  if (!op) return then_forever ? 0 : (vals[0] = 0, 1); /* if (P): else runs for 0 */
  long long k = strtoll(op + (op[1] == '=' ? 2 : 1), NULL, 0);
  int is_eq = op[0] == '=' && op[1] == '=', is_ne = op[0] == '!' && op[1] == '=';
  int is_gt = op[0] == '>' && op[1] != '=', is_le = op[0] == '<' && op[1] == '=';
  int is_lt = op[0] == '<' && op[1] != '=', is_ge = op[0] == '>' && op[1] == '=';
  if (k != 0 && !(is_eq || is_ne)) return 0;
  if ((is_eq && then_forever) || (is_ne && !then_forever)) return vals[0] = k, 1;
  if ((is_le && then_forever) || (is_gt && !then_forever)) return vals[0] = 0, vals[1] = -1, 2;
  if ((is_lt && then_forever) || (is_ge && !then_forever)) return vals[0] = -1, 1;
  return 0;
}

/* if (usecs == 0) wait(c); else timedwait(c, usecs);: a wait on c whose
 * forever values of the parameter usecs are read from the condition. */
static int if_timeout_cb(ll_node *n, void *d) {
  obj_find *f = d;
  if (n->kind != LL_N_IF || n->nkids < 2 || !n->kids[0] || !n->kids[1] || n->ncond_refs != 1) return 0;
  int tp = param_of(f->fn, n->cond_refs[0]);
  if (tp < 0 || !straight_line(n, f->top)) return 0;
  obj_find br[2];
  for (int k = 0; k < 2; k++) {
    br[k] = (obj_find){f->fn, n->kids[k], LL_ROLE_WAIT, NULL, NULL, LL_ARG_NONE, NULL, -1, NULL};
    ll_visit(n->kids[k], obj_cb, &br[k]);
    if (!br[k].call) return 0;
  }
  if (br[0].obj != br[1].obj || (br[0].field != br[1].field &&
                                 (!br[0].field || !br[1].field || strcmp(br[0].field, br[1].field) != 0)))
    return 0;
  int f0 = ll_call_waits_forever(br[0].call, br[0].api), f1 = ll_call_waits_forever(br[1].call, br[1].api);
  if (f0 == f1) return 0;
  f->call = br[f0 ? 0 : 1].call;
  f->api = br[f0 ? 0 : 1].api;
  f->obj = br[0].obj;
  f->field = br[0].field;
  f->tparam = tp;
  f->ifn = n;
  return 1;
}

static int try_objects(ll_summaries *s, const ll_func *fn) {
  int added = 0;
  for (int role = 0; role < LL_ROLE__COUNT; role++) {
    if (!is_object_role((ll_role)role) || ll_summaries_of(s, fn, (ll_role)role)) continue;
    obj_find f = {fn, fn->body, role, NULL, NULL, LL_ARG_NONE, NULL, -1, NULL};
    ll_visit(fn->body, obj_cb, &f);
    char where[512];
    if (f.call) {
      summary *sm = object_summary(s, fn, f.call, f.api, f.obj, f.field);
      if (!sm) continue;
      sm->why = ll_xasprintf("always calls %s at %s on %s", call_name(f.call), loc_text(f.call, where, sizeof where),
                             f.obj == LL_ARG_OBJECT ? "its object" : "a parameter");
      attach(s, sm);
      added++;
      continue;
    }
    if (role != LL_ROLE_WAIT) continue;
    obj_find g = {fn, fn->body, -1, NULL, NULL, LL_ARG_NONE, NULL, -1, NULL};
    if (!ll_visit(fn->body, if_timeout_cb, &g)) continue;
    long long vals[LL_MAX_FOREVER];
    int nv = cond_forever(g.ifn, ll_node_within(g.call, g.ifn->kids[0]), vals);
    if (nv <= 0) continue;
    summary *sm = object_summary(s, fn, g.call, g.api, g.obj, g.field);
    if (!sm) continue;
    sm->api.timeout_arg = g.tparam;
    sm->api.nforever = nv;
    for (int i = 0; i < nv; i++) sm->api.forever[i] = vals[i];
    sm->why = ll_xasprintf("calls %s at %s when parameter %d selects no timeout", call_name(g.call),
                           loc_text(g.call, where, sizeof where), g.tparam);
    attach(s, sm);
    added++;
  }
  return added;
}

/* ---- select blocks built from clause calls ---- */

/* The clauses of the block whose wait is w: calls among w's siblings, after
 * a select_begin call just before the loop they run in (libmill's
 * `choose { ... end }` expands to begin; while (1) { clauses; wait }).
 * 1 when the block waits with no limit: no otherwise clause and every
 * deadline clause means forever. Sets *begin. */
static int select_forever(const ll_node *w, const ll_node **begin) {
  const ll_node *b = w->parent, *loop = b ? b->parent : NULL, *outer = loop ? loop->parent : NULL;
  *begin = NULL;
  if (!b || b->kind != LL_N_BLOCK || !loop || loop->kind != LL_N_LOOP || !outer || outer->kind != LL_N_BLOCK) return 0;
  for (size_t i = 0; i < outer->nkids && outer->kids[i] != loop; i++)
    if (outer->kids[i] && ll_call_has_role(outer->kids[i], LL_ROLE_SELECT_BEGIN)) *begin = outer->kids[i];
  if (!*begin) return 0;
  int clauses = 0;
  for (size_t i = 0; i < b->nkids; i++) {
    const ll_node *c = b->kids[i];
    if (!c || c->kind != LL_N_CALL) continue;
    if (ll_call_has_role(c, LL_ROLE_SELECT_DEFAULT)) return 0;
    const ll_api *d = ll_call_api(c, LL_ROLE_SELECT_DEADLINE);
    if (d && !ll_call_waits_forever(c, d)) return 0;
    clauses += d || ll_call_has_role(c, LL_ROLE_SELECT_SEND) || ll_call_has_role(c, LL_ROLE_SELECT_RECV);
  }
  return clauses > 0;
}

typedef struct select_walk {
  ll_summaries *s;
  const ll_func *fn;
} select_walk;

static int select_cb(ll_node *n, void *d) {
  select_walk *w = d;
  const ll_node *begin;
  if (n->kind != LL_N_CALL || n->napis ||
      !ll_rules_fact(w->s->rules, LL_FACT_SELECT_WAIT, n->callee) || !select_forever(n, &begin))
    return 0;
  const ll_api *b = ll_call_api(begin, LL_ROLE_SELECT_BEGIN);
  summary *sm = new_summary(w->s, w->fn, b, LL_ROLE_WAIT);
  sm->site = n;
  sm->api.name = sm->api.callee = n->callee;
  sm->api.flags = 0;
  sm->api.hint = "give the select block a deadline clause with a finite deadline, or a clause on a quit "
                 "channel that the owner closes";
  char where[512];
  sm->why = ll_xasprintf("the select block begun at %s has no otherwise clause and no finite deadline",
                         loc_text(begin, where, sizeof where));
  n->apis[n->napis++] = &sm->api;
  return 0;
}

/* ---- the rounds ---- */

typedef struct spawn_walk {
  ll_summaries *s;
  const ll_func *fn;
  int added;
} spawn_walk;

static int spawn_cb(ll_node *n, void *d) {
  spawn_walk *w = d;
  if (n->kind != LL_N_CALL || ll_summaries_of(w->s, w->fn, LL_ROLE_SPAWN)) return 0;
  if (try_spawn(w->s, w->fn, n)) w->added++;
  return 0;
}

/* A function the packs model already (a library's inline header code) is
 * described by its pack entry, not by what its body happens to call. */
static int summarisable(const ll_summaries *s, const ll_func *fn) {
  if (!fn->usr || fn->is_lambda || fn->is_block || !fn->name) return 0;
  const ll_api *a[1];
  return ll_rules_lookup(s->rules, fn->name, a, 1) == 0;
}

ll_summaries *ll_summaries_infer(const ll_program *p, const ll_rules *rules) {
  ll_summaries *s = ll_xcalloc(1, sizeof *s);
  s->p = p;
  s->rules = rules;
  if (!p) return s;
  build_index(s);
  FOR_FUNCS(p, fn) {
    resolve_ctx r = {s, fn};
    ll_visit(fn->body, resolve_cb, &r);
  }
  FOR_FUNCS(p, fn) {
    select_walk w = {s, fn};
    ll_visit(fn->body, select_cb, &w);
  }
  for (int round = 0; round < MAX_ROUNDS; round++) {
    int added = 0;
    FOR_FUNCS(p, fn) {
      if (!summarisable(s, fn)) continue;
      spawn_walk w = {s, fn, 0};
      ll_visit(fn->body, spawn_cb, &w);
      added += w.added + try_objects(s, fn);
    }
    if (!added) break;
  }
  return s;
}

/* Takes the inferred entries and resolutions off the IR again: the program
 * may outlive the summaries (and a new inference must start clean). */
static void detach_all(ll_summaries *s) {
  for (size_t i = 0; i < s->calls.n; i++) {
    ll_node *c = s->calls.v[i].call;
    size_t w = 0;
    for (size_t k = 0; k < c->napis; k++)
      if (!ll_api_is_inferred(c->apis[k])) c->apis[w++] = c->apis[k];
    c->napis = w;
  }
  for (size_t i = 0; i < s->v.n; i++) {
    ll_node *c = (ll_node *)s->v.v[i]->site; /* the IR's own node: we attached to it */
    if (c) c->napis = 0;
  }
  for (size_t i = 0; i < s->resolved.n; i++) s->resolved.v[i]->callee_usr = NULL;
  free(s->resolved.v);
  for (size_t i = 0; i < s->respelled.n; i++) s->respelled.v[i].call->macro = s->respelled.v[i].macro;
  free(s->respelled.v);
}

void ll_summaries_free(ll_summaries *s) {
  if (!s) return;
  detach_all(s);
  for (size_t i = 0; i < s->v.n; i++) {
    free(s->v.v[i]->why);
    free(s->v.v[i]);
  }
  free(s->v.v);
  for (size_t i = 0; i < s->tramps.n; i++) {
    free((char *)s->tramps.v[i].field);
    free((char *)s->tramps.v[i].arg_field);
  }
  free(s->tramps.v);
  for (size_t i = 0; i < s->stores.n; i++) free(s->stores.v[i].key);
  free(s->stores.v);
  free(s->calls.v);
  free(s);
}

size_t ll_summaries_count(const ll_summaries *s) { return s ? s->v.n : 0; }
const ll_api *ll_summaries_api(const ll_summaries *s, size_t i) { return i < ll_summaries_count(s) ? &s->v.v[i]->api : NULL; }
const ll_func *ll_summaries_func(const ll_summaries *s, size_t i) { return i < ll_summaries_count(s) ? s->v.v[i]->fn : NULL; }
const char *ll_summaries_why(const ll_summaries *s, size_t i) { return i < ll_summaries_count(s) ? s->v.v[i]->why : NULL; }
