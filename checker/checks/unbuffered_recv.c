/* unbuffered_recv.c - unbuffered-recv: the spawns whose leak record
 * (chanleak.h) has the task blocked receiving. */
#include "chan_report.h"
#include "checks.h"

static void *run(ll_pass_ctx *ctx) {
  ll_chan_report_all(ctx, LL_OP_RECV);
  return NULL;
}

static const ll_pass *const requires[] = {&ll_tasks_pass, &ll_chanleaks_pass, &ll_mult_pass, NULL};

const ll_pass ll_rule_unbuffered_recv = {
    .id = "unbuffered-recv",
    .summary = "a task can block forever receiving on a channel nobody sends to or closes",
    .description =
        "A spawned task receives from an unbuffered channel (often in a loop until the channel is "
        "closed), and on some path the spawner returns without sending or closing it, so the task "
        "blocks forever and leaks its stack and everything it references.",
    .default_level = LL_LEVEL_WARNING,
    .is_rule = 1,
    .requires = requires,
    .run = run,
};
