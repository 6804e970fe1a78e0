/* summary.h - inferred API summaries: the project's own thread layers seen
 * as the pack roles they wrap.
 *
 * Real code rarely calls pthread_create with its worker directly: it goes
 * through `create_worker(func, arg)`, `thr_init(thr, fn, arg)` that stores fn
 * in a struct for a trampoline calling `thr->fn(thr->arg)`, or a
 * `cv_wait(cv)` / `cond_wait(c, usecs)` wrapper. This module infers, once per
 * run over the indexed program, an ll_api for each such function:
 *   - spawn: a function whose function-pointer parameter (and data
 *     parameter) reaches a spawn's entry (and argument), directly or through
 *     a field read by a trampoline entry; the handle is the wrapper's return
 *     value, an out parameter, or kept where the caller cannot see it;
 *   - wait, signal, send, recv, close, cancel, join: a function that
 *     unconditionally (straight-line from its entry) does that to one of its
 *     parameters (or a field of one), with the timeout parameter and its
 *     "forever" values carried when the inner timeout is a parameter, or when
 *     an `if (usecs == 0) wait(c); else timedwait(c, usecs);` picks the form.
 *     When the primitive is a field of the parameter (`wake_all(p)` signals
 *     p->cv), object_field names that field: the parameter is not the
 *     primitive, and readers keying objects use ll_sync_call_key.
 * Transitively: a wrapper of a wrapper is found on a later round.
 *
 * Design: rules read calls' `apis[]`. Rather than teach every rule about
 * summaries, ll_summaries_infer writes the inferred entry into the apis[] of
 * every call of the summarised function, once, after indexing and before
 * any pass runs (ll_registry_run calls it). Every rule then benefits through
 * its existing code paths. A pack entry always wins: a call that already has
 * pack entries gets nothing added. Likewise an indirect call through a field
 * (`t->fn(t->arg)`) whose field is assigned exactly one function anywhere in
 * the program, and nothing else, gets that function's USR as callee_usr, so
 * ll_resolve_callee follows it; several candidates (or a parameter stored in
 * the field) resolve nothing. Limits: struct initialisers (`{.fn = f}`) are
 * not in the IR, so a field set only there is unresolved, and one set both
 * in code and in an initialiser resolves to the one in code.
 *
 * One display fix rides along, for the same reason (every rule names calls
 * by their `macro` when they have one): a call written inside a macro's
 * argument, `NUTS_PASS(nng_thread_create(...))`, has its macro cleared
 * while the summaries live, so messages name the call the user spelled, not
 * the test macro around it (a macro whose expansion makes the call keeps it).
 *
 * Ownership: the ll_summaries owns the synthesized ll_api values; it must
 * outlive every reader of the program's apis[] (free it after the passes);
 * ll_summaries_free takes its entries and resolutions off the IR again and
 * restores the macros.
 * Owner module: summary.c. */
#ifndef LL_SUMMARY_H
#define LL_SUMMARY_H

#include <stdio.h>
#include "ir.h"
#include "rulepack.h"

typedef struct ll_summaries ll_summaries;

/* The pack_file of every inferred ll_api (compare pointers or strings). */
extern const char ll_summary_origin[];

/* Infers the summaries of p and attaches them to p's calls (see above). */
ll_summaries *ll_summaries_infer(const ll_program *p, const ll_rules *rules);
void ll_summaries_free(ll_summaries *s); /* accepts NULL */

size_t ll_summaries_count(const ll_summaries *s);
const ll_api *ll_summaries_api(const ll_summaries *s, size_t i);
const ll_func *ll_summaries_func(const ll_summaries *s, size_t i); /* the summarised function */
/* Why: "calls pthread_create at file:line with parameter 1 as the entry". */
const char *ll_summaries_why(const ll_summaries *s, size_t i);
/* The inferred entry of fn with this role, or NULL. */
const ll_api *ll_summaries_of(const ll_summaries *s, const ll_func *fn, ll_role role);

/* The parameter of fn that the entry value v of a spawn in fn is: the
 * parameter itself, a local assigned once from it, or the other member of a
 * local union it was stored in (a function-pointer cast spelled as a
 * union); -1 otherwise. */
int ll_summary_entry_param(const ll_func *fn, const ll_value *v);

/* a was inferred by this module (not loaded from a pack). */
int ll_api_is_inferred(const ll_api *a);

#endif
