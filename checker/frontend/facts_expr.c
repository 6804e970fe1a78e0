/* facts_expr.c - expressions: every expression becomes an ll_value, its
 * calls are emitted before the statement that holds it, and an assignment
 * becomes an LL_N_ASSIGN node. */
#include "facts_decl.h"
#include "facts_priv.h"

#include <string.h>

static void collect_ref(llf_ctx *c, ll_value *v) {
  if (c->collect && v) LL_VEC_PUSH(&c->refs, v);
}

void llf_eval_int(llf_ctx *c, CXCursor cur, ll_value *v) {
  (void)c;
  CXType t = clang_getCanonicalType(clang_getCursorType(cur));
  switch (t.kind) {
  case CXType_Bool: case CXType_Char_U: case CXType_UChar: case CXType_UShort:
  case CXType_UInt: case CXType_ULong: case CXType_ULongLong: case CXType_Char_S:
  case CXType_SChar: case CXType_Short: case CXType_Int: case CXType_Long:
  case CXType_LongLong: case CXType_Enum: case CXType_Pointer:
    break;
  default:
    return;
  }
  CXEvalResult ev = clang_Cursor_Evaluate(cur);
  if (!ev) return;
  if (clang_EvalResult_getKind(ev) == CXEval_Int) {
    v->known = 1;
    v->ival = clang_EvalResult_isUnsignedInt(ev) ? (long long)clang_EvalResult_getAsUnsigned(ev)
                                                 : clang_EvalResult_getAsLongLong(ev);
  }
  clang_EvalResult_dispose(ev);
}

void llf_walk_children(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  for (int i = 0; i < ks.n; i++) {
    enum CXCursorKind k = clang_getCursorKind(ks.v[i]);
    if (llf_is_expr(ks.v[i]))
      (void)llf_expr(c, ks.v[i]);
    else if (clang_isStatement(k))
      llf_stmt(c, ks.v[i]);
  }
}

/* The call whose result an expression value is: a call, or the construction
 * inside a new-expression (`p = new std::thread(f)`). */
ll_node *llf_result_call(ll_value *v) {
  if (!v || !v->call) return NULL;
  return v->kind == LL_V_CALL || v->kind == LL_V_NEW ? v->call : NULL;
}

static ll_value *decl_ref(llf_ctx *c, CXCursor cur, CXCursor ref) {
  enum CXCursorKind rk = clang_getCursorKind(ref);
  ll_value *v;
  switch (rk) {
  case CXCursor_VarDecl:
  case CXCursor_ParmDecl: {
    CXCursor sp = clang_getCursorSemanticParent(ref);
    enum CXCursorKind pk = clang_getCursorKind(sp);
    int local = rk == CXCursor_ParmDecl || pk == CXCursor_FunctionDecl || pk == CXCursor_CXXMethod ||
                pk == CXCursor_Constructor || pk == CXCursor_Destructor ||
                pk == CXCursor_FunctionTemplate || pk == CXCursor_LambdaExpr ||
                pk == CXCursor_BlockExpr || pk == CXCursor_ConversionFunction;
    if (local && !llf_in_system(ref)) {
      v = llf_new_value(c, LL_V_VAR, cur);
      v->var = llf_var_id(c, ref, 1);
      v->type = c->vars.v[v->var].type;
      v->name = c->vars.v[v->var].name;
    } else {
      v = llf_new_value(c, LL_V_GLOBAL, cur);
      const llf_decl *ne = llf_decl_name(c, ref);
      v->name = ne->qname;
      v->usr = ne->usr ? ne->usr : ne->qname;
    }
    llf_eval_int(c, cur, v);
    return v;
  }
  case CXCursor_FunctionDecl:
  case CXCursor_CXXMethod:
  case CXCursor_FunctionTemplate:
  case CXCursor_Constructor: {
    const llf_decl *ne = llf_decl_name(c, ref);
    v = llf_new_value(c, LL_V_FUNC, cur);
    v->name = ne->qname;
    v->usr = ne->usr;
    v->is_virtual = rk == CXCursor_CXXMethod && clang_CXXMethod_isVirtual(ref);
    return v;
  }
  case CXCursor_EnumConstantDecl:
    v = llf_new_value(c, LL_V_INT, cur);
    v->known = 1;
    v->ival = clang_getEnumConstantDeclValue(ref);
    v->name = llf_str(c, clang_getCursorSpelling(ref));
    return v;
  case CXCursor_FieldDecl: /* implicit this->field */
    v = llf_field_value(c, ref, cur, NULL);
    v->base = llf_new_value(c, LL_V_THIS, cur);
    return v;
  default:
    v = llf_new_value(c, LL_V_OTHER, cur);
    llf_eval_int(c, cur, v);
    return v;
  }
}

/* A value of cur that is INT when libclang can evaluate it, else OTHER. */
static ll_value *evaluated(llf_ctx *c, CXCursor cur) {
  ll_value *v = llf_new_value(c, LL_V_OTHER, cur);
  llf_eval_int(c, cur, v);
  if (v->known) v->kind = LL_V_INT;
  return v;
}

/* The field `field` of base (NULL: the caller sets it), located at at. */
ll_value *llf_field_value(llf_ctx *c, CXCursor field, CXCursor at, ll_value *base) {
  const llf_decl *ne = llf_decl_name(c, field);
  ll_value *v = llf_new_value(c, LL_V_FIELD, at);
  v->name = llf_str(c, clang_getCursorSpelling(field));
  v->usr = ne->usr ? ne->usr : ne->qname;
  v->base = base;
  return v;
}

/* base.field / base->field / a method named through an object. */
static ll_value *member_ref_expr(llf_ctx *c, CXCursor cur) {
  CXCursor ref = clang_getCursorReferenced(cur);
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_value *base = NULL, *v;
  for (int i = 0; i < ks.n; i++)
    if (llf_is_expr(ks.v[i])) {
      int saved = c->collect;
      c->collect = 0;
      base = llf_expr(c, ks.v[i]);
      c->collect = saved;
      break;
    }
  if (!base) base = llf_new_value(c, LL_V_THIS, cur);
  if (!clang_Cursor_isNull(ref) && clang_getCursorKind(ref) == CXCursor_FieldDecl) {
    v = llf_field_value(c, ref, cur, base);
    llf_eval_int(c, cur, v);
  } else if (!clang_Cursor_isNull(ref) && clang_getCursorKind(ref) == CXCursor_CXXMethod) {
    const llf_decl *ne = llf_decl_name(c, ref);
    v = llf_new_value(c, LL_V_FUNC, cur);
    v->name = ne->qname;
    v->usr = ne->usr;
    v->base = base;
  } else {
    v = llf_new_value(c, LL_V_OTHER, cur);
    v->base = base;
  }
  collect_ref(c, v);
  return v;
}

static ll_value *new_expr(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_node *made = NULL;
  for (int i = 0; i < ks.n; i++) {
    enum CXCursorKind ck = clang_getCursorKind(ks.v[i]);
    if (clang_isExpression(ck)) {
      ll_value *e = llf_expr(c, ks.v[i]);
      if (e && e->kind == LL_V_CALL && e->call && e->call->is_construct) made = e->call;
    } else if (clang_isStatement(ck)) {
      llf_stmt(c, ks.v[i]);
    }
  }
  ll_value *v = llf_new_value(c, LL_V_NEW, cur);
  v->call = made;
  return v;
}

static ll_value *unary_expr(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_value *inner = ks.n ? llf_expr(c, ks.v[0]) : NULL, *v;
  CXType rt = clang_getCanonicalType(clang_getCursorType(cur));
  CXType ot = ks.n ? clang_getCanonicalType(clang_getCursorType(ks.v[0])) : rt;
  if (rt.kind == CXType_Pointer && clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(rt)), ot)) {
    v = llf_new_value(c, LL_V_ADDR, cur);
    v->base = inner;
  } else if (ot.kind == CXType_Pointer && clang_equalTypes(clang_getCanonicalType(clang_getPointeeType(ot)), rt)) {
    v = llf_new_value(c, LL_V_DEREF, cur);
    v->base = inner;
  } else if (inner) {
    /* __extension__, +, -, ~, !, ++, --: keep what is read (a call result,
       a variable for condition references); constants are re-evaluated */
    ll_value *k2 = llf_new_value(c, LL_V_INT, cur);
    llf_eval_int(c, cur, k2);
    return k2->known ? k2 : inner;
  } else {
    v = llf_new_value(c, LL_V_OTHER, cur);
  }
  llf_eval_int(c, cur, v);
  return v;
}

/* operator spelling: text between the operands (spelling locations) */
static void binary_op_text(llf_ctx *c, const llf_kids *ks, char op[4]) {
  CXSourceLocation le = clang_getRangeEnd(clang_getCursorExtent(ks->v[0]));
  CXSourceLocation rs = clang_getRangeStart(clang_getCursorExtent(ks->v[1]));
  CXFile f1, f2;
  unsigned o1, o2;
  clang_getSpellingLocation(le, &f1, NULL, NULL, &o1);
  clang_getSpellingLocation(rs, &f2, NULL, NULL, &o2);
  if (f1 && f2 && clang_File_isEqual(f1, f2) && o2 > o1 && o2 - o1 < 64) {
    llf_file_ent *fe = llf_file(c, f1);
    if (fe && fe->contents && o2 <= fe->len) {
      size_t j = 0;
      for (unsigned i = o1; i < o2 && j < 3; i++) {
        char ch = fe->contents[i];
        if (strchr("=<>!&|+-*/%^", ch)) op[j++] = ch;
      }
    }
  }
}

/* Is the binary operator cur (operator text op, maybe unreadable) an
 * assignment? */
static int is_assignment(CXCursor cur, enum CXCursorKind k, const llf_kids *ks, const char *op, int stmt_level) {
  if ((k == CXCursor_CompoundAssignOperator) || (op[0] == '=' && op[1] == '\0')) return 1;
  if (!op[0] && k == CXCursor_BinaryOperator && stmt_level &&
      clang_equalTypes(clang_getCanonicalType(clang_getCursorType(cur)),
                       clang_getCanonicalType(clang_getCursorType(ks->v[0])))) {
    /* operator text unreadable (macro body) and the value is discarded:
       a statement `a OP b` of a's type is an assignment */
    return 1;
  } else if (!op[0] && k == CXCursor_BinaryOperator) {
    /* operator text unreadable (macro body): an lvalue = call of its type */
    enum CXCursorKind lk = clang_getCursorKind(llf_strip_expr(ks->v[0]));
    CXCursor rs = llf_strip_expr(ks->v[1]);
    if ((lk == CXCursor_DeclRefExpr || lk == CXCursor_MemberRefExpr) &&
        clang_getCursorKind(rs) == CXCursor_CallExpr &&
        clang_equalTypes(clang_getCanonicalType(clang_getCursorType(cur)),
                         clang_getCanonicalType(clang_getCursorType(ks->v[0]))))
      return 1;
  }
  return 0;
}

static ll_value *binary_expr(llf_ctx *c, CXCursor cur, enum CXCursorKind k, int stmt_level) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_value *v;
  if (ks.n != 2) {
    llf_walk_children(c, cur);
    return llf_new_value(c, LL_V_OTHER, cur);
  }
  char op[4] = {0};
  binary_op_text(c, &ks, op);
  if (is_assignment(cur, k, &ks, op, stmt_level)) {
    ll_value *rhs = llf_expr(c, ks.v[1]);
    int saved = c->collect;
    c->collect = 0;
    ll_value *lhs = llf_expr(c, ks.v[0]);
    c->collect = saved;
    ll_node *a = llf_new_node(c, LL_N_ASSIGN, cur);
    a->lhs = lhs;
    a->rhs = rhs;
    a->op = ll_arena_strdup(c->A, op[0] ? op : "=");
    ll_node *rc = llf_result_call(rhs);
    if (rc && !rc->result_to && a->op[0] == '=') rc->result_to = lhs;
    llf_emit(c, a);
    v = lhs;
  } else {
    (void)llf_expr(c, ks.v[0]);
    (void)llf_expr(c, ks.v[1]);
    v = evaluated(c, cur);
  }
  return v;
}

static ll_value *stmt_expr(llf_ctx *c, CXCursor cur) {
  ll_value *b = llf_bracket_spawn(c, cur);
  if (b) return b;
  llf_kids ks;
  llf_get_kids(cur, &ks);
  for (int i = 0; i < ks.n; i++) llf_stmt(c, ks.v[i]);
  return llf_new_value(c, LL_V_OTHER, cur);
}

static ll_value *compound_literal(llf_ctx *c, CXCursor cur) {
  /* an argument passed to a transparent-union parameter (GCD's
     dispatch_object_t in C) is an implicit compound literal that starts
     where its only element starts: it is that element */
  llf_kids ks;
  llf_get_kids(cur, &ks);
  CXCursor il = ks.n ? ks.v[ks.n - 1] : clang_getNullCursor();
  if (!clang_Cursor_isNull(il) && clang_getCursorKind(il) == CXCursor_InitListExpr) {
    llf_kids ik;
    llf_get_kids(il, &ik);
    unsigned o1 = 0, o2 = 1;
    if (ik.n == 1 && llf_is_expr(ik.v[0])) {
      clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(cur)), NULL, NULL, NULL, &o1);
      clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(ik.v[0])), NULL, NULL, NULL, &o2);
    }
    if (o1 == o2) return llf_expr(c, ik.v[0]);
    /* `&(struct task){.fn = worker}`: the literal's fields are stored */
    CXType t = clang_getCursorType(cur);
    if (llf_is_aggregate(t)) {
      ll_value *v = llf_new_value(c, LL_V_OTHER, cur);
      v->type = llf_str(c, clang_getTypeSpelling(clang_getCanonicalType(t)));
      llf_init_list(c, t, il, v);
      return v;
    }
  }
  llf_walk_children(c, cur);
  return llf_new_value(c, LL_V_OTHER, cur);
}

/* Parentheses, casts and the implicit nodes libclang does not expose
 * (co_await and co_yield among them): the value is the operand's. */
static ll_value *wrapper_expr(llf_ctx *c, CXCursor cur, enum CXCursorKind k) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_value *v;
  size_t avail = 0;
  const char *s = k == CXCursor_UnexposedExpr
                      ? llf_spell_at(c, clang_getRangeStart(clang_getCursorExtent(cur)), &avail)
                      : NULL;
  if (s && llf_starts_word(s, avail, "co_await")) {
    /* CoawaitExpr: children repeat the operand; keep only the first */
    if (c->fn) c->fn->is_coroutine = 1;
    int saved = c->coawait;
    c->coawait = 1;
    v = ks.n ? llf_expr(c, ks.v[0]) : llf_new_value(c, LL_V_OTHER, cur);
    c->coawait = saved;
    return v;
  }
  if (s && (llf_starts_word(s, avail, "co_yield"))) {
    if (c->fn) c->fn->is_coroutine = 1;
    return ks.n ? llf_expr(c, ks.v[0]) : llf_new_value(c, LL_V_OTHER, cur);
  }
  /* skip TypeRefs etc. of functional casts; value = last expression */
  ll_value *last = NULL;
  int nexpr = 0;
  for (int i = 0; i < ks.n; i++) {
    if (llf_is_expr(ks.v[i])) {
      last = llf_expr(c, ks.v[i]);
      nexpr++;
    } else if (clang_isStatement(clang_getCursorKind(ks.v[i]))) {
      llf_stmt(c, ks.v[i]);
    }
  }
  if (nexpr == 1 && last) {
    v = last;
    if (!v->known) llf_eval_int(c, cur, v);
  } else {
    v = evaluated(c, cur);
  }
  return v;
}

ll_value *llf_expr(llf_ctx *c, CXCursor cur) {
  int stmt_level = c->stmt_level;
  c->stmt_level = 0;
  if (++c->depth > 400) { /* pathological nesting: stop descending */
    c->depth--;
    return llf_new_value(c, LL_V_OTHER, cur);
  }
  ll_value *v = NULL;
  enum CXCursorKind k = clang_getCursorKind(cur);
  switch (k) {
  case CXCursor_CallExpr:
    v = llf_call(c, cur);
    break;
  case CXCursor_DeclRefExpr: {
    CXCursor ref = clang_getCursorReferenced(cur);
    v = clang_Cursor_isNull(ref) ? llf_new_value(c, LL_V_OTHER, cur) : decl_ref(c, cur, ref);
    collect_ref(c, v);
    break;
  }
  case CXCursor_MemberRefExpr:
    v = member_ref_expr(c, cur);
    break;
  case CXCursor_IntegerLiteral:
  case CXCursor_CharacterLiteral:
  case CXCursor_CXXBoolLiteralExpr:
    v = llf_new_value(c, LL_V_INT, cur);
    llf_eval_int(c, cur, v);
    break;
  case CXCursor_CXXNullPtrLiteralExpr:
  case CXCursor_GNUNullExpr:
    v = llf_new_value(c, LL_V_NULL, cur);
    v->known = 1;
    break;
  case CXCursor_StringLiteral:
  case CXCursor_ObjCStringLiteral:
    v = llf_new_value(c, LL_V_STRING, cur);
    v->text = llf_text(c, cur, 256);
    break;
  case CXCursor_CXXThisExpr:
    v = llf_new_value(c, LL_V_THIS, cur);
    break;
  case CXCursor_LambdaExpr:
  case CXCursor_BlockExpr: {
    ll_func *fn = llf_lambda(c, cur, k == CXCursor_BlockExpr);
    v = llf_new_value(c, LL_V_LAMBDA, cur);
    v->fn = fn;
    break;
  }
  case CXCursor_CXXNewExpr:
    v = new_expr(c, cur);
    break;
  case CXCursor_ArraySubscriptExpr: {
    llf_kids ks;
    llf_get_kids(cur, &ks);
    v = llf_new_value(c, LL_V_INDEX, cur);
    if (ks.n >= 1) v->base = llf_expr(c, ks.v[0]);
    for (int i = 1; i < ks.n; i++) (void)llf_expr(c, ks.v[i]);
    break;
  }
  case CXCursor_UnaryOperator:
    v = unary_expr(c, cur);
    break;
  case CXCursor_BinaryOperator:
  case CXCursor_CompoundAssignOperator:
    v = binary_expr(c, cur, k, stmt_level);
    break;
  case CXCursor_StmtExpr:
    v = stmt_expr(c, cur);
    break;
  case CXCursor_InitListExpr:
    llf_walk_children(c, cur);
    v = llf_new_value(c, LL_V_OTHER, cur);
    break;
  case CXCursor_CompoundLiteralExpr:
    v = compound_literal(c, cur);
    break;
  case CXCursor_UnexposedExpr:
  case CXCursor_ParenExpr:
  case CXCursor_CStyleCastExpr:
  case CXCursor_CXXStaticCastExpr:
  case CXCursor_CXXDynamicCastExpr:
  case CXCursor_CXXReinterpretCastExpr:
  case CXCursor_CXXConstCastExpr:
  case CXCursor_CXXFunctionalCastExpr:
    v = wrapper_expr(c, cur, k);
    break;
  case CXCursor_UnaryExpr: /* sizeof, alignof */
    v = evaluated(c, cur);
    break;
  default:
    llf_walk_children(c, cur);
    v = evaluated(c, cur);
    break;
  }
  c->depth--;
  return v;
}
