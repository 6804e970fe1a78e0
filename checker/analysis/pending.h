/* pending.h - the pending-operation search the channel rules share.
 *
 * Task side: how many blocking operations of one kind (sends, receives) on
 * a channel a task can perform on one path, following project calls.
 * Spawner side: a search from the spawn over the spawner's CFG, counting the
 * task's operations still outstanding; the matching operation, a close, a
 * cancel of the task, or the channel escaping to code we cannot see reduce
 * or clear the count (precision first). An exit reached with work
 * outstanding is a leak. Owner module: pending.c. */
#ifndef LL_PENDING_H
#define LL_PENDING_H

#include "cfgcache.h"
#include "chanref.h"
#include "task.h"

#define LL_PENDING_MANY 1000 /* an operation count meaning "unbounded" */
#define LL_PENDING_CFG_FLAGS LL_CFG_SCC /* try handlers unreachable; a process exit ends the path */

typedef struct ll_chan_ctx {
  const ll_program *p;
  const ll_rules *rules;
  ll_cfgs *cfgs;
} ll_chan_ctx;

typedef struct ll_pending_ops {
  int count;              /* max blocking ops of the wanted kind on one path (LL_PENDING_MANY = many) */
  const ll_node *op;      /* the first such op */
  const ll_func *op_fn;
  const ll_api *op_api;
  int until_closed;       /* the task loops on the op until the channel is closed */
  int other_block;        /* the task also blocks forever on the other direction first */
} ll_pending_ops;

/* The most blocking `want` operations on r that the task starting at entry
 * performs on one path (LL_PENDING_MANY: unbounded); ts says which. */
int ll_pending_count(ll_chan_ctx *x, const ll_func *entry, ll_chanref *r, ll_chan_op want, ll_pending_ops *ts);

typedef struct ll_pending_leak {
  int found;
  int exit_id;       /* node of the abandoning exit */
  int received;      /* some matching op happened on the path */
  int timed_id;      /* Timeout: the timed op that gives up (-1 none) */
} ll_pending_leak;

typedef struct ll_pending_side {
  ll_chan_ctx *x;
  const ll_spawn *sp;
  const ll_fcfg *c;
  ll_chanref *r;
  ll_chan_op match;      /* the spawner op that releases one task op */
  int spawn_id;
  int task_ops;       /* per spawn */
  int spawn_scc;
  char *drain_scc;    /* per scc: a loop that repeats the matching op (drains) */
} ll_pending_side;

/* The spawner may reach an exit with some of the task's operations pending. */
ll_pending_leak ll_pending_search_exists(ll_pending_side *s);
/* A timed matching operation gives up and its failure branch reaches an
 * exit with nothing else releasing the task. */
ll_pending_leak ll_pending_search_timeout(ll_pending_side *s);

/* A process exit or a jump we cannot follow: the path is not followed. */
int ll_pending_drops_path(const ll_cfg_node *g);
/* The if statement tests the call (in its condition or through its result). */
int ll_pending_if_tests(const ll_node *ifn, const ll_node *call);
/* Which branch of an if testing a spawn's result means the spawn failed:
 * 1 then, 0 else, -1 unknown. */
int ll_pending_spawn_failure_branch(const ll_func *fn, const ll_node *ifn);
/* Text of an if statement's condition, spaces removed (caller frees), or NULL. */
char *ll_pending_cond_text(const ll_func *fn, const ll_node *ifn);

#endif
