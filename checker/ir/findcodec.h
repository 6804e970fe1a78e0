/* findcodec.h - the binary form of a list of findings: what the result
 * cache stores as a run entry (cache.c), so that a re-run on an unchanged
 * tree reads the raw findings instead of analysing again. Every field of
 * ll_finding (diag.h) round-trips; the decoder bounds-checks every read. */
#ifndef LL_FINDCODEC_H
#define LL_FINDCODEC_H

#include <stddef.h>
#include "diag.h"
#include "util.h"

/* Appends the findings to *out. */
void ll_findings_serialize(const ll_findings *f, ll_buf *out);
/* Decodes data[0..len) and appends the findings to *f: 0, or -1 (and *f
 * untouched) when the data is malformed in any way. */
int ll_findings_deserialize(const void *data, size_t len, ll_findings *f);

#endif
