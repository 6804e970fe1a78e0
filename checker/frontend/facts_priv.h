/* facts_priv.h - what the lowering stages of the facts extractor share
 * (private to checker/frontend/facts*.c; the public interface is facts.h).
 *
 * One libclang cursor walk lowers a translation unit to the IR (ir.h); the
 * stages are modules over one per-TU context:
 *   facts.c       entry point, libclang plumbing (files, locations, source
 *                 text, children), node construction, the top-level walk
 *   facts_decl.c  declaration maps: qualified names, USRs, variable ids
 *   facts_func.c  functions, lambdas and blocks, constructors' member
 *                 initialisers, classes
 *   facts_stmt.c  statements and declarations
 *   facts_expr.c  expressions
 *   facts_call.c  calls: callee, object, arguments, the packs' entries they
 *                 match, prologue/epilogue spawn macros (libdill's go())
 *   facts_init.c  aggregate initialisers (locals, compound literals, globals)
 *                 as field and element stores
 * Every string and node lives in the TU's arena (ctx.A). */
#ifndef LL_FACTS_PRIV_H
#define LL_FACTS_PRIV_H

#include "clangapi.h"
#include "facts.h"

/* A file the TU reads, with its contents as libclang has them. */
typedef struct llf_file_ent {
  CXFile file;
  const char *display;
  const char *contents;
  size_t len;
  int is_system;
  int kept; /* recorded in tu->files */
} llf_file_ent;

typedef struct llf_decls llf_decls; /* facts_decl.h */

/* The per-TU context of one extraction. */
typedef struct llf_ctx {
  ll_tu *tu;
  ll_arena *A;
  const ll_rules *rules;
  CXTranslationUnit ctu;
  LL_VEC(llf_file_ent) files;
  LL_VEC(ll_func *) funcs;
  LL_VEC(ll_var) vars;
  llf_decls *decls; /* names and variable ids of declarations */
  /* function being built */
  ll_func *fn;
  ll_node *block; /* where statements and calls are appended */
  /* condition reference collection */
  int collect;
  LL_VEC(ll_value *) refs;
  int coawait;     /* inside a co_await operand */
  ll_node *outer;  /* call whose arguments are being built */
  int stmt_level;  /* the expression being built is a whole statement */
  int depth;
  void *deps; /* record_inclusions: the path_vec being filled */
  LL_VEC(ll_class) classes; /* project classes defined in the TU */
  ll_node *stores; /* facts_init.c: where a global's initialiser stores go (else c->block) */
} llf_ctx;

/* ---- facts.c: libclang plumbing ---- */

/* An arena copy of s (NULL when empty); disposes s. */
const char *llf_str(llf_ctx *c, CXString s);
/* The entry of file f, recorded on first sight; NULL for no file. */
llf_file_ent *llf_file(llf_ctx *c, CXFile f);
/* Records fe in tu->files (a project file that holds a function). */
void llf_keep_file(llf_file_ent *fe);
ll_loc llf_loc(llf_ctx *c, CXCursor cur);
/* Source text of a cursor's extent (expansion locations), or NULL. */
const char *llf_text(llf_ctx *c, CXCursor cur, size_t max);
/* Spelling-location text starting at loc (for operator detection in
 * macro bodies too): a pointer into file contents, *avail bytes. */
const char *llf_spell_at(llf_ctx *c, CXSourceLocation loc, size_t *avail);
int llf_starts_word(const char *s, size_t avail, const char *w);
/* The length of the identifier at byte off of fe's contents (0 if none). */
size_t llf_ident_len(const llf_file_ent *fe, unsigned off);
int llf_in_system(CXCursor cur);

/* The first LLF_MAXKIDS children of a cursor. */
#define LLF_MAXKIDS 64
typedef struct llf_kids {
  CXCursor v[LLF_MAXKIDS];
  int n;
} llf_kids;
void llf_get_kids(CXCursor cur, llf_kids *k);
int llf_is_expr(CXCursor cur);
int llf_is_ref_kind(enum CXCursorKind k);
/* cur without parentheses, casts and implicit nodes of one child. */
CXCursor llf_strip_expr(CXCursor cur);

/* ---- facts.c: nodes and values ---- */

ll_node *llf_new_node(llf_ctx *c, ll_node_kind k, CXCursor cur);
/* Appends kid (ignored when NULL) to parent's children. */
void llf_add_kid(llf_ctx *c, ll_node *parent, ll_node *kid);
/* Puts kid at position i (padding with NULL children). */
void llf_set_kid(llf_ctx *c, ll_node *parent, size_t i, ll_node *kid);
ll_value *llf_new_value(llf_ctx *c, ll_value_kind k, CXCursor cur);
/* Appends n to the block being built. */
void llf_emit(llf_ctx *c, ll_node *n);

/* ---- the stages ---- */

/* facts_stmt.c: lowers statement cur into c->block. */
void llf_stmt(llf_ctx *c, CXCursor cur);
/* facts_stmt.c: emits the initialisation `lhs = rhs` of a declaration (or
 * a member initialiser) at `at`; a call's result initialises lhs. */
void llf_emit_init(llf_ctx *c, ll_value *lhs, ll_value *rhs, CXCursor at);
/* facts_expr.c: lowers expression cur (its calls are emitted into c->block
 * in evaluation order) and returns its value. */
ll_value *llf_expr(llf_ctx *c, CXCursor cur);
/* facts_expr.c: lowers the expression and statement children of cur. */
void llf_walk_children(llf_ctx *c, CXCursor cur);
/* facts_expr.c: sets v->known/ival when libclang evaluates cur to an integer. */
void llf_eval_int(llf_ctx *c, CXCursor cur, ll_value *v);
/* facts_expr.c: the field `field` of base (NULL: the caller sets it). */
ll_value *llf_field_value(llf_ctx *c, CXCursor field, CXCursor at, ll_value *base);
/* facts_expr.c: the call whose result v is (a call, or a new-expression's
 * construction), or NULL. */
ll_node *llf_result_call(ll_value *v);
/* facts_call.c: lowers call expression cur. */
ll_value *llf_call(llf_ctx *c, CXCursor cur);
/* facts_call.c: a prologue/epilogue spawn macro's expansion (libdill's
 * go()): emits the synthetic spawn call and returns its value; NULL when
 * cur is not one. */
ll_value *llf_bracket_spawn(llf_ctx *c, CXCursor cur);
/* facts_init.c: record and table types, whose initialiser lists are
 * lowered to one store per element. */
int llf_is_aggregate(CXType t);
/* facts_init.c: the stores `base.field = v` / `base[] = v` of initialiser
 * list init of an object of type t, emitted into c->block. */
void llf_init_list(llf_ctx *c, CXType t, CXCursor init, ll_value *base);
/* facts_init.c: a global variable's initialiser list, as a function of its
 * own holding the stores (none when it stores nothing). */
void llf_global_init(llf_ctx *c, CXCursor cur);
/* facts_func.c: a lambda or block literal, as a function of its own. */
ll_func *llf_lambda(llf_ctx *c, CXCursor cur, int is_block);
/* facts_func.c: a function definition (top level or a class member). */
void llf_function(llf_ctx *c, CXCursor cur);
/* facts_func.c: a class definition: its bases, its implicit constructor. */
void llf_record_class(llf_ctx *c, CXCursor cur);

#endif
