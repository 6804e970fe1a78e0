/* timer_forms.h - the modules of timer-per-iteration, private to
 * checker/checks/timer_*.c. The rule (timer_per_iteration.c) finds the
 * timer creations and hands each to its form:
 *   - timer_handle.c: what a scope (a loop, a function body) does with one
 *     timer handle: released, kept, or lost (the per-iteration and per-call
 *     forms share it);
 *   - timer_loop.c: the per-iteration form (created in a loop, lost by the
 *     end of the iteration);
 *   - timer_call.c: the per-call form (created in a function that runs
 *     repeatedly, lost, cleared or overwritten by the next call);
 *   - timer_task.c: the sleeping-task form (a task per iteration that only
 *     sleeps and signals). */
#ifndef LL_TIMER_FORMS_H
#define LL_TIMER_FORMS_H

#include "multiplicity.h"
#include "pass.h"

#define LL_TIMER_MAX_ALIASES 32

/* What a scope does with one timer handle (timer_handle.c). */
typedef struct ll_timer_track {
  const ll_program *prog;
  const ll_node *loop;     /* the scope: the loop, or the creating function's body */
  const ll_node *create;   /* the creating call */
  const ll_api *api;
  int vars[LL_TIMER_MAX_ALIASES]; /* the handle variable and its local aliases */
  size_t nvars;
  const char *htype;       /* canonical type of the handle variable, or NULL */
  int overflow;            /* more aliases than we follow */
  int released;            /* a release API got one of them */
  int kept;                /* stored somewhere that outlives the scope / escaped */
  int outer_store;         /* var id of an outer variable a local alias was copied to, or -1 */
} ll_timer_track;

/* ---------------------------------------------------- timer_handle.c */

/* An empty track of the timer `create` makes through its entry `api`. */
void ll_timer_track_init(ll_timer_track *t, const ll_program *prog, const ll_node *scope, const ll_node *create,
                         const ll_api *api);
/* Adds a variable to the tracked ones (too many: the track overflows). */
void ll_timer_track_add(ll_timer_track *t, int var);
/* Follows the tracked variables through the scope until no new alias
 * shows up: sets released, kept and outer_store. */
void ll_timer_follow(ll_timer_track *t);
/* True when v (with &, * and casts already gone) denotes a tracked variable. */
int ll_timer_refers(const ll_timer_track *t, const ll_value *v);
/* The handle as the creation gives it: the variable its result goes to, or
 * its timer_arg (with any & still on); NULL for an unstored result. */
const ll_value *ll_timer_handle(const ll_node *call, const ll_api *api);
/* The value with address-of wrappers removed (not dereferences: `*out`
 * names storage somewhere else). */
const ll_value *ll_timer_strip_addr(const ll_value *v);
/* A creation whose result is not stored in a variable: 1 when the timer is
 * lost (discarded, or handed to an outer call that neither releases nor
 * keeps it), 0 when it may be kept or freed, or is used in a way we do not
 * model. */
int ll_timer_result_lost(ll_timer_track *t);
/* A callback argument of `call` (other than argument `skip`) may stop the
 * timer, or (with captures) a lambda argument captures the handle. */
int ll_timer_args_may_stop(const ll_timer_track *t, const ll_node *call, int skip, int captures);
/* A library call that takes the timer as its first argument and only
 * configures or uses it. */
int ll_timer_library_use(const ll_timer_track *t, const ll_node *call);
/* Is variable `var` declared inside `loop` (its body, condition or step)? */
int ll_timer_declared_in(const ll_node *loop, int var);
/* Visits the parts of a loop that run every iteration (not its init). */
int ll_timer_visit_loop(const ll_node *loop, ll_visit_fn fn, void *ctx);
/* A pointer variable the scope points at newly allocated storage in every
 * run, and at nothing else. */
int ll_timer_fresh_storage(const ll_node *scope, int var);
/* The value a pack entry operates on in a call (object_arg). */
const ll_value *ll_timer_api_object(const ll_node *call, const ll_api *a);

/* Reporting helpers shared by the forms. */
int ll_timer_spelled(const ll_api *a, const char *macro);
/* The API as the user wrote it: its macro spelling (evtimer_new) or name. */
const char *ll_timer_api_display(const ll_api *a, const ll_node *call);
/* The pack's hint with {api} replaced (caller frees), or NULL. */
char *ll_timer_hint(const char *hint, const char *api);
ll_span ll_timer_span(const ll_loc *l);
/* The function a lambda or block is written in. */
const ll_func *ll_timer_top_func(const ll_func *fn);

/* ---------------------------------------------------- timer_loop.c */

/* The loop body leaves the loop unconditionally after the creation (or
 * the loop runs once): it does not create a timer per iteration. */
int ll_timer_runs_once(const ll_node *loop, const ll_node *create);
/* The per-iteration form for a creation inside `loop`. */
void ll_timer_check_loop(ll_pass_ctx *ctx, const ll_program *prog, const ll_node *call, const ll_api *api,
                         const ll_node *loop);

/* ---------------------------------------------------- timer_call.c */

/* The per-call form's state for one run: the clear sites already reported. */
typedef struct ll_timer_calls ll_timer_calls;
ll_timer_calls *ll_timer_calls_new(ll_pass_ctx *ctx, const ll_mult *mult);
void ll_timer_calls_free(ll_timer_calls *s);
/* A creation outside any loop (or in a loop that runs once). */
void ll_timer_check_call(ll_timer_calls *s, const ll_node *call, const ll_api *api);
/* An RAII timer allocated with new outside any loop. */
void ll_timer_check_heap(ll_timer_calls *s, const ll_node *call, const ll_api *api);

/* ---------------------------------------------------- timer_task.c */

/* The sleeping-task form for one spawn (its complete fate) of multiplicity
 * mi: 1 when it reports it. */
int ll_timer_check_task(ll_pass_ctx *ctx, const ll_spawn *sp, const ll_mult_info *mi);

#endif
