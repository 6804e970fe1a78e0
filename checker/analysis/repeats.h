/* repeats.h - which functions of the program run repeatedly, and why.
 *
 * A function runs repeatedly when the program shows it:
 *   - it is registered with a pack API of role "callback" (a signal
 *     handler, an I/O or timer event, a request handler, curl's timer
 *     function); a callback of a "while_true" registration (a GLib source
 *     callback) repeats only when it can return a non-zero constant, else it
 *     runs once per registration and repeats when its registrar does;
 *   - it is called inside a loop of a project function;
 *   - it is called by a function that runs repeatedly, up to
 *     LL_REPEATS_MAX_DEPTH calls away from the evidence above.
 * Anything else (a public function with no caller in the program, a thread
 * entry) is unknown, and rules say nothing about it. */
#ifndef LL_REPEATS_H
#define LL_REPEATS_H

#include "ir.h"

#define LL_REPEATS_MAX_DEPTH 4

typedef enum {
  LL_REP_CALLBACK, /* registered as a repeating callback at site */
  LL_REP_LOOP,     /* called inside a loop at site */
  LL_REP_CALLER    /* called at site by `by`, which runs repeatedly */
} ll_rep_kind;

typedef struct ll_repeat {
  ll_rep_kind kind;
  const ll_node *site; /* the registration or the call */
  const ll_func *by;   /* the function containing site */
  const ll_api *api;   /* LL_REP_CALLBACK: the registration's pack entry */
  int depth;           /* 0 for CALLBACK and LOOP, else calls from the evidence */
} ll_repeat;

typedef struct ll_repeats ll_repeats; /* opaque */

ll_repeats *ll_repeats_build(const ll_program *prog);
void ll_repeats_free(ll_repeats *r); /* accepts NULL */
/* Why fn runs repeatedly, or NULL when the program does not show it. */
const ll_repeat *ll_repeats_of(const ll_repeats *r, const ll_func *fn);

#endif
