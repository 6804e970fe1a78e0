/* checks.h - the analyses. Each appends findings to `out` and reads only
 * the program IR, the task model and the rule packs. */
#ifndef LL_CHECKS_H
#define LL_CHECKS_H

#include "diag.h"
#include "ir.h"
#include "rulepack.h"
#include "task.h"

/* timer-per-iteration: timers created inside a loop and lost each iteration. */
void ll_check_timer(const ll_program *prog, const ll_rules *rules, ll_findings *out);

/* unbuffered-send / unbuffered-recv (and timer-per-iteration for tasks that
 * only sleep and signal, spawned in a loop). Marks in `reported` (indexed like
 * spawns->v) the spawns it reported, so wait-without-cancel can skip them. */
void ll_check_chan(const ll_program *prog, const ll_rules *rules, const ll_spawns *spawns,
                   unsigned char *reported, ll_findings *out);

/* wait-without-cancel: tasks that can park forever with no way out. */
void ll_check_wait(const ll_program *prog, const ll_rules *rules, const ll_spawns *spawns,
                   const unsigned char *reported, ll_findings *out);

#endif
