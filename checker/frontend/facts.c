/* facts.c - parse one translation unit with libclang and extract the IR
 * (ir.h): the entry point, the libclang plumbing the lowering stages share
 * (facts_priv.h lists them) and the walk over the top-level declarations.
 * Only the facts*.c modules see cursors; libclang itself is reached through
 * clangapi.h (checker/README.md says who else calls it).
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
  case CXCursor_VarDecl:
    llf_global_init(c, cur);
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
