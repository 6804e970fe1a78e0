/* multiplicity.h - how often a spawn site runs: once per process, once per
 * call of some function (a request, an event, a callback), once per
 * iteration of a loop, or unknown. Rules use it to tell a task that leaks
 * once (and lives until the process exits) from one that leaks again on
 * every call, and to say so in the message.
 *
 * Program-wide over the call graph: callers of a function are found by USR
 * (every call site whose callee USR matches, every spawn whose task body it
 * is, every reference to it as a function value); the walk is cycle safe
 * (recursion means repetition) and depth bounded (too deep is unknown).
 * Owner module: multiplicity.c. */
#ifndef LL_MULTIPLICITY_H
#define LL_MULTIPLICITY_H

#include <stddef.h>
#include "ir.h"
#include "pass.h"
#include "task.h"

typedef enum {
  LL_MULT_UNKNOWN = 0, /* the callers cannot all be seen or followed */
  LL_MULT_ONCE,        /* a fixed number of times per process: from main (or a
                          static constructor) through single, loop-free calls;
                          a counted loop there starts a fixed pool */
  LL_MULT_PER_CALL,    /* again on every call of `fn` */
  LL_MULT_PER_ITERATION /* again on every iteration of `loop` (an uncounted loop) */
} ll_mult_kind;

/* Why a spawn is repeated (or once): what the related location shows. */
typedef enum {
  LL_MULT_WHY_NONE = 0,
  LL_MULT_WHY_MAIN,       /* ONCE: reached from main (related: main) */
  LL_MULT_WHY_CONSTRUCTOR,/* ONCE: reached from a static constructor */
  LL_MULT_WHY_LOOP,       /* PER_ITERATION: the spawn's own loop (related: the loop) */
  LL_MULT_WHY_CALLED_IN_LOOP, /* PER_CALL: fn is called inside a loop (related: that call) */
  LL_MULT_WHY_CALLERS,    /* PER_CALL: fn is called from several places (related: one of them) */
  LL_MULT_WHY_CALLBACK,   /* PER_CALL: fn is passed as a callback (related: the registration) */
  LL_MULT_WHY_RECURSIVE,  /* PER_CALL: fn is reached from itself (related: the recursive call or spawn) */
  LL_MULT_WHY_EXPORTED,   /* PER_CALL: fn is an exported entry with no caller we can see (related: fn) */
  LL_MULT_WHY_REPEATING_CALLER /* PER_CALL (ll_multiplicity_shown only): fn is called by `by`, which runs
                                  repeatedly (related: that call) */
} ll_mult_why;

typedef struct ll_mult_info {
  ll_mult_kind kind;
  ll_mult_why why;
  const ll_func *fn;     /* PER_CALL: the function whose every call starts a new task;
                            ONCE: the root (main, the constructor); else NULL */
  const ll_node *loop;   /* PER_ITERATION: the loop; else NULL */
  const ll_loc *related; /* where the reason shows (see ll_mult_why), or NULL */
  const char *related_msg; /* a static message for that location, or NULL */
  /* ll_multiplicity_shown only (else NULL, 0): */
  const ll_func *by;     /* the function the related site is in: the registrar, the caller */
  const ll_api *api;     /* WHY_CALLBACK: the registration's pack entry (role callback) */
  int depth;             /* calls between fn and the registration or loop that repeats (0: none) */
} ll_mult_info;

/* The multiplicity of a run: the result of ll_mult_pass. */
typedef struct ll_mult ll_mult;

/* The multiplicity of a spawn of the task model (a spawn of
 * ll_tasks_spawns or its complete copy from ll_tasks_complete: matched by
 * its site). UNKNOWN for a spawn the model does not hold. */
ll_mult_info ll_multiplicity_of(const ll_mult *m, const ll_spawn *sp);
/* The same for spawn i of ll_tasks_spawns. */
ll_mult_info ll_multiplicity_at(const ll_mult *m, size_t i);
/* How often function fn runs: ONCE, PER_CALL with the function that
 * repeats, UNKNOWN, or PER_ITERATION only for a lambda or a task body run
 * by one spawn in a loop (a call in a loop makes fn PER_CALL of itself). */
ll_mult_info ll_multiplicity_of_func(const ll_mult *m, const ll_func *fn);

/* How often fn runs as far as the program shows it, for rules that report
 * a per-call leak only on evidence: PER_CALL (with fn) when
 *   - WHY_CALLBACK: fn is registered with a pack entry of role "callback"
 *     (a signal handler, an I/O or timer event); a callback of a
 *     "while_true" registration (a GLib source callback) repeats only when
 *     it can return a non-zero constant, else it runs once per
 *     registration and repeats when its registrar does;
 *   - WHY_CALLED_IN_LOOP: fn is called inside a loop that may go round
 *     more than once (a counted loop too: it calls fn again);
 *   - WHY_REPEATING_CALLER: fn is called (or registered once per call) by a
 *     function that runs repeatedly, up to LL_MULT_SHOWN_DEPTH calls away
 *     from the evidence above (the nearest evidence wins);
 * UNKNOWN otherwise. Unlike ll_multiplicity_of_func, nothing is guessed (an
 * exported function with no caller, an address passed to any call and
 * recursion are no evidence), and one repeating caller is enough. */
#define LL_MULT_SHOWN_DEPTH 4
ll_mult_info ll_multiplicity_shown(const ll_mult *m, const ll_func *fn);

/* The phrase for a repeated spawn, subject first: with subject "a new task
 * leaks" (the default for NULL), "a new task leaks on every call of
 * `handle_request`" or "a new task leaks on every iteration of the loop at
 * line 42". NULL for ONCE and UNKNOWN. Caller frees. */
char *ll_mult_phrase(const ll_mult_info *mi, const char *subject);
/* True for PER_CALL and PER_ITERATION. */
int ll_mult_repeats(const ll_mult_info *mi);
/* The policy of the task rules (rules/docs, README): a task that runs once
 * per process and lives until exit is not a leak unless something waits for
 * it, so report it only when its (complete) fate has a join or a joining
 * destructor. Reports a repeated or unknown spawn always. */
int ll_mult_should_report(const ll_mult_info *mi, const ll_spawn *complete);
/* Adds mi's related location to f when it has one (a repeated spawn:
 * "called here inside a loop", "registered here as a callback", ...). */
void ll_mult_add_related(ll_finding *f, const ll_mult_info *mi);

/* Requires ll_tasks_pass; its result is an ll_mult. */
extern const ll_pass ll_mult_pass;

#endif
