/* chanleak.h - the shared analysis behind unbuffered-send and
 * unbuffered-recv: for each spawn, the first way its task can block forever
 * on an unbuffered channel of the spawner (a leak record), found by the
 * pending-operation search (pending.h). Which spawns have a record is also
 * what later rules (timer-per-iteration's task form, wait-without-cancel)
 * read to leave those spawns alone. Owner module: chanleak.c. */
#ifndef LL_CHANLEAK_H
#define LL_CHANLEAK_H

#include "pass.h"
#include "pending.h"

typedef struct ll_chanleak {
  const ll_spawn *sp;         /* with its complete fate (ll_tasks_complete) */
  ll_chan_op op;              /* LL_OP_SEND or LL_OP_RECV: what the task blocks in */
  const ll_node *create;      /* the unbuffered channel's creation */
  const ll_api *capi;         /* its chan_create entry */
  const ll_value *cap_val;    /* its capacity argument, or NULL */
  ll_pending_ops ts;          /* the task's blocking operation */
  int task_ops;               /* how many (LL_PENDING_MANY: unbounded) */
  const ll_fcfg *cfg;         /* the function that returns with the task blocked */
  ll_pending_leak leak;       /* the exit in cfg (and, for a timeout, the op giving up) */
  int spawn_id;               /* the spawn's node in cfg (contract == 0) */
  int timeout;                /* a timed matching operation gives up */
  /* contract == 1: start creates the channel in its object and only stop ends
     the task; start_call (in cfg's function) is a call of start with no stop */
  int contract;
  const ll_func *start, *stop;
  const ll_node *start_call;
} ll_chanleak;

typedef struct ll_chanleaks ll_chanleaks;

/* The record of spawn i (indexed like the task model's spawns), or NULL. */
const ll_chanleak *ll_chanleaks_at(const ll_chanleaks *l, size_t i);

/* Requires ll_tasks_pass and ll_cfgs_pass; its result is an ll_chanleaks. */
extern const ll_pass ll_chanleaks_pass;

#endif
