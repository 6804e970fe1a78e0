/* chanref.h - one channel inside one function, for the channel analyses:
 * the set of values that denote it (the created variable or field and its
 * local aliases) and the channel operation a CFG node performs on it.
 * Owner module: chanref.c. */
#ifndef LL_CHANREF_H
#define LL_CHANREF_H

#include "cfg.h"
#include "ir.h"
#include "rulepack.h"

/* Values denoting one channel; caller owns v.v (ll_chanref_free). */
typedef struct ll_chanref {
  const ll_rules *rules; /* the packs: channel duplicates, pass-through wrappers */
  LL_VEC(const ll_value *) v;
  const ll_tu *tu; /* vars compare only within this tu */
  int loose_fields;
} ll_chanref;

/* v with ADDR/DEREF, array indexing, the pack's channel duplicates and
 * pass-through wrappers removed. */
const ll_value *ll_chanref_strip(const ll_rules *rules, const ll_value *v);
/* v denotes the channel (after pass-through wrappers and duplicates). */
int ll_chanref_match(const ll_chanref *r, const ll_value *v);
/* v is the base object of a field ref (passing &args passes args.ch). */
int ll_chanref_base_match(const ll_chanref *r, const ll_value *v);
/* Adds a variable, field or global (others are ignored). */
void ll_chanref_add(ll_chanref *r, const ll_value *v);
/* Adds the local aliases assigned from the set in fn, to a fixed point. */
void ll_chanref_close(ll_chanref *r, const ll_func *fn);
void ll_chanref_free(ll_chanref *r);
/* A variable of the set is assigned more than once in fn. */
int ll_chanref_reassigned(const ll_chanref *r, const ll_func *fn);

typedef enum { LL_OP_NONE, LL_OP_SEND, LL_OP_RECV, LL_OP_CLOSE, LL_OP_SELECT_ANY } ll_chan_op;

typedef struct ll_chan_opinfo {
  ll_chan_op kind;
  int forever;     /* blocks with no limit */
  int timed;       /* has a finite timeout or races a timer */
  const ll_node *call;
  const ll_api *api;
} ll_chan_opinfo;

/* The channel operation of node g on the channel r (kind LL_OP_NONE: none). */
ll_chan_opinfo ll_chan_op_of(const ll_rules *rules, const ll_cfg_node *g, const ll_chanref *r);

#endif
