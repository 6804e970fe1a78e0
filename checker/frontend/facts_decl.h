/* facts_decl.h - the declarations a translation unit's IR refers to: their
 * qualified names and USRs (functions, fields, globals, classes) and the
 * ids of local variables, each computed once per canonical cursor. Private
 * to checker/frontend/facts*.c. */
#ifndef LL_FACTS_DECL_H
#define LL_FACTS_DECL_H

#include "facts_priv.h"

/* What is known about a declaration. */
typedef struct llf_decl {
  const char *qname; /* qualified name, template arguments removed */
  const char *usr;   /* of its definition when the TU has one; NULL in system headers */
  int is_system;
} llf_decl;

llf_decls *llf_decls_new(void);
void llf_decls_free(llf_decls *d);

/* The name entry of a declaration (any of its cursors). */
const llf_decl *llf_decl_name(llf_ctx *c, CXCursor decl);
/* The variable id (index in c->vars) of a local or parameter declaration;
 * with create, a new variable owned by c->fn when it has none yet, else -1. */
int llf_var_id(llf_ctx *c, CXCursor decl, int create);
/* The qualified name of the class of type t (through a pointer or
 * reference), or NULL. */
const char *llf_class_of_type(llf_ctx *c, CXType t);

#endif
