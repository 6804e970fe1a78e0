/* unbuffered_send.c - unbuffered-send: the spawns whose leak record
 * (chanleak.h) has the task blocked sending. */
#include "chan_report.h"
#include "checks.h"

static void *run(ll_pass_ctx *ctx) {
  ll_chan_report_all(ctx, LL_OP_SEND);
  return NULL;
}

static const ll_pass *const requires[] = {&ll_tasks_pass, &ll_chanleaks_pass, &ll_mult_pass, NULL};

const ll_pass ll_rule_unbuffered_send = {
    .id = "unbuffered-send",
    .default_level = LL_LEVEL_WARNING,
    .is_rule = 1,
    .requires = requires,
    .run = run,
};
