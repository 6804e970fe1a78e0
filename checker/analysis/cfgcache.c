/* cfgcache.c - one control-flow graph per (function, flags), see cfgcache.h.
 * A map from the function to its graphs, one per set of flags asked for
 * (the passes use one or two sets). */
#include "cfgcache.h"

#include <stdlib.h>

#include "ptrmap.h"
#include "util.h"

typedef struct entry {
  ll_fcfg g;
  unsigned flags;
  struct entry *next; /* the function's graph with other flags */
} entry;

struct ll_cfgs {
  const ll_rules *rules; /* borrowed: the process exits */
  ll_ptrmap *byfn;       /* ll_func -> its entry list */
};

ll_cfgs *ll_cfgs_new(const ll_rules *rules) {
  ll_cfgs *cs = ll_xcalloc(1, sizeof(ll_cfgs));
  cs->rules = rules;
  cs->byfn = ll_ptrmap_new();
  return cs;
}

void ll_cfgs_free(ll_cfgs *cs) {
  if (!cs) return;
  void *v;
  for (size_t pos = 0; ll_ptrmap_next(cs->byfn, &pos, NULL, &v);) {
    for (entry *e = v, *next; e; e = next) {
      next = e->next;
      ll_cfg_free(e->g.c);
      free(e);
    }
  }
  ll_ptrmap_free(cs->byfn);
  free(cs);
}

const ll_fcfg *ll_cfgs_get(ll_cfgs *cs, const ll_func *fn, unsigned flags) {
  void **first = ll_ptrmap_slot(cs->byfn, fn);
  for (entry *e = *first; e; e = e->next)
    if (e->flags == flags) return &e->g;
  entry *e = ll_xcalloc(1, sizeof(entry));
  ll_fcfg *c = &e->g;
  c->c = ll_cfg_build(fn, flags, cs->rules);
  c->fn = fn;
  c->g = ll_cfg_nodes(c->c, &c->n);
  c->entry = ll_cfg_entry(c->c);
  c->scc = ll_cfg_scc(c->c);
  e->flags = flags;
  e->next = *first; /* nothing was added to the map since the slot was taken */
  *first = e;
  return c;
}

static void *run_cfgs(ll_pass_ctx *ctx) {
  return ll_cfgs_new(ll_pass_packs(ctx)); /* filled on demand by the passes that require it */
}

static void free_cfgs(void *r) { ll_cfgs_free(r); }

const ll_pass ll_cfgs_pass = {
    .id = "cfgs",
    .summary = "control-flow graphs, lowered once per function and flags",
    .run = run_cfgs,
    .free_result = free_cfgs,
};
