/* stoppath.c - the stop side of a task (see stoppath.h). */
#include "stoppath.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "task.h"

#define TASK_DEPTH 3  /* call depth followed from the task entry */
#define STOP_DEPTH 3  /* call depth followed from the stop path */
#define MAX_CALLERS 8 /* callers of a join function searched for the write */

/* ---------------------------------------------------------------- identity */

/* The field or global v denotes (array elements denote their array). */
static const ll_value *ident(const ll_value *v) {
  for (int i = 0; v && i < 16; i++) {
    v = ll_value_strip(v);
    if (!v) return NULL;
    if (v->kind == LL_V_FIELD || v->kind == LL_V_GLOBAL) return v;
    if (v->kind != LL_V_INDEX) return NULL;
    v = v->base;
  }
  return NULL;
}

int ll_stop_ident(const ll_value *v) { return ident(v) != NULL; }

static int same_ident(const ll_value *a, const ll_value *b) {
  const ll_value *x = ident(a), *y = ident(b);
  return x && y && ll_value_same(x, y, 1);
}

/* ---------------------------------------------------------------- task functions */

/* The member template a call of one of its instantiations runs: the USR
 * names the specialisation (c:@S@Cond>#b@F@get#), the definition is the
 * template's (c:@ST>1#T@Cond@F@get#). The one method of the call's
 * translation unit with the callee's name, a body and as many parameters as
 * the call has arguments; none when several fit (overloads). */
static const ll_func *template_member(const ll_node *call) {
  if (!call->callee_usr || !strstr(call->callee_usr, ">#") || !call->callee || !call->func) return NULL;
  const ll_tu *tu = call->func->tu;
  const ll_func *hit = NULL;
  for (size_t i = 0; i < tu->nfuncs; i++) {
    const ll_func *f = tu->funcs[i];
    if (!f->body || !f->cls || !f->usr || strncmp(f->usr, "c:@ST>", 6) != 0 || !f->name ||
        strcmp(f->name, call->callee) != 0 || f->nparams != call->nargs)
      continue;
    if (hit) return NULL;
    hit = f;
  }
  return hit;
}

const ll_func *ll_stop_resolve(const ll_program *p, const ll_node *call) {
  if (!call || call->kind != LL_N_CALL) return NULL;
  const ll_func *f = ll_resolve_callee(p, call);
  return f ? f : template_member(call);
}

/* Project function a call runs (pack APIs carry their own meaning). */
static const ll_func *callee(const ll_program *p, const ll_node *call) {
  if (!call || call->kind != LL_N_CALL || call->napis) return NULL;
  return ll_stop_resolve(p, call);
}

int ll_taskfns_has(const ll_taskfns *t, const ll_func *fn) {
  for (size_t i = 0; i < t->n; i++)
    if (t->fns[i] == fn) return 1;
  return 0;
}

typedef struct collect_ctx {
  const ll_program *p;
  ll_taskfns *t;
  int looped, depth;
  int record; /* list the conditions (0 when revisiting a listed function) */
} collect_ctx;

static void collect(const ll_program *p, ll_taskfns *t, const ll_func *fn, int looped, int depth);

static int collect_cb(ll_node *n, void *d) {
  collect_ctx *c = d;
  if (c->record && (n->kind == LL_N_LOOP || n->kind == LL_N_IF) && c->t->nconds < LL_TASK_MAX_CONDS)
    c->t->conds[c->t->nconds++] = n;
  if (n->kind != LL_N_CALL) return 0;
  const ll_func *cf = callee(c->p, n);
  if (cf) collect(c->p, c->t, cf, c->looped || ll_enclosing_loop(n) != NULL, c->depth + 1);
  return 0;
}

static void collect(const ll_program *p, ll_taskfns *t, const ll_func *fn, int looped, int depth) {
  if (!fn || !fn->body || depth > TASK_DEPTH) return;
  for (size_t i = 0; i < t->n; i++)
    if (t->fns[i] == fn) {
      if (!looped || t->looped[i]) return;
      t->looped[i] = 1; /* seen before outside a loop: revisit its callees as looped */
      collect_ctx c = {p, t, 1, depth, 0}; /* its conditions are listed already */
      ll_visit(fn->body, collect_cb, &c);
      return;
    }
  if (t->n >= LL_TASK_MAX_FNS) return;
  t->fns[t->n] = fn;
  t->looped[t->n] = looped;
  t->n++;
  collect_ctx c = {p, t, looped, depth, 1};
  ll_visit(fn->body, collect_cb, &c);
}

void ll_taskfns_collect(const ll_program *p, const ll_func *entry, ll_taskfns *out) {
  memset(out, 0, sizeof *out);
  collect(p, out, entry, 0, 0);
}

/* ---------------------------------------------------------------- writes */

static int is_assign_operator(const char *callee) {
  if (!callee) return 0;
  const char *last = strrchr(callee, ':');
  last = last ? last + 1 : callee;
  return strcmp(last, "operator=") == 0;
}

const ll_value *ll_stop_written_flag(const ll_rules *rules, const ll_node *n) {
  if (!n) return NULL;
  if (n->kind == LL_N_ASSIGN && !n->is_decl) return ident(n->lhs) ? n->lhs : NULL;
  if (n->kind != LL_N_CALL) return NULL;
  int observable = n->callee && ll_rules_fact(rules, LL_FACT_OBSERVABLE, n->callee);
  if (n->obj && ident(n->obj) && (is_assign_operator(n->callee) || observable)) return n->obj;
  if (!observable) return NULL;
  for (size_t i = 0; i < n->nargs; i++) {
    const ll_value *a = n->args[i];
    if (a && a->kind == LL_V_ADDR && ident(a)) return a;
  }
  return NULL;
}

/* ---------------------------------------------------------------- reads */

/* s contains `name` as a whole identifier. */
static int has_token(const char *s, size_t len, const char *name) {
  size_t nl = strlen(name);
  if (!nl) return 0;
  for (size_t i = 0; i + nl <= len; i++) {
    if (memcmp(s + i, name, nl) != 0) continue;
    int before = i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_');
    int after = i + nl < len && (isalnum((unsigned char)s[i + nl]) || s[i + nl] == '_');
    if (!before && !after) return 1;
  }
  return 0;
}

/* A project predicate returns the flag (bool stopping(w) { return w->stop; }). */
typedef struct ret_ctx {
  const ll_value *flag;
  int hit;
} ret_ctx;

static int ret_cb(ll_node *n, void *d) {
  ret_ctx *r = d;
  if (n->kind == LL_N_RETURN && n->value && same_ident(n->value, r->flag)) r->hit = 1;
  if (n->kind == LL_N_CALL && n->obj && same_ident(n->obj, r->flag)) r->hit = 1;
  return r->hit;
}

int ll_stop_cond_reads(const ll_program *p, const ll_node *c, const ll_value *flag) {
  if (!ident(flag) || (c->kind != LL_N_LOOP && c->kind != LL_N_IF)) return 0;
  for (size_t i = 0; i < c->ncond_refs; i++)
    if (same_ident(c->cond_refs[i], flag)) return 1;
  if (!c->cond) return 0;
  int conversion = 0;
  for (size_t i = 0; i < c->cond->nkids; i++) {
    const ll_node *k = c->cond->kids[i];
    if (k->kind != LL_N_CALL) continue;
    if (k->obj && same_ident(k->obj, flag)) return 1;
    for (size_t j = 0; j < k->nargs; j++)
      if (k->args[j] && k->args[j]->kind == LL_V_ADDR && same_ident(k->args[j], flag)) return 1;
    const ll_func *cf = callee(p, k);
    if (cf && cf->body) {
      ret_ctx r = {flag, 0};
      ll_visit(cf->body, ret_cb, &r);
      if (r.hit) return 1;
    }
    /* an implicit conversion of an atomic or wrapper (while (m_running))
       carries no object in the IR: the condition's text names the field */
    if (!k->obj && !k->nargs && k->callee && strstr(k->callee, "operator ")) conversion = 1;
  }
  const ll_value *id = ident(flag);
  if (conversion && id && id->kind == LL_V_FIELD && id->name) {
    size_t len = 0;
    const char *txt = ll_tu_text(c->func->tu, &c->cond->loc, &len);
    if (txt && has_token(txt, len, id->name)) return 1;
  }
  return 0;
}

int ll_task_reads_flag(const ll_program *p, const ll_taskfns *t, const ll_value *flag) {
  if (!ident(flag)) return 0;
  for (size_t i = 0; i < t->nconds; i++)
    if (ll_stop_cond_reads(p, t->conds[i], flag)) return 1;
  return 0;
}

/* ---------------------------------------------------------------- callers and calls */

struct ll_stopctx {
  const ll_program *p;
  const ll_rules *rules;
  const ll_sync *sync; /* callers of a function (sync.h) */
};

ll_stopctx *ll_stopctx_new(const ll_program *p, const ll_rules *rules, const ll_sync *sync) {
  ll_stopctx *c = ll_xcalloc(1, sizeof *c);
  c->p = p;
  c->rules = rules;
  c->sync = sync;
  return c;
}

void ll_stopctx_free(ll_stopctx *c) { free(c); }

size_t ll_stop_callers(ll_stopctx *c, const ll_func *fn, const ll_node **out, size_t max) {
  const ll_node *const *calls;
  size_t nc = ll_sync_callers(c->sync, fn, &calls), n = 0;
  for (size_t i = 0; i < nc && n < max; i++)
    if (calls[i]->func && ll_sync_same_program(c->sync, calls[i]->func, fn)) out[n++] = calls[i];
  return n;
}

typedef struct calls_ctx {
  const ll_program *p;
  ll_nodevec *out;
  const ll_func **seen;
  size_t *nseen;
  int depth;
} calls_ctx;

static void calls_from(const ll_program *p, const ll_func *fn, ll_nodevec *out, const ll_func **seen,
                       size_t *nseen, int depth);

static int calls_cb(ll_node *n, void *d) {
  calls_ctx *c = d;
  if (n->kind != LL_N_CALL) return 0;
  LL_VEC_PUSH(c->out, n);
  if (c->p) calls_from(c->p, callee(c->p, n), c->out, c->seen, c->nseen, c->depth + 1);
  return 0;
}

static void calls_from(const ll_program *p, const ll_func *fn, ll_nodevec *out, const ll_func **seen,
                       size_t *nseen, int depth) {
  if (!fn || !fn->body || depth > STOP_DEPTH || *nseen >= 64) return;
  for (size_t i = 0; i < *nseen; i++)
    if (seen[i] == fn) return;
  seen[(*nseen)++] = fn;
  calls_ctx c = {p, out, seen, nseen, depth};
  ll_visit(fn->body, calls_cb, &c);
}

/* p == NULL: fn's own calls only (no callees followed). */
void ll_stop_calls_from(const ll_program *p, const ll_func *fn, ll_nodevec *out) {
  const ll_func *seen[64];
  size_t nseen = 0;
  calls_from(p, fn, out, seen, &nseen, 0);
}

/* ---------------------------------------------------------------- the stop path */

typedef struct write_ctx {
  const ll_program *p;
  const ll_rules *rules;
  const ll_taskfns *t;
  unsigned before;    /* only nodes of `fn` that start before this offset */
  const ll_func *fn;
  const ll_node *write;
  const ll_value *flag;
  int depth;
} write_ctx;

static int write_cb(ll_node *n, void *d);

/* A write of a task flag in fn (before w->before when fn is w->fn), or in a
 * project function it calls there. */
static void find_write(write_ctx *w, const ll_func *fn, int depth) {
  if (!fn || !fn->body || depth > 2 || w->write) return;
  write_ctx sub = *w;
  sub.depth = depth;
  if (fn != w->fn) sub.before = 0;
  sub.fn = fn;
  ll_visit(fn->body, write_cb, &sub);
  w->write = sub.write;
  w->flag = sub.flag;
}

typedef struct field_thru {
  int var;
  int hit;
} field_thru;

static int field_thru_cb(ll_node *n, void *d) {
  field_thru *f = d;
  if (n->kind != LL_N_ASSIGN || n->is_decl || !n->lhs || n->lhs->kind != LL_V_FIELD) return 0;
  const ll_value *b = ll_value_strip(n->lhs->base);
  f->hit = b && b->kind == LL_V_VAR && b->var == f->var;
  return f->hit;
}

/* fn stores through parameter i: into *p (sync.h), or into a field of the
 * object p points to (e->on = 1 in event_set(e)). */
static int stores_through(const ll_rules *rules, const ll_func *fn, size_t i) {
  if (ll_sync_writes_through(rules, fn, i)) return 1;
  if (!fn->body || i >= fn->nparams) return 0;
  field_thru f = {fn->params[i], 0};
  ll_visit(fn->body, field_thru_cb, &f);
  return f.hit;
}

/* A project call that passes a flag's address to a function storing
 * through it (set_flag(&s->stop), event_set(&w->quit) on the event the
 * task tests with event_is_set(&w->quit)): that flag. */
static const ll_value *written_through(const write_ctx *w, const ll_node *n) {
  const ll_func *cf = n->kind == LL_N_CALL ? callee(w->p, n) : NULL;
  for (size_t i = 0; cf && i < n->nargs; i++)
    if (n->args[i] && n->args[i]->kind == LL_V_ADDR && ident(n->args[i]) && stores_through(w->rules, cf, i) &&
        ll_task_reads_flag(w->p, w->t, n->args[i]))
      return n->args[i];
  return NULL;
}

static int this_field_write_cb(ll_node *n, void *d) {
  (void)d;
  if (n->kind != LL_N_ASSIGN || n->is_decl || !n->lhs || n->lhs->kind != LL_V_FIELD) return 0;
  const ll_value *b = ll_value_strip(n->lhs->base);
  return b && b->kind == LL_V_THIS;
}

/* A method call on a flag object whose body stores into a field of its
 * object (stop_requested.set(true) on a wrapper the task tests through
 * stop_requested.get()): that object. */
static const ll_value *set_on(const write_ctx *w, const ll_node *n) {
  if (n->kind != LL_N_CALL || !n->obj || !ident(n->obj)) return NULL;
  for (size_t i = 0; i < n->napis; i++)
    if (!ll_api_is_inferred(n->apis[i])) return NULL; /* a pack API means what its role says */
  const ll_func *cf = ll_stop_resolve(w->p, n); /* also an inferred wrapper (Event::set signals) */
  if (!cf || !cf->cls || !cf->body || !ll_visit(cf->body, this_field_write_cb, NULL)) return NULL;
  return ll_task_reads_flag(w->p, w->t, n->obj) ? n->obj : NULL;
}

static int write_cb(ll_node *n, void *d) {
  write_ctx *w = d;
  if (w->before && n->loc.offset >= w->before) return 0;
  const ll_value *f = ll_stop_written_flag(w->rules, n);
  if (!f) f = written_through(w, n);
  if (!f) f = set_on(w, n);
  if (f && ll_task_reads_flag(w->p, w->t, f)) {
    w->write = n;
    w->flag = f;
    return 1;
  }
  if (n->kind == LL_N_CALL) {
    const ll_func *cf = callee(w->p, n);
    /* the task's own functions are not a stop path */
    if (cf && !ll_taskfns_has(w->t, cf)) {
      write_ctx sub = *w;
      sub.write = NULL;
      find_write(&sub, cf, w->depth + 1);
      if (sub.write) {
        w->write = sub.write;
        w->flag = sub.flag;
        return 1;
      }
    }
  }
  return 0;
}

void ll_stop_calls_before(const ll_program *p, const ll_func *fn, unsigned before, ll_nodevec *out) {
  ll_nodevec own = {0};
  ll_stop_calls_from(NULL, fn, &own);
  const ll_func *seen[64];
  size_t nseen = 0;
  seen[nseen++] = fn;
  for (size_t i = 0; i < own.n; i++) {
    if (own.v[i]->loc.offset >= before) continue;
    LL_VEC_PUSH(out, own.v[i]);
    calls_from(p, callee(p, own.v[i]), out, seen, &nseen, 1);
  }
  free(own.v);
}

int ll_stoppath_find(ll_stopctx *c, const ll_taskfns *t, const ll_node *join, ll_stoppath *sp) {
  const ll_program *p = c->p;
  const ll_rules *rules = c->rules;
  memset(sp, 0, sizeof *sp);
  const ll_func *fn = join ? join->func : NULL;
  if (!fn || !fn->body || ll_taskfns_has(t, fn)) return 0;
  write_ctx w = {p, rules, t, join->loc.offset, fn, NULL, NULL, 0};
  find_write(&w, fn, 0);
  const ll_func *caller = NULL;
  if (!w.write) {
    const ll_node *cs[MAX_CALLERS];
    size_t n = ll_stop_callers(c, fn, cs, MAX_CALLERS);
    for (size_t i = 0; i < n && !w.write; i++) {
      const ll_func *cf = cs[i]->func;
      if (!cf || ll_taskfns_has(t, cf)) continue;
      write_ctx cw = {p, rules, t, cs[i]->loc.offset, cf, NULL, NULL, 0};
      find_write(&cw, cf, 0);
      if (cw.write) {
        w = cw;
        caller = cf;
      }
    }
  }
  if (!w.write) return 0;
  sp->write = w.write;
  sp->flag = w.flag;
  sp->join = join;
  sp->fn = fn;
  sp->caller = caller;
  ll_stop_calls_before(p, fn, join->loc.offset, &sp->calls);
  if (caller) ll_stop_calls_before(p, caller, w.before, &sp->calls);
  return 1;
}

void ll_stoppath_free(ll_stoppath *sp) {
  if (!sp) return;
  free(sp->calls.v);
  memset(sp, 0, sizeof *sp);
}
