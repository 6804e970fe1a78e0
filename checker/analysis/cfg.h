/* cfg.h - a function's IR lowered to a small control-flow graph, shared by
 * the channel and wait rules.
 *
 * One node per call, assignment, declaration, return/throw and branch point,
 * plus one implicit exit for the end of the body. Node ids are allocation
 * order: each block is lowered from its last statement back to its first, so
 * ids are stable for a given function and flags. Non-constant conditions are
 * both ways feasible; `if (0)` / `while (1)` keep only the feasible edge.
 * Select clauses (a clause call followed by its `if (0) {...}` body) get a
 * CLAUSE node in front of the body that runs when the clause fires; a
 * range-for gets a RANGE head (each iteration takes an element; the loop
 * ends when the range does). Try handlers are reachable only with
 * LL_CFG_CATCH_EDGES. The graph reads the IR and never changes it.
 * Owner module: cfg.c. */
#ifndef LL_CFG_H
#define LL_CFG_H

#include <stddef.h>
#include "ir.h"
#include "rulepack.h"

typedef enum {
  LL_CFG_NOP,     /* control only: branch points, loop heads, labels, break/continue */
  LL_CFG_STMT,    /* n: a call, assignment or declaration */
  LL_CFG_EXIT,    /* the function ends: n = return/throw/co_return or a pack's task-exit
                     call; n == NULL: the end of the body */
  LL_CFG_ABORT,   /* n: a call that ends the process (a pack's process_exit fact); no
                     successors unless LL_CFG_ABORT_FALLS_THROUGH */
  LL_CFG_UNKNOWN, /* n: a goto we cannot follow (computed, or to a label not in the function) */
  LL_CFG_CLAUSE,  /* clause: the select clause call whose body starts here; n = its IF */
  LL_CFG_RANGE    /* n: a range-for loop; successors: the body (through a NOP), the loop exit */
} ll_cfg_kind;

typedef struct ll_cfg_node {
  ll_cfg_kind kind;
  const ll_node *n;     /* the IR node (NULL only for the end-of-body EXIT) */
  const ll_node *clause;/* CLAUSE: the select clause call */
  int then_id, else_id; /* NOP of an LL_N_IF: the first node of each branch (-1 when infeasible) */
  int loop_head;        /* NOP: the header of loop n (where each iteration starts) */
  int task_exit;        /* ABORT: the call is also a pack's task exit */
  int *succ;            /* successors, in lowering order, without duplicates */
  size_t nsucc, capsucc;
} ll_cfg_node;

enum {
  LL_CFG_CATCH_EDGES = 1u << 0,         /* every call in a try body may throw into each of its
                                           handlers (without: handlers are unreachable) */
  LL_CFG_ABORT_FALLS_THROUGH = 1u << 1, /* an ABORT that is not a task exit also continues: the
                                           IR lays out both arms of `c ? x : abort()` (assert
                                           macros) in sequence, so the exit may not run */
  LL_CFG_LIB_EXITS = 1u << 2,           /* more ABORT calls: the packs' process_exit_more facts */
  LL_CFG_SCC = 1u << 3                  /* compute strongly connected components (ll_cfg_scc) */
};

typedef struct ll_cfg ll_cfg;

/* Lowers fn->body (flags: LL_CFG_* bits); fn must have a body. The packs
 * say which calls end the process (rules may be NULL: none do). Caller frees
 * with ll_cfg_free. */
ll_cfg *ll_cfg_build(const ll_func *fn, unsigned flags, const ll_rules *rules);
/* Accepts NULL. */
void ll_cfg_free(ll_cfg *c);
/* The function lowered; borrowed from the IR. */
const ll_func *ll_cfg_func(const ll_cfg *c);
/* The node array (ids 0..*n-1); borrowed until ll_cfg_free. */
const ll_cfg_node *ll_cfg_nodes(const ll_cfg *c, size_t *n);
/* Id of the node where the body starts. */
int ll_cfg_entry(const ll_cfg *c);
/* Id of the STMT node of IR node n, or -1. */
int ll_cfg_find(const ll_cfg *c, const ll_node *n);
/* With LL_CFG_SCC: the SCC id of every node (borrowed until ll_cfg_free; NULL without the
 * flag). SCC ids are in reverse topological order: an edge between two SCCs leads to a lower id. */
const int *ll_cfg_scc(const ll_cfg *c);
/* With LL_CFG_SCC: the number of SCCs (ids 0..count-1). */
int ll_cfg_scc_count(const ll_cfg *c);
/* With LL_CFG_SCC: node id lies on a cycle (its SCC has several nodes, or a self edge). */
int ll_cfg_in_cycle(const ll_cfg *c, int id);

#endif
