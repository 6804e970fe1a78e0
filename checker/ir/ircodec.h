/* ircodec.h - the binary form of a translation unit's IR (what the result
 * cache stores, and what a parser process sends back) and the IR dump.
 *
 * One field list per IR record (ll_func, ll_node, ll_value, ll_var,
 * ll_class, ll_loc) in ircodec.c drives the encoder, the decoder with its
 * bounds checks, and the dump: a field added to ir.h is added to its list
 * once (and IR_FORMAT in cache.c raised, since the bytes change).
 *
 * Layout: the string table (count, then length + bytes each), then the body
 * length and the body: main file, the counts of functions, nodes, values,
 * variables and files, then every function, node, value and variable record
 * field by field, the files (name, length) and the classes. Pointers between
 * records are 1-based indices (0 = NULL); nodes and values are numbered in
 * breadth-first discovery order from the function bodies, so the bytes are
 * deterministic. */
#ifndef LL_IRCODEC_H
#define LL_IRCODEC_H

#include <stddef.h>
#include <stdio.h>

#include "ir.h"
#include "rulepack.h"
#include "util.h"

/* Appends tu to *out; api pointers are written as indices into ll_rules_at
 * order (a pointer that is not one of rules' entries is written as 0, which
 * the decoder rejects). */
void ll_ir_serialize(const ll_tu *tu, const ll_rules *rules, ll_buf *out);
/* Rebuilds a tu from data (file contents are left empty: contents[i] = "",
 * lens[i] = the length the data states). NULL when the data is malformed in
 * any way, or the IR it describes fails ll_ir_shape_ok. */
ll_tu *ll_ir_deserialize(const void *data, size_t len, const ll_rules *rules);

/* Prints tu as a tree (function bodies through kids, cond, init and inc),
 * each record with its fields by name; a field at its default value (0,
 * NULL, an empty array, -1 where the extractor means "none") is left out.
 * all == 0 also leaves out the detail fields (locations other than the line
 * and column, types, source text, USRs of values). */
void ll_ir_dump_fields(FILE *out, const ll_tu *tu, int all);

#endif
