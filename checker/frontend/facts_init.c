/* facts_init.c - aggregate initialisers as stores.
 *
 * `{.fn = worker, .arg = a}` (designated or positional, nested), an array of
 * structs `{ {"x", fx}, {"y", fy} }` and an array of function pointers
 * `{a, b}` become one LL_N_ASSIGN (is_decl) per element, `base.field = v` or
 * `base[] = v`, as if each element were assigned where the object is
 * initialised. Whoever reads field stores (the task model's entry read from
 * a field, the inferred trampolines and indirect field calls) then sees a
 * callback table as it sees `t->fn = worker`, with the same policy: one
 * function stored resolves, several resolve nothing.
 *
 * A global's initialiser runs before any function: when its type holds a
 * callback, it is lowered into a function of its own (is_implicit,
 * "<init NAME>") that holds only those stores; its values are built in a
 * scratch block, so no call of a C++ dynamic initialiser becomes a call of
 * that function. */
#include "facts_decl.h"
#include "facts_priv.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 8

static int is_fn_pointer(CXType t) {
  t = clang_getCanonicalType(t);
  if (t.kind != CXType_Pointer) return 0;
  CXType p = clang_getCanonicalType(clang_getPointeeType(t));
  return p.kind == CXType_FunctionProto || p.kind == CXType_FunctionNoProto;
}

/* An array whose elements are lowered: function pointers (a callback
 * table) or structs (a table of entries). Arrays of other scalars (a
 * `pthread_t tids[4] = {0}`) stay one initialisation of the whole. */
static int is_table(CXType t) {
  t = clang_getCanonicalType(t);
  if (t.kind != CXType_ConstantArray && t.kind != CXType_IncompleteArray) return 0;
  CXType e = clang_getCanonicalType(clang_getArrayElementType(t));
  return e.kind == CXType_Record || is_fn_pointer(e);
}

int llf_is_aggregate(CXType t) {
  t = clang_getCanonicalType(t);
  return t.kind == CXType_Record || is_table(t);
}

static void init_list(llf_ctx *c, CXType t, CXCursor init, ll_value *base, int depth);

/* `lhs = val` (at item), or the stores of val's own initialiser list when
 * lhs is an aggregate itself. */
static void store(llf_ctx *c, ll_value *lhs, CXType lt, CXCursor val, CXCursor item, int depth) {
  CXCursor v = llf_strip_expr(val);
  if (clang_getCursorKind(v) == CXCursor_InitListExpr && llf_is_aggregate(lt) && depth < MAX_NESTING) {
    lhs->type = llf_str(c, clang_getTypeSpelling(clang_getCanonicalType(lt)));
    init_list(c, lt, v, lhs, depth + 1);
    return;
  }
  ll_value *rv = llf_expr(c, val);
  if (c->stores && rv && (rv->kind == LL_V_CALL || rv->kind == LL_V_NEW))
    rv = llf_new_value(c, LL_V_OTHER, val); /* its call is in no function */
  ll_node *a = llf_new_node(c, LL_N_ASSIGN, item);
  a->lhs = lhs;
  a->rhs = rv;
  a->op = "=";
  a->is_decl = 1;
  llf_add_kid(c, c->stores ? c->stores : c->block, a);
}

/* The elements of an array: `base[] = v` each (the IR keeps no index). */
static void array_init(llf_ctx *c, CXType t, CXCursor init, ll_value *base, int depth) {
  CXType et = clang_getCanonicalType(clang_getArrayElementType(t));
  llf_kids iks;
  llf_get_kids(init, &iks);
  for (int i = 0; i < iks.n; i++) {
    ll_value *lhs = llf_new_value(c, LL_V_INDEX, iks.v[i]);
    lhs->base = base;
    store(c, lhs, et, iks.v[i], iks.v[i], depth);
  }
}

/* The field an item of a struct initialiser names: `.a = v` (its
 * designator; `.a.b = v` names b of a, *lhs is made a's field value), or
 * the next field in order; none for a designator through an array element
 * (`.a[2].b`: the IR keeps no index). Sets *val to the item's value. */
static CXCursor item_field(llf_ctx *c, CXCursor item, const llf_kids *fks, int *fi, ll_value **lhs,
                           CXCursor *val) {
  llf_kids dk;
  llf_get_kids(item, &dk);
  *val = item;
  if (dk.n >= 2 && clang_getCursorKind(dk.v[0]) == CXCursor_MemberRef) {
    CXCursor field = clang_getCursorReferenced(dk.v[0]);
    for (int k = 1; k + 1 < dk.n; k++) {
      if (clang_getCursorKind(dk.v[k]) != CXCursor_MemberRef || clang_getCursorKind(field) != CXCursor_FieldDecl)
        return clang_getNullCursor();
      *lhs = llf_field_value(c, field, item, *lhs);
      field = clang_getCursorReferenced(dk.v[k]);
    }
    *val = dk.v[dk.n - 1];
    return field;
  }
  while (*fi < fks->n && clang_getCursorKind(fks->v[*fi]) != CXCursor_FieldDecl) (*fi)++;
  return *fi < fks->n ? fks->v[(*fi)++] : clang_getNullCursor();
}

/* struct initialisers store fields: {.ch = ch} or positional */
static void record_init(llf_ctx *c, CXType t, CXCursor init, ll_value *base, int depth) {
  llf_kids iks;
  llf_get_kids(init, &iks);
  CXCursor decl = clang_getTypeDeclaration(t);
  llf_kids fks;
  llf_get_kids(decl, &fks);
  int fi = 0;
  for (int i = 0; i < iks.n; i++) {
    ll_value *owner = base;
    CXCursor val;
    CXCursor field = item_field(c, iks.v[i], &fks, &fi, &owner, &val);
    if (clang_Cursor_isNull(field) || clang_getCursorKind(field) != CXCursor_FieldDecl) {
      (void)llf_expr(c, val); /* its calls still run */
      continue;
    }
    store(c, llf_field_value(c, field, iks.v[i], owner), clang_getCursorType(field), val, iks.v[i], depth);
  }
}

static void init_list(llf_ctx *c, CXType t, CXCursor init, ll_value *base, int depth) {
  t = clang_getCanonicalType(t);
  if (t.kind == CXType_Record) record_init(c, t, init, base, depth);
  else array_init(c, t, init, base, depth);
}

void llf_init_list(llf_ctx *c, CXType t, CXCursor init, ll_value *base) { init_list(c, t, init, base, 0); }

/* Does a value of type t hold a function pointer (in a field, an element,
 * nested) of a type the project declares? Only such a global's stores can
 * name a task; a `PTHREAD_MUTEX_INITIALIZER` holds none. */
static int holds_callback(CXType t, int depth) {
  t = clang_getCanonicalType(t);
  if (is_fn_pointer(t)) return 1;
  if (depth > MAX_NESTING) return 0;
  if (t.kind == CXType_ConstantArray || t.kind == CXType_IncompleteArray)
    return holds_callback(clang_getArrayElementType(t), depth + 1);
  if (t.kind != CXType_Record) return 0;
  CXCursor d = clang_getTypeDeclaration(t);
  if (clang_Cursor_isNull(d) || llf_in_system(d)) return 0;
  llf_kids ks;
  llf_get_kids(d, &ks);
  for (int i = 0; i < ks.n; i++)
    if (clang_getCursorKind(ks.v[i]) == CXCursor_FieldDecl && holds_callback(clang_getCursorType(ks.v[i]), depth + 1))
      return 1;
  return 0;
}

/* The initialiser list of global variable cur when its type is an
 * aggregate that holds a callback, else a null cursor. */
static CXCursor global_init_list(CXCursor cur) {
  CXType t = clang_getCursorType(cur);
  if (!clang_isCursorDefinition(cur) || !llf_is_aggregate(t) || !holds_callback(t, 0)) return clang_getNullCursor();
  llf_kids ks;
  llf_get_kids(cur, &ks);
  for (int i = ks.n - 1; i >= 0; i--) {
    if (!llf_is_expr(ks.v[i]) || llf_is_ref_kind(clang_getCursorKind(ks.v[i]))) continue;
    CXCursor e = llf_strip_expr(ks.v[i]);
    return clang_getCursorKind(e) == CXCursor_InitListExpr ? e : clang_getNullCursor();
  }
  return clang_getNullCursor();
}

void llf_global_init(llf_ctx *c, CXCursor cur) {
  CXCursor init = global_init_list(cur);
  if (clang_Cursor_isNull(init)) return;
  const llf_decl *ne = llf_decl_name(c, cur);
  const char *usr = llf_str(c, clang_getCursorUSR(cur));
  if (!usr || !ne->qname) return;
  ll_func *fn = ll_arena_alloc(c->A, sizeof *fn);
  fn->loc = llf_loc(c, cur);
  fn->tu = c->tu;
  char *name = ll_xasprintf("<init %s>", ne->qname);
  char *fusr = ll_xasprintf("%s@init", usr);
  fn->name = ll_arena_strdup(c->A, name);
  fn->usr = ll_arena_strdup(c->A, fusr);
  free(name);
  free(fusr);
  fn->is_implicit = 1;
  c->fn = fn;
  c->depth = 0;
  fn->body = llf_new_node(c, LL_N_BLOCK, cur);
  ll_value *g = llf_new_value(c, LL_V_GLOBAL, cur);
  g->name = ne->qname;
  g->usr = ne->usr ? ne->usr : ne->qname;
  g->type = llf_str(c, clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(cur))));
  /* the stores go into the body; calls built for their values into scratch */
  c->block = llf_new_node(c, LL_N_BLOCK, cur);
  c->stores = fn->body;
  llf_init_list(c, clang_getCursorType(cur), init, g);
  c->stores = NULL;
  c->block = NULL;
  c->fn = NULL;
  if (fn->body->nkids) {
    LL_VEC_PUSH(&c->funcs, fn);
    CXFile f;
    clang_getExpansionLocation(clang_getCursorLocation(cur), &f, NULL, NULL, NULL);
    llf_keep_file(llf_file(c, f));
  }
}
