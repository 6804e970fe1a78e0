/* chan_report.h - findings of the channel rules from the leak records of
 * chanleak.h; the two rules differ only in the direction they report.
 * Owner module: chan_report.c. */
#ifndef LL_CHAN_REPORT_H
#define LL_CHAN_REPORT_H

#include "chanleak.h"
#include "pass.h"

/* Reports one leak record as a finding of the running rule. */
void ll_chan_report(ll_pass_ctx *ctx, const ll_chanleak *lk);
/* Reports every leak record of direction op (LL_OP_SEND / LL_OP_RECV); the
 * running pass must require both passes named. */
void ll_chan_report_all(ll_pass_ctx *ctx, const ll_pass *chanleaks, const ll_pass *tasks, ll_chan_op op);
/* The last component of a qualified name ("ns::cls::fn" -> "fn"); "?" for NULL. */
const char *ll_chan_short_name(const char *q);

#endif
