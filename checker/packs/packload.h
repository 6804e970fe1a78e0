/* packload.h - parses and validates the text of one rule pack (rules/README.md)
 * into a load context: its library name, facts and hints, and API entries.
 * The context's rule set is the packs loaded before (read only: a library
 * loaded twice and duplicate entries across packs are errors). Private to
 * checker/packs: rulepack.c commits the context when this succeeds.
 * Owner module: packload.c. */
#ifndef LL_PACKLOAD_H
#define LL_PACKLOAD_H

#include <stddef.h>

#include "packctx.h"

/* text[0..len) (any byte order mark already skipped); is_file selects the
 * "FILE:LINE:COL:" form of syntax errors. 0, or -1 with c->err set when the
 * pack says why (NULL when it does not). */
int ll_packload_parse(ll_pk_ctx *c, const char *text, size_t len, int is_file);

#endif
