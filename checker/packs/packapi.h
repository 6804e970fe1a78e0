/* packapi.h - parses one API entry of a rule pack ("apis": [...] in
 * rules/README.md) into ll_api values: one per name of the entry (a name or
 * an array of aliases), appended to the context's apis and where.
 * Private to checker/packs (packload.c calls it).
 * Owner module: packapi.c (also defines ll_role_name and ll_api_is_forever
 * of rulepack.h, which read the same role tables). */
#ifndef LL_PACKAPI_H
#define LL_PACKAPI_H

#include "packctx.h"

/* Entry e at JSON pointer epath: 0, or -1 with the error in c. */
int ll_packapi_parse(ll_pk_ctx *c, const cJSON *e, const char *epath);

#endif
