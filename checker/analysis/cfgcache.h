/* cfgcache.h - the control-flow graphs of the run, shared by every pass:
 * each (function, flags) pair is lowered once, on first request, and kept
 * until the passes have run. Owner module: cfgcache.c. */
#ifndef LL_CFGCACHE_H
#define LL_CFGCACHE_H

#include <stddef.h>
#include "cfg.h"
#include "pass.h"

/* A function's graph with its arrays at hand; everything is borrowed from
 * the cache. scc is NULL unless the flags asked for LL_CFG_SCC. */
typedef struct ll_fcfg {
  ll_cfg *c;
  const ll_func *fn;
  const ll_cfg_node *g;
  size_t n;
  int entry;
  const int *scc;
} ll_fcfg;

typedef struct ll_cfgs ll_cfgs;

/* rules (borrowed, may be NULL) say which calls end the process. */
ll_cfgs *ll_cfgs_new(const ll_rules *rules);
/* Accepts NULL; frees every graph handed out. */
void ll_cfgs_free(ll_cfgs *cs);
/* The graph of fn (which must have a body) lowered with flags (LL_CFG_*). */
const ll_fcfg *ll_cfgs_get(ll_cfgs *cs, const ll_func *fn, unsigned flags);

/* The analysis pass whose result is an ll_cfgs. */
extern const ll_pass ll_cfgs_pass;

#endif
