/* facts_stmt.c - statements and declarations: control structure is kept
 * (if, loops, switch, jumps, try) so rules can reason about paths; a
 * condition's calls go into the node's `cond` block. */
#include "facts_decl.h"
#include "facts_priv.h"

#include <ctype.h>
#include <string.h>

/* Runs llf_stmt with c->block = blk; returns blk. */
static ll_node *stmt_into(llf_ctx *c, ll_node *blk, CXCursor cur) {
  ll_node *saved = c->block;
  c->block = blk;
  llf_stmt(c, cur);
  c->block = saved;
  return blk;
}

static ll_node *stmt_block(llf_ctx *c, CXCursor cur) {
  if (clang_Cursor_isNull(cur)) return NULL;
  ll_node *b = llf_new_node(c, LL_N_BLOCK, cur);
  stmt_into(c, b, cur);
  return b;
}

/* Builds a condition: calls go into a fresh block, references are
 * collected; evaluates constness. */
static ll_node *build_cond(llf_ctx *c, ll_node *owner, CXCursor cur) {
  ll_node *b = llf_new_node(c, LL_N_BLOCK, cur);
  ll_node *saved = c->block;
  int saved_collect = c->collect;
  size_t refs0 = c->refs.n;
  c->block = b;
  c->collect = 1;
  if (clang_getCursorKind(cur) == CXCursor_DeclStmt || clang_getCursorKind(cur) == CXCursor_VarDecl)
    llf_stmt(c, cur);
  else
    (void)llf_expr(c, cur);
  c->block = saved;
  c->collect = saved_collect;
  size_t nr = c->refs.n - refs0;
  if (nr) {
    owner->cond_refs = ll_arena_alloc(c->A, nr * sizeof(ll_value *));
    memcpy(owner->cond_refs, c->refs.v + refs0, nr * sizeof(ll_value *));
    owner->ncond_refs = nr;
  }
  c->refs.n = refs0;
  /* constness */
  if (llf_is_expr(cur)) {
    CXEvalResult ev = clang_Cursor_Evaluate(cur);
    if (ev) {
      if (clang_EvalResult_getKind(ev) == CXEval_Int)
        owner->cond_const = clang_EvalResult_getAsLongLong(ev) != 0;
      clang_EvalResult_dispose(ev);
    }
    size_t avail = 0;
    const char *s = llf_spell_at(c, clang_getRangeStart(clang_getCursorExtent(cur)), &avail);
    if (s && avail && s[0] == '!' && nr == 1) owner->cond_negated = 1;
  }
  return b;
}

/* A break or continue in n that targets the loop n is the body of. */
static int own_break(const ll_node *n) {
  if (!n) return 0;
  if (n->kind == LL_N_BREAK || n->kind == LL_N_CONTINUE) return 1;
  if (n->kind == LL_N_LOOP) return 0;
  for (size_t i = 0; i < n->nkids; i++) {
    const ll_node *k = n->kids[i];
    if (!k) continue;
    if (n->kind == LL_N_SWITCH && k->kind != LL_N_CONTINUE) {
      /* a break inside a switch leaves the switch; a continue still counts */
      if (k->kind == LL_N_BLOCK) {
        for (size_t j = 0; j < k->nkids; j++)
          if (k->kids[j] && k->kids[j]->kind != LL_N_BREAK && own_break(k->kids[j])) return 1;
      }
      continue;
    }
    if (own_break(k)) return 1;
  }
  return 0;
}

/* Emits the initialisation `lhs = rhs` of a declaration (or a member
 * initialiser) at `at`: a call's result initialises lhs, so a task
 * constructed there has lhs as its handle. */
void llf_emit_init(llf_ctx *c, ll_value *lhs, ll_value *rhs, CXCursor at) {
  ll_node *rc = llf_result_call(rhs);
  if (rc && !rc->result_to) {
    rc->result_to = lhs;
    if (rc->is_construct) rc->is_temporary = 0;
  }
  ll_node *a = llf_new_node(c, LL_N_ASSIGN, at);
  a->lhs = lhs;
  a->rhs = rhs;
  a->op = "=";
  a->is_decl = 1;
  llf_emit(c, a);
}

/* An array's size expression is a child of its declaration too: does the
 * text after the declarator's brackets start an initialiser? */
static int array_has_init(llf_ctx *c, CXCursor cur) {
  CXFile f;
  unsigned off;
  clang_getExpansionLocation(clang_getCursorLocation(cur), &f, NULL, NULL, &off);
  llf_file_ent *fe = llf_file(c, f);
  if (!fe || !fe->contents || off >= fe->len) return 0;
  size_t i = off, n = fe->len;
  const char *t = fe->contents;
  while (i < n && (isalnum((unsigned char)t[i]) || t[i] == '_')) i++;
  for (;;) {
    while (i < n && isspace((unsigned char)t[i])) i++;
    if (i < n && t[i] == '[') {
      int depth = 0;
      for (; i < n; i++) {
        if (t[i] == '[') depth++;
        else if (t[i] == ']' && --depth == 0) {
          i++;
          break;
        }
      }
      continue;
    }
    break;
  }
  return i < n && (t[i] == '=' || t[i] == '{');
}

/* The initialiser expression of variable cur, or a null cursor. */
static CXCursor var_init(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  CXCursor init = clang_getNullCursor();
  for (int i = ks.n - 1; i >= 0; i--)
    if (llf_is_expr(ks.v[i]) && !llf_is_ref_kind(clang_getCursorKind(ks.v[i]))) {
      init = ks.v[i];
      break;
    }
  /* an array's size expression is a child too: only an initialiser counts */
  if (!clang_Cursor_isNull(init)) {
    CXType vt = clang_getCursorType(cur);
    if ((vt.kind == CXType_ConstantArray || vt.kind == CXType_VariableArray ||
         vt.kind == CXType_DependentSizedArray) &&
        !array_has_init(c, cur))
      init = clang_getNullCursor();
  }
  return init;
}

static void var_decl(llf_ctx *c, CXCursor cur) {
  if (clang_getCursorKind(cur) != CXCursor_VarDecl) {
    /* a structured binding (`auto [a, b] = f();`, an UnexposedDecl in
       libclang 14): keep the calls of its initializer */
    if (clang_getCursorKind(cur) == CXCursor_UnexposedDecl) llf_walk_children(c, cur);
    return;
  }
  int id = llf_var_id(c, cur, 1);
  CXCursor init = var_init(c, cur);
  ll_value *lhs = llf_new_value(c, LL_V_VAR, cur);
  lhs->var = id;
  lhs->name = c->vars.v[id].name;
  lhs->type = c->vars.v[id].type;
  CXType t = clang_getCanonicalType(clang_getCursorType(cur));
  if (clang_Cursor_isNull(init) || (clang_getCursorKind(init) == CXCursor_InitListExpr && llf_is_aggregate(t))) {
    if (!clang_Cursor_isNull(init)) llf_init_list(c, t, init, lhs);
    ll_node *d = llf_new_node(c, LL_N_DECL, cur);
    d->lhs = lhs;
    llf_emit(c, d);
    return;
  }
  llf_emit_init(c, lhs, llf_expr(c, init), cur);
}

/* Classifies the children of a for statement by the positions of the two
 * semicolons inside its parentheses. */
static void for_parts(llf_ctx *c, CXCursor cur, llf_kids *ks, int *init, int *cond, int *inc, int *body) {
  *init = *cond = *inc = -1;
  *body = ks->n - 1;
  if (ks->n == 4) {
    *init = 0, *cond = 1, *inc = 2;
    return;
  }
  if (ks->n <= 1) return;
  CXFile f;
  unsigned off;
  clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(cur)), &f, NULL, NULL, &off);
  llf_file_ent *fe = llf_file(c, f);
  if (!fe || !fe->contents) return;
  const char *s = fe->contents;
  size_t i = off, n = fe->len;
  while (i < n && s[i] != '(') i++;
  int depth = 0, semis = 0;
  unsigned semi[2] = {0, 0}, close = 0;
  for (; i < n; i++) {
    char ch = s[i];
    if (ch == '(') depth++;
    else if (ch == ')') {
      if (--depth == 0) {
        close = (unsigned)i;
        break;
      }
    } else if (ch == ';' && depth == 1 && semis < 2)
      semi[semis++] = (unsigned)i;
  }
  if (semis < 2 || !close) {
    if (ks->n == 3) *cond = 0, *inc = 1; /* guess */
    else if (ks->n == 2) *cond = 0;
    return;
  }
  for (int j = 0; j < ks->n - 1; j++) {
    unsigned o;
    CXFile cf;
    clang_getSpellingLocation(clang_getRangeStart(clang_getCursorExtent(ks->v[j])), &cf, NULL, NULL, &o);
    if (o < semi[0]) *init = j;
    else if (o < semi[1]) *cond = j;
    else if (o < close) *inc = j;
  }
}

static void build_loop_cond(llf_ctx *c, ll_node *loop, CXCursor cond) {
  if (clang_Cursor_isNull(cond)) {
    loop->cond_const = 1;
    return;
  }
  loop->cond = build_cond(c, loop, cond);
  loop->cond->parent = loop;
}

static enum CXChildVisitResult compound_cb(CXCursor cur, CXCursor parent, CXClientData d) {
  (void)parent;
  llf_stmt(d, cur);
  return CXChildVisit_Continue;
}

static void if_stmt(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  int i = 0;
  /* C++17 init statement / condition variable */
  while (ks.n - i >= 3 && (clang_getCursorKind(ks.v[i]) == CXCursor_DeclStmt ||
                           clang_getCursorKind(ks.v[i]) == CXCursor_VarDecl) &&
         ks.n - i > 2 && i < 1) {
    llf_stmt(c, ks.v[i]);
    i++;
  }
  ll_node *n = llf_new_node(c, LL_N_IF, cur);
  if (i < ks.n) {
    n->cond = build_cond(c, n, ks.v[i]);
    n->cond->parent = n;
  }
  ll_node *th = i + 1 < ks.n ? stmt_block(c, ks.v[i + 1]) : NULL;
  ll_node *el = i + 2 < ks.n ? stmt_block(c, ks.v[i + 2]) : NULL;
  llf_set_kid(c, n, 0, th);
  llf_set_kid(c, n, 1, el);
  llf_emit(c, n);
}

static void while_stmt(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_node *n = llf_new_node(c, LL_N_LOOP, cur);
  n->loop_kind = LL_LOOP_WHILE;
  if (ks.n >= 2) build_loop_cond(c, n, ks.v[ks.n - 2]);
  llf_set_kid(c, n, 0, ks.n ? stmt_block(c, ks.v[ks.n - 1]) : NULL);
  llf_emit(c, n);
}

static void do_stmt(llf_ctx *c, CXCursor cur) {
  ll_value *b = llf_bracket_spawn(c, cur);
  if (b) return;
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_node *n = llf_new_node(c, LL_N_LOOP, cur);
  n->loop_kind = LL_LOOP_DO;
  llf_set_kid(c, n, 0, ks.n ? stmt_block(c, ks.v[0]) : NULL);
  if (ks.n >= 2) build_loop_cond(c, n, ks.v[1]);
  if (n->cond_const == 0 && !own_break(n->kids[0])) {
    /* do { } while (0): a plain block (kept as a loop when a break or
       continue inside leaves it, as in `do { if (x) break; f(); } while (0)`
       macros, so the break does not leave an enclosing loop instead) */
    ll_node *body = n->kids[0];
    if (body)
      for (size_t i = 0; i < body->nkids; i++) llf_emit(c, body->kids[i]);
    return;
  }
  llf_emit(c, n);
}

static void for_stmt(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  int pi, pc, pn, pb;
  for_parts(c, cur, &ks, &pi, &pc, &pn, &pb);
  ll_node *n = llf_new_node(c, LL_N_LOOP, cur);
  n->loop_kind = LL_LOOP_FOR;
  if (pi >= 0) {
    n->init = stmt_block(c, ks.v[pi]);
    n->init->parent = n;
  }
  build_loop_cond(c, n, pc >= 0 ? ks.v[pc] : clang_getNullCursor());
  if (pn >= 0) {
    n->inc = stmt_block(c, ks.v[pn]);
    n->inc->parent = n;
  }
  llf_set_kid(c, n, 0, pb >= 0 ? stmt_block(c, ks.v[pb]) : NULL);
  llf_emit(c, n);
}

static void range_for_stmt(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_node *n = llf_new_node(c, LL_N_LOOP, cur);
  n->loop_kind = LL_LOOP_RANGE;
  int ri = -1;
  for (int i = 0; i < ks.n - 1; i++)
    if (llf_is_expr(ks.v[i])) ri = i;
  if (ri >= 0) {
    ll_node *cb = llf_new_node(c, LL_N_BLOCK, ks.v[ri]);
    ll_node *saved = c->block;
    c->block = cb;
    n->range = llf_expr(c, ks.v[ri]);
    c->block = saved;
    for (size_t i = 0; i < cb->nkids; i++) llf_emit(c, cb->kids[i]);
    n->range_class = llf_class_of_type(c, clang_getCursorType(ks.v[ri]));
  }
  /* the loop variable */
  for (int i = 0; i < ks.n - 1; i++)
    if (clang_getCursorKind(ks.v[i]) == CXCursor_VarDecl) {
      int id = llf_var_id(c, ks.v[i], 1);
      ll_value *lv = llf_new_value(c, LL_V_VAR, ks.v[i]);
      lv->var = id;
      lv->name = c->vars.v[id].name;
      ll_node *d = llf_new_node(c, LL_N_DECL, ks.v[i]);
      d->lhs = lv;
      n->init = llf_new_node(c, LL_N_BLOCK, ks.v[i]);
      llf_add_kid(c, n->init, d);
      n->init->parent = n;
    }
  llf_set_kid(c, n, 0, ks.n ? stmt_block(c, ks.v[ks.n - 1]) : NULL);
  llf_emit(c, n);
}

static void switch_stmt(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_node *n = llf_new_node(c, LL_N_SWITCH, cur);
  int i = 0;
  if (ks.n >= 3 && (clang_getCursorKind(ks.v[0]) == CXCursor_DeclStmt)) llf_stmt(c, ks.v[i++]);
  if (i < ks.n - 1) {
    n->cond = build_cond(c, n, ks.v[i]);
    n->cond->parent = n;
  }
  llf_set_kid(c, n, 0, ks.n ? stmt_block(c, ks.v[ks.n - 1]) : NULL);
  llf_emit(c, n);
}

static void case_stmt(llf_ctx *c, CXCursor cur, enum CXCursorKind k) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_node *n = llf_new_node(c, LL_N_CASE, cur);
  n->is_default = k == CXCursor_DefaultStmt;
  if (k == CXCursor_CaseStmt && ks.n >= 1) {
    ll_value *cv = llf_new_value(c, LL_V_INT, ks.v[0]);
    llf_eval_int(c, ks.v[0], cv);
    n->value = cv;
  }
  llf_emit(c, n);
  if (ks.n >= 1) llf_stmt(c, ks.v[ks.n - 1]);
}

static void try_stmt(llf_ctx *c, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  ll_node *n = llf_new_node(c, LL_N_TRY, cur);
  for (int i = 0; i < ks.n; i++) {
    CXCursor h = ks.v[i];
    if (clang_getCursorKind(h) == CXCursor_CXXCatchStmt) {
      llf_kids hk;
      llf_get_kids(h, &hk);
      ll_node *hb = llf_new_node(c, LL_N_BLOCK, h);
      for (int j = 0; j < hk.n; j++) stmt_into(c, hb, hk.v[j]);
      llf_add_kid(c, n, hb);
    } else {
      llf_add_kid(c, n, stmt_block(c, h));
    }
  }
  llf_emit(c, n);
}

/* Statements libclang does not expose: co_return, or the children's. */
static void unexposed_stmt(llf_ctx *c, CXCursor cur) {
  size_t avail = 0;
  const char *s = llf_spell_at(c, clang_getRangeStart(clang_getCursorExtent(cur)), &avail);
  if (s && llf_starts_word(s, avail, "co_return")) {
    if (c->fn) c->fn->is_coroutine = 1;
    ll_node *n = llf_new_node(c, LL_N_RETURN, cur);
    llf_emit(c, n);
    return;
  }
  llf_kids ks;
  llf_get_kids(cur, &ks);
  for (int i = 0; i < ks.n; i++) {
    if (llf_is_expr(ks.v[i]))
      (void)llf_expr(c, ks.v[i]);
    else
      llf_stmt(c, ks.v[i]);
  }
}

/* return, goto and labels: the value, the label name. */
static void jump_stmt(llf_ctx *c, CXCursor cur, enum CXCursorKind k) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  if (k == CXCursor_ReturnStmt) {
    ll_value *rv = NULL;
    for (int i = 0; i < ks.n; i++)
      if (llf_is_expr(ks.v[i])) rv = llf_expr(c, ks.v[i]);
    ll_node *n = llf_new_node(c, LL_N_RETURN, cur);
    n->value = rv;
    llf_emit(c, n);
  } else if (k == CXCursor_GotoStmt) {
    ll_node *n = llf_new_node(c, LL_N_GOTO, cur);
    if (ks.n) n->label = llf_str(c, clang_getCursorSpelling(ks.v[0]));
    llf_emit(c, n);
  } else { /* CXCursor_LabelStmt */
    ll_node *n = llf_new_node(c, LL_N_LABEL, cur);
    n->label = llf_str(c, clang_getCursorSpelling(cur));
    llf_emit(c, n);
    for (int i = 0; i < ks.n; i++) llf_stmt(c, ks.v[i]);
  }
}

/* An expression statement (its call's value is unused), or the children
 * of a statement not modelled. */
static void other_stmt(llf_ctx *c, CXCursor cur, enum CXCursorKind k) {
  if (llf_is_expr(cur)) {
    c->stmt_level = 1;
    ll_value *v = llf_expr(c, cur);
    if (v && v->kind == LL_V_CALL && v->call && v->call->outer_call == NULL && !v->call->result_to)
      v->call->result_used = 0;
  } else if (clang_isStatement(k)) {
    llf_kids ks;
    llf_get_kids(cur, &ks);
    for (int i = 0; i < ks.n; i++) llf_stmt(c, ks.v[i]);
  }
}

void llf_stmt(llf_ctx *c, CXCursor cur) {
  if (++c->depth > 400) {
    c->depth--;
    return;
  }
  enum CXCursorKind k = clang_getCursorKind(cur);
  llf_kids ks;
  switch (k) {
  case CXCursor_CompoundStmt:
    /* no child cap here: blocks can be arbitrarily long */
    clang_visitChildren(cur, compound_cb, c);
    break;
  case CXCursor_DeclStmt:
    llf_get_kids(cur, &ks);
    for (int i = 0; i < ks.n; i++) var_decl(c, ks.v[i]);
    break;
  case CXCursor_VarDecl:
    var_decl(c, cur);
    break;
  case CXCursor_IfStmt:
    if_stmt(c, cur);
    break;
  case CXCursor_WhileStmt:
    while_stmt(c, cur);
    break;
  case CXCursor_DoStmt:
    do_stmt(c, cur);
    break;
  case CXCursor_ForStmt:
    for_stmt(c, cur);
    break;
  case CXCursor_CXXForRangeStmt:
    range_for_stmt(c, cur);
    break;
  case CXCursor_SwitchStmt:
    switch_stmt(c, cur);
    break;
  case CXCursor_CaseStmt:
  case CXCursor_DefaultStmt:
    case_stmt(c, cur, k);
    break;
  case CXCursor_BreakStmt:
    llf_emit(c, llf_new_node(c, LL_N_BREAK, cur));
    break;
  case CXCursor_ContinueStmt:
    llf_emit(c, llf_new_node(c, LL_N_CONTINUE, cur));
    break;
  case CXCursor_ReturnStmt:
  case CXCursor_GotoStmt:
  case CXCursor_LabelStmt:
    jump_stmt(c, cur, k);
    break;
  case CXCursor_IndirectGotoStmt:
    llf_emit(c, llf_new_node(c, LL_N_GOTO, cur));
    break;
  case CXCursor_CXXTryStmt:
    try_stmt(c, cur);
    break;
  case CXCursor_CXXThrowExpr: {
    llf_walk_children(c, cur);
    llf_emit(c, llf_new_node(c, LL_N_THROW, cur));
    break;
  }
  case CXCursor_NullStmt:
  case CXCursor_AsmStmt:
  case CXCursor_MSAsmStmt:
    break;
  case CXCursor_UnexposedStmt:
    unexposed_stmt(c, cur);
    break;
  default:
    other_stmt(c, cur, k);
    break;
  }
  c->depth--;
}
