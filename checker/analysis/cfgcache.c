/* cfgcache.c - one control-flow graph per (function, flags), see cfgcache.h.
 * Open addressing on the function pointer and flags. */
#include "cfgcache.h"

#include <stdint.h>
#include <stdlib.h>

#include "util.h"

struct ll_cfgs {
  const ll_rules *rules; /* borrowed: the process exits */
  ll_fcfg **tab;
  unsigned *flags; /* flags of tab[i] */
  size_t cap, n;
};

static size_t hkey(const ll_func *fn, unsigned flags, size_t cap) {
  unsigned long long x = (unsigned long long)(uintptr_t)fn ^ ((unsigned long long)flags << 3);
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return (size_t)(x & (cap - 1));
}

ll_cfgs *ll_cfgs_new(const ll_rules *rules) {
  ll_cfgs *cs = ll_xcalloc(1, sizeof(ll_cfgs));
  cs->rules = rules;
  return cs;
}

void ll_cfgs_free(ll_cfgs *cs) {
  if (!cs) return;
  for (size_t i = 0; i < cs->cap; i++) {
    if (!cs->tab[i]) continue;
    ll_cfg_free(cs->tab[i]->c);
    free(cs->tab[i]);
  }
  free(cs->tab);
  free(cs->flags);
  free(cs);
}

static void grow(ll_cfgs *cs) {
  size_t ncap = cs->cap ? cs->cap * 2 : 64;
  ll_fcfg **nt = ll_xcalloc(ncap, sizeof(*nt));
  unsigned *nf = ll_xcalloc(ncap, sizeof(*nf));
  for (size_t i = 0; i < cs->cap; i++) {
    if (!cs->tab[i]) continue;
    size_t h = hkey(cs->tab[i]->fn, cs->flags[i], ncap);
    while (nt[h]) h = (h + 1) & (ncap - 1);
    nt[h] = cs->tab[i];
    nf[h] = cs->flags[i];
  }
  free(cs->tab);
  free(cs->flags);
  cs->tab = nt;
  cs->flags = nf;
  cs->cap = ncap;
}

const ll_fcfg *ll_cfgs_get(ll_cfgs *cs, const ll_func *fn, unsigned flags) {
  if (cs->n * 2 >= cs->cap) grow(cs);
  size_t h = hkey(fn, flags, cs->cap);
  while (cs->tab[h] && (cs->tab[h]->fn != fn || cs->flags[h] != flags)) h = (h + 1) & (cs->cap - 1);
  if (cs->tab[h]) return cs->tab[h];
  ll_fcfg *c = ll_xcalloc(1, sizeof(ll_fcfg));
  c->c = ll_cfg_build(fn, flags, cs->rules);
  c->fn = fn;
  c->g = ll_cfg_nodes(c->c, &c->n);
  c->entry = ll_cfg_entry(c->c);
  c->scc = ll_cfg_scc(c->c);
  cs->tab[h] = c;
  cs->flags[h] = flags;
  cs->n++;
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
