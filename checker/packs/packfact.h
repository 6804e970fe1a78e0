/* packfact.h - the facts and pack-level hints of the rule packs (the
 * "facts" and "hints" keys; rules/README.md): name patterns per fact, one
 * hint per pack and key. rulepack.c parses a pack's part with
 * ll_packfacts_parse and commits it when the whole pack is valid; the
 * rules query it through ll_rules_fact / ll_rules_pack_hint.
 * Owner module: packfact.c. */
#ifndef LL_PACKFACT_H
#define LL_PACKFACT_H

#include <cjson/cJSON.h>
#include "rulepack.h"

typedef struct ll_packfacts ll_packfacts;           /* of a rule set */
typedef struct ll_packfacts_pack ll_packfacts_pack; /* of one pack, not committed yet */

ll_packfacts *ll_packfacts_new(void);
void ll_packfacts_free(ll_packfacts *pf); /* accepts NULL */

/* One pack's "facts" and "hints" objects (either may be NULL). On a defect
 * returns NULL and sets *path (a JSON pointer) and *msg; the caller frees
 * both. */
ll_packfacts_pack *ll_packfacts_parse(const cJSON *facts, const cJSON *hints, char **path, char **msg);
/* Adds pp (taken) under the pack named library (borrowed: it must live as
 * long as pf). */
void ll_packfacts_commit(ll_packfacts *pf, const char *library, ll_packfacts_pack *pp);
void ll_packfacts_pack_free(ll_packfacts_pack *pp); /* accepts NULL */

/* s matches a pattern of fact f of the pack named pack (NULL: of any pack). */
int ll_packfacts_match(const ll_packfacts *pf, const char *pack, ll_fact f, const char *s);
/* The rule set's facts (rulepack.c), or NULL for NULL. */
const ll_packfacts *ll_rules_facts(const ll_rules *r);
/* The pack's hint, or NULL. */
const char *ll_packfacts_hint(const ll_packfacts *pf, const char *pack, ll_pack_hint h);

#endif
