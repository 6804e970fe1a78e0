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

/* struct initialisers store fields: {.ch = ch} or positional */
static void record_init(llf_ctx *c, CXType t, CXCursor init, ll_value *lhs) {
  llf_kids iks;
  llf_get_kids(init, &iks);
  CXCursor decl = clang_getTypeDeclaration(t);
  llf_kids fks;
  llf_get_kids(decl, &fks);
  int fi = 0;
  for (int i = 0; i < iks.n; i++) {
    CXCursor item = iks.v[i];
    CXCursor field = clang_getNullCursor();
    CXCursor val = item;
    llf_kids dk;
    llf_get_kids(item, &dk);
    if (dk.n >= 2 && clang_getCursorKind(dk.v[0]) == CXCursor_MemberRef) {
      field = clang_getCursorReferenced(dk.v[0]);
      val = dk.v[dk.n - 1];
    } else {
      while (fi < fks.n && clang_getCursorKind(fks.v[fi]) != CXCursor_FieldDecl) fi++;
      if (fi < fks.n) field = fks.v[fi++];
    }
    ll_value *rv = llf_expr(c, val);
    if (!clang_Cursor_isNull(field) && clang_getCursorKind(field) == CXCursor_FieldDecl) {
      ll_node *a = llf_new_node(c, LL_N_ASSIGN, item);
      a->lhs = llf_field_value(c, field, item, lhs);
      a->rhs = rv;
      a->op = "=";
      a->is_decl = 1;
      llf_emit(c, a);
    }
  }
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
  if (clang_Cursor_isNull(init) ||
      (clang_getCursorKind(init) == CXCursor_InitListExpr && t.kind == CXType_Record)) {
    if (!clang_Cursor_isNull(init)) record_init(c, t, init, lhs);
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
