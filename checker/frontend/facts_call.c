/* facts_call.c - calls: the callee and its USR, the object of a member
 * call, the arguments with their text and constants, the pack entries the
 * call matches (overload filters, factories), and the synthetic spawns of
 * prologue/epilogue macros (libdill's and libmill's go()). */
#include "facts_decl.h"
#include "facts_priv.h"

#include <stdlib.h>
#include <string.h>

typedef struct bracket_scan {
  llf_ctx *c;
  const ll_api *api;
  CXCursor prologue;
  CXCursor task;
  int found_pro, found_task;
  int pass; /* 1: find the prologue call; 2: find the task before the epilogue */
} bracket_scan;

static int call_named(llf_ctx *c, CXCursor cur, const char *name) {
  if (clang_getCursorKind(cur) != CXCursor_CallExpr) return 0;
  CXCursor ref = clang_getCursorReferenced(cur);
  if (clang_Cursor_isNull(ref)) return 0;
  const llf_decl *ne = llf_decl_name(c, ref);
  return ne->qname && strcmp(ne->qname, name) == 0;
}

static enum CXChildVisitResult bracket_cb(CXCursor cur, CXCursor parent, CXClientData d) {
  (void)parent;
  bracket_scan *s = d;
  enum CXCursorKind k = clang_getCursorKind(cur);
  if (k == CXCursor_CallExpr && s->pass == 1 && !s->found_pro) {
    CXCursor ref = clang_getCursorReferenced(cur);
    if (!clang_Cursor_isNull(ref)) {
      const llf_decl *ne = llf_decl_name(s->c, ref);
      const ll_api *api = NULL;
      if (ne->qname && ll_rules_is_prologue(s->c->rules, ne->qname, &api)) {
        s->api = api;
        s->prologue = cur;
        s->found_pro = 1;
        return CXChildVisit_Break;
      }
    }
  }
  if (k == CXCursor_CompoundStmt && s->pass == 2 && !s->found_task) {
    llf_kids ks;
    llf_get_kids(cur, &ks);
    for (int i = 1; i < ks.n; i++) {
      if (call_named(s->c, llf_strip_expr(ks.v[i]), s->api->epilogue)) {
        CXCursor t = llf_strip_expr(ks.v[i - 1]);
        if (clang_getCursorKind(t) == CXCursor_CallExpr) {
          s->task = t;
          s->found_task = 1;
        }
        return CXChildVisit_Break;
      }
    }
  }
  return CXChildVisit_Recurse;
}

/* A go() macro expansion: emits the synthetic spawn call and returns its
 * value, or NULL when cur is not one. */
ll_value *llf_bracket_spawn(llf_ctx *c, CXCursor cur) {
  bracket_scan s = {0};
  s.c = c;
  s.pass = 1;
  clang_visitChildren(cur, bracket_cb, &s);
  if (!s.found_pro) return NULL;
  if (s.api->epilogue) {
    s.pass = 2;
    clang_visitChildren(cur, bracket_cb, &s);
  }
  ll_node *n = llf_new_node(c, LL_N_CALL, cur);
  n->callee = s.api->callee;
  n->is_bracket_spawn = 1;
  n->apis[0] = s.api;
  n->napis = 1;
  n->result_used = 1;
  /* the macro name at the expansion site */
  CXFile f;
  unsigned off;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(cur)), &f, NULL, NULL, &off);
  llf_file_ent *fe = llf_file(c, f);
  size_t l = fe && fe->contents && off < fe->len ? llf_ident_len(fe, off) : 0;
  if (l) n->macro = ll_arena_strndup(c->A, fe->contents + off, l);
  /* prologue arguments (bundle handle etc.) */
  int na = clang_Cursor_getNumArguments(s.prologue);
  if (na > 0) {
    n->args = ll_arena_alloc(c->A, (size_t)na * sizeof(ll_value *));
    ll_node *saved_outer = c->outer;
    c->outer = n;
    for (int i = 0; i < na; i++) n->args[i] = llf_expr(c, clang_Cursor_getArgument(s.prologue, (unsigned)i));
    c->outer = saved_outer;
    n->nargs = (size_t)na;
  }
  if (s.found_task) {
    /* the task call is built in a detached block: its argument calls run
       before the spawner continues, so they are emitted here too */
    ll_node *tb = llf_new_node(c, LL_N_BLOCK, s.task);
    ll_node *saved = c->block;
    c->block = tb;
    ll_value *tv = llf_expr(c, s.task);
    c->block = saved;
    for (size_t i = 0; i + 1 < tb->nkids; i++) llf_emit(c, tb->kids[i]);
    if (tv && tv->kind == LL_V_CALL) {
      n->bracket_task = tv->call;
      tv->call->parent = n;
      tv->call->result_used = 0;
    }
  }
  llf_emit(c, n);
  ll_value *v = llf_new_value(c, LL_V_CALL, cur);
  v->call = n;
  return v;
}

static int is_member_op_call(CXCursor ref) {
  return clang_getCursorKind(ref) == CXCursor_CXXMethod && !clang_CXXMethod_isStatic(ref);
}

/* The object expression of a member call: the base of the callee's
 * MemberRefExpr (implicit this when absent). */
static ll_value *member_object(llf_ctx *c, CXCursor call) {
  llf_kids ks;
  llf_get_kids(call, &ks);
  if (ks.n == 0) return NULL;
  CXCursor callee = llf_strip_expr(ks.v[0]);
  if (clang_getCursorKind(callee) != CXCursor_MemberRefExpr) return NULL;
  llf_kids mk;
  llf_get_kids(callee, &mk);
  for (int i = 0; i < mk.n; i++) {
    if (llf_is_expr(mk.v[i])) {
      ll_value *v = llf_expr(c, mk.v[i]);
      if (v && !v->type)
        v->type = llf_str(c, clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(mk.v[i]))));
      return v;
    }
  }
  ll_value *t = llf_new_value(c, LL_V_THIS, call);
  return t;
}

/* The arguments of call written in the source: n->nargs without the trailing
 * ones the compiler fills in from default arguments (they have no extent).
 * Packs count these, because overloads differ there: Qt's
 * QWaitCondition::wait(&m) takes a defaulted forever deadline, and
 * wait(&m, ms) is another function. */
static int spelled_args(CXCursor call, const ll_node *n) {
  int total = clang_Cursor_getNumArguments(call), spelled = (int)n->nargs;
  for (int i = total - 1; i >= 0 && spelled > 0; i--, spelled--)
    if (!clang_Range_isNull(clang_getCursorExtent(clang_Cursor_getArgument(call, (unsigned)i)))) break;
  return spelled;
}

/* Attaches to n the entries of found[0..total) whose overload filter its
 * `spelled` written arguments pass (constructor entries only when ctor_only). */
static void add_apis(ll_node *n, const ll_api *const *found, size_t total, int spelled, int ctor_only) {
  for (size_t i = 0; i < total && n->napis < LL_MAX_APIS; i++) {
    const ll_api *a = found[i];
    if (ctor_only && a->match != LL_MATCH_CONSTRUCTOR) continue;
    if (spelled < a->min_args) continue;
    if (a->max_args >= 0 && spelled > a->max_args) continue;
    if (a->requires_arg_text) {
      ll_value *v = ll_call_arg(n, a->requires_arg);
      if (!v || !v->text || !strstr(v->text, a->requires_arg_text)) continue;
    }
    n->apis[n->napis++] = a;
  }
}

static void match_apis(llf_ctx *c, ll_node *n, CXCursor cur) {
  if (!n->callee || !c->rules) return;
  const ll_api *found[16];
  size_t total = ll_rules_lookup(c->rules, n->callee, found, 16);
  if (total > 16) total = 16;
  if (total == 0 && n->obj_class) {
    /* a method declared in a base class: try the object's class too */
    const char *last = strrchr(n->callee, ':');
    if (last) {
      char *alt = ll_xasprintf("%s::%s", n->obj_class, last + 1);
      total = ll_rules_lookup(c->rules, alt, found, 16);
      if (total > 16) total = 16;
      free(alt);
    }
  }
  add_apis(n, found, total, spelled_args(cur, n), 0);
}

/* std::make_unique<std::thread>(f, this): a factory (pack fact) constructs
 * its first template argument from the call's arguments, so the call is that
 * class's construction, handle in the returned pointer. */
static void match_factory(llf_ctx *c, ll_node *n, CXCursor cur) {
  if (n->napis || !n->callee || !c->rules || !ll_rules_fact(c->rules, LL_FACT_FACTORY, n->callee)) return;
  CXType rt = clang_getCanonicalType(clang_getCursorType(cur));
  if (clang_Type_getNumTemplateArguments(rt) < 1) return;
  CXType at = clang_getCanonicalType(clang_Type_getTemplateArgumentAsType(rt, 0));
  CXCursor d = clang_getTypeDeclaration(at);
  if (clang_Cursor_isNull(d) || clang_getCursorKind(d) == CXCursor_NoDeclFound) return;
  const char *cls = llf_decl_name(c, d)->qname;
  const char *last = strrchr(cls, ':');
  char *ctor = ll_xasprintf("%s::%s", cls, last ? last + 1 : cls);
  const ll_api *found[16];
  size_t total = ll_rules_lookup(c->rules, ctor, found, 16);
  free(ctor);
  add_apis(n, found, total > 16 ? 16 : total, spelled_args(cur, n), 1);
  if (n->napis) n->is_construct = 1;
}

/* Calls that are not calls for the rules: a library constructor no pack
 * knows, the compiler's co_await plumbing, a pass-through member operator.
 * Returns the value they stand for, or NULL for an ordinary call. */
static ll_value *transparent_call(llf_ctx *c, CXCursor cur, CXCursor ref, const llf_decl *ne, int is_ctor,
                                  int nargs) {
  /* Constructors of library classes that no pack knows (conversions,
     copies, std::function, locks): transparent. */
  if (is_ctor && ne && ne->is_system && c->rules) {
    const ll_api *tmp[1];
    if (ll_rules_lookup(c->rules, ne->qname, tmp, 1) == 0) {
      if (nargs == 1) return llf_expr(c, clang_Cursor_getArgument(cur, 0));
      for (int i = 0; i < nargs; i++) (void)llf_expr(c, clang_Cursor_getArgument(cur, (unsigned)i));
      return llf_new_value(c, LL_V_OTHER, cur);
    }
  }

  /* co_await plumbing the compiler adds: promise.await_transform(x) is x */
  if (ne && ne->is_system && nargs == 1) {
    const char *last = strrchr(ne->qname, ':');
    if (last && strcmp(last + 1, "await_transform") == 0)
      return llf_expr(c, clang_Cursor_getArgument(cur, 0));
  }
  /* p->join() through a smart pointer: a member operator whose value is its
     object (pass_through, `std::unique_ptr::operator->`) reads through it,
     so the handle in p is the one used */
  if (ne && ne->is_system && nargs == 1 && !is_ctor && is_member_op_call(ref) && c->rules &&
      ll_rules_fact(c->rules, LL_FACT_PASS_THROUGH, ne->qname)) {
    ll_value *d = llf_new_value(c, LL_V_DEREF, cur);
    d->base = llf_expr(c, clang_Cursor_getArgument(cur, 0));
    return d;
  }
  return NULL;
}

static void call_macro(llf_ctx *c, ll_node *n, CXCursor cur) {
  CXFile ef;
  unsigned eo;
  clang_getExpansionLocation(clang_getRangeStart(clang_getCursorExtent(cur)), &ef, NULL, NULL, &eo);
  llf_file_ent *fe = llf_file(c, ef);
  if (!fe || !fe->contents || eo >= fe->len) return;
  size_t len = llf_ident_len(fe, eo);
  const char *last = strrchr(n->callee, ':');
  last = last ? last + 1 : n->callee;
  if (len && (strlen(last) != len || strncmp(last, fe->contents + eo, len) != 0)) {
    /* a member call starts with its object: only plain identifiers
       followed by '(' are macro invocations */
    size_t k = eo + len;
    while (k < fe->len && (fe->contents[k] == ' ' || fe->contents[k] == '\t')) k++;
    if (k < fe->len && fe->contents[k] == '(')
      n->macro = ll_arena_strndup(c->A, fe->contents + eo, len);
  }
}

/* The object of a member call: an operator's first argument (then the
 * arguments start at 1, the return value), or the callee's base. */
static int call_object(llf_ctx *c, ll_node *n, CXCursor cur, CXCursor ref, int nargs) {
  int is_op = n->callee && strncmp(n->callee + (strrchr(n->callee, ':') ? (size_t)(strrchr(n->callee, ':') - n->callee + 1) : 0), "operator", 8) == 0;
  if (is_op && nargs > 0) {
    CXCursor a0 = clang_Cursor_getArgument(cur, 0);
    n->obj = llf_expr(c, a0);
    n->obj_type = llf_str(c, clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(a0))));
    n->obj_class = llf_class_of_type(c, clang_getCursorType(a0));
    return 1;
  }
  n->obj = member_object(c, cur);
  /* the object's own class (the method may be declared in a base) */
  llf_kids ks0;
  llf_get_kids(cur, &ks0);
  CXCursor callee = ks0.n ? llf_strip_expr(ks0.v[0]) : clang_getNullCursor();
  llf_kids mk;
  if (!clang_Cursor_isNull(callee) && clang_getCursorKind(callee) == CXCursor_MemberRefExpr) {
    llf_get_kids(callee, &mk);
    for (int i = 0; i < mk.n; i++)
      if (llf_is_expr(mk.v[i])) {
        n->obj_class = llf_class_of_type(c, clang_getCursorType(llf_strip_expr(mk.v[i])));
        break;
      }
  }
  if (!n->obj_class) n->obj_class = llf_decl_name(c, clang_getCursorSemanticParent(ref))->qname;
  if (n->obj) n->obj_type = n->obj->type;
  return 0;
}

/* The arguments from first_arg on, each with its text and constant. */
static void call_args(llf_ctx *c, ll_node *n, CXCursor cur, int first_arg, int nargs) {
  n->nargs = (size_t)(nargs - first_arg);
  n->args = ll_arena_alloc(c->A, n->nargs * sizeof(ll_value *));
  for (int i = first_arg; i < nargs; i++) {
    CXCursor a = clang_Cursor_getArgument(cur, (unsigned)i);
    ll_value *v = llf_expr(c, a);
    if (!v) v = llf_new_value(c, LL_V_OTHER, a);
    if (!v->text) v->text = llf_text(c, a, 256);
    if (!v->known) llf_eval_int(c, a, v);
    n->args[i - first_arg] = v;
  }
}

ll_value *llf_call(llf_ctx *c, CXCursor cur) {
  CXCursor ref = clang_getCursorReferenced(cur);
  const llf_decl *ne = NULL;
  enum CXCursorKind rk = CXCursor_NoDeclFound;
  if (!clang_Cursor_isNull(ref)) {
    rk = clang_getCursorKind(ref);
    if (rk == CXCursor_FunctionDecl || rk == CXCursor_CXXMethod || rk == CXCursor_Constructor ||
        rk == CXCursor_Destructor || rk == CXCursor_ConversionFunction ||
        rk == CXCursor_FunctionTemplate)
      ne = llf_decl_name(c, ref);
  }
  int is_ctor = rk == CXCursor_Constructor;
  int nargs = clang_Cursor_getNumArguments(cur);
  if (nargs < 0) nargs = 0;
  ll_value *tv = transparent_call(c, cur, ref, ne, is_ctor, nargs);
  if (tv) return tv;

  ll_node *n = llf_new_node(c, LL_N_CALL, cur);
  n->result_used = 1;
  n->outer_call = c->outer;
  n->in_coawait = c->coawait;
  n->is_construct = is_ctor;
  if (ne) {
    n->callee = ne->qname;
    n->callee_usr = ne->usr;
  } else {
    /* calls through pointers, dependent calls: use the spelling */
    n->callee = llf_str(c, clang_getCursorSpelling(cur));
  }
  if (n->callee && !is_ctor) call_macro(c, n, cur);

  ll_node *saved_outer = c->outer;
  c->outer = n;
  int first_arg = 0;
  if (!is_ctor && !clang_Cursor_isNull(ref) && is_member_op_call(ref)) first_arg = call_object(c, n, cur, ref, nargs);
  if (nargs > first_arg) {
    call_args(c, n, cur, first_arg, nargs);
  } else if (!is_ctor && nargs == 0 && clang_Cursor_isNull(ref)) {
    /* unresolved (dependent) call: still walk the children for nested calls */
    llf_walk_children(c, cur);
  }
  c->outer = saved_outer;
  match_apis(c, n, cur);
  if (ne && ne->is_system) match_factory(c, n, cur);
  if (!is_ctor && rk == CXCursor_CXXMethod && n->obj && clang_Cursor_isDynamicCall(cur)) n->is_virtual = 1;
  llf_emit(c, n);
  ll_value *v = llf_new_value(c, LL_V_CALL, cur);
  v->call = n;
  return v;
}
