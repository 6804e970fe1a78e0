/* options.c - string lists and the release of ll_options. */
#include "options.h"

#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "util.h"

void ll_strlist_push(ll_strlist *l, const char *s) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->v = ll_xrealloc(l->v, l->cap * sizeof(*l->v));
  }
  l->v[l->n++] = ll_xstrdup(s);
}

void ll_strlist_free(ll_strlist *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

int ll_strlist_contains(const ll_strlist *l, const char *s) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->v[i], s) == 0) return 1;
  return 0;
}

void ll_options_set_level(ll_options *o, size_t idx, ll_level level) {
  size_t n = ll_registry_count();
  if (idx >= n) return;
  if (!o->rule_level) {
    o->rule_level = ll_xmalloc(n * sizeof *o->rule_level);
    for (size_t i = 0; i < n; i++) o->rule_level[i] = (ll_level)-1;
  }
  o->rule_level[idx] = level;
}

void ll_options_free(ll_options *o) {
  if (!o) return;
  ll_strlist_free(&o->paths);
  ll_strlist_free(&o->compiler_args);
  ll_strlist_free(&o->excludes);
  ll_strlist_free(&o->rule_dirs);
  ll_strlist_free(&o->select);
  ll_strlist_free(&o->ignore);
  free(o->compile_commands);
  free(o->output);
  free(o->config);
  free(o->baseline);
  free(o->write_baseline);
  free(o->cache_dir);
  free(o->shard);
  free(o->inline_models);
  free(o->inline_models_origin);
  free(o->config_path);
  free(o->rule_level);
  memset(o, 0, sizeof(*o));
}
