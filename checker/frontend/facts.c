/* facts.c - parse one translation unit with libclang and extract the IR
 * (ir.h): the entry point, the libclang plumbing the lowering stages share
 * (facts_priv.h lists them) and the walk over the top-level declarations.
 * The facts*.c modules, compdb.c, parseproc.c and clangapi.c are the ones
 * that call libclang.
 *
 * One cursor walk: top-level declarations in system headers are skipped
 * without descending; every function, method, lambda and block defined in
 * the main file or a project header becomes an ll_func whose body is a
 * structured statement tree. Calls are emitted in evaluation order. */
#include "facts.h"

#include "facts_decl.h"
#include "facts_priv.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ll_parser {
  CXIndex index;
};

ll_parser *ll_parser_new(void) {
  if (ll_clang_load(NULL) != 0) return NULL;
  ll_parser *p = ll_xcalloc(1, sizeof *p);
  p->index = clang_createIndex(0, 0);
  return p;
}

void ll_parser_free(ll_parser *p) {
  if (!p) return;
  clang_disposeIndex(p->index);
  free(p);
}

const char *llf_str(llf_ctx *c, CXString s) {
  const char *cs = clang_getCString(s);
  const char *r = (cs && *cs) ? ll_arena_strdup(c->A, cs) : NULL;
  clang_disposeString(s);
  return r;
}

/* Installed library headers count as system headers even when a build adds
 * them with -I (pkg-config --cflags glib-2.0 gives -I/usr/include/glib-2.0). */
static int is_library_path(const char *p) {
  static const char *const prefixes[] = {"/usr/include/", "/usr/lib/", "/usr/local/include/",
                                         "/usr/local/lib/", "/usr/share/", "/opt/"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (strncmp(p, prefixes[i], strlen(prefixes[i])) == 0) return 1;
  return 0;
}

llf_file_ent *llf_file(llf_ctx *c, CXFile f) {
  if (!f) return NULL;
  for (size_t i = 0; i < c->files.n; i++)
    if (clang_File_isEqual(c->files.v[i].file, f)) return &c->files.v[i];
  llf_file_ent e = {0};
  e.file = f;
  CXString n = clang_getFileName(f);
  char *disp = ll_path_display(clang_getCString(n));
  clang_disposeString(n);
  e.display = ll_arena_strdup(c->A, disp);
  free(disp);
  size_t len = 0;
  e.contents = clang_getFileContents(c->ctu, f, &len);
  e.len = len;
  CXSourceLocation loc = clang_getLocationForOffset(c->ctu, f, 0);
  e.is_system = clang_Location_isInSystemHeader(loc) || is_library_path(e.display);
  LL_VEC_PUSH(&c->files, e);
  return &c->files.v[c->files.n - 1];
}

void llf_keep_file(llf_file_ent *fe) {
  if (!fe || fe->kept || fe->is_system) return;
  fe->kept = 1;
}

ll_loc llf_loc(llf_ctx *c, CXCursor cur) {
  ll_loc l = {0};
  CXSourceRange r = clang_getCursorExtent(cur);
  CXFile f = NULL, f2 = NULL;
  unsigned line, col, off, eline, ecol, eoff;
  clang_getExpansionLocation(clang_getRangeStart(r), &f, &line, &col, &off);
  clang_getExpansionLocation(clang_getRangeEnd(r), &f2, &eline, &ecol, &eoff);
  if (!f) {
    clang_getExpansionLocation(clang_getCursorLocation(cur), &f, &line, &col, &off);
    f2 = f;
    eline = line;
    ecol = col;
    eoff = off;
  }
  llf_file_ent *fe = llf_file(c, f);
  l.file = fe ? fe->display : "<unknown>";
  l.line = line;
  l.col = col;
  l.offset = off;
  if (f2 && f && clang_File_isEqual(f, f2) && eoff >= off) {
    l.end_line = eline;
    l.end_col = ecol;
    l.end_offset = eoff;
  } else {
    l.end_line = line;
    l.end_col = col;
    l.end_offset = off;
  }
  return l;
}

/* Source text of a cursor's extent (expansion locations), or NULL. */
const char *llf_text(llf_ctx *c, CXCursor cur, size_t max) {
  CXSourceRange r = clang_getCursorExtent(cur);
  CXFile f = NULL, f2 = NULL;
  unsigned off, eoff;
  clang_getExpansionLocation(clang_getRangeStart(r), &f, NULL, NULL, &off);
  clang_getExpansionLocation(clang_getRangeEnd(r), &f2, NULL, NULL, &eoff);
  if (!f || !f2 || !clang_File_isEqual(f, f2) || eoff <= off || eoff - off > max) return NULL;
  llf_file_ent *fe = llf_file(c, f);
  if (!fe || !fe->contents || eoff > fe->len) return NULL;
  return ll_arena_strndup(c->A, fe->contents + off, eoff - off);
}

/* Spelling-location text starting at the cursor (for operator detection in
 * macro bodies too). Returns a pointer into file contents and sets *avail. */
const char *llf_spell_at(llf_ctx *c, CXSourceLocation loc, size_t *avail) {
  CXFile f = NULL;
  unsigned off;
  clang_getSpellingLocation(loc, &f, NULL, NULL, &off);
  llf_file_ent *fe = llf_file(c, f);
  if (!fe || !fe->contents || off >= fe->len) return NULL;
  *avail = fe->len - off;
  return fe->contents + off;
}

int llf_starts_word(const char *s, size_t avail, const char *w) {
  size_t n = strlen(w);
  if (!s || avail < n || strncmp(s, w, n) != 0) return 0;
  return avail == n || !(isalnum((unsigned char)s[n]) || s[n] == '_');
}

int llf_in_system(CXCursor cur) {
  return clang_Location_isInSystemHeader(clang_getCursorLocation(cur));
}

static enum CXChildVisitResult kids_cb(CXCursor cur, CXCursor parent, CXClientData d) {
  (void)parent;
  llf_kids *k = d;
  if (k->n < LLF_MAXKIDS) k->v[k->n++] = cur;
  return CXChildVisit_Continue;
}

void llf_get_kids(CXCursor cur, llf_kids *k) {
  k->n = 0;
  clang_visitChildren(cur, kids_cb, k);
}

int llf_is_expr(CXCursor cur) { return clang_isExpression(clang_getCursorKind(cur)); }

int llf_is_ref_kind(enum CXCursorKind k) {
  return k == CXCursor_TypeRef || k == CXCursor_TemplateRef || k == CXCursor_NamespaceRef ||
         k == CXCursor_OverloadedDeclRef || k == CXCursor_CXXBaseSpecifier ||
         k == CXCursor_MemberRef || k == CXCursor_VariableRef || k == CXCursor_LabelRef;
}

ll_node *llf_new_node(llf_ctx *c, ll_node_kind k, CXCursor cur) {
  ll_node *n = ll_arena_alloc(c->A, sizeof *n);
  n->kind = k;
  n->func = c->fn;
  n->cond_const = -1;
  if (!clang_Cursor_isNull(cur)) n->loc = llf_loc(c, cur);
  return n;
}

/* Appends kid (may be NULL) to parent's children; the capacity doubles at
 * powers of two, and old arrays stay in the arena. */
static void push_kid(llf_ctx *c, ll_node *parent, ll_node *kid) {
  size_t n = parent->nkids;
  if (n == 0 || (n & (n - 1)) == 0) {
    size_t cap = n ? n * 2 : 4;
    ll_node **nk = ll_arena_alloc(c->A, cap * sizeof *nk);
    if (n) memcpy(nk, parent->kids, n * sizeof *nk);
    parent->kids = nk;
  }
  parent->kids[parent->nkids++] = kid;
  if (kid) kid->parent = parent;
}

void llf_add_kid(llf_ctx *c, ll_node *parent, ll_node *kid) {
  if (kid) push_kid(c, parent, kid);
}

/* Puts kid at position i (padding with NULL children). */
void llf_set_kid(llf_ctx *c, ll_node *parent, size_t i, ll_node *kid) {
  while (parent->nkids <= i) push_kid(c, parent, NULL);
  parent->kids[i] = kid;
  if (kid) kid->parent = parent;
}

ll_value *llf_new_value(llf_ctx *c, ll_value_kind k, CXCursor cur) {
  ll_value *v = ll_arena_alloc(c->A, sizeof *v);
  v->kind = k;
  v->var = -1;
  if (!clang_Cursor_isNull(cur)) v->loc = llf_loc(c, cur);
  return v;
}

void llf_emit(llf_ctx *c, ll_node *n) { llf_add_kid(c, c->block, n); }

CXCursor llf_strip_expr(CXCursor cur) {
  for (;;) {
    enum CXCursorKind k = clang_getCursorKind(cur);
    if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr && k != CXCursor_CStyleCastExpr)
      return cur;
    llf_kids ks;
    llf_get_kids(cur, &ks);
    if (ks.n != 1) return cur;
    cur = ks.v[0];
  }
}

/* The length of the identifier at byte off of fe's contents (0 if none). */
size_t llf_ident_len(const llf_file_ent *fe, unsigned off) {
  size_t len = 0;
  if (!fe || !fe->contents) return 0;
  while (off + len < fe->len &&
         (isalnum((unsigned char)fe->contents[off + len]) || fe->contents[off + len] == '_'))
    len++;
  return len;
}

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

static enum CXChildVisitResult top_cb(CXCursor cur, CXCursor parent, CXClientData d) {
  (void)parent;
  llf_ctx *c = d;
  CXSourceLocation loc = clang_getCursorLocation(cur);
  if (clang_Location_isInSystemHeader(loc)) return CXChildVisit_Continue;
  {
    CXFile f;
    clang_getExpansionLocation(loc, &f, NULL, NULL, NULL);
    llf_file_ent *fe = llf_file(c, f);
    if (fe && fe->is_system) return CXChildVisit_Continue;
  }
  switch (clang_getCursorKind(cur)) {
  case CXCursor_ClassDecl:
  case CXCursor_StructDecl:
  case CXCursor_UnionDecl:
  case CXCursor_ClassTemplate:
  case CXCursor_ClassTemplatePartialSpecialization:
    llf_record_class(c, cur);
    return CXChildVisit_Recurse;
  case CXCursor_Namespace:
  case CXCursor_LinkageSpec:
  case CXCursor_UnexposedDecl:
    return CXChildVisit_Recurse;
  case CXCursor_FunctionDecl:
  case CXCursor_CXXMethod:
  case CXCursor_Constructor:
  case CXCursor_Destructor:
  case CXCursor_ConversionFunction:
  case CXCursor_FunctionTemplate:
    if (clang_isCursorDefinition(cur)) llf_function(c, cur);
    return CXChildVisit_Continue;
  default:
    return CXChildVisit_Continue;
  }
}

static void collect_diags(llf_ctx *c, const char *file, ll_notifications *notes, int *nerrors) {
  unsigned n = clang_getNumDiagnostics(c->ctu);
  int shown = 0, errors = 0;
  for (unsigned i = 0; i < n; i++) {
    CXDiagnostic dg = clang_getDiagnostic(c->ctu, i);
    enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(dg);
    if (sev >= CXDiagnostic_Error) {
      errors++;
      if (shown < 5) {
        CXFile f;
        unsigned line, col;
        clang_getExpansionLocation(clang_getDiagnosticLocation(dg), &f, &line, &col, NULL);
        const char *fname = file;
        char *disp = NULL;
        if (f) {
          CXString fs = clang_getFileName(f);
          disp = ll_path_display(clang_getCString(fs));
          clang_disposeString(fs);
          fname = disp;
        }
        CXString msg = clang_getDiagnosticSpelling(dg);
        ll_notify(notes, LL_LEVEL_ERROR, fname, line, col, "%s (while parsing %s)",
                  clang_getCString(msg), file);
        clang_disposeString(msg);
        free(disp);
        shown++;
      }
    }
    clang_disposeDiagnostic(dg);
  }
  if (errors > shown)
    ll_notify(notes, LL_LEVEL_ERROR, file, 0, 0, "%d more errors while parsing %s", errors - shown, file);
  *nerrors = errors;
}

/* Every file the parse read, as libclang reports the inclusions (a computed
 * `#include MACRO` too): the result cache validates entries against them. */
typedef LL_VEC(const char *) path_vec;

static void inclusion_cb(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData data) {
  (void)stack;
  (void)depth;
  llf_ctx *c = data;
  CXString n = clang_getFileName(f);
  const char *s = llf_str(c, n);
  if (s) LL_VEC_PUSH((path_vec *)c->deps, s);
}

static void record_inclusions(llf_ctx *c) {
  path_vec v = {0};
  c->deps = &v;
  clang_getInclusions(c->ctu, inclusion_cb, c);
  c->tu->ndeps = v.n;
  c->tu->deps = ll_arena_alloc(c->A, (v.n ? v.n : 1) * sizeof(char *));
  if (v.n) memcpy(c->tu->deps, v.v, v.n * sizeof(char *));
  free(v.v);
  c->deps = NULL;
}

ll_tu *ll_facts_parse(ll_parser *p, const char *file, const char *const *args, int nargs,
                      const char *workdir, const ll_rules *rules, ll_notifications *notes) {
  /* never pass -working-directory: libclang would chdir the whole process */
  (void)workdir;
  const char **argv = ll_xcalloc((size_t)nargs + 1, sizeof(char *));
  int argc = 0;
  for (int i = 0; i < nargs; i++) argv[argc++] = args[i];
  CXTranslationUnit ctu = NULL;
  unsigned opts = CXTranslationUnit_KeepGoing | CXTranslationUnit_IgnoreNonErrorsFromIncludedFiles;
  enum CXErrorCode ec = clang_parseTranslationUnit2(p->index, file, argv, argc, NULL, 0, opts, &ctu);
  free(argv);
  if (ec != CXError_Success || !ctu) {
    const char *why = ec == CXError_Crashed ? "libclang crashed while parsing it"
                      : ec == CXError_InvalidArguments ? "invalid compiler arguments"
                      : ec == CXError_ASTReadError ? "AST read error"
                      : "libclang could not parse it";
    ll_notify(notes, LL_LEVEL_ERROR, file, 0, 0, "cannot analyse %s: %s", file, why);
    if (ctu) clang_disposeTranslationUnit(ctu);
    return NULL;
  }

  ll_tu *tu = ll_xcalloc(1, sizeof *tu);
  tu->arena = ll_arena_new();
  llf_ctx c = {0};
  c.tu = tu;
  c.A = tu->arena;
  c.rules = rules;
  c.ctu = ctu;
  c.decls = llf_decls_new();
  char *disp = ll_path_display(file);
  tu->main_file = ll_arena_strdup(c.A, disp);
  free(disp);

  int nerrors = 0;
  collect_diags(&c, tu->main_file, notes, &nerrors);
  /* the main file is always recorded */
  CXFile mf = clang_getFile(ctu, file);
  if (mf) llf_keep_file(llf_file(&c, mf));

  clang_visitChildren(clang_getTranslationUnitCursor(ctu), top_cb, &c);
  record_inclusions(&c);

  /* move vectors into the arena */
  tu->nfuncs = c.funcs.n;
  tu->funcs = ll_arena_alloc(c.A, (c.funcs.n ? c.funcs.n : 1) * sizeof(ll_func *));
  if (c.funcs.n) memcpy(tu->funcs, c.funcs.v, c.funcs.n * sizeof(ll_func *));
  tu->nclasses = c.classes.n;
  tu->classes = ll_arena_alloc(c.A, (c.classes.n ? c.classes.n : 1) * sizeof(ll_class));
  if (c.classes.n) memcpy(tu->classes, c.classes.v, c.classes.n * sizeof(ll_class));
  tu->nvars = c.vars.n;
  tu->vars = ll_arena_alloc(c.A, (c.vars.n ? c.vars.n : 1) * sizeof(ll_var));
  if (c.vars.n) memcpy(tu->vars, c.vars.v, c.vars.n * sizeof(ll_var));
  size_t kept = 0;
  for (size_t i = 0; i < c.files.n; i++) kept += c.files.v[i].kept;
  tu->files = ll_arena_alloc(c.A, (kept ? kept : 1) * sizeof(char *));
  tu->contents = ll_arena_alloc(c.A, (kept ? kept : 1) * sizeof(char *));
  tu->lens = ll_arena_alloc(c.A, (kept ? kept : 1) * sizeof(size_t));
  for (size_t i = 0; i < c.files.n; i++) {
    llf_file_ent *fe = &c.files.v[i];
    if (!fe->kept) continue;
    tu->files[tu->nfiles] = fe->display;
    tu->contents[tu->nfiles] = ll_text_intern(fe->contents, fe->contents ? fe->len : 0);
    tu->lens[tu->nfiles] = fe->contents ? fe->len : 0;
    tu->nfiles++;
  }
  /* var owners were recorded while building; fix up pointers in the copy */
  free(c.funcs.v);
  free(c.classes.v);
  free(c.vars.v);
  free(c.files.v);
  llf_decls_free(c.decls);
  free(c.refs.v);
  clang_disposeTranslationUnit(ctu);
  return tu;
}
