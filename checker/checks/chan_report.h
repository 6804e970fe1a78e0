/* chan_report.h - findings of the channel rules from the leak records of
 * chanleak.h; the two rules differ only in the direction they report.
 * Owner module: chan_report.c. */
#ifndef LL_CHAN_REPORT_H
#define LL_CHAN_REPORT_H

#include "chanleak.h"
#include "multiplicity.h"
#include "pass.h"

/* Reports one leak record as a finding of the running rule, unless the
 * task can be cancelled through a copy of its handle or it runs once per
 * process and nothing waits for it (multiplicity.h); the message says how
 * often a new task leaks, or which join then hangs. */
void ll_chan_report(ll_pass_ctx *ctx, const ll_chanleak *lk, const ll_mult *mult);
/* Reports every leak record of direction op (LL_OP_SEND / LL_OP_RECV); the
 * running pass must require ll_tasks_pass, ll_chanleaks_pass and
 * ll_mult_pass. */
void ll_chan_report_all(ll_pass_ctx *ctx, ll_chan_op op);
/* The last component of a qualified name ("ns::cls::fn" -> "fn"); "?" for NULL. */
const char *ll_chan_short_name(const char *q);

#endif
