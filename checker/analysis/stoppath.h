/* stoppath.h - the stop side of a task, for stop-cannot-wake: which
 * functions the task runs, which flags its conditions read, where a stop
 * path writes one of them and then joins the task, and which calls that stop
 * path makes (so a rule can ask whether any of them reaches what the task is
 * parked on). Identity of flags and primitives: ll_value_same with loose
 * fields (a field USR on any base), globals by USR; what is not a field or a
 * global has no identity here and the callers say nothing about it.
 * Owner module: stoppath.c. Read-only over an indexed ll_program. */
#ifndef LL_STOPPATH_H
#define LL_STOPPATH_H

#include <stddef.h>
#include "ir.h"
#include "rulepack.h"
#include "sync.h"

#define LL_TASK_MAX_FNS 48
#define LL_TASK_MAX_CONDS 256

typedef LL_VEC(const ll_node *) ll_nodevec;

/* The functions a task runs: its entry and the project functions it calls
 * (not through pack APIs), depth bounded. looped[i]: fns[i] runs inside a
 * loop of the task (it is called from a loop, or from a function that is). */
typedef struct ll_taskfns {
  const ll_func *fns[LL_TASK_MAX_FNS];
  int looped[LL_TASK_MAX_FNS];
  size_t n;
  /* the loops and ifs of those functions (the conditions a stop flag is
     read in; beyond LL_TASK_MAX_CONDS a read is missed, so a stop path is
     not found and nothing is said) */
  const ll_node *conds[LL_TASK_MAX_CONDS];
  size_t nconds;
} ll_taskfns;

/* The project function a call runs: ll_resolve_callee, or the member of a
 * class template an instantiation's call runs, when exactly one fits. */
const ll_func *ll_stop_resolve(const ll_program *p, const ll_node *call);

void ll_taskfns_collect(const ll_program *p, const ll_func *entry, ll_taskfns *out);
int ll_taskfns_has(const ll_taskfns *t, const ll_func *fn);

/* v (stripped) has an identity here: a field or a global. */
int ll_stop_ident(const ll_value *v);

/* The flag node n writes (an assignment to a field/global, operator= on
 * one, a call the packs call observable on one or on its address), or NULL. */
const ll_value *ll_stop_written_flag(const ll_rules *rules, const ll_node *n);

/* The condition of loop or if node c reads flag (directly, through an
 * atomic's conversion, or through a project predicate it calls). */
int ll_stop_cond_reads(const ll_program *p, const ll_node *c, const ll_value *flag);

/* Some condition (loop, if, or a project predicate they call) of the task
 * reads flag. */
int ll_task_reads_flag(const ll_program *p, const ll_taskfns *t, const ll_value *flag);

/* A stop path of a joined task: a function that writes a flag the task
 * reads and then (in it, or in a function it calls afterwards) joins. */
typedef struct ll_stoppath {
  const ll_node *write;  /* the flag write */
  const ll_value *flag;  /* the flag written */
  const ll_node *join;   /* the join that waits for the task */
  const ll_func *fn;     /* the function holding the join */
  const ll_func *caller; /* when the write is in a caller of fn: that caller, else NULL */
  /* every call the stop path makes (fn, caller, and the project functions
     they call, depth bounded); owned, free with ll_stoppath_free */
  ll_nodevec calls;
} ll_stoppath;

/* The program, packs and sync analysis (its call graph) a rule asks
 * about. Owned by the caller. */
typedef struct ll_stopctx ll_stopctx;
ll_stopctx *ll_stopctx_new(const ll_program *p, const ll_rules *rules, const ll_sync *sync);
void ll_stopctx_free(ll_stopctx *c); /* accepts NULL */

/* Finds the stop path that ends with `join` (a join call of the task).
 * Returns 1 and fills sp, or 0 (nothing to free then). */
int ll_stoppath_find(ll_stopctx *c, const ll_taskfns *t, const ll_node *join, ll_stoppath *sp);
void ll_stoppath_free(ll_stoppath *sp);

/* The calls of the program that resolve to fn (canonical functions only);
 * writes up to max, returns how many were found (capped at max). */
size_t ll_stop_callers(ll_stopctx *c, const ll_func *fn, const ll_node **out, size_t max);

/* The calls fn makes before offset `before` (what runs after a join cannot
 * wake the task it waits for), with the calls of the project functions they
 * run, appended to out. */
void ll_stop_calls_before(const ll_program *p, const ll_func *fn, unsigned before, ll_nodevec *out);

/* Every call of fn's body and of the project functions it calls (depth
 * bounded, each function once) appended to out. */
void ll_stop_calls_from(const ll_program *p, const ll_func *fn, ll_nodevec *out);

#endif
