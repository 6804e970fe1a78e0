/* ir.h - the facts leaklint extracts from a translation unit.
 *
 * facts.c walks libclang cursors once and writes this plain-C, structured
 * view of every function defined in the main file or a project header
 * (never system headers). Rules read only this IR: they never see libclang.
 *
 * Shape: a function has a body tree of ll_node. Control structure is kept
 * (block, if, loop, switch, return, break, continue, goto, label, try) so
 * rules can reason about paths. Every call expression becomes an LL_N_CALL
 * node, placed in evaluation order before the statement that contains it
 * (calls inside an if/loop condition live in that node's `cond` block).
 * Lambdas and blocks become functions of their own (ll_func.parent set).
 *
 * Identity across translation units: functions by USR, struct fields by the
 * field's USR, globals by USR. Local variables by (function-independent)
 * ids that are unique within one ll_tu; a lambda that captures a local refers
 * to the same var id as its enclosing function.
 *
 * Memory: everything in an ll_tu lives in its arena and is freed by
 * ll_tu_free. Strings are arena strings. */
#ifndef LL_IR_H
#define LL_IR_H

#include <stddef.h>
#include "rulepack.h"
#include "util.h"

typedef struct ll_loc {
  const char *file; /* display path (ll_path_display), interned in the tu */
  unsigned line, col, end_line, end_col;
  unsigned offset, end_offset; /* byte offsets in the file, for edits */
} ll_loc;

typedef struct ll_node ll_node;
typedef struct ll_func ll_func;

typedef enum {
  LL_V_OTHER = 0, /* anything not modelled below */
  LL_V_INT,       /* integer constant: ival (also enum constants, sizeof, ~0ull) */
  LL_V_VAR,       /* local variable or parameter: var */
  LL_V_GLOBAL,    /* global/static variable: usr, name */
  LL_V_FIELD,     /* base.name / base->name / implicit this->name: base, name, usr */
  LL_V_INDEX,     /* base[...] */
  LL_V_ADDR,      /* &base */
  LL_V_DEREF,     /* *base */
  LL_V_THIS,      /* C++ this */
  LL_V_FUNC,      /* reference to a function: usr, name (also &Cls::method) */
  LL_V_LAMBDA,    /* a lambda or block literal: fn */
  LL_V_CALL,      /* the result of a call: call (an LL_N_CALL node) */
  LL_V_STRING,    /* string literal */
  LL_V_NULL,      /* NULL / nullptr / 0 used as a pointer */
  LL_V_NEW        /* new-expression / heap allocation result */
} ll_value_kind;

typedef struct ll_value {
  ll_value_kind kind;
  int known;            /* 1 when ival holds the compile-time value */
  long long ival;
  int var;              /* LL_V_VAR: index into ll_tu.vars */
  const char *name;     /* FIELD/GLOBAL/FUNC: spelling */
  const char *usr;      /* FIELD/GLOBAL/FUNC: USR */
  struct ll_value *base;/* FIELD/INDEX/ADDR/DEREF */
  ll_func *fn;          /* LL_V_LAMBDA */
  ll_node *call;        /* LL_V_CALL */
  const char *type;     /* canonical type spelling of the expression */
  const char *text;     /* source text of the expression (may be NULL when huge) */
  ll_loc loc;
  int is_virtual;       /* LL_V_FUNC: a pointer to a virtual member (&Base::run): a call
                           through it dispatches to the object's overrider */
} ll_value;

typedef enum {
  LL_N_BLOCK,    /* kids[0..nkids): statements in order */
  LL_N_IF,       /* cond: block of condition calls; kids[0] then, kids[1] else (either may be NULL) */
  LL_N_LOOP,     /* init: block; cond: block; kids[0] body; inc: block */
  LL_N_SWITCH,   /* cond: block; kids[0] body (LL_N_CASE labels appear inside) */
  LL_N_CASE,     /* a case/default label inside a switch body */
  LL_N_BREAK,
  LL_N_CONTINUE,
  LL_N_RETURN,   /* value: returned value (may be NULL); also co_return */
  LL_N_THROW,
  LL_N_GOTO,     /* label: target name */
  LL_N_LABEL,    /* label: name */
  LL_N_TRY,      /* kids[0] body, kids[1..] handlers */
  LL_N_CALL,     /* a call; see the call fields */
  LL_N_ASSIGN,   /* lhs = rhs (also a variable declaration with an initializer) */
  LL_N_DECL      /* a variable declaration without initializer: lhs */
} ll_node_kind;

typedef enum {
  LL_LOOP_FOR, LL_LOOP_WHILE, LL_LOOP_DO, LL_LOOP_RANGE
} ll_loop_kind;

#define LL_MAX_APIS 4

struct ll_node {
  ll_node_kind kind;
  ll_loc loc;
  ll_node *parent;     /* enclosing node (NULL for a function body) */
  ll_func *func;       /* function this node belongs to */
  ll_node **kids;
  size_t nkids;

  /* IF / LOOP / SWITCH */
  ll_node *cond;       /* LL_N_BLOCK of calls evaluated by the condition (may be NULL) */
  int cond_const;      /* -1 unknown, 0 always false, 1 always true (for(;;), while(1)) */
  ll_value **cond_refs;/* variables/fields/calls read by the condition */
  size_t ncond_refs;
  int cond_negated;    /* the condition is `!x` of a single ref */
  /* LOOP */
  ll_loop_kind loop_kind;
  ll_node *init, *inc; /* blocks (may be NULL) */
  ll_value *range;     /* LL_LOOP_RANGE: the range expression */
  const char *range_class; /* its class, qualified, template args removed */

  /* RETURN / THROW */
  ll_value *value;
  /* GOTO / LABEL / CASE */
  const char *label;
  int is_default;      /* CASE: default label */

  /* ASSIGN / DECL */
  ll_value *lhs, *rhs;
  int is_decl;         /* ASSIGN from a declaration initializer */
  const char *op;      /* "=", "+=", ... */

  /* CALL */
  const char *callee;  /* qualified name, template args removed: "pthread_create",
                          "std::thread::thread", "boost::fibers::unbuffered_channel::push",
                          "operator||" */
  const char *callee_usr; /* USR of the called declaration (NULL when unknown) */
  const char *macro;   /* outermost macro the call was expanded from, or NULL */
  ll_value *obj;       /* implicit object of a member call (NULL otherwise) */
  const char *obj_class; /* class of obj, qualified, template args removed */
  const char *obj_type;  /* canonical type of obj including template args */
  ll_value **args;
  size_t nargs;
  ll_value *result_to; /* where the result is stored directly (x = f(), T x = f(), T x(args)) */
  ll_node *outer_call; /* the call whose argument (or object) this call is, or NULL */
  int result_used;     /* the result is used by an enclosing expression/statement */
  int is_construct;    /* constructor call (C++) */
  int is_temporary;    /* constructs a temporary (not a named variable) */
  int is_bracket_spawn;/* synthetic spawn from a prologue/epilogue macro */
  ll_node *bracket_task; /* is_bracket_spawn: the task call node */
  int in_coawait;      /* the call is the operand of co_await */
  const ll_api *apis[LL_MAX_APIS]; /* matching rule-pack entries */
  size_t napis;
  int is_virtual;      /* a virtual member call that dispatches on the object's dynamic type
                          (not `Base::f()`, not on an object value): the callee may be any
                          overrider in obj_class's hierarchy (ll_program_virtual_target) */
};

typedef struct ll_var {
  const char *name;
  const char *type;      /* canonical type spelling */
  ll_loc loc;            /* declaration */
  ll_func *owner;        /* function declaring it */
  int is_param;
  int param_index;       /* is_param: position */
  int is_static;         /* function-local static */
} ll_var;

struct ll_func {
  const char *name;      /* qualified name ("ns::Cls::run"), "<lambda>" / "<block>" */
  const char *usr;       /* NULL for lambdas/blocks */
  ll_loc loc;            /* declaration / literal location */
  ll_node *body;         /* LL_N_BLOCK */
  int *params;           /* var ids of parameters, in order */
  size_t nparams;
  ll_func *parent;       /* lambda/block: enclosing function */
  int *captures;         /* lambda/block: outer var ids referenced in the body */
  size_t ncaptures;
  int captures_this;     /* lambda captures this (or *this) */
  int is_lambda, is_block;
  int is_coroutine;      /* contains co_await/co_yield/co_return */
  const char *cls;       /* method: qualified class name */
  struct ll_tu *tu;
  /* virtual method: the USRs of every method it overrides, directly or
     through intermediate classes (clang_getOverriddenCursors, transitively) */
  const char **overrides;
  size_t noverrides;
  int is_implicit;       /* a constructor leaklint made for a class that declares none, to
                            hold its default member initialisers (`std::thread t{...};`);
                            or "<init G>", the stores of global G's initialiser list */
};

/* A class (or struct) defined in project code, and the classes it derives
 * from directly, by qualified name (template arguments removed, as ll_func.cls
 * and ll_node.obj_class spell them). */
typedef struct ll_class {
  const char *name;
  const char **bases;
  size_t nbases;
} ll_class;

typedef struct ll_tu {
  const char *main_file;  /* display path of the parsed source */
  ll_arena *arena;
  ll_func **funcs;        /* every function/lambda/block extracted */
  size_t nfuncs;
  ll_var *vars;
  size_t nvars;
  /* raw contents of files (main + project headers) for source text */
  const char **files;     /* display paths */
  const char **contents;  /* NUL-terminated file contents (ll_text_intern; released by ll_tu_free) */
  size_t *lens;
  size_t nfiles;
  /* every file the parse read (libclang's inclusions: computed includes and
     system headers too), as libclang names them; NULL in a decoded IR */
  const char **deps;
  size_t ndeps;
  ll_class *classes;      /* project C++ classes defined in this translation unit that have bases */
  size_t nclasses;
} ll_tu;

void ll_tu_free(ll_tu *tu); /* accepts NULL; frees the arena, releases the contents */

/* File contents shared by every TU of the run: TUs that include the same
 * header hold one copy (100+ copies of a big project header otherwise).
 * ll_text_intern returns a NUL-terminated copy of data[0..len), reference
 * counted; each call is paired with one ll_text_release (NULL is ignored).
 * Thread-safe. */
const char *ll_text_intern(const char *data, size_t len);
void ll_text_release(const char *text);
/* One more reference to an interned text (returns it). */
const char *ll_text_retain(const char *text);

/* The whole run: every translation unit's IR plus a run-wide index of
 * functions by USR (a function defined in a header that several TUs
 * include is indexed once). Built on the main thread after parsing. */
typedef struct ll_program ll_program;
ll_program *ll_program_new(void);
void ll_program_add(ll_program *p, ll_tu *tu); /* takes ownership */
void ll_program_index(ll_program *p);           /* after the adds; again after more adds (rebuilds) */
size_t ll_program_tu_count(const ll_program *p);
ll_tu *ll_program_tu(const ll_program *p, size_t i);
const ll_func *ll_program_find(const ll_program *p, const char *usr);
/* The definition a reference from translation unit `from` means: the one
 * in `from` itself, else the only definition in the program (a header
 * function shared by many TUs counts once); NULL when several files define
 * the USR and none is in `from` (separate programs in one tree: say nothing
 * rather than point at another program's code). from NULL: ll_program_find. */
const ll_func *ll_program_find_from(const ll_program *p, const char *usr, const ll_tu *from);
/* True when fn is the canonical copy of its USR (so rules report it once). */
int ll_program_is_canonical(const ll_program *p, const ll_func *fn);
/* True when class cls is base or derives from it, directly or not, in the
 * program's class hierarchy (every TU's ll_tu.classes). */
int ll_program_derives(const ll_program *p, const char *cls, const char *base);
/* The definitions in the program that override the method usr (directly or
 * not) and belong to cls or a class derived from it (cls NULL: any class), in
 * a deterministic order. Writes at most max of them to out; returns how many
 * there are. */
size_t ll_program_overriders(const ll_program *p, const char *usr, const char *cls, const ll_func **out,
                             size_t max);
/* The one definition a virtual call (call->is_virtual) or a pointer to a
 * virtual member (an LL_V_FUNC value with is_virtual) can reach in the
 * program: the called method's own definition, when it has one and could
 * run, and its overriders in the object's class hierarchy. NULL when there
 * is none or more than one (the target depends on the object: say nothing). */
const ll_func *ll_program_virtual_target(const ll_program *p, const char *usr, const char *obj_class);
void ll_program_free(ll_program *p);

/* Helpers for rules. */
const ll_api *ll_call_api(const ll_node *call, ll_role role); /* first matching api with role */
int ll_call_has_role(const ll_node *call, ll_role role);
ll_value *ll_call_arg(const ll_node *call, int index); /* NULL when out of range;
                                                          LL_ARG_OBJECT -> obj */
/* call, through its pack entry a, blocks with no time limit: a is not
 * non-blocking, its timeout argument is absent or means forever, and the call
 * does not race a timer (co_await (ch.async_receive(...) || timer.async_wait(...)),
 * make_parallel_group). */
int ll_call_waits_forever(const ll_node *call, const ll_api *a);
/* Innermost enclosing loop of n inside its own function, or NULL. */
ll_node *ll_enclosing_loop(const ll_node *n);
/* True when `inner` is inside (or equal to) `outer`. */
int ll_node_within(const ll_node *inner, const ll_node *outer);
/* Strips ADDR/DEREF wrappers. */
const ll_value *ll_value_strip(const ll_value *v);
/* True when a and b denote the same storage (same var, same field usr on the
 * same base or, for fields, the same field usr anywhere when loose != 0). */
int ll_value_same(const ll_value *a, const ll_value *b, int loose);
/* Source text of a location (pointer into tu contents; len out), or NULL. */
const char *ll_tu_text(const ll_tu *tu, const ll_loc *loc, size_t *len);

/* Pre-order visit of every node in a subtree (including nested blocks in
 * cond/init/inc). Return non-zero from fn to stop; ll_visit returns it. */
typedef int (*ll_visit_fn)(ll_node *n, void *ctx);
int ll_visit(ll_node *root, ll_visit_fn fn, void *ctx);

/* The shape every analysis relies on, for IR decoded from a cache entry
 * (arrays as the decoder allocated them): parent, outer_call, bracket_task,
 * value base and function parent chains end within 10000 links; structure (kids, cond, init,
 * inc) is a forest that agrees with the parent pointers; function bodies are
 * roots; every node's func is one of funcs. Then every parent-chain walk (ll_enclosing_loop, ll_node_within,
 * ll_program_is_canonical, races_timer) and ll_visit ends. O(size). */
int ll_ir_shape_ok(const ll_node *nodes, size_t nn, const ll_value *values, size_t nv, const ll_func *funcs,
                   size_t nf);

/* Debug dump of a translation unit's IR (tools/irdump, `leaklint --dump-ir`). */
#include <stdio.h>
void ll_ir_dump(FILE *out, const ll_tu *tu);

#endif
