/* facts_func.c - functions: definitions, lambdas and blocks (with their
 * captures), constructors' member initialisers (explicit and default), the
 * methods a virtual overrides, and the classes of the hierarchy. */
#include "facts_decl.h"
#include "facts_priv.h"

#include <stdlib.h>
#include <string.h>

static ll_func *new_func(llf_ctx *c, CXCursor cur) {
  ll_func *fn = ll_arena_alloc(c->A, sizeof *fn);
  fn->loc = llf_loc(c, cur);
  fn->tu = c->tu;
  LL_VEC_PUSH(&c->funcs, fn);
  return fn;
}

/* `this->field`, located at `at`. */
static ll_value *this_field(llf_ctx *c, CXCursor field, CXCursor at) {
  ll_value *v = llf_field_value(c, field, at, NULL);
  v->base = llf_new_value(c, LL_V_THIS, at);
  return v;
}

/* `: t_(&C::run, this)` or `std::thread t_{&C::run, this};`: the member is
 * initialised as if assigned at the start of the constructor, so a task
 * constructed there has the member as its handle. */
static void init_member(llf_ctx *c, CXCursor field, CXCursor init, CXCursor at) {
  ll_value *rhs = llf_expr(c, init);
  llf_emit_init(c, this_field(c, field, at), rhs, at);
}

/* The in-class initialiser of a field when it is a call or a new-expression
 * (a bit-field's width is an expression child too; plain values carry
 * nothing the rules read from a default initialiser). */
static CXCursor default_init(CXCursor field) {
  llf_kids ks;
  llf_get_kids(field, &ks);
  for (int i = ks.n - 1; i >= 0; i--) {
    if (!llf_is_expr(ks.v[i]) || llf_is_ref_kind(clang_getCursorKind(ks.v[i]))) continue;
    enum CXCursorKind k = clang_getCursorKind(llf_strip_expr(ks.v[i]));
    if (k == CXCursor_CallExpr || k == CXCursor_CXXNewExpr) return ks.v[i];
    break;
  }
  return clang_getNullCursor();
}

typedef struct defaults_scan {
  llf_ctx *c;
  const CXCursor *explicit_fields; /* initialised by the constructor itself */
  int nexplicit;
  int found;   /* count only (c == NULL): fields with a call initialiser */
} defaults_scan;

static enum CXChildVisitResult defaults_cb(CXCursor cur, CXCursor parent, CXClientData d) {
  (void)parent;
  defaults_scan *s = d;
  if (clang_getCursorKind(cur) != CXCursor_FieldDecl) return CXChildVisit_Continue;
  CXCursor init = default_init(cur);
  if (clang_Cursor_isNull(init)) return CXChildVisit_Continue;
  for (int i = 0; i < s->nexplicit; i++)
    if (clang_equalCursors(clang_getCanonicalCursor(s->explicit_fields[i]), clang_getCanonicalCursor(cur)))
      return CXChildVisit_Continue;
  s->found++;
  if (s->c) init_member(s->c, cur, init, init);
  return CXChildVisit_Continue;
}

/* The member initialisers of constructor cur, in order: the explicit ones
 * (a MemberRef child followed by its expression), then the default member
 * initialisers of the fields it does not name (not for a delegating
 * constructor: the target runs them). */
static void build_member_inits(llf_ctx *c, CXCursor cur, const llf_kids *ks) {
  CXCursor named[LLF_MAXKIDS];
  int nnamed = 0, delegates = 0;
  CXCursor cls = clang_getCursorSemanticParent(cur);
  CXCursor def = clang_getCursorDefinition(cls);
  if (!clang_Cursor_isNull(def)) cls = def;
  for (int i = 0; i + 1 < ks->n; i++) {
    enum CXCursorKind k = clang_getCursorKind(ks->v[i]);
    if (k == CXCursor_TypeRef && llf_is_expr(ks->v[i + 1])) {
      CXCursor t = clang_getTypeDeclaration(clang_getCursorType(ks->v[i]));
      if (clang_equalCursors(clang_getCanonicalCursor(t), clang_getCanonicalCursor(cls))) delegates = 1;
      continue;
    }
    if (k != CXCursor_MemberRef || !llf_is_expr(ks->v[i + 1])) continue;
    CXCursor field = clang_getCursorReferenced(ks->v[i]);
    if (clang_Cursor_isNull(field) || clang_getCursorKind(field) != CXCursor_FieldDecl) continue;
    named[nnamed++] = field;
    init_member(c, field, ks->v[i + 1], ks->v[i]);
    i++;
  }
  if (delegates) return;
  defaults_scan s = {c, named, nnamed, 0};
  clang_visitChildren(cls, defaults_cb, &s);
}

static void build_params_and_body(llf_ctx *c, ll_func *fn, CXCursor cur) {
  llf_kids ks;
  llf_get_kids(cur, &ks);
  LL_VEC(int) params = {0};
  CXCursor body = clang_getNullCursor();
  for (int i = 0; i < ks.n; i++) {
    enum CXCursorKind k = clang_getCursorKind(ks.v[i]);
    if (k == CXCursor_ParmDecl) {
      int id = llf_var_id(c, ks.v[i], 1);
      c->vars.v[id].is_param = 1;
      c->vars.v[id].param_index = (int)params.n;
      LL_VEC_PUSH(&params, id);
    } else if (k == CXCursor_CompoundStmt) {
      body = ks.v[i];
    } else if (k == CXCursor_UnexposedStmt && clang_Cursor_isNull(body)) {
      /* coroutine body: the real body is its first compound statement */
      llf_kids bk;
      llf_get_kids(ks.v[i], &bk);
      if (bk.n && clang_getCursorKind(bk.v[0]) == CXCursor_CompoundStmt) {
        body = bk.v[0];
        fn->is_coroutine = 1;
      }
    } else if (k == CXCursor_CXXTryStmt) {
      body = ks.v[i]; /* function-try-block */
    }
  }
  if (params.n) {
    fn->params = ll_arena_alloc(c->A, params.n * sizeof(int));
    memcpy(fn->params, params.v, params.n * sizeof(int));
    fn->nparams = params.n;
  }
  free(params.v);
  fn->body = llf_new_node(c, LL_N_BLOCK, clang_Cursor_isNull(body) ? cur : body);
  fn->body->func = fn;
  ll_node *saved = c->block;
  c->block = fn->body;
  if (clang_getCursorKind(cur) == CXCursor_Constructor) build_member_inits(c, cur, &ks);
  if (!clang_Cursor_isNull(body)) llf_stmt(c, body);
  c->block = saved;
}

static int mark_captures(ll_node *n, void *d);

typedef struct capctx {
  llf_ctx *c;
  ll_func *fn;
  LL_VEC(int) caps;
} capctx;

static void cap_value(capctx *cc, const ll_value *v) {
  for (; v; v = v->base) {
    if (v->kind == LL_V_VAR && v->var >= 0) {
      ll_var *var = &cc->c->vars.v[v->var];
      int inner = 0;
      for (ll_func *f = var->owner; f; f = f->parent)
        if (f == cc->fn) inner = 1;
      if (!inner) {
        int dup = 0;
        for (size_t i = 0; i < cc->caps.n; i++) dup |= cc->caps.v[i] == v->var;
        if (!dup) LL_VEC_PUSH(&cc->caps, v->var);
      }
    }
    if (v->kind == LL_V_THIS) cc->fn->captures_this = 1;
    if (v->kind == LL_V_CALL && v->call) mark_captures(v->call, cc);
  }
}

static int mark_captures(ll_node *n, void *d) {
  capctx *cc = d;
  cap_value(cc, n->lhs);
  cap_value(cc, n->rhs);
  cap_value(cc, n->obj);
  cap_value(cc, n->value);
  cap_value(cc, n->range);
  for (size_t i = 0; i < n->nargs; i++) cap_value(cc, n->args[i]);
  for (size_t i = 0; i < n->ncond_refs; i++) cap_value(cc, n->cond_refs[i]);
  return 0;
}

/* What building a nested function (a lambda, a block) sets aside: the
 * enclosing function's state, restored when it is done. */
typedef struct fn_state {
  ll_func *fn;
  ll_node *block, *outer;
  int collect, coawait;
} fn_state;

static fn_state enter_fn(llf_ctx *c, ll_func *fn) {
  fn_state s = {c->fn, c->block, c->outer, c->collect, c->coawait};
  c->fn = fn;
  c->collect = 0;
  c->outer = NULL;
  c->coawait = 0;
  return s;
}

static void leave_fn(llf_ctx *c, const fn_state *s) {
  c->fn = s->fn;
  c->block = s->block;
  c->outer = s->outer;
  c->collect = s->collect;
  c->coawait = s->coawait;
}

/* [this], [&] and [=] may read this (conservative: any default capture). */
static int captures_this(llf_ctx *c, CXCursor cur) {
  size_t avail = 0;
  const char *s = llf_spell_at(c, clang_getRangeStart(clang_getCursorExtent(cur)), &avail);
  if (!s) return 0;
  size_t lim = avail < 256 ? avail : 256;
  const char *end = memchr(s, ']', lim);
  if (!end) return 0;
  for (const char *p = s; p + 4 <= end; p++)
    if (!strncmp(p, "this", 4) || (!strncmp(p, "&", 1) && (p[1] == ']' || p[1] == ',')) ||
        (!strncmp(p, "=", 1) && (p[1] == ']' || p[1] == ',')))
      return 1;
  return 0;
}

ll_func *llf_lambda(llf_ctx *c, CXCursor cur, int is_block) {
  ll_func *fn = new_func(c, cur);
  fn->parent = c->fn;
  fn->is_lambda = !is_block;
  fn->is_block = is_block;
  fn->name = is_block ? "<block>" : "<lambda>";
  fn->cls = c->fn ? c->fn->cls : NULL;
  fn_state saved = enter_fn(c, fn);
  /* explicit captures: [this] */
  if (captures_this(c, cur) && !is_block) fn->captures_this = 1;
  /* a BlockExpr's parameters and body hang under its BlockDecl (an
     UnexposedDecl child in libclang 14) */
  CXCursor bcur = cur;
  if (is_block) {
    llf_kids bk;
    llf_get_kids(cur, &bk);
    for (int i = 0; i < bk.n; i++)
      if (clang_getCursorKind(bk.v[i]) == CXCursor_UnexposedDecl) {
        bcur = bk.v[i];
        break;
      }
  }
  build_params_and_body(c, fn, bcur);
  capctx cc = {c, fn, {0}};
  ll_visit(fn->body, mark_captures, &cc);
  if (cc.caps.n) {
    fn->captures = ll_arena_alloc(c->A, cc.caps.n * sizeof(int));
    memcpy(fn->captures, cc.caps.v, cc.caps.n * sizeof(int));
    fn->ncaptures = cc.caps.n;
  }
  free(cc.caps.v);
  leave_fn(c, &saved);
  return fn;
}

/* The project methods m overrides, directly or through intermediate classes,
 * as USRs (at most max; system methods are never a call's resolved callee). */
static void collect_overrides(llf_ctx *c, CXCursor m, const char **out, size_t *n, size_t max, int depth) {
  CXCursor *ov = NULL;
  unsigned nov = 0;
  clang_getOverriddenCursors(m, &ov, &nov);
  for (unsigned i = 0; i < nov && *n < max; i++) {
    if (llf_in_system(ov[i])) continue;
    const char *usr = llf_str(c, clang_getCursorUSR(ov[i]));
    int dup = !usr;
    for (size_t k = 0; k < *n && !dup; k++) dup = strcmp(out[k], usr) == 0;
    if (dup) continue;
    out[(*n)++] = usr;
    if (depth < 16) collect_overrides(c, ov[i], out, n, max, depth + 1);
  }
  if (ov) clang_disposeOverriddenCursors(ov);
}

#define MAX_OVERRIDES 16

static void record_overrides(llf_ctx *c, ll_func *fn, CXCursor cur) {
  const char *ov[MAX_OVERRIDES];
  size_t n = 0;
  collect_overrides(c, cur, ov, &n, MAX_OVERRIDES, 0);
  if (!n) return;
  fn->overrides = ll_arena_alloc(c->A, n * sizeof(char *));
  memcpy(fn->overrides, ov, n * sizeof(char *));
  fn->noverrides = n;
}

void llf_function(llf_ctx *c, CXCursor cur) {
  ll_func *fn = new_func(c, cur);
  const llf_decl *ne = llf_decl_name(c, cur);
  fn->name = ne->qname;
  fn->usr = llf_str(c, clang_getCursorUSR(cur));
  enum CXCursorKind k = clang_getCursorKind(cur);
  if (k == CXCursor_CXXMethod || k == CXCursor_Constructor || k == CXCursor_Destructor ||
      k == CXCursor_ConversionFunction ||
      (k == CXCursor_FunctionTemplate &&
       clang_getCursorKind(clang_getCursorSemanticParent(cur)) != CXCursor_Namespace &&
       clang_getCursorKind(clang_getCursorSemanticParent(cur)) != CXCursor_TranslationUnit))
    fn->cls = llf_decl_name(c, clang_getCursorSemanticParent(cur))->qname;
  if (k == CXCursor_CXXMethod || k == CXCursor_Destructor) record_overrides(c, fn, cur);
  c->fn = fn;
  c->depth = 0;
  build_params_and_body(c, fn, cur);
  c->fn = NULL;
  CXFile f;
  clang_getExpansionLocation(clang_getCursorLocation(cur), &f, NULL, NULL, NULL);
  llf_keep_file(llf_file(c, f));
}

typedef struct class_scan {
  llf_ctx *c;
  LL_VEC(const char *) bases;
  int has_ctor;
} class_scan;

static enum CXChildVisitResult class_cb(CXCursor cur, CXCursor parent, CXClientData d) {
  (void)parent;
  class_scan *s = d;
  enum CXCursorKind k = clang_getCursorKind(cur);
  if (k == CXCursor_Constructor) {
    s->has_ctor = 1;
  } else if (k == CXCursor_CXXBaseSpecifier) {
    CXCursor b = clang_getCursorReferenced(cur);
    if (clang_Cursor_isNull(b) || clang_isInvalid(clang_getCursorKind(b)))
      b = clang_getTypeDeclaration(clang_getCanonicalType(clang_getCursorType(cur)));
    if (!clang_Cursor_isNull(b) && !clang_isInvalid(clang_getCursorKind(b)) &&
        clang_getCursorKind(b) != CXCursor_NoDeclFound) {
      const char *name = llf_decl_name(s->c, b)->qname;
      if (name && *name) LL_VEC_PUSH(&s->bases, name);
    }
  }
  return CXChildVisit_Continue;
}

/* A class that declares no constructor gets one made by leaklint, holding
 * its default member initialisers with calls (`std::thread t_{&C::run,
 * this};` starts a task whenever a C is made). */
static void build_implicit_ctor(llf_ctx *c, CXCursor cur, const char *qname) {
  defaults_scan probe = {NULL, NULL, 0, 0};
  clang_visitChildren(cur, defaults_cb, &probe);
  if (!probe.found) return;
  const char *usr = llf_str(c, clang_getCursorUSR(cur));
  if (!usr) return;
  ll_func *fn = new_func(c, cur);
  const char *last = strrchr(qname, ':');
  char *name = ll_xasprintf("%s::%s", qname, last ? last + 1 : qname);
  char *fusr = ll_xasprintf("%s@implicit-ctor", usr);
  fn->name = ll_arena_strdup(c->A, name);
  fn->usr = ll_arena_strdup(c->A, fusr);
  free(name);
  free(fusr);
  fn->cls = qname;
  fn->is_implicit = 1;
  c->fn = fn;
  c->depth = 0;
  fn->body = llf_new_node(c, LL_N_BLOCK, cur);
  ll_node *saved = c->block;
  c->block = fn->body;
  defaults_scan s = {c, NULL, 0, 0};
  clang_visitChildren(cur, defaults_cb, &s);
  c->block = saved;
  c->fn = NULL;
  CXFile f;
  clang_getExpansionLocation(clang_getCursorLocation(cur), &f, NULL, NULL, NULL);
  llf_keep_file(llf_file(c, f));
}

/* Records a C++ class definition that has bases (the edges of the program's
 * hierarchy) in the TU; a class with no constructor gets an implicit one. */
void llf_record_class(llf_ctx *c, CXCursor cur) {
  if (!clang_isCursorDefinition(cur) || clang_getCursorLanguage(cur) != CXLanguage_CPlusPlus) return;
  const char *qname = llf_decl_name(c, cur)->qname;
  if (!qname || !*qname) return;
  class_scan s = {c, {0}, 0};
  clang_visitChildren(cur, class_cb, &s);
  ll_class k = {qname, NULL, s.bases.n};
  if (s.bases.n) {
    k.bases = ll_arena_alloc(c->A, s.bases.n * sizeof(char *));
    memcpy(k.bases, s.bases.v, s.bases.n * sizeof(char *));
  }
  free(s.bases.v);
  if (k.nbases) LL_VEC_PUSH(&c->classes, k);
  if (!s.has_ctor && clang_getCursorKind(cur) != CXCursor_UnionDecl) build_implicit_ctor(c, cur, qname);
}
