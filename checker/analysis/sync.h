/* sync.h - who wakes, who writes, and which mutexes are held: the shared
 * analysis of the stop-path rules (lost-wakeup, stop-cannot-wake).
 *
 * Program-wide over the IR (canonical functions only, lambdas included):
 *  - a key names the primitive or flag a value denotes: a field by its USR
 *    (whatever the base object, like the channel rules' loose fields), a
 *    global by its USR, a local variable by (tu, var) (a lambda shares its
 *    enclosing function's ids). ADDR/DEREF, array indexing and pass-through
 *    calls are stripped. Anything else has no key (NULL): say nothing.
 *  - sites: every wait, waker (a pack's signal or close on the same key),
 *    lock, unlock and write (an assignment to a field or global, a call of
 *    a pack's "observable" store on it: std::atomic store / operator=,
 *    __sync_*, or a project call passing its address to a function that
 *    stores through that parameter: set_flag(&s->stop)) with its function.
 *  - lock sets, intraprocedural on the CFG (cfg.h), computed per function on
 *    first request: the mutexes (keys) certainly held (must) and possibly
 *    held (may) at a node. A pack "lock" call takes its object; "unlock"
 *    releases it; a "lock" constructor flagged "raii" (a guard object) holds
 *    its mutex until the end of the guard's scope or the guard's own
 *    unlock() ("unlock" on the guard), and the guard's lock() takes it again.
 *
 * API note (additive from here on; stop-cannot-wake builds on it):
 *   ll_sync *s = ll_pass_result_of(ctx, &ll_sync_pass);
 *   const char *k = ll_sync_key(s, fn->tu, value);         // NULL: unknown
 *   n = ll_sync_wakers(s, k, &sites);   n = ll_sync_writers(s, k, &sites);
 *   n = ll_sync_waits(s, &sites);       ll_sync_held(s, node, mutex_key);
 * Keys are interned: equal keys are equal pointers. Everything returned is
 * owned by the ll_sync and lives until the passes have run.
 * Owner module: sync.c. */
#ifndef LL_SYNC_H
#define LL_SYNC_H

#include <stddef.h>
#include "ir.h"
#include "pass.h"

typedef enum {
  LL_SYNC_WAIT,   /* a pack wait (cond, semaphore, ...) on key */
  LL_SYNC_WAKE,   /* a pack signal or close on key */
  LL_SYNC_LOCK,   /* takes mutex key (a raii guard: until the end of its scope) */
  LL_SYNC_UNLOCK, /* releases mutex key */
  LL_SYNC_WRITE   /* stores into flag/state key */
} ll_sync_kind;

typedef struct ll_sync_site {
  ll_sync_kind kind;
  const ll_node *node;   /* the call, or the LL_N_ASSIGN */
  const ll_func *fn;     /* the function containing node */
  const char *key;       /* interned key of the primitive, mutex or flag */
  const ll_api *api;     /* calls: the pack entry of the role (NULL for an assignment) */
  const ll_value *value; /* WRITE: the value stored, when one is visible (else NULL) */
  const char *mutex;     /* WAIT: key of the mutex the wait releases and retakes
                            (an argument that is a mutex or a guard of one), or NULL */
  const ll_value *target; /* WRITE: the flag written (the lhs, the store's object or
                             the argument that passes its address) */
} ll_sync_site;

typedef struct ll_sync ll_sync;

/* The analysis pass (requires ll_cfgs_pass); its result is an ll_sync. */
extern const ll_pass ll_sync_pass;

/* The key of v, read in a function of tu; NULL when v names no storage. */
const char *ll_sync_key(ll_sync *s, const ll_tu *tu, const ll_value *v);
/* The key of the object a call acts on through its entry a: the object
 * argument's, or the field an inferred wrapper acts on (a->object_field). */
const char *ll_sync_call_key(ll_sync *s, const ll_tu *tu, const ll_node *call, const ll_api *a);

/* Sites of one kind on key (an interned key; NULL gives 0). *out borrows an
 * array owned by s. */
size_t ll_sync_wakers(const ll_sync *s, const char *key, const ll_sync_site *const **out);
size_t ll_sync_writers(const ll_sync *s, const char *key, const ll_sync_site *const **out);
size_t ll_sync_locks(const ll_sync *s, const char *key, const ll_sync_site *const **out);
/* Every wait of the program, in program order. */
size_t ll_sync_waits(const ll_sync *s, const ll_sync_site *const **out);
/* Every site in fn, in source order (offset). */
size_t ll_sync_sites_in(const ll_sync *s, const ll_func *fn, const ll_sync_site *const **out);
/* The project call sites (in canonical functions) of fn, in any program;
 * *out borrows (filter with ll_sync_same_program). */
size_t ll_sync_callers(const ll_sync *s, const ll_func *fn, const ll_node *const **out);
/* The project definition a call resolves to, preferring the one in the
 * call's own translation unit: two main files that define the same
 * function (or class) are separate programs checked in one run. */
const ll_func *ll_sync_resolve(const ll_sync *s, const ll_node *call);
/* a and b can run in one program: the same translation unit, or neither
 * is (inside) a function also defined, differently, in another file. */
int ll_sync_same_program(const ll_sync *s, const ll_func *a, const ll_func *b);
/* fn stores through its pointer parameter `param` (*p = v, or a pack's
 * observable store on p): a call passing &flag there writes the flag. */
int ll_sync_writes_through(const ll_rules *rules, const ll_func *fn, size_t param);
/* The site recorded for IR node n (a call or assignment), or NULL. */
const ll_sync_site *ll_sync_site_of(const ll_sync *s, const ll_node *n);

typedef enum {
  LL_HELD_NO = 0,     /* on no path into n is the mutex held */
  LL_HELD_MAYBE = 1,  /* held on some paths */
  LL_HELD_YES = 2,    /* held on every path */
  LL_HELD_UNKNOWN = 3 /* n is in no graph we built (no body, or not a statement) */
} ll_held;

/* Is mutex (a key) held just before IR node n runs? Intraprocedural: what
 * the callers of n's function hold is not seen (see ll_sync_caller_holds). */
ll_held ll_sync_held(ll_sync *s, const ll_node *n, const char *mutex);
/* Some call site of fn in the program holds mutex (may), or fn is a lambda
 * / has no caller we see (0). */
int ll_sync_caller_holds(ll_sync *s, const ll_func *fn, const char *mutex);
/* On some path from IR node `from` to IR node `to` (same function; both
 * excluded) the mutex is taken, directly or by a project function called
 * there (two levels deep). 1 yes, 0 no, -1 unknown. */
int ll_sync_locked_between(ll_sync *s, const ll_node *from, const ll_node *to, const char *mutex);

#endif
