/* facts_decl.c - declaration maps (see facts_decl.h): one entry per
 * canonical cursor, in open-addressing tables at most half full. */
#include "facts_decl.h"

#include <stdlib.h>
#include <string.h>

typedef struct decl_ent {
  CXCursor decl; /* canonical */
  int used;      /* 0 = empty slot */
  llf_decl d;    /* the name map's entries */
  int var;       /* the variable map's entries: var_id */
} decl_ent;

typedef struct decl_map {
  decl_ent *v;
  size_t cap, n;
} decl_map;

struct llf_decls {
  decl_map vars;  /* variables */
  decl_map names; /* names */
};

llf_decls *llf_decls_new(void) { return ll_xcalloc(1, sizeof(llf_decls)); }

void llf_decls_free(llf_decls *d) {
  if (!d) return;
  free(d->vars.v);
  free(d->names.v);
  free(d);
}

static unsigned long long mix(unsigned long long h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

static void append_qual(ll_buf *b, CXCursor cur) {
  enum CXCursorKind k = clang_getCursorKind(cur);
  if (k == CXCursor_TranslationUnit || clang_Cursor_isNull(cur) || k == CXCursor_LinkageSpec ||
      clang_isInvalid(k))
    return;
  CXCursor parent = clang_getCursorSemanticParent(cur);
  int skip = 0;
  if (k == CXCursor_Namespace) {
    CXString s = clang_getCursorSpelling(cur);
    const char *cs = clang_getCString(s);
    skip = !cs || !*cs || clang_Cursor_isInlineNamespace(cur);
    clang_disposeString(s);
  } else if (!(k == CXCursor_ClassDecl || k == CXCursor_StructDecl || k == CXCursor_UnionDecl ||
               k == CXCursor_ClassTemplate || k == CXCursor_ClassTemplatePartialSpecialization ||
               k == CXCursor_EnumDecl)) {
    skip = 1; /* functions (local classes), etc. */
  }
  append_qual(b, parent);
  if (skip) return;
  CXString s = clang_getCursorSpelling(cur);
  const char *cs = clang_getCString(s);
  if (cs && *cs) {
    size_t n = strcspn(cs, "<");
    ll_buf_append(b, cs, n);
    ll_buf_puts(b, "::");
  }
  clang_disposeString(s);
}

/* The entry of decl (a canonical cursor) in m, or the empty slot where it
 * goes (used == 0: the caller fills it in and counts it in m->n). Grows m
 * first, which moves every entry. */
static decl_ent *decl_slot(decl_map *m, CXCursor decl) {
  if (m->n * 2 >= m->cap) {
    size_t ncap = m->cap ? m->cap * 2 : 256;
    decl_ent *nv = ll_xcalloc(ncap, sizeof *nv);
    for (size_t i = 0; i < m->cap; i++) {
      if (!m->v[i].used) continue;
      size_t j = mix(clang_hashCursor(m->v[i].decl)) & (ncap - 1);
      while (nv[j].used) j = (j + 1) & (ncap - 1);
      nv[j] = m->v[i];
    }
    free(m->v);
    m->v = nv;
    m->cap = ncap;
  }
  size_t j = mix(clang_hashCursor(decl)) & (m->cap - 1);
  while (m->v[j].used) {
    if (clang_equalCursors(m->v[j].decl, decl)) return &m->v[j];
    j = (j + 1) & (m->cap - 1);
  }
  return &m->v[j];
}

/* Qualified name of a declaration, template arguments removed. */
const llf_decl *llf_decl_name(llf_ctx *c, CXCursor decl) {
  decl = clang_getCanonicalCursor(decl);
  decl_ent *e = decl_slot(&c->decls->names, decl);
  if (e->used) return &e->d;
  e->used = 1;
  e->decl = decl;
  ll_buf b = {0};
  append_qual(&b, clang_getCursorSemanticParent(decl));
  CXString s = clang_getCursorSpelling(decl);
  const char *cs = clang_getCString(s);
  if (cs) {
    if (strncmp(cs, "operator", 8) == 0)
      ll_buf_puts(&b, cs);
    else
      ll_buf_append(&b, cs, strcspn(cs, "<"));
  }
  clang_disposeString(s);
  e->d.qname = ll_arena_strdup(c->A, b.data ? b.data : "");
  ll_buf_free(&b);
  e->d.is_system = llf_in_system(decl);
  if (!e->d.is_system) {
    CXCursor def = clang_getCursorDefinition(decl);
    e->d.usr = llf_str(c, clang_getCursorUSR(clang_Cursor_isNull(def) ? decl : def));
  }
  c->decls->names.n++;
  return &e->d;
}

int llf_var_id(llf_ctx *c, CXCursor decl, int create) {
  decl = clang_getCanonicalCursor(decl);
  decl_ent *e = decl_slot(&c->decls->vars, decl);
  if (e->used) return e->var;
  if (!create) return -1;
  ll_var v = {0};
  v.name = llf_str(c, clang_getCursorSpelling(decl));
  if (!v.name) v.name = "";
  v.type = llf_str(c, clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(decl))));
  v.loc = llf_loc(c, decl);
  v.owner = c->fn;
  v.is_param = clang_getCursorKind(decl) == CXCursor_ParmDecl;
  v.is_static = clang_Cursor_getStorageClass(decl) == CX_SC_Static;
  LL_VEC_PUSH(&c->vars, v);
  int id = (int)c->vars.n - 1;
  e->used = 1;
  e->decl = decl;
  e->var = id;
  c->decls->vars.n++;
  return id;
}

const char *llf_class_of_type(llf_ctx *c, CXType t) {
  t = clang_getCanonicalType(t);
  if (t.kind == CXType_Pointer || t.kind == CXType_LValueReference || t.kind == CXType_RValueReference)
    t = clang_getCanonicalType(clang_getPointeeType(t));
  CXCursor d = clang_getTypeDeclaration(t);
  if (clang_Cursor_isNull(d) || clang_getCursorKind(d) == CXCursor_NoDeclFound) return NULL;
  return llf_decl_name(c, d)->qname;
}
