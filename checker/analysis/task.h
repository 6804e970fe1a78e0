/* task.h - the task model shared by the channel and wait rules: every spawn
 * site in the program, its task body, the values bound to the body's
 * parameters, and what the spawner does with the handle.
 *
 * A spawn is any call carrying a spawn entry in apis[]: a pack entry, or
 * one inferred from the project's own wrapper (summary.h attaches those to
 * the calls before the passes run, so `create_worker(worker, arg)` is a spawn
 * of worker here with nothing special in this module; the pthread_create
 * inside create_worker, whose entry is a parameter, stays unresolved and
 * silent). The task body is resolved, never guessed: a function or lambda
 * (the definition in the spawner's own TU first: ll_program_find_from), a
 * coroutine call, the function a bind_call fact wraps, or the one function
 * ever stored into the field the entry is read from (`t->fn`, set directly
 * or through the parameter of a storing function at all of its calls).
 * Anything else leaves entry NULL; `leaklint --list-tasks` says why.
 * A thread class's start() whose trampoline calls a virtual run() that
 * several classes override adds one spawn per call of start() on an object
 * of known class (`Worker w; w.start();`, a member, `new Worker(...)`):
 * site = that call, entry = that class's run(), the handle and fate of the
 * spawn inside start(). The data a pool's worker takes from a pool_push
 * entry (g_thread_pool_push's item) is bound like a spawn's data_arg.
 * Owner module: task.c. Read-only over an indexed ll_program. */
#ifndef LL_TASK_H
#define LL_TASK_H

#include <stddef.h>
#include "ir.h"
#include "pass.h"
#include "rulepack.h"

/* What happens to a task's handle in the spawner (bit set). */
enum {
  LL_FATE_DISCARDED = 1u << 0, /* handle dropped at the spawn (or none exists) */
  LL_FATE_KEPT = 1u << 1,      /* stored in a local/field/container */
  LL_FATE_JOINED = 1u << 2,    /* joined somewhere in the project */
  LL_FATE_DETACHED = 1u << 3,  /* detached (call, attribute, or by design) */
  LL_FATE_CANCELLED = 1u << 4, /* cancelled (pthread_cancel, hclose, request_stop...) */
  LL_FATE_ESCAPES = 1u << 5,   /* handle escapes to code we do not see */
  LL_FATE_JOIN_ON_DESTROY = 1u << 6 /* jthread / std::async future */
};

typedef struct ll_spawn {
  const ll_node *site;     /* the spawning call / construction / bracket spawn */
  const ll_func *spawner;  /* function containing site */
  const ll_api *api;       /* the matching spawn entry */
  const ll_func *entry;    /* task body (named function, lambda, block); NULL = unknown */
  const ll_node *entry_call; /* when the task is a call expression (libdill go(f(a)),
                                co_spawn(ex, f(a), ...)): that call; else NULL */
  ll_value **bind;         /* bind[i] = spawner-side value passed to entry param i (may be NULL) */
  size_t nbind;
  const ll_value *handle;  /* where the handle is stored; NULL = discarded/none */
  unsigned fate;           /* LL_FATE_* bits */
  const ll_node *join_site, *detach_site, *cancel_site; /* first of each, or NULL */
  const ll_node *loop;     /* innermost loop in the spawner containing site, or NULL */
  int via_container;       /* emplace_back/push_back into a container of tasks */
} ll_spawn;

typedef struct ll_spawns {
  ll_spawn *v;
  size_t n, cap;
} ll_spawns;

/* Finds every spawn in canonical functions of the program, with tasks
 * constructed in place in a container (vector<std::thread>::emplace_back(f,
 * args...)) recognised through the packs' constructor spawn entries. */
void ll_spawns_find_rules(const ll_program *p, const ll_rules *rules, ll_spawns *out);
void ll_spawns_free(ll_spawns *s);

/* The task model of a run: the result of ll_tasks_pass. */
typedef struct ll_tasks ll_tasks;

/* The spawns with the fate their handle has where it is stored at the
 * spawn (fate, handle and sites as ll_spawns_find_rules leaves them). */
const ll_spawns *ll_tasks_spawns(const ll_tasks *t);
/* Spawn i with its complete fate: also the joins, detaches and cancels
 * through copies of the handle into a field, global or array element
 * (`threads[i] = t`) and of the object a task is move-assigned to
 * (`th = std::async(f)`), which may set the handle. Computed once, on first
 * request (it scans the program per copy); owned by t. */
const ll_spawn *ll_tasks_complete(ll_tasks *t, size_t i);

/* The analysis pass whose result is the run's ll_tasks. */
extern const ll_pass ll_tasks_pass;

/* The project definition a call resolves to (by USR, run-wide), or NULL. */
const ll_func *ll_resolve_callee(const ll_program *p, const ll_node *call);

#endif
