/* ir.c - the program (all translation units + run-wide USR index) and the
 * IR helpers rules use (see ir.h). */
#include "ir.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ptrmap.h"

/* ---- shared file contents ---- */

typedef struct text_ent {
  struct text_ent *next;
  uint64_t hash;
  size_t len, refs;
  char data[];
} text_ent;

#define TEXT_BUCKETS 1024
static text_ent *text_tab[TEXT_BUCKETS];
static pthread_mutex_t text_mu = PTHREAD_MUTEX_INITIALIZER;
static const char text_empty[1] = "";

const char *ll_text_intern(const char *data, size_t len) {
  if (len == 0) return text_empty;
  uint64_t h = ll_hash_fast(data, len, LL_HASH_SEED);
  text_ent **b = &text_tab[h & (TEXT_BUCKETS - 1)];
  pthread_mutex_lock(&text_mu);
  for (text_ent *e = *b; e; e = e->next) {
    if (e->hash == h && e->len == len && memcmp(e->data, data, len) == 0) {
      e->refs++;
      pthread_mutex_unlock(&text_mu);
      return e->data;
    }
  }
  pthread_mutex_unlock(&text_mu);
  text_ent *n = ll_xmalloc(sizeof(text_ent) + len + 1);
  n->hash = h;
  n->len = len;
  n->refs = 1;
  memcpy(n->data, data, len);
  n->data[len] = '\0';
  pthread_mutex_lock(&text_mu);
  for (text_ent *e = *b; e; e = e->next) { /* another thread may have added it meanwhile */
    if (e->hash == h && e->len == len && memcmp(e->data, data, len) == 0) {
      e->refs++;
      pthread_mutex_unlock(&text_mu);
      free(n);
      return e->data;
    }
  }
  n->next = *b;
  *b = n;
  pthread_mutex_unlock(&text_mu);
  return n->data;
}

const char *ll_text_retain(const char *text) {
  if (!text || text == text_empty) return text;
  text_ent *e = (text_ent *)(void *)(text - offsetof(text_ent, data));
  pthread_mutex_lock(&text_mu);
  e->refs++;
  pthread_mutex_unlock(&text_mu);
  return text;
}

void ll_text_release(const char *text) {
  if (!text || text == text_empty) return;
  text_ent *e = (text_ent *)(void *)(text - offsetof(text_ent, data));
  pthread_mutex_lock(&text_mu);
  if (--e->refs == 0) {
    text_ent **p = &text_tab[e->hash & (TEXT_BUCKETS - 1)];
    while (*p != e) p = &(*p)->next;
    *p = e->next;
    free(e);
  }
  pthread_mutex_unlock(&text_mu);
}

void ll_tu_free(ll_tu *tu) {
  if (!tu) return;
  for (size_t i = 0; tu->contents && i < tu->nfiles; i++) ll_text_release(tu->contents[i]);
  ll_arena_free(tu->arena);
  free(tu);
}

typedef struct fent {
  const char *usr;
  const ll_func *fn;
  /* definitions of the same USR in other files (one main() per program in a
     multi-program tree); NULL when fn is the only one */
  LL_VEC(const ll_func *) alts;
} fent;

/* ovr: (overridden method USR, overriding definition), sorted; edges:
 * (class, direct base), sorted and unique. */
typedef struct oent {
  const char *usr;
  const ll_func *fn;
} oent;

typedef struct cedge {
  const char *cls, *base;
} cedge;

struct ll_program {
  LL_VEC(ll_tu *) tus;
  LL_VEC(fent) fents; /* one per USR defined in the program */
  ll_ptrmap *byusr;   /* USR -> index into fents */
  LL_VEC(oent) ovr;
  LL_VEC(cedge) edges;
};

ll_program *ll_program_new(void) { return ll_xcalloc(1, sizeof(ll_program)); }

void ll_program_add(ll_program *p, ll_tu *tu) { LL_VEC_PUSH(&p->tus, tu); }

static int cmp_tu(const void *a, const void *b) {
  const ll_tu *x = *(ll_tu *const *)a, *y = *(ll_tu *const *)b;
  return strcmp(x->main_file, y->main_file);
}

static void index_classes(ll_program *p);

/* Drops the indexes of an earlier ll_program_index (the TUs stay). */
static void unindex(ll_program *p) {
  for (size_t i = 0; i < p->fents.n; i++) free(p->fents.v[i].alts.v);
  p->fents.n = 0;
  ll_ptrmap_free(p->byusr);
  p->byusr = NULL;
  p->ovr.n = p->edges.n = 0;
}

void ll_program_index(ll_program *p) {
  unindex(p); /* again after more adds: the run's later prefilter rounds */
  /* deterministic: the canonical copy of a header function is the one from
     the first translation unit in path order, whatever -j did */
  if (p->tus.n > 1) qsort(p->tus.v, p->tus.n, sizeof(ll_tu *), cmp_tu);
  p->byusr = ll_ptrmap_new_str();
  for (size_t i = 0; i < p->tus.n; i++) {
    ll_tu *tu = p->tus.v[i];
    for (size_t j = 0; j < tu->nfuncs; j++) {
      const ll_func *fn = tu->funcs[j];
      if (!fn->usr || !fn->body) continue;
      size_t k;
      if (!ll_ptrmap_get_index(p->byusr, fn->usr, &k)) {
        ll_ptrmap_put_index(p->byusr, fn->usr, p->fents.n);
        LL_VEC_PUSH(&p->fents, ((fent){.usr = fn->usr, .fn = fn}));
        continue;
      }
      fent *e = &p->fents.v[k];
      if (e->fn->loc.file && fn->loc.file && strcmp(e->fn->loc.file, fn->loc.file) != 0) LL_VEC_PUSH(&e->alts, fn);
    }
  }
  index_classes(p);
}

static int cmp_loc(const ll_func *a, const ll_func *b) {
  int r = strcmp(a->name ? a->name : "", b->name ? b->name : "");
  if (r) return r;
  r = strcmp(a->loc.file ? a->loc.file : "", b->loc.file ? b->loc.file : "");
  if (r) return r;
  return (a->loc.line > b->loc.line) - (a->loc.line < b->loc.line);
}

static int cmp_oent(const void *a, const void *b) {
  const oent *x = a, *y = b;
  int r = strcmp(x->usr, y->usr);
  return r ? r : cmp_loc(x->fn, y->fn);
}

static int cmp_edge(const void *a, const void *b) {
  const cedge *x = a, *y = b;
  int r = strcmp(x->cls, y->cls);
  return r ? r : strcmp(x->base, y->base);
}

/* The override and inheritance indexes, from the canonical definitions and
 * every TU's classes. */
static void index_classes(ll_program *p) {
  for (size_t i = 0; i < p->tus.n; i++) {
    ll_tu *tu = p->tus.v[i];
    for (size_t j = 0; j < tu->nfuncs; j++) {
      const ll_func *fn = tu->funcs[j];
      if (!fn->noverrides || !fn->body || ll_program_find(p, fn->usr) != fn) continue;
      for (size_t k = 0; k < fn->noverrides; k++)
        if (fn->overrides[k]) LL_VEC_PUSH(&p->ovr, ((oent){fn->overrides[k], fn}));
    }
    for (size_t j = 0; j < tu->nclasses; j++) {
      const ll_class *k = &tu->classes[j];
      for (size_t b = 0; b < k->nbases; b++)
        if (k->name && k->bases[b]) LL_VEC_PUSH(&p->edges, ((cedge){k->name, k->bases[b]}));
    }
  }
  if (p->ovr.n > 1) qsort(p->ovr.v, p->ovr.n, sizeof(oent), cmp_oent);
  if (p->edges.n > 1) qsort(p->edges.v, p->edges.n, sizeof(cedge), cmp_edge);
  size_t u = 0;
  for (size_t i = 0; i < p->edges.n; i++)
    if (!u || cmp_edge(&p->edges.v[u - 1], &p->edges.v[i]) != 0) p->edges.v[u++] = p->edges.v[i];
  p->edges.n = u;
}

/* First index in a sorted array of n elements of size sz whose key (the
 * first const char * member) is >= key. */
static size_t lower_bound(const void *base, size_t n, size_t sz, const char *key) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const char *k = *(const char *const *)(const void *)((const char *)base + mid * sz);
    if (strcmp(k, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

#define MAX_HIERARCHY 64 /* classes visited walking up from one class */

int ll_program_derives(const ll_program *p, const char *cls, const char *base) {
  if (!p || !cls || !base) return 0;
  const char *todo[MAX_HIERARCHY];
  size_t n = 0, next = 0;
  todo[n++] = cls;
  while (next < n) {
    const char *c = todo[next++];
    if (strcmp(c, base) == 0) return 1;
    for (size_t i = lower_bound(p->edges.v, p->edges.n, sizeof(cedge), c);
         i < p->edges.n && strcmp(p->edges.v[i].cls, c) == 0; i++) {
      int seen = 0;
      for (size_t k = 0; k < n && !seen; k++) seen = strcmp(todo[k], p->edges.v[i].base) == 0;
      if (!seen && n < MAX_HIERARCHY) todo[n++] = p->edges.v[i].base;
    }
  }
  return 0;
}

size_t ll_program_overriders(const ll_program *p, const char *usr, const char *cls, const ll_func **out,
                             size_t max) {
  if (!p || !usr) return 0;
  size_t total = 0;
  for (size_t i = lower_bound(p->ovr.v, p->ovr.n, sizeof(oent), usr);
       i < p->ovr.n && strcmp(p->ovr.v[i].usr, usr) == 0; i++) {
    const ll_func *fn = p->ovr.v[i].fn;
    if (cls && !(fn->cls && ll_program_derives(p, fn->cls, cls))) continue;
    if (total < max) out[total] = fn;
    total++;
  }
  return total;
}

/* What a virtual call on an object of static class obj_class can run: the
 * final overrider for obj_class itself (the most derived definition on its
 * chain of bases: an overrider there hides the called method's own body),
 * and every overrider in a class derived from obj_class. */
const ll_func *ll_program_virtual_target(const ll_program *p, const char *usr, const char *obj_class) {
  if (!p || !usr) return NULL;
  const ll_func *self = ll_program_find(p, usr);
  const ll_func *up = self && self->body ? self : NULL; /* final overrider for obj_class */
  const ll_func *down = NULL;
  size_t ndown = 0;
  for (size_t i = lower_bound(p->ovr.v, p->ovr.n, sizeof(oent), usr);
       i < p->ovr.n && strcmp(p->ovr.v[i].usr, usr) == 0; i++) {
    const ll_func *fn = p->ovr.v[i].fn;
    if (!fn->cls) continue;
    if (obj_class && ll_program_derives(p, obj_class, fn->cls)) {
      /* on obj_class's own chain: keep the most derived one */
      if (up == self || !up || !up->cls || ll_program_derives(p, fn->cls, up->cls)) up = fn;
    } else if (!obj_class || ll_program_derives(p, fn->cls, obj_class)) {
      down = fn;
      ndown++;
    }
  }
  if (ndown + (up != NULL) != 1) return NULL;
  return up ? up : down;
}

size_t ll_program_tu_count(const ll_program *p) { return p->tus.n; }

ll_tu *ll_program_tu(const ll_program *p, size_t i) { return i < p->tus.n ? p->tus.v[i] : NULL; }

static const fent *find_ent(const ll_program *p, const char *usr) {
  size_t k;
  return usr && p->byusr && ll_ptrmap_get_index(p->byusr, usr, &k) ? &p->fents.v[k] : NULL;
}

const ll_func *ll_program_find(const ll_program *p, const char *usr) {
  const fent *e = find_ent(p, usr);
  return e ? e->fn : NULL;
}

const ll_func *ll_program_find_from(const ll_program *p, const char *usr, const ll_tu *from) {
  const fent *e = find_ent(p, usr);
  if (!e) return NULL;
  if (!e->alts.n || !from || e->fn->tu == from) return e->fn;
  for (size_t i = 0; i < e->alts.n; i++)
    if (e->alts.v[i]->tu == from) return e->alts.v[i];
  return NULL; /* several unrelated definitions, none in from: say nothing */
}

int ll_program_is_canonical(const ll_program *p, const ll_func *fn) {
  const ll_func *top = fn;
  while (top->parent) top = top->parent; /* lambdas follow their enclosing function */
  if (!top->usr) return 1;
  const ll_func *canon = ll_program_find(p, top->usr);
  if (canon == top || !canon) return 1;
  /* the same external function defined in two different files (separate
     programs checked in one run): each definition is its own */
  return canon->loc.file && top->loc.file && strcmp(canon->loc.file, top->loc.file) != 0;
}

void ll_program_free(ll_program *p) {
  if (!p) return;
  for (size_t i = 0; i < p->tus.n; i++) ll_tu_free(p->tus.v[i]);
  free(p->tus.v);
  for (size_t i = 0; i < p->fents.n; i++) free(p->fents.v[i].alts.v);
  free(p->fents.v);
  ll_ptrmap_free(p->byusr);
  free(p->ovr.v);
  free(p->edges.v);
  free(p);
}

/* ---- helpers ---- */

const ll_api *ll_call_api(const ll_node *call, ll_role role) {
  if (!call || call->kind != LL_N_CALL) return NULL;
  for (size_t i = 0; i < call->napis; i++)
    if (call->apis[i]->role == role) return call->apis[i];
  return NULL;
}

int ll_call_has_role(const ll_node *call, ll_role role) { return ll_call_api(call, role) != NULL; }

static int timeout_forever(const ll_api *a, const ll_node *call) {
  if (a->flags & LL_API_NONBLOCKING) return 0;
  if (a->timeout_arg < 0) return 1;
  const ll_value *t = ll_call_arg(call, a->timeout_arg);
  if (!t) return a->nforever == 0; /* defaulted timeout argument */
  return ll_api_is_forever(a, t->known, t->ival);
}

static int races_timer(const ll_node *call) {
  for (const ll_node *o = call->outer_call; o; o = o->outer_call)
    if (o->callee && (strstr(o->callee, "operator||") || strstr(o->callee, "make_parallel_group")))
      return 1;
  return 0;
}

int ll_call_waits_forever(const ll_node *call, const ll_api *a) {
  return timeout_forever(a, call) && !races_timer(call);
}

ll_value *ll_call_arg(const ll_node *call, int index) {
  if (!call) return NULL;
  if (index == LL_ARG_OBJECT) return call->obj;
  if (index == LL_ARG_RESULT) return call->result_to;
  if (index < 0 || (size_t)index >= call->nargs) return NULL;
  return call->args[index];
}

ll_node *ll_enclosing_loop(const ll_node *n) {
  for (const ll_node *p = n ? n->parent : NULL; p; p = p->parent) {
    if (p->kind == LL_N_LOOP) {
      /* the condition/init of a loop is not inside its body, but the
         condition runs each iteration: treat it as inside */
      if (n && (p->init && ll_node_within(n, p->init))) continue;
      return (ll_node *)p;
    }
  }
  return NULL;
}

int ll_node_within(const ll_node *inner, const ll_node *outer) {
  for (const ll_node *p = inner; p; p = p->parent)
    if (p == outer) return 1;
  return 0;
}

const ll_value *ll_value_strip(const ll_value *v) {
  while (v && (v->kind == LL_V_ADDR || v->kind == LL_V_DEREF) && v->base) v = v->base;
  return v;
}

int ll_value_same(const ll_value *a, const ll_value *b, int loose) {
  a = ll_value_strip(a);
  b = ll_value_strip(b);
  if (!a || !b) return 0;
  if (a->kind != b->kind) return 0;
  switch (a->kind) {
  case LL_V_VAR:
    return a->var >= 0 && a->var == b->var;
  case LL_V_GLOBAL:
    return a->usr && b->usr && strcmp(a->usr, b->usr) == 0;
  case LL_V_FIELD:
    if (!a->usr || !b->usr || strcmp(a->usr, b->usr) != 0) return 0;
    if (loose) return 1;
    if (!a->base || !b->base) return a->base == b->base;
    if (a->base->kind == LL_V_THIS && b->base->kind == LL_V_THIS) return 1;
    return ll_value_same(a->base, b->base, 0);
  case LL_V_THIS:
    return 1;
  case LL_V_CALL:
    return a->call == b->call;
  case LL_V_INDEX:
    return loose && ll_value_same(a->base, b->base, loose);
  default:
    return 0;
  }
}

const char *ll_tu_text(const ll_tu *tu, const ll_loc *loc, size_t *len) {
  if (!tu || !loc || !loc->file) return NULL;
  for (size_t i = 0; i < tu->nfiles; i++) {
    if (strcmp(tu->files[i], loc->file) != 0) continue;
    if (loc->end_offset < loc->offset || loc->end_offset > tu->lens[i]) return NULL;
    if (len) *len = loc->end_offset - loc->offset;
    return tu->contents[i] + loc->offset;
  }
  return NULL;
}

static int visit_node(ll_node *n, ll_visit_fn fn, void *ctx) {
  if (!n) return 0;
  int r = fn(n, ctx);
  if (r) return r;
  if ((r = visit_node(n->init, fn, ctx))) return r;
  if ((r = visit_node(n->cond, fn, ctx))) return r;
  for (size_t i = 0; i < n->nkids; i++)
    if ((r = visit_node(n->kids[i], fn, ctx))) return r;
  if ((r = visit_node(n->inc, fn, ctx))) return r;
  return 0;
}

int ll_visit(ll_node *root, ll_visit_fn fn, void *ctx) { return visit_node(root, fn, ctx); }

/* The debug dump (ll_ir_dump) is ircodec.c's: it walks the codec's field lists. */

/* ---- shape validation (decoded IR) ---- */

/* Colours for the chain walks: unvisited, on the current walk, known good. */
enum { SHAPE_NEW = 0, SHAPE_OPEN = 1, SHAPE_DONE = 2 };
/* Longest chain accepted (parent, outer_call, value base, ...): far beyond
 * any real nesting (clang itself gives up near 256 nested parentheses and
 * overflows its stack on a few thousand nested statements), and small
 * enough for the recursive walks' stack. */
#define LL_IR_MAX_DEPTH 10000

/* The chain from each item through next[] ends (SIZE_MAX) instead of
 * looping, within LL_IR_MAX_DEPTH links: the recursive walks (ll_visit,
 * ll_value_same) must not run out of stack on a crafted deep chain either.
 * O(n): every item is walked once, a walk stops at an item already done
 * (whose chain length is known: depth[]). */
static int chains_end(const size_t *next, size_t n, unsigned char *colour, size_t *depth) {
  memset(colour, SHAPE_NEW, n);
  for (size_t i = 0; i < n; i++) {
    size_t k = i, len = 0;
    while (k != SIZE_MAX && colour[k] == SHAPE_NEW) {
      colour[k] = SHAPE_OPEN;
      k = next[k];
      len++;
    }
    if (k != SIZE_MAX && colour[k] == SHAPE_OPEN) return 0; /* came back onto this walk */
    size_t d = (k == SIZE_MAX ? 0 : depth[k]) + len;
    if (d > LL_IR_MAX_DEPTH) return 0;
    for (k = i; k != SIZE_MAX && colour[k] == SHAPE_OPEN; k = next[k], d--) {
      colour[k] = SHAPE_DONE;
      depth[k] = d;
    }
  }
  return 1;
}

#define IDX(p, base) ((p) ? (size_t)((p) - (base)) : SIZE_MAX)

static int node_chains_end(const ll_node *nodes, size_t nn, size_t *next, unsigned char *colour, size_t *depth) {
  for (size_t i = 0; i < nn; i++) next[i] = IDX(nodes[i].parent, nodes);
  if (!chains_end(next, nn, colour, depth)) return 0;
  for (size_t i = 0; i < nn; i++) next[i] = IDX(nodes[i].outer_call, nodes);
  if (!chains_end(next, nn, colour, depth)) return 0;
  for (size_t i = 0; i < nn; i++) next[i] = IDX(nodes[i].bracket_task, nodes);
  return chains_end(next, nn, colour, depth);
}

/* The structural children of a node (what ll_visit descends into). */
static size_t node_children(const ll_node *n, const ll_node **out, size_t cap) {
  size_t k = 0;
  if (n->init && k < cap) out[k++] = n->init;
  if (n->cond && k < cap) out[k++] = n->cond;
  if (n->inc && k < cap) out[k++] = n->inc;
  return k;
}

/* Structure (kids, cond, init, inc: what ll_visit descends into) is a
 * forest whose parent pointers agree with it: each node is the child of at
 * most one node, that node is its parent, and following owners never loops. */
static int structure_is_forest(const ll_node *nodes, size_t nn, size_t *owner, unsigned char *colour,
                               size_t *depth) {
  for (size_t i = 0; i < nn; i++) owner[i] = SIZE_MAX;
  for (size_t i = 0; i < nn; i++) {
    const ll_node *n = &nodes[i], *c3[3];
    size_t n3 = node_children(n, c3, 3);
    for (size_t k = 0; k < n->nkids + n3; k++) {
      const ll_node *c = k < n->nkids ? n->kids[k] : c3[k - n->nkids];
      if (!c) continue;
      size_t ci = (size_t)(c - nodes);
      if (owner[ci] != SIZE_MAX || c->parent != n) return 0;
      owner[ci] = i;
    }
  }
  return chains_end(owner, nn, colour, depth);
}

int ll_ir_shape_ok(const ll_node *nodes, size_t nn, const ll_value *values, size_t nv, const ll_func *funcs,
                   size_t nf) {
  size_t cap = nn > nv ? nn : nv;
  cap = cap > nf ? cap : nf;
  size_t *next = ll_xcalloc(cap ? cap : 1, sizeof(size_t));
  unsigned char *colour = ll_xcalloc(cap ? cap : 1, 1);
  size_t *depth = ll_xcalloc(cap ? cap : 1, sizeof(size_t));
  int ok = node_chains_end(nodes, nn, next, colour, depth) && structure_is_forest(nodes, nn, next, colour, depth);
  for (size_t i = 0; ok && i < nv; i++) next[i] = IDX(values[i].base, values);
  ok = ok && chains_end(next, nv, colour, depth);
  for (size_t i = 0; ok && i < nf; i++) next[i] = IDX(funcs[i].parent, funcs);
  ok = ok && chains_end(next, nf, colour, depth);
  for (size_t i = 0; ok && i < nf; i++) /* a body is the root of its tree */
    if (funcs[i].body && funcs[i].body->parent) ok = 0;
  for (size_t i = 0; ok && i < nn; i++) /* every node belongs to a function (its tu, its text) */
    if (IDX(nodes[i].func, funcs) >= nf) ok = 0;
  free(next);
  free(colour);
  free(depth);
  return ok;
}
