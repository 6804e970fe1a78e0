/* multiplicity.c - how often each spawn site runs (see multiplicity.h).
 *
 * A spawn inside an uncounted loop of its function runs on every iteration
 * of that loop. Otherwise it runs as often as its function does, and a
 * function runs:
 * - once, when it is main or a static constructor;
 * - as often as its one use runs, when it has exactly one: a call (inside
 *   an uncounted loop: on every call of the function itself), a spawn whose
 *   task body it is, or its address passed to a call (a callback: on every
 *   call, since whoever holds it may call it any number of times);
 * - once, when all of several uses run once each (a fixed number of times);
 *   as often as the one that repeats when the others run once; on every
 *   call of itself when two repeat, or one repeats and another is unknown;
 * - on every call of itself when it is an exported function nobody in the
 *   project calls (its callers are out of sight), or when it is reached
 *   from itself (recursion);
 * - unknown otherwise (a static function whose only use we cannot follow,
 *   its address stored in a table, a walk deeper than MAX_DEPTH; that
 *   unknown is memoised like any result, so a function first met at the
 *   depth bound stays unknown: unknown is reported as before, never dropped).
 * A counted loop (`for (i = 0; i < n; i++)`, a range-for) starts a fixed
 * pool, so it does not make a once-per-process spawn repeated.
 *
 * The repetition a function shows (ll_multiplicity_shown) is computed
 * apart, from evidence collected in the same walk (registrations, calls in
 * loops, call edges; in walk order, so that the first of equal evidence
 * wins), by LL_MULT_SHOWN_DEPTH rounds that carry it from callers to
 * callees. Functions are keyed there by USR (one entry for every copy of a
 * header function), lambdas and blocks by their ll_func. */
#include "multiplicity.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define MAX_DEPTH 12 /* call-graph levels followed from a spawn */

/* One use of a function: a call, a spawn of it, or its address passed on. */
typedef enum { USE_CALL, USE_SPAWN, USE_CALLBACK, USE_STORED } use_kind;

typedef struct use {
  const char *usr;       /* the function used */
  use_kind kind;
  const ll_node *node;   /* the call (CALL), the call taking the address (CALLBACK),
                            the assignment (STORED), the spawn site (SPAWN) */
  size_t spawn;          /* USE_SPAWN: index into the spawns */
} use;

/* Evidence that a function runs repeatedly (ll_multiplicity_shown). */
typedef enum { EV_CALLBACK, EV_LOOP, EV_EDGE } ev_kind;

typedef struct ev {
  ev_kind kind;
  const ll_func *from;  /* the function the site is in */
  const ll_func *to;    /* the callee, or the registered callback */
  const ll_node *site;  /* the call or the registration */
  const ll_api *api;    /* EV_CALLBACK: the registration's entry */
  size_t ifrom, ito;    /* their entries in ll_mult.shown */
} ev;

typedef struct shown {
  const char *usr;   /* key, or NULL for a lambda or block keyed by fn */
  const ll_func *fn;
  ll_mult_info info; /* UNKNOWN until the evidence reaches it */
} shown;

typedef struct memo {
  const ll_func *fn; /* functions: the key (each definition its own: two
                        programs in one run may define the same USR) */
  int state;         /* 0 not yet, 1 in progress, 2 done */
  ll_mult_info info;
} memo;

struct ll_mult {
  const ll_program *p;
  const ll_spawns *spawns;
  use *uses; /* sorted by usr */
  size_t nuses;
  memo *funcs; /* one per function with a body and a USR, sorted by address */
  size_t nfuncs;
  memo *sp; /* per spawn */
  ev *evs;  /* in walk order */
  size_t nevs;
  shown *shown; /* sorted by key */
  size_t nshown;
};

/* ---------------------------------------------------------------- the use index */

typedef struct collect {
  const ll_program *p;
  const ll_spawns *spawns;
  LL_VEC(use) v;
  LL_VEC(ev) ev;
} collect;

static int is_spawn_site(const ll_spawns *s, const ll_node *n) {
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i].site == n) return 1;
  return 0;
}

static void add_use(collect *c, const char *usr, use_kind k, const ll_node *n, size_t spawn) {
  if (!usr) return;
  use u = {usr, k, n, spawn};
  LL_VEC_PUSH(&c->v, u);
}

static void collect_evidence(collect *c, const ll_node *n);

static int collect_cb(ll_node *n, void *d) {
  collect *c = d;
  if (n->kind == LL_N_CALL && n->func) collect_evidence(c, n);
  if (n->kind == LL_N_CALL) {
    if (n->callee_usr && !n->napis) add_use(c, n->callee_usr, USE_CALL, n, 0);
    /* a function's address given to a call that is not a spawn (the spawn's
       task body is a USE_SPAWN) */
    if (ll_call_has_role(n, LL_ROLE_SPAWN) || n->is_bracket_spawn) return 0;
    for (size_t i = 0; i < n->nargs; i++) {
      const ll_value *a = ll_value_strip(n->args[i]);
      if (a && a->kind == LL_V_FUNC && !is_spawn_site(c->spawns, n)) add_use(c, a->usr, USE_CALLBACK, n, 0);
    }
  } else if (n->kind == LL_N_ASSIGN && n->rhs) {
    const ll_value *r = ll_value_strip(n->rhs);
    if (r && r->kind == LL_V_FUNC) add_use(c, r->usr, USE_STORED, n, 0);
  }
  return 0;
}

static int cmp_use(const void *a, const void *b) {
  const use *x = a, *y = b;
  int c = strcmp(x->usr, y->usr);
  if (c) return c;
  if (x->node != y->node) return x->node->loc.offset < y->node->loc.offset ? -1 : 1;
  return 0;
}

static int cmp_memo(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const memo *)a)->fn, y = (uintptr_t)((const memo *)b)->fn;
  return x < y ? -1 : x > y;
}

static void build_index(ll_mult *m) {
  collect c = {m->p, m->spawns, {0}, {0}};
  LL_VEC(memo) f = {0};
  for (size_t t = 0; t < ll_program_tu_count(m->p); t++) {
    ll_tu *tu = ll_program_tu(m->p, t);
    for (size_t i = 0; i < tu->nfuncs; i++) {
      const ll_func *fn = tu->funcs[i];
      if (!fn->body) continue;
      if (fn->usr) {
        memo e = {fn, 0, {0}};
        LL_VEC_PUSH(&f, e);
      }
      if (ll_program_is_canonical(m->p, fn)) ll_visit(fn->body, collect_cb, &c);
    }
  }
  for (size_t i = 0; i < m->spawns->n; i++) {
    const ll_func *e = m->spawns->v[i].entry;
    if (e && e->usr) add_use(&c, e->usr, USE_SPAWN, m->spawns->v[i].site, i);
  }
  if (c.v.n) qsort(c.v.v, c.v.n, sizeof(use), cmp_use);
  m->uses = c.v.v;
  m->nuses = c.v.n;
  if (f.n) qsort(f.v, f.n, sizeof(memo), cmp_memo);
  m->funcs = f.v;
  m->nfuncs = f.n;
  m->evs = c.ev.v;
  m->nevs = c.ev.n;
}

static memo *func_memo(const ll_mult *m, const ll_func *fn) {
  memo key = {fn, 0, {0}};
  return m->nfuncs ? bsearch(&key, m->funcs, m->nfuncs, sizeof(memo), cmp_memo) : NULL;
}

/* The uses of usr: [*first, *first + *n). */
static void uses_of(const ll_mult *m, const char *usr, size_t *first, size_t *n) {
  size_t lo = 0, hi = m->nuses;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(m->uses[mid].usr, usr) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t e = lo;
  while (e < m->nuses && strcmp(m->uses[e].usr, usr) == 0) e++;
  *first = lo;
  *n = e - lo;
}

/* ---------------------------------------------------------------- facts about code */

/* A counted loop starts a fixed number of tasks per run of its function:
 * `for (i = 0; i < n; i++)` (the condition reads what the init sets; the IR
 * keeps no node for `i++`), a list walk `for (p = head; p; p = p->next)`, or
 * a range-for over a container. */
static int counted_loop(const ll_node *l) {
  if (l->loop_kind == LL_LOOP_RANGE) return 1;
  if (l->loop_kind != LL_LOOP_FOR || !l->init || l->cond_const == 1) return 0;
  /* the condition reads what the init sets (not `for (i = 0; !done; i++)`) */
  for (size_t k = 0; k < l->init->nkids; k++) {
    const ll_node *a = l->init->kids[k];
    if (!a || a->kind != LL_N_ASSIGN || !a->lhs) continue;
    for (size_t r = 0; r < l->ncond_refs; r++)
      if (ll_value_same(l->cond_refs[r], a->lhs, 0)) return 1;
  }
  return 0;
}

/* The innermost uncounted loop around n in its own function, or NULL
 * (`do { } while (0)` is no loop). */
static const ll_node *repeating_loop(const ll_node *n) {
  for (const ll_node *l = ll_enclosing_loop(n); l; l = ll_enclosing_loop(l)) {
    if (l->cond_const == 0) continue;
    if (!counted_loop(l)) return l;
  }
  return NULL;
}

static int is_main(const ll_func *fn) { return fn->name && !fn->parent && strcmp(fn->name, "main") == 0; }

/* Declared with the constructor attribute (runs once before main): the
 * attribute is read from the declaration's text up to its body. */
static int is_static_constructor(const ll_func *fn) {
  if (!fn->tu || !fn->body || fn->parent) return 0;
  size_t len = 0;
  const char *t = ll_tu_text(fn->tu, &fn->loc, &len);
  if (!t) return 0;
  size_t head = fn->body->loc.offset > fn->loc.offset ? fn->body->loc.offset - fn->loc.offset : len;
  if (head > len) head = len;
  char *s = ll_xstrndup(t, head);
  const char *a = strstr(s, "attribute"); /* the GNU attribute syntax, a language feature */
  int hit = a && strstr(a, "constructor") != NULL;
  free(s);
  return hit;
}

/* External linkage: other translation units (or a library's users) may
 * call it. C USRs of static functions carry their file ("c:f.c@F@x");
 * anonymous namespaces are "@aN". */
static int is_exported(const ll_func *fn) {
  if (!fn->usr || fn->parent || fn->is_lambda || fn->is_block) return 0;
  if (strncmp(fn->usr, "c:", 2) != 0) return 0;
  if (fn->usr[2] != '@') return 0;
  return strstr(fn->usr, "@aN") == NULL;
}

/* ---------------------------------------------------------------- the walk */

static ll_mult_info unknown_info(void) {
  ll_mult_info i;
  memset(&i, 0, sizeof i);
  return i;
}

static ll_mult_info per_call(const ll_func *fn, ll_mult_why why, const ll_loc *rel, const char *msg) {
  ll_mult_info i = {LL_MULT_PER_CALL, why, fn, NULL, rel, msg};
  return i;
}

static ll_mult_info once(const ll_func *root, ll_mult_why why) {
  ll_mult_info i = {LL_MULT_ONCE, why, root, NULL, &root->loc,
                    why == LL_MULT_WHY_MAIN ? "main starts it once" : "a static constructor starts it once"};
  return i;
}

static ll_mult_info of_func(ll_mult *m, const ll_func *fn, int depth, int *recursion);

static ll_mult_info of_spawn(ll_mult *m, size_t i, int depth, int *recursion) {
  memo *s = &m->sp[i];
  if (s->state == 2) return s->info;
  if (s->state == 1) {
    *recursion = 1;
    return unknown_info();
  }
  const ll_spawn *sp = &m->spawns->v[i];
  ll_mult_info r = unknown_info();
  const ll_node *l = sp->site ? repeating_loop(sp->site) : NULL;
  if (l) {
    r.kind = LL_MULT_PER_ITERATION;
    r.why = LL_MULT_WHY_LOOP;
    r.loop = l;
    r.related = &l->loc;
    r.related_msg = "each iteration of this loop starts another";
  } else if (sp->spawner && depth <= MAX_DEPTH) {
    s->state = 1;
    r = of_func(m, sp->spawner, depth + 1, recursion);
  }
  /* a result cut short by recursion is not final for other paths */
  if (!*recursion || r.kind == LL_MULT_PER_CALL || r.kind == LL_MULT_PER_ITERATION) {
    s->state = 2;
    s->info = r;
  } else {
    s->state = 0;
  }
  return r;
}

/* The function a use runs in (its caller), or NULL for a spawn. */
static const ll_func *use_caller(const use *u) { return u->kind == USE_SPAWN ? NULL : u->node->func; }

/* How often one use of fn runs; *rec is set when it leads back to a
 * function in progress. */
static ll_mult_info of_use(ll_mult *m, const ll_func *fn, const use *u, int depth, int *rec) {
  if (u->kind == USE_STORED) return unknown_info();
  if (u->kind == USE_CALLBACK)
    return per_call(fn, LL_MULT_WHY_CALLBACK, &u->node->loc, "passed here as a callback, which may run it repeatedly");
  if (u->kind == USE_SPAWN) return of_spawn(m, u->spawn, depth, rec);
  const ll_node *l = repeating_loop(u->node);
  if (l) return per_call(fn, LL_MULT_WHY_CALLED_IN_LOOP, &u->node->loc, "called here inside a loop");
  return of_func(m, use_caller(u), depth + 1, rec);
}

/* Several uses: once when each runs once, else repeated. */
static ll_mult_info combine(const ll_func *fn, const ll_mult_info *r, const use *u, size_t n) {
  size_t repeated = 0, unknown = 0, first_rep = 0;
  for (size_t k = 0; k < n; k++) {
    if (ll_mult_repeats(&r[k])) {
      if (!repeated++) first_rep = k;
    } else if (r[k].kind == LL_MULT_UNKNOWN) {
      unknown++;
    }
  }
  if (repeated == 1 && !unknown) return r[first_rep];
  if (repeated) {
    size_t other = first_rep + 1 < n ? first_rep + 1 : 0;
    return per_call(fn, LL_MULT_WHY_CALLERS, &u[other].node->loc, "also called here");
  }
  if (unknown) return unknown_info();
  return r[0];
}

static ll_mult_info func_uncached(ll_mult *m, const ll_func *fn, int depth, int *rec) {
  if (is_main(fn)) return once(fn, LL_MULT_WHY_MAIN);
  if (is_static_constructor(fn)) return once(fn, LL_MULT_WHY_CONSTRUCTOR);
  size_t first = 0, n = 0;
  if (fn->usr) uses_of(m, fn->usr, &first, &n);
  if (!n) return is_exported(fn) ? per_call(fn, LL_MULT_WHY_EXPORTED, &fn->loc, "exported: callers out of sight may call it any number of times")
                                 : unknown_info();
  ll_mult_info *r = ll_xcalloc(n, sizeof *r);
  for (size_t k = 0; k < n; k++) {
    const use *u = &m->uses[first + k];
    int sub = 0;
    r[k] = of_use(m, fn, u, depth, &sub);
    if (sub) {
      /* the use leads back to fn (or a function on the way): fn repeats */
      r[k] = per_call(fn, LL_MULT_WHY_RECURSIVE, &u->node->loc, "reached again from here, recursively");
      *rec = 1;
    }
  }
  ll_mult_info out = combine(fn, r, &m->uses[first], n);
  free(r);
  return out;
}

static ll_mult_info of_func(ll_mult *m, const ll_func *fn, int depth, int *recursion) {
  if (!fn || depth > MAX_DEPTH) return unknown_info();
  if (!fn->usr) {
    /* a lambda or block: as often as the one spawn that runs it */
    size_t hit = (size_t)-1, hits = 0;
    for (size_t i = 0; i < m->spawns->n; i++)
      if (m->spawns->v[i].entry == fn) {
        hit = i;
        hits++;
      }
    return hits == 1 ? of_spawn(m, hit, depth, recursion) : unknown_info();
  }
  memo *e = func_memo(m, fn);
  if (e && e->state == 2) return e->info;
  if (e && e->state == 1) {
    *recursion = 1;
    return unknown_info();
  }
  if (e) e->state = 1;
  int rec = 0;
  ll_mult_info r = func_uncached(m, fn, depth, &rec);
  if (e) {
    /* a function whose own uses lead back to it repeats: final; anything
       else found inside a cycle is recomputed from its other entries */
    if (!rec || ll_mult_repeats(&r)) {
      e->state = 2;
      e->info = r;
    } else {
      e->state = 0;
    }
  }
  if (rec && !ll_mult_repeats(&r)) *recursion = 1;
  return r;
}

/* ---------------------------------------------------------------- shown repetition */

static int returns_true(ll_node *n, void *p) {
  (void)p;
  return n->kind == LL_N_RETURN && n->value && n->value->kind == LL_V_INT && n->value->known &&
         n->value->ival != 0;
}

/* The function a callback argument names (a function or a lambda/block
 * literal whose body we have), or NULL. */
static const ll_func *callback_target(const ll_program *p, const ll_value *v) {
  v = ll_value_strip(v);
  if (!v) return NULL;
  if (v->kind == LL_V_LAMBDA) return v->fn;
  if (v->kind == LL_V_FUNC && v->usr) return ll_program_find(p, v->usr);
  return NULL;
}

static void add_ev(collect *c, ev_kind k, const ll_node *site, const ll_func *to, const ll_api *api) {
  ev e = {k, site->func, to, site, api, 0, 0};
  LL_VEC_PUSH(&c->ev, e);
}

/* The innermost loop around n, unless it is `do { } while (0)`: it may call
 * again (a counted loop too, unlike repeating_loop). */
static int in_any_loop(const ll_node *n) {
  const ll_node *loop = ll_enclosing_loop(n);
  return loop && loop->cond_const != 0;
}

/* The evidence a call gives: a registration of a callback (which repeats,
 * or runs once per registration: an edge), else a call of a project
 * function in a loop, or an edge. */
static void collect_evidence(collect *c, const ll_node *n) {
  int registered = 0;
  for (size_t i = 0; i < n->napis; i++) {
    const ll_api *a = n->apis[i];
    if (a->role != LL_ROLE_CALLBACK) continue;
    registered = 1;
    const ll_func *cb = callback_target(c->p, ll_call_arg(n, a->entry_arg));
    if (!cb || !cb->body) continue;
    int once = (a->flags & LL_API_WHILE_TRUE) && !ll_visit(cb->body, returns_true, NULL);
    add_ev(c, once ? EV_EDGE : EV_CALLBACK, n, cb, a);
  }
  if (registered || !n->callee_usr) return;
  const ll_func *callee = ll_program_find(c->p, n->callee_usr);
  if (!callee || !callee->body) return;
  add_ev(c, in_any_loop(n) ? EV_LOOP : EV_EDGE, n, callee, NULL);
}

static int cmp_shown(const void *a, const void *b) {
  const shown *x = a, *y = b;
  if (x->usr && y->usr) return strcmp(x->usr, y->usr);
  if (x->usr || y->usr) return x->usr ? -1 : 1;
  uintptr_t p = (uintptr_t)x->fn, q = (uintptr_t)y->fn;
  return p < q ? -1 : p > q;
}

static shown *find_shown(const ll_mult *m, const ll_func *fn) {
  shown key = {fn->usr, fn, {0}};
  return m->nshown ? bsearch(&key, m->shown, m->nshown, sizeof(shown), cmp_shown) : NULL;
}

/* One entry per function the evidence names; each ev points at its two. */
static void shown_index(ll_mult *m) {
  m->shown = ll_xcalloc(2 * m->nevs + 1, sizeof *m->shown);
  size_t n = 0;
  for (size_t i = 0; i < m->nevs; i++) {
    m->shown[n++] = (shown){m->evs[i].from->usr, m->evs[i].from, {0}};
    m->shown[n++] = (shown){m->evs[i].to->usr, m->evs[i].to, {0}};
  }
  if (n) qsort(m->shown, n, sizeof(shown), cmp_shown);
  size_t u = 0;
  for (size_t i = 0; i < n; i++)
    if (!u || cmp_shown(&m->shown[u - 1], &m->shown[i]) != 0) m->shown[u++] = m->shown[i];
  m->nshown = u;
  for (size_t i = 0; i < m->nevs; i++) {
    m->evs[i].ifrom = (size_t)(find_shown(m, m->evs[i].from) - m->shown);
    m->evs[i].ito = (size_t)(find_shown(m, m->evs[i].to) - m->shown);
  }
}

static void shown_set(shown *s, const ev *e, ll_mult_why why, int depth) {
  static const char *const msg[] = {"registered here as a callback, which runs it repeatedly",
                                    "called here inside a loop",
                                    "called here by a function that runs repeatedly"};
  const char *rm = msg[why == LL_MULT_WHY_CALLBACK ? 0 : why == LL_MULT_WHY_CALLED_IN_LOOP ? 1 : 2];
  ll_mult_info i = {LL_MULT_PER_CALL, why, NULL, NULL, &e->site->loc, rm, e->from,
                    why == LL_MULT_WHY_CALLBACK ? e->api : NULL, depth};
  s->info = i;
}

/* The evidence at depth 0 (the first of each function wins), then rounds
 * that carry it over the edges from the callers of depth d. */
static void build_shown(ll_mult *m) {
  shown_index(m);
  for (size_t i = 0; i < m->nevs; i++) {
    const ev *e = &m->evs[i];
    shown *to = &m->shown[e->ito];
    if (e->kind == EV_EDGE || to->info.kind) continue;
    shown_set(to, e, e->kind == EV_CALLBACK ? LL_MULT_WHY_CALLBACK : LL_MULT_WHY_CALLED_IN_LOOP, 0);
  }
  for (int d = 0; d < LL_MULT_SHOWN_DEPTH; d++) {
    int changed = 0;
    for (size_t i = 0; i < m->nevs; i++) {
      const ev *e = &m->evs[i];
      const shown *from = &m->shown[e->ifrom];
      shown *to = &m->shown[e->ito];
      if (e->kind != EV_EDGE || !from->info.kind || from->info.depth != d || to->info.kind) continue;
      shown_set(to, e, LL_MULT_WHY_REPEATING_CALLER, d + 1);
      changed = 1;
    }
    if (!changed) break;
  }
}

ll_mult_info ll_multiplicity_shown(const ll_mult *m, const ll_func *fn) {
  const shown *s = m && fn ? find_shown(m, fn) : NULL;
  if (!s || !s->info.kind) return unknown_info();
  ll_mult_info i = s->info;
  i.fn = fn;
  return i;
}

/* ---------------------------------------------------------------- API */

ll_mult_info ll_multiplicity_at(const ll_mult *m, size_t i) {
  if (!m || i >= m->spawns->n) return unknown_info();
  return m->sp[i].info;
}

ll_mult_info ll_multiplicity_of(const ll_mult *m, const ll_spawn *sp) {
  if (!m || !sp) return unknown_info();
  for (size_t i = 0; i < m->spawns->n; i++)
    if (m->spawns->v[i].site == sp->site) return m->sp[i].info;
  return unknown_info();
}

ll_mult_info ll_multiplicity_of_func(const ll_mult *m, const ll_func *fn) {
  if (!m || !fn) return unknown_info();
  int rec = 0;
  return of_func((ll_mult *)m, fn, 0, &rec);
}

int ll_mult_repeats(const ll_mult_info *mi) {
  return mi && (mi->kind == LL_MULT_PER_CALL || mi->kind == LL_MULT_PER_ITERATION);
}

/* "ns::Server::handle" -> "Server::handle": enough to find it. */
static const char *short_name(const char *q) {
  if (!q) return "?";
  const char *last = NULL, *prev = NULL;
  for (const char *p = q; (p = strstr(p, "::")); p += 2) {
    prev = last;
    last = p;
  }
  return prev ? prev + 2 : q;
}

char *ll_mult_phrase(const ll_mult_info *mi, const char *subject) {
  if (!subject) subject = "a new task leaks";
  if (mi && mi->kind == LL_MULT_PER_CALL && mi->fn)
    return ll_xasprintf("%s on every call of `%s`", subject, short_name(mi->fn->name));
  if (mi && mi->kind == LL_MULT_PER_ITERATION && mi->loop)
    return ll_xasprintf("%s on every iteration of the loop at line %u", subject, mi->loop->loc.line);
  return NULL;
}

int ll_mult_should_report(const ll_mult_info *mi, const ll_spawn *complete) {
  if (!mi || mi->kind != LL_MULT_ONCE || !complete) return 1;
  unsigned f = complete->fate;
  if (f & LL_FATE_JOINED) return 1;
  return (f & LL_FATE_JOIN_ON_DESTROY) && !(f & LL_FATE_DETACHED);
}

void ll_mult_add_related(ll_finding *f, const ll_mult_info *mi) {
  if (!f || !ll_mult_repeats(mi) || !mi->related || !mi->related_msg) return;
  const ll_loc *l = mi->related;
  ll_finding_add_related(f, ll_span_make(l->file ? l->file : "", l->line, l->col, l->end_line, l->end_col),
                         mi->related_msg);
}

/* ---------------------------------------------------------------- the pass */

static void *run_mult(ll_pass_ctx *ctx) {
  ll_mult *m = ll_xcalloc(1, sizeof *m);
  m->p = ll_pass_program(ctx);
  m->spawns = ll_tasks_spawns(ll_pass_result_of(ctx, &ll_tasks_pass));
  m->sp = ll_xcalloc(m->spawns->n ? m->spawns->n : 1, sizeof *m->sp);
  build_index(m);
  build_shown(m);
  for (size_t i = 0; i < m->spawns->n; i++) {
    int rec = 0;
    ll_mult_info r = of_spawn(m, i, 0, &rec);
    /* a spawn cut short by a cycle (never final above) keeps what it got */
    m->sp[i].info = r;
    m->sp[i].state = 2;
  }
  return m;
}

static void free_mult(void *r) {
  ll_mult *m = r;
  free(m->uses);
  free(m->funcs);
  free(m->sp);
  free(m->evs);
  free(m->shown);
  free(m);
}

static const ll_pass *const requires[] = {&ll_tasks_pass, NULL};

const ll_pass ll_mult_pass = {
    .id = "multiplicity",
    .summary = "how often each spawn site runs: once per process, per call, per loop iteration",
    .requires = requires,
    .run = run_mult,
    .free_result = free_mult,
};
