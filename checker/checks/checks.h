/* checks.h - the rules, one pass each (pass.h), one file each in checks/.
 * A rule reads only the program IR, the rule packs and the results of the
 * passes it requires. */
#ifndef LL_CHECKS_H
#define LL_CHECKS_H

#include "chanleak.h"
#include "diag.h"
#include "ir.h"
#include "pass.h"
#include "rulepack.h"
#include "task.h"

/* The registry finds every rule by its definition `const ll_pass
 * ll_rule_NAME = {.id = "ID", ...}` (see registry.c); declare one here only
 * when another pass requires it. */

extern const ll_pass ll_rule_timer_per_iteration; /* timer_per_iteration.c */
/* Its result: the spawns its task form reported (a spawn per loop iteration
 * whose task only sleeps and signals). */
typedef struct ll_timer_tasks ll_timer_tasks;
int ll_timer_tasks_reported(const ll_timer_tasks *t, size_t i);

extern const ll_pass ll_rule_wait_without_cancel; /* wait_without_cancel.c (its hint names its id) */

#endif
