/* ircodec.c - the IR codec and dump (see ircodec.h).
 *
 * Each IR record has one field list below; the encoder, the decoder and the
 * dump walk it. The order of a list is the order of the bytes: a new field
 * goes where its bytes go (at the end of its record, say) and IR_FORMAT in
 * cache.c is raised. Every decoded value is checked where it is read (ranges
 * of enums, references and counts); what needs the whole IR (a value's
 * variable, a function's body block, ll_ir_shape_ok) is checked at the end. */
#include "ircodec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "ptrmap.h"

typedef enum {
  F_UINT,   /* unsigned: varint */
  F_INT,    /* int: zig-zag */
  F_I64,    /* long long: zig-zag */
  F_ENUM,   /* an enum: varint, at most max */
  F_BIT,    /* int flag 0/1: the F_BIT fields in a row share one varint, the first is bit 0 */
  F_STR,    /* const char *: 1-based index into the string table, 0 = NULL */
  F_LOC,    /* ll_loc: the fields of loc_fields */
  F_NODE,   /* ll_node *: 1-based index, 0 = NULL */
  F_VALUE,  /* ll_value * */
  F_FUNC,   /* ll_func *: index into tu->funcs (a function not there is written as NULL) */
  F_VAR,    /* int variable id, zig-zag (a value's; checked with its kind) */
  F_NODES,  /* ll_node ** with its size_t count at cnt */
  F_VALUES, /* ll_value ** with count */
  F_VARS,   /* int * of variable ids with count: each below the variable count */
  F_STRS,   /* const char ** with count: no element is NULL */
  F_APIS,   /* const ll_api *[LL_MAX_APIS] with count: 1-based ll_rules_at indices */
} ftype;

enum {
  DETAIL = 1,   /* the short dump leaves it out */
  TREE = 2,     /* the dump prints the nodes it holds as sub-trees */
  IMPLIED = 4,  /* the dump leaves it out: the tree shows it (parent, func) */
  REQUIRED = 8, /* F_STR: NULL is malformed */
  HEAD = 16     /* F_ENUM: the dump prints the name alone, first */
};

typedef struct field {
  const char *name;
  unsigned char type, flags;
  unsigned char seen;       /* a node or value reference: its rank in discovery (1 first) */
  int max;                  /* F_ENUM: the largest value */
  int dflt;                 /* a scalar the dump leaves out at this value */
  const char *const *names; /* F_ENUM: the dump's names of the values */
  size_t off, cnt;          /* offsetof the member; arrays: offsetof the count */
} field;

#define FLD(T, m, ty, ...) {.name = #m, .type = ty, .off = offsetof(T, m), __VA_ARGS__}
#define ARR(T, m, n, ty, ...) {.name = #m, .type = ty, .off = offsetof(T, m), .cnt = offsetof(T, n), __VA_ARGS__}
#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const node_names[] = {"block", "if", "loop", "switch", "case", "break",
                                         "continue", "return", "throw", "goto", "label", "try",
                                         "call", "assign", "decl"};
static const char *const value_names[] = {"other", "int", "var", "global", "field", "index", "addr", "deref",
                                          "this", "func", "lambda", "call", "string", "null", "new"};
static const char *const loop_names[] = {"for", "while", "do", "range"};

static const field loc_fields[] = {
    FLD(ll_loc, file, F_STR, .flags = 0), FLD(ll_loc, line, F_UINT, .flags = 0), FLD(ll_loc, col, F_UINT, .flags = 0),
    FLD(ll_loc, end_line, F_UINT, .flags = 0), FLD(ll_loc, end_col, F_UINT, .flags = 0),
    FLD(ll_loc, offset, F_UINT, .flags = 0), FLD(ll_loc, end_offset, F_UINT, .flags = 0),
};

static const field func_fields[] = {
    FLD(ll_func, name, F_STR, .flags = 0), FLD(ll_func, usr, F_STR, .flags = DETAIL),
    FLD(ll_func, loc, F_LOC, .flags = 0),
    FLD(ll_func, body, F_NODE, .flags = TREE, .seen = 1),
    ARR(ll_func, params, nparams, F_VARS, .flags = 0),
    /* lambda / block */
    FLD(ll_func, parent, F_FUNC, .flags = 0), ARR(ll_func, captures, ncaptures, F_VARS, .flags = 0),
    /* one varint, bit 0 first */
    FLD(ll_func, captures_this, F_BIT, .flags = 0), FLD(ll_func, is_lambda, F_BIT, .flags = 0),
    FLD(ll_func, is_block, F_BIT, .flags = 0), FLD(ll_func, is_coroutine, F_BIT, .flags = 0),
    FLD(ll_func, is_implicit, F_BIT, .flags = 0),
    /* method */
    FLD(ll_func, cls, F_STR, .flags = 0), ARR(ll_func, overrides, noverrides, F_STRS, .flags = DETAIL),
};

/* seen: discovery follows kids, cond, init, inc, parent, bracket_task,
 * outer_call, then the values in list order (the numbering of format 3). */
static const field node_fields[] = {
    FLD(ll_node, kind, F_ENUM, .flags = HEAD, .max = LL_N_DECL, .names = node_names),
    FLD(ll_node, loc, F_LOC, .flags = 0),
    FLD(ll_node, parent, F_NODE, .flags = IMPLIED, .seen = 5), FLD(ll_node, func, F_FUNC, .flags = IMPLIED),
    ARR(ll_node, kids, nkids, F_NODES, .flags = TREE, .seen = 1),
    /* if / loop / switch */
    FLD(ll_node, cond, F_NODE, .flags = TREE, .seen = 2), FLD(ll_node, cond_const, F_INT, .dflt = -1),
    ARR(ll_node, cond_refs, ncond_refs, F_VALUES, .seen = 8), FLD(ll_node, cond_negated, F_INT, .flags = 0),
    /* loop */
    FLD(ll_node, loop_kind, F_ENUM, .max = LL_LOOP_RANGE, .names = loop_names),
    FLD(ll_node, init, F_NODE, .flags = TREE, .seen = 3), FLD(ll_node, inc, F_NODE, .flags = TREE, .seen = 4),
    FLD(ll_node, range, F_VALUE, .seen = 9), FLD(ll_node, range_class, F_STR, .flags = 0),
    /* return / throw; goto / label / case */
    FLD(ll_node, value, F_VALUE, .seen = 10),
    FLD(ll_node, label, F_STR, .flags = 0), FLD(ll_node, is_default, F_INT, .flags = 0),
    /* assign / decl */
    FLD(ll_node, lhs, F_VALUE, .seen = 11), FLD(ll_node, rhs, F_VALUE, .seen = 12),
    FLD(ll_node, is_decl, F_INT, .flags = 0), FLD(ll_node, op, F_STR, .flags = 0),
    /* call */
    FLD(ll_node, callee, F_STR, .flags = 0), FLD(ll_node, callee_usr, F_STR, .flags = DETAIL),
    FLD(ll_node, macro, F_STR, .flags = 0),
    FLD(ll_node, obj, F_VALUE, .seen = 13), FLD(ll_node, obj_class, F_STR, .flags = 0),
    FLD(ll_node, obj_type, F_STR, .flags = DETAIL),
    ARR(ll_node, args, nargs, F_VALUES, .seen = 14), FLD(ll_node, result_to, F_VALUE, .seen = 15),
    FLD(ll_node, outer_call, F_NODE, .seen = 7), FLD(ll_node, result_used, F_INT, .flags = 0),
    FLD(ll_node, is_construct, F_INT, .flags = 0), FLD(ll_node, is_temporary, F_INT, .flags = 0),
    FLD(ll_node, is_bracket_spawn, F_INT, .flags = 0), FLD(ll_node, bracket_task, F_NODE, .seen = 6),
    FLD(ll_node, in_coawait, F_INT, .flags = 0), ARR(ll_node, apis, napis, F_APIS, .flags = 0),
    FLD(ll_node, is_virtual, F_INT, .flags = 0),
};

static const field value_fields[] = {
    FLD(ll_value, kind, F_ENUM, .flags = HEAD, .max = LL_V_NEW, .names = value_names),
    FLD(ll_value, known, F_INT, .flags = 0), FLD(ll_value, ival, F_I64, .flags = 0),
    FLD(ll_value, var, F_VAR, .dflt = -1),
    FLD(ll_value, name, F_STR, .flags = 0), FLD(ll_value, usr, F_STR, .flags = DETAIL),
    FLD(ll_value, base, F_VALUE, .seen = 1), FLD(ll_value, fn, F_FUNC, .flags = 0),
    FLD(ll_value, call, F_NODE, .seen = 2),
    FLD(ll_value, type, F_STR, .flags = DETAIL), FLD(ll_value, text, F_STR, .flags = DETAIL),
    FLD(ll_value, loc, F_LOC, .flags = DETAIL), FLD(ll_value, is_virtual, F_INT, .flags = 0),
};

static const field var_fields[] = {
    FLD(ll_var, name, F_STR, .flags = 0), FLD(ll_var, type, F_STR, .flags = 0), FLD(ll_var, loc, F_LOC, .flags = 0),
    FLD(ll_var, owner, F_FUNC, .flags = 0), FLD(ll_var, is_param, F_INT, .flags = 0),
    FLD(ll_var, param_index, F_INT, .flags = 0), FLD(ll_var, is_static, F_INT, .flags = 0),
};

static const field class_fields[] = {
    FLD(ll_class, name, F_STR, .flags = REQUIRED),
    ARR(ll_class, bases, nbases, F_STRS, .flags = 0),
};

_Static_assert(sizeof(ll_node_kind) == sizeof(unsigned) && sizeof(ll_value_kind) == sizeof(unsigned) &&
                   sizeof(ll_loop_kind) == sizeof(unsigned),
               "F_ENUM members are accessed as unsigned");
_Static_assert(NF(node_names) == LL_N_DECL + 1 && NF(value_names) == LL_V_NEW + 1 &&
                   NF(loop_names) == LL_LOOP_RANGE + 1,
               "a name for every kind");

/* The member of a record a field describes. */
#define AT(rec, f, T) (*(T *)(void *)((char *)(rec) + (f)->off))
#define CAT(rec, f, T) (*(const T *)(const void *)((const char *)(rec) + (f)->off))
#define COUNT(rec, f) (*(const size_t *)(const void *)((const char *)(rec) + (f)->cnt))
#define SETCOUNT(rec, f) (*(size_t *)(void *)((char *)(rec) + (f)->cnt))

/* The F_BIT run starting at fs[i]: its length. */
static size_t bit_run(const field *fs, size_t nf, size_t i) {
  size_t j = i;
  while (j < nf && fs[j].type == F_BIT) j++;
  return j - i;
}

/* ====================================================================== */
/* encoder                                                                 */
/* ====================================================================== */

typedef struct wctx {
  ll_buf *b;
  ll_ptrmap *funcs, *nodes, *values, *apis, *strs; /* pointer -> index (strs: by content) */
  LL_VEC(const ll_node *) nodev;
  LL_VEC(const ll_value *) valuev;
  LL_VEC(const char *) strv;
  /* the reference fields of nodes and values, in discovery order */
  const field *node_refs[NF(node_fields)], *value_refs[NF(value_fields)];
  size_t nnode_refs, nvalue_refs;
} wctx;

/* Strings are numbered in the order the body first writes them (1-based). */
static void put_str(wctx *w, const char *s) {
  size_t id = 0;
  if (s && !ll_ptrmap_get_index(w->strs, s, &id)) {
    LL_VEC_PUSH(&w->strv, s);
    id = w->strv.n;
    ll_ptrmap_put_index(w->strs, s, id);
  }
  ll_put_u(w->b, id);
}

static void put_ref(wctx *w, const ll_ptrmap *m, const void *p) {
  size_t i;
  ll_put_u(w->b, p && ll_ptrmap_get_index(m, p, &i) ? i + 1 : 0);
}

static void put_record(wctx *w, const field *fs, size_t nf, const void *rec);

/* One varint for the F_BIT run at fs[i]; the index of its last field. */
static size_t put_bits(wctx *w, const field *fs, size_t nf, size_t i, const void *rec) {
  size_t n = bit_run(fs, nf, i);
  uint64_t bits = 0;
  for (size_t k = 0; k < n; k++) bits |= (uint64_t)(CAT(rec, &fs[i + k], int) != 0) << k;
  ll_put_u(w->b, bits);
  return i + n - 1;
}

static void put_array(wctx *w, const field *f, const void *rec) {
  size_t n = COUNT(rec, f);
  if (f->type == F_APIS) n = n < LL_MAX_APIS ? n : LL_MAX_APIS;
  ll_put_u(w->b, n);
  for (size_t k = 0; k < n; k++) {
    switch (f->type) {
    case F_NODES: put_ref(w, w->nodes, CAT(rec, f, ll_node *const *)[k]); break;
    case F_VALUES: put_ref(w, w->values, CAT(rec, f, ll_value *const *)[k]); break;
    case F_VARS: ll_put_s(w->b, CAT(rec, f, const int *)[k]); break;
    case F_STRS: put_str(w, CAT(rec, f, const char *const *)[k]); break;
    default: put_ref(w, w->apis, ((const ll_api *const *)(const void *)((const char *)rec + f->off))[k]); break;
    }
  }
}

static void put_record(wctx *w, const field *fs, size_t nf, const void *rec) {
  for (size_t i = 0; i < nf; i++) {
    const field *f = &fs[i];
    switch (f->type) {
    case F_UINT: ll_put_u(w->b, CAT(rec, f, unsigned)); break;
    case F_INT: case F_VAR: ll_put_s(w->b, CAT(rec, f, int)); break;
    case F_I64: ll_put_s(w->b, CAT(rec, f, long long)); break;
    case F_ENUM: ll_put_u(w->b, CAT(rec, f, unsigned)); break;
    case F_BIT: i = put_bits(w, fs, nf, i, rec); break;
    case F_STR: put_str(w, CAT(rec, f, const char *)); break;
    case F_LOC: put_record(w, loc_fields, NF(loc_fields), (const char *)rec + f->off); break;
    case F_NODE: put_ref(w, w->nodes, CAT(rec, f, const ll_node *)); break;
    case F_VALUE: put_ref(w, w->values, CAT(rec, f, const ll_value *)); break;
    case F_FUNC: put_ref(w, w->funcs, CAT(rec, f, const ll_func *)); break;
    default: put_array(w, f, rec); break;
    }
  }
}

static void note_node(wctx *w, const ll_node *n) {
  size_t i;
  if (!n || ll_ptrmap_get_index(w->nodes, n, &i)) return;
  ll_ptrmap_put_index(w->nodes, n, w->nodev.n);
  LL_VEC_PUSH(&w->nodev, n);
}

static void note_value(wctx *w, const ll_value *v) {
  size_t i;
  if (!v || ll_ptrmap_get_index(w->values, v, &i)) return;
  ll_ptrmap_put_index(w->values, v, w->valuev.n);
  LL_VEC_PUSH(&w->valuev, v);
}

/* Notes what the reference field f of rec points to. */
static void note_refs(wctx *w, const field *f, const void *rec) {
  switch (f->type) {
  case F_NODE: note_node(w, CAT(rec, f, const ll_node *)); break;
  case F_VALUE: note_value(w, CAT(rec, f, const ll_value *)); break;
  case F_NODES:
    for (size_t k = 0; k < COUNT(rec, f); k++) note_node(w, CAT(rec, f, ll_node *const *)[k]);
    break;
  default:
    for (size_t k = 0; k < COUNT(rec, f); k++) note_value(w, CAT(rec, f, ll_value *const *)[k]);
    break;
  }
}

/* The reference fields of fs (those with a discovery rank), by rank. */
static size_t refs_by_rank(const field *fs, size_t nf, const field **out) {
  size_t n = 0;
  for (unsigned rank = 1; rank <= nf; rank++)
    for (size_t i = 0; i < nf; i++)
      if (fs[i].seen == rank) out[n++] = &fs[i];
  return n;
}

/* Breadth-first discovery of every node and value reachable from the
 * function bodies, in a deterministic order: the numbering of the format. */
static void discover(wctx *w, const ll_tu *tu) {
  w->nnode_refs = refs_by_rank(node_fields, NF(node_fields), w->node_refs);
  w->nvalue_refs = refs_by_rank(value_fields, NF(value_fields), w->value_refs);
  for (size_t i = 0; i < tu->nfuncs; i++) ll_ptrmap_put_index(w->funcs, tu->funcs[i], i);
  for (size_t i = 0; i < tu->nfuncs; i++) note_node(w, tu->funcs[i]->body);
  size_t ni = 0, vi = 0;
  while (ni < w->nodev.n || vi < w->valuev.n) {
    while (ni < w->nodev.n) {
      const ll_node *n = w->nodev.v[ni++];
      for (size_t k = 0; k < w->nnode_refs; k++) note_refs(w, w->node_refs[k], n);
    }
    while (vi < w->valuev.n) {
      const ll_value *v = w->valuev.v[vi++];
      for (size_t k = 0; k < w->nvalue_refs; k++) note_refs(w, w->value_refs[k], v);
    }
  }
}

static void put_body(wctx *w, const ll_tu *tu) {
  put_str(w, tu->main_file);
  ll_put_u(w->b, tu->nfuncs);
  ll_put_u(w->b, w->nodev.n);
  ll_put_u(w->b, w->valuev.n);
  ll_put_u(w->b, tu->nvars);
  ll_put_u(w->b, tu->nfiles);
  for (size_t i = 0; i < tu->nfuncs; i++) put_record(w, func_fields, NF(func_fields), tu->funcs[i]);
  for (size_t i = 0; i < w->nodev.n; i++) put_record(w, node_fields, NF(node_fields), w->nodev.v[i]);
  for (size_t i = 0; i < w->valuev.n; i++) put_record(w, value_fields, NF(value_fields), w->valuev.v[i]);
  for (size_t i = 0; i < tu->nvars; i++) put_record(w, var_fields, NF(var_fields), &tu->vars[i]);
  for (size_t i = 0; i < tu->nfiles; i++) {
    put_str(w, tu->files[i]);
    ll_put_u(w->b, tu->lens[i]);
  }
  ll_put_u(w->b, tu->nclasses);
  for (size_t i = 0; i < tu->nclasses; i++) put_record(w, class_fields, NF(class_fields), &tu->classes[i]);
}

/* The body goes to a buffer of its own: its strings are numbered while it
 * is written, and the table comes first. */
void ll_ir_serialize(const ll_tu *tu, const ll_rules *rules, ll_buf *out) {
  wctx w = {0};
  ll_buf body = {0};
  w.b = &body;
  w.funcs = ll_ptrmap_new();
  w.nodes = ll_ptrmap_new();
  w.values = ll_ptrmap_new();
  w.apis = ll_ptrmap_new();
  w.strs = ll_ptrmap_new_str();
  size_t na = rules ? ll_rules_count(rules) : 0;
  for (size_t i = 0; i < na; i++) ll_ptrmap_put_index(w.apis, ll_rules_at(rules, i), i);
  discover(&w, tu);
  put_body(&w, tu);

  ll_put_u(out, w.strv.n);
  for (size_t i = 0; i < w.strv.n; i++) ll_put_bytes(out, w.strv.v[i], strlen(w.strv.v[i]));
  ll_put_u(out, body.len);
  if (body.len) ll_buf_append(out, body.data, body.len);

  ll_buf_free(&body);
  ll_ptrmap_free(w.funcs);
  ll_ptrmap_free(w.nodes);
  ll_ptrmap_free(w.values);
  ll_ptrmap_free(w.apis);
  ll_ptrmap_free(w.strs);
  free(w.nodev.v);
  free(w.valuev.v);
  free(w.strv.v);
}

/* ====================================================================== */
/* decoder: every read is bounds-checked; any inconsistency fails the load  */
/* ====================================================================== */

typedef struct rctx {
  ll_reader in;
  ll_arena *A;
  const char **strs;
  size_t nstrs;
  ll_func *funcs;
  size_t nfuncs;
  ll_node *nodes;
  size_t nnodes;
  ll_value *values;
  size_t nvalues;
  size_t nvars;
  const ll_rules *rules;
  size_t napis;
} rctx;

static void *arr(rctx *r, size_t n, size_t size) { return n ? ll_arena_alloc(r->A, n * size) : NULL; }

static const char *get_str(rctx *r) {
  size_t i = ll_get_ref(&r->in, r->nstrs);
  return i ? r->strs[i - 1] : NULL;
}

/* A reference into the decoded records base[0..n) of size bytes each. */
static void *get_ptr(rctx *r, void *base, size_t n, size_t size) {
  size_t i = ll_get_ref(&r->in, n);
  return i ? (char *)base + (i - 1) * size : NULL;
}

/* A variable id in a function's parameters or captures: below the variable
 * count; a negative one (-1: none) is kept as it is. */
static int get_var_id(rctx *r) {
  int v = ll_get_int(&r->in);
  if (v >= 0 && (size_t)v >= r->nvars) r->in.bad = 1;
  return v;
}

static size_t get_bits(rctx *r, const field *fs, size_t nf, size_t i, void *rec) {
  size_t n = bit_run(fs, nf, i);
  uint64_t bits = ll_get_u(&r->in);
  if (bits >> n) r->in.bad = 1;
  for (size_t k = 0; k < n; k++) AT(rec, &fs[i + k], int) = (int)(bits >> k & 1);
  return i + n - 1;
}

static void get_apis(rctx *r, const field *f, void *rec) {
  uint64_t na = ll_get_u(&r->in);
  if (na > LL_MAX_APIS) r->in.bad = 1;
  size_t n = r->in.bad ? 0 : (size_t)na;
  SETCOUNT(rec, f) = n;
  const ll_api **apis = (const ll_api **)(void *)((char *)rec + f->off);
  for (size_t k = 0; k < n && !r->in.bad; k++) {
    uint64_t ai = ll_get_u(&r->in);
    if (ai == 0 || ai > r->napis) r->in.bad = 1;
    else apis[k] = ll_rules_at(r->rules, (size_t)ai - 1);
  }
}

static void get_array(rctx *r, const field *f, void *rec) {
  if (f->type == F_APIS) {
    get_apis(r, f, rec);
    return;
  }
  size_t n = ll_get_count(&r->in);
  SETCOUNT(rec, f) = n;
  if (f->type == F_VARS) {
    int *a = AT(rec, f, int *) = arr(r, n, sizeof(int));
    for (size_t k = 0; k < n && !r->in.bad; k++) a[k] = get_var_id(r);
  } else if (f->type == F_STRS) {
    const char **a = AT(rec, f, const char **) = arr(r, n, sizeof(char *));
    for (size_t k = 0; k < n && !r->in.bad; k++)
      if (!(a[k] = get_str(r))) r->in.bad = 1;
  } else if (f->type == F_NODES) {
    ll_node **a = AT(rec, f, ll_node **) = arr(r, n, sizeof(ll_node *));
    for (size_t k = 0; k < n && !r->in.bad; k++) a[k] = get_ptr(r, r->nodes, r->nnodes, sizeof(ll_node));
  } else {
    ll_value **a = AT(rec, f, ll_value **) = arr(r, n, sizeof(ll_value *));
    for (size_t k = 0; k < n && !r->in.bad; k++) a[k] = get_ptr(r, r->values, r->nvalues, sizeof(ll_value));
  }
}

static void get_record(rctx *r, const field *fs, size_t nf, void *rec) {
  for (size_t i = 0; i < nf && !r->in.bad; i++) {
    const field *f = &fs[i];
    switch (f->type) {
    case F_UINT: AT(rec, f, unsigned) = ll_get_uint(&r->in); break;
    case F_INT: case F_VAR: AT(rec, f, int) = ll_get_int(&r->in); break;
    case F_I64: AT(rec, f, long long) = ll_get_s(&r->in); break;
    case F_ENUM: {
      uint64_t x = ll_get_u(&r->in);
      if (x > (uint64_t)f->max) r->in.bad = 1;
      AT(rec, f, unsigned) = (unsigned)x;
      break;
    }
    case F_BIT: i = get_bits(r, fs, nf, i, rec); break;
    case F_STR:
      if (!(AT(rec, f, const char *) = get_str(r)) && (f->flags & REQUIRED)) r->in.bad = 1;
      break;
    case F_LOC: get_record(r, loc_fields, NF(loc_fields), (char *)rec + f->off); break;
    case F_NODE: AT(rec, f, ll_node *) = get_ptr(r, r->nodes, r->nnodes, sizeof(ll_node)); break;
    case F_VALUE: AT(rec, f, ll_value *) = get_ptr(r, r->values, r->nvalues, sizeof(ll_value)); break;
    case F_FUNC: AT(rec, f, ll_func *) = get_ptr(r, r->funcs, r->nfuncs, sizeof(ll_func)); break;
    default: get_array(r, f, rec); break;
    }
  }
}

/* The string table; 1 when the body that follows fills the rest exactly. */
static int get_strings(rctx *r) {
  r->nstrs = ll_get_count(&r->in);
  r->strs = arr(r, r->nstrs, sizeof(char *));
  for (size_t i = 0; i < r->nstrs && !r->in.bad; i++) {
    size_t l = ll_get_count(&r->in);
    const unsigned char *s = ll_get_raw(&r->in, l);
    if (s) r->strs[i] = ll_arena_strndup(r->A, (const char *)s, l);
  }
  size_t blen = ll_get_count(&r->in);
  return !r->in.bad && blen == (size_t)(r->in.end - r->in.p);
}

/* The main file and the record counts; allocates the records. */
static int get_header(rctx *r, ll_tu *tu) {
  tu->main_file = get_str(r);
  r->nfuncs = ll_get_count(&r->in);
  r->nnodes = ll_get_count(&r->in);
  r->nvalues = ll_get_count(&r->in);
  r->nvars = ll_get_count(&r->in);
  tu->nfiles = ll_get_count(&r->in);
  if (r->in.bad) return 0;
  r->funcs = arr(r, r->nfuncs, sizeof(ll_func));
  r->nodes = arr(r, r->nnodes, sizeof(ll_node));
  r->values = arr(r, r->nvalues, sizeof(ll_value));
  tu->nfuncs = r->nfuncs;
  tu->funcs = ll_arena_alloc(r->A, (r->nfuncs ? r->nfuncs : 1) * sizeof(ll_func *));
  tu->nvars = r->nvars;
  tu->vars = ll_arena_alloc(r->A, (r->nvars ? r->nvars : 1) * sizeof(ll_var));
  for (size_t i = 0; i < r->nfuncs; i++) {
    tu->funcs[i] = &r->funcs[i];
    r->funcs[i].tu = tu;
  }
  return 1;
}

/* The files (their contents stay empty: the caller puts them back) and the
 * classes. */
static void get_files_classes(rctx *r, ll_tu *tu) {
  size_t nf = tu->nfiles ? tu->nfiles : 1;
  tu->files = ll_arena_alloc(r->A, nf * sizeof(char *));
  tu->contents = ll_arena_alloc(r->A, nf * sizeof(char *));
  tu->lens = ll_arena_alloc(r->A, nf * sizeof(size_t));
  for (size_t i = 0; i < tu->nfiles && !r->in.bad; i++) {
    tu->files[i] = get_str(r);
    tu->lens[i] = (size_t)ll_get_u(&r->in);
    tu->contents[i] = ll_text_intern("", 0);
    if (!tu->files[i]) r->in.bad = 1;
  }
  tu->nclasses = r->in.bad ? 0 : ll_get_count(&r->in);
  tu->classes = ll_arena_alloc(r->A, (tu->nclasses ? tu->nclasses : 1) * sizeof(ll_class));
  for (size_t i = 0; i < tu->nclasses && !r->in.bad; i++)
    get_record(r, class_fields, NF(class_fields), &tu->classes[i]);
}

/* What a record's own fields cannot say: a variable value names a variable,
 * a function body is a block, and the shape every analysis relies on. */
static int whole_ir_ok(const rctx *r) {
  for (size_t i = 0; i < r->nvalues; i++) {
    const ll_value *v = &r->values[i];
    if (v->kind == LL_V_VAR && (v->var < 0 || (size_t)v->var >= r->nvars)) return 0;
  }
  for (size_t i = 0; i < r->nfuncs; i++)
    if (r->funcs[i].body && r->funcs[i].body->kind != LL_N_BLOCK) return 0;
  /* a crafted entry must not make an analysis loop or recurse forever */
  return ll_ir_shape_ok(r->nodes, r->nnodes, r->values, r->nvalues, r->funcs, r->nfuncs);
}

ll_tu *ll_ir_deserialize(const void *data, size_t len, const ll_rules *rules) {
  rctx r = {0};
  r.in = ll_reader_of(data, len);
  r.rules = rules;
  r.napis = rules ? ll_rules_count(rules) : 0;
  ll_tu *tu = ll_xcalloc(1, sizeof *tu);
  tu->arena = ll_arena_new();
  r.A = tu->arena;
  if (!get_strings(&r) || !get_header(&r, tu)) goto fail;
  for (size_t i = 0; i < r.nfuncs && !r.in.bad; i++) get_record(&r, func_fields, NF(func_fields), &r.funcs[i]);
  for (size_t i = 0; i < r.nnodes && !r.in.bad; i++) get_record(&r, node_fields, NF(node_fields), &r.nodes[i]);
  for (size_t i = 0; i < r.nvalues && !r.in.bad; i++)
    get_record(&r, value_fields, NF(value_fields), &r.values[i]);
  for (size_t i = 0; i < r.nvars && !r.in.bad; i++) get_record(&r, var_fields, NF(var_fields), &tu->vars[i]);
  if (r.in.bad) goto fail;
  get_files_classes(&r, tu);
  if (r.in.bad || r.in.p != r.in.end || !whole_ir_ok(&r)) goto fail;
  return tu;

fail:
  ll_tu_free(tu);
  return NULL;
}

/* ====================================================================== */
/* dump                                                                    */
/* ====================================================================== */

typedef struct dctx {
  FILE *out;
  const ll_tu *tu;
  int all;
} dctx;

static void dump_fields(dctx *d, const field *fs, size_t nf, const void *rec);

static void dump_str(dctx *d, const char *s) {
  if (s[0] && !strpbrk(s, " \t\n\"=,[]{}")) fputs(s, d->out);
  else fprintf(d->out, "\"%s\"", s);
}

static void dump_var(dctx *d, int id) {
  const char *name = id >= 0 && (size_t)id < d->tu->nvars ? d->tu->vars[id].name : NULL;
  fprintf(d->out, "$%s#%d", name ? name : "?", id);
}

static void dump_noderef(dctx *d, const ll_node *n) {
  fprintf(d->out, "%s@%u:%u", node_names[n->kind], n->loc.line, n->loc.col);
  if (n->callee) fprintf(d->out, "(%s)", n->callee);
}

static void dump_value(dctx *d, const ll_value *v) {
  if (!v) {
    fputs("-", d->out);
    return;
  }
  fprintf(d->out, "{%s", value_names[v->kind]);
  dump_fields(d, value_fields, NF(value_fields), v);
  fputs("}", d->out);
}

static void dump_loc(dctx *d, const ll_loc *l) {
  if (d->all) {
    fputs(" loc={", d->out);
    dump_fields(d, loc_fields, NF(loc_fields), l);
    fputs(" }", d->out);
    return;
  }
  fprintf(d->out, " @%u:%u", l->line, l->col);
  if (l->file && d->tu->main_file && strcmp(l->file, d->tu->main_file) != 0) fprintf(d->out, " in %s", l->file);
}

static void dump_element(dctx *d, const field *f, const void *rec, size_t k) {
  const ll_api *a;
  switch (f->type) {
  case F_NODES: dump_noderef(d, CAT(rec, f, ll_node *const *)[k]); break;
  case F_VALUES: dump_value(d, CAT(rec, f, ll_value *const *)[k]); break;
  case F_VARS: dump_var(d, CAT(rec, f, const int *)[k]); break;
  case F_STRS: dump_str(d, CAT(rec, f, const char *const *)[k]); break;
  default:
    a = ((const ll_api *const *)(const void *)((const char *)rec + f->off))[k];
    fprintf(d->out, "%s:%s", a ? a->pack : "?", a ? ll_role_name(a->role) : "?");
    break;
  }
}

/* A number-valued field (F_UINT .. F_BIT, F_VAR) of rec. */
static long long number_of(const field *f, const void *rec) {
  switch (f->type) {
  case F_UINT: case F_ENUM: return CAT(rec, f, unsigned);
  case F_I64: return CAT(rec, f, long long);
  default: return CAT(rec, f, int);
  }
}

/* " name=value" for field f of rec, or nothing at its default. */
static void dump_field(dctx *d, const field *f, const void *rec) {
  FILE *o = d->out;
  if (f->type == F_LOC) {
    dump_loc(d, (const ll_loc *)(const void *)((const char *)rec + f->off));
    return;
  }
  if (f->type <= F_BIT || f->type == F_VAR) {
    long long x = number_of(f, rec);
    if (x == f->dflt || (f->flags & HEAD)) return;
    fprintf(o, f->type == F_BIT ? " %s" : " %s=", f->name);
    if (f->type == F_ENUM) fputs(f->names[x], o);
    else if (f->type == F_VAR) dump_var(d, (int)x);
    else if (f->type != F_BIT) fprintf(o, "%lld", x);
    return;
  }
  if (f->type >= F_NODES) { /* arrays */
    size_t n = COUNT(rec, f);
    if (!n) return;
    fprintf(o, " %s=[", f->name);
    for (size_t k = 0; k < n; k++) {
      if (k) fputs(", ", o);
      dump_element(d, f, rec, k);
    }
    fputs("]", o);
    return;
  }
  const void *p = CAT(rec, f, const void *);
  if (!p) return;
  fprintf(o, " %s=", f->name);
  switch (f->type) {
  case F_STR: dump_str(d, p); break;
  case F_NODE: dump_noderef(d, p); break;
  case F_VALUE: dump_value(d, p); break;
  default: fputs(((const ll_func *)p)->name ? ((const ll_func *)p)->name : "?", o); break;
  }
}

static void dump_fields(dctx *d, const field *fs, size_t nf, const void *rec) {
  for (size_t i = 0; i < nf; i++)
    if (!(fs[i].flags & (TREE | IMPLIED)) && (d->all || !(fs[i].flags & DETAIL))) dump_field(d, &fs[i], rec);
}

/* A node's line, then its sub-trees: the single ones by field name, then the kids. */
static void dump_tree(dctx *d, const ll_node *n, int ind, const char *tag) {
  fprintf(d->out, "%*s%s%s", ind, "", tag, node_names[n->kind]);
  dump_fields(d, node_fields, NF(node_fields), n);
  fputs("\n", d->out);
  for (size_t i = 0; i < NF(node_fields); i++) {
    const field *f = &node_fields[i];
    if (!(f->flags & TREE) || f->type != F_NODE || !CAT(n, f, const ll_node *)) continue;
    char sub[32];
    snprintf(sub, sizeof sub, "%s: ", f->name);
    dump_tree(d, CAT(n, f, const ll_node *), ind + 2, sub);
  }
  for (size_t i = 0; i < NF(node_fields); i++) {
    const field *f = &node_fields[i];
    if (!(f->flags & TREE) || f->type != F_NODES) continue;
    for (size_t k = 0; k < COUNT(n, f); k++)
      if (CAT(n, f, ll_node *const *)[k]) dump_tree(d, CAT(n, f, ll_node *const *)[k], ind + 2, "");
  }
}

void ll_ir_dump_fields(FILE *out, const ll_tu *tu, int all) {
  dctx d = {out, tu, all};
  fprintf(out, "tu %s (%zu functions, %zu vars, %zu files)\n", tu->main_file, tu->nfuncs, tu->nvars, tu->nfiles);
  for (size_t i = 0; i < tu->nfiles; i++) fprintf(out, "file %s (%zu bytes)\n", tu->files[i], tu->lens[i]);
  for (size_t i = 0; i < tu->nclasses; i++) {
    fputs("class", out);
    dump_fields(&d, class_fields, NF(class_fields), &tu->classes[i]);
    fputs("\n", out);
  }
  for (size_t i = 0; all && i < tu->nvars; i++) {
    fprintf(out, "var #%zu", i);
    dump_fields(&d, var_fields, NF(var_fields), &tu->vars[i]);
    fputs("\n", out);
  }
  for (size_t i = 0; i < tu->nfuncs; i++) {
    const ll_func *f = tu->funcs[i];
    fputs("func", out);
    dump_fields(&d, func_fields, NF(func_fields), f);
    fputs("\n", out);
    if (f->body) dump_tree(&d, f->body, 2, "");
  }
}

void ll_ir_dump(FILE *out, const ll_tu *tu) { ll_ir_dump_fields(out, tu, 0); }
