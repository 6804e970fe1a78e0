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
  free(o->category);
  free(o->rule_level);
  free(o->root_arg);
  free(o->root);
  free(o->root_in_repo);
  free(o->new_from_rev);
  memset(o, 0, sizeof(*o));
}

const char *ll_did_you_mean_rule(const char *word) {
  const char *ids[64];
  size_t n = 0;
  for (size_t i = 0; i < ll_registry_count() && n < 64; i++) ids[n++] = ll_registry_at(i)->id;
  return ll_did_you_mean(word, ids, n);
}

static void copy_list(ll_strlist *dst, const ll_strlist *src) {
  memset(dst, 0, sizeof *dst);
  for (size_t i = 0; i < src->n; i++) ll_strlist_push(dst, src->v[i]);
}

static char *dup0(const char *s) { return s ? ll_xstrdup(s) : NULL; }

void ll_options_copy(ll_options *dst, const ll_options *src) {
  *dst = *src; /* scalars */
  copy_list(&dst->paths, &src->paths);
  copy_list(&dst->compiler_args, &src->compiler_args);
  copy_list(&dst->excludes, &src->excludes);
  copy_list(&dst->rule_dirs, &src->rule_dirs);
  copy_list(&dst->select, &src->select);
  copy_list(&dst->ignore, &src->ignore);
  dst->compile_commands = dup0(src->compile_commands);
  dst->output = dup0(src->output);
  dst->config = dup0(src->config);
  dst->baseline = dup0(src->baseline);
  dst->write_baseline = dup0(src->write_baseline);
  dst->cache_dir = dup0(src->cache_dir);
  dst->shard = dup0(src->shard);
  dst->inline_models = dup0(src->inline_models);
  dst->root_arg = dup0(src->root_arg);
  dst->root = dup0(src->root);
  dst->root_in_repo = dup0(src->root_in_repo);
  dst->new_from_rev = dup0(src->new_from_rev);
  dst->inline_models_origin = dup0(src->inline_models_origin);
  dst->config_path = dup0(src->config_path);
  dst->category = dup0(src->category);
  dst->rule_level = NULL;
  if (src->rule_level) {
    size_t n = ll_registry_count();
    dst->rule_level = ll_xmalloc(n * sizeof *dst->rule_level);
    memcpy(dst->rule_level, src->rule_level, n * sizeof *dst->rule_level);
  }
}
