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
    .default_level = LL_LEVEL_WARNING,
    .is_rule = 1,
    .requires = requires,
    .run = run,
};
