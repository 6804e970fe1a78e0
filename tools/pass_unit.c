/* pass_unit.c - unit tests of the shared analyses on small sources parsed
 * by the real front end: the CFG (process exits come from the packs, loops
 * are cycles), the task model's fates (the direct fate and the complete one
 * through a copy of the handle), the pass driver's order and levels, and the
 * IR codec round trip (serialise, deserialise, serialise: same bytes).
 * Usage: pass_unit SRCDIR TMPDIR   (exit 0 = all passed, 77 = no libclang) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "cfg.h"
#include "facts.h"
#include "pass.h"
#include "rulepack.h"
#include "task.h"
#include "util.h"

#include "unit_check.h"

static size_t count_kind(const ll_cfg *c, ll_cfg_kind k) {
  size_t n, hits = 0;
  const ll_cfg_node *g = ll_cfg_nodes(c, &n);
  for (size_t i = 0; i < n; i++) hits += g[i].kind == k;
  return hits;
}

static const char *const cfg_src =
    "void exit(int);\n"
    "void work(void);\n"
    "int g;\n"
    "void f(int x) {\n"
    "  while (g) work();\n"
    "  if (x) exit(1);\n"
    "  work();\n"
    "}\n";

static void test_cfg(void) {
  ll_program *p = ut_parse("cfg.c", cfg_src, UT_C);
  const ll_func *f = ut_func(p, "f");
  ll_cfg *with = ll_cfg_build(f, LL_CFG_SCC, ut_packs);
  ll_cfg *without = ll_cfg_build(f, LL_CFG_SCC, NULL);
  CHECK(count_kind(with, LL_CFG_ABORT) == 1, "exit() is a process exit with the packs");
  CHECK(count_kind(without, LL_CFG_ABORT) == 0, "without packs nothing ends the process");
  size_t n;
  const ll_cfg_node *g = ll_cfg_nodes(with, &n);
  int cyc = 0, loop_call = 0;
  for (size_t i = 0; i < n; i++) {
    if (g[i].kind != LL_CFG_STMT || !g[i].n || g[i].n->kind != LL_N_CALL) continue;
    if (ll_cfg_in_cycle(with, (int)i)) cyc++;
    if (g[i].n->loc.line == 5) loop_call = ll_cfg_in_cycle(with, (int)i);
  }
  CHECK(loop_call && cyc == 1, "only the call in the while loop is on a cycle (got %d)", cyc);
  CHECK(g[ll_cfg_entry(with)].kind == LL_CFG_NOP, "the body starts at the loop head");
  ll_cfg_free(with);
  ll_cfg_free(without);
  ll_program_free(p);
}

static const char *const fate_src =
    "typedef unsigned long pthread_t;\n"
    "int pthread_create(pthread_t *, const void *, void *(*)(void *), void *);\n"
    "int pthread_join(pthread_t, void **);\n"
    "pthread_t threads[4];\n"
    "void *run(void *a) { return a; }\n"
    "void start(int i) {\n"
    "  pthread_t t;\n"
    "  pthread_create(&t, 0, run, 0);\n"
    "  threads[i] = t;\n"
    "}\n"
    "void stop(int i) { pthread_join(threads[i], 0); }\n";

typedef struct probe {
  unsigned direct, complete;
  size_t nspawns;
} probe;

static probe seen;

static void *probe_run(ll_pass_ctx *ctx) {
  ll_tasks *t = ll_pass_result_of(ctx, &ll_tasks_pass);
  const ll_spawns *s = ll_tasks_spawns(t);
  seen.nspawns = s->n;
  if (s->n) {
    seen.direct = s->v[0].fate;
    seen.complete = ll_tasks_complete(t, 0)->fate;
    CHECK(ll_tasks_complete(t, 0) == ll_tasks_complete(t, 0), "the complete fate is computed once");
  }
  ll_pass_report(ctx, ll_pass_finding(ctx, "probe", ll_span_make("x.c", 1, 1, 1, 2)));
  return NULL;
}

static const ll_pass *const probe_requires[] = {&ll_tasks_pass, NULL};
static const ll_pass probe_rule = {
    .id = "probe", .summary = "test", .is_rule = 1, .default_level = LL_LEVEL_WARNING,
    .requires = probe_requires, .run = probe_run,
};

static void test_fates(void) {
  ll_program *p = ut_parse("fate.c", fate_src, UT_C);
  ll_findings out = {0};
  ut_run(&probe_rule, LL_LEVEL_ERROR, p, &out);
  CHECK(seen.nspawns == 1, "one spawn (got %zu)", seen.nspawns);
  CHECK((seen.direct & LL_FATE_KEPT) && !(seen.direct & LL_FATE_JOINED), "direct fate: kept, not joined (%#x)",
        seen.direct);
  CHECK(seen.complete & LL_FATE_JOINED, "complete fate: joined through the copy threads[i] (%#x)", seen.complete);
  CHECK(out.n == 1 && out.v[0].level == LL_LEVEL_ERROR && strcmp(out.v[0].rule, "probe") == 0,
        "the report stamps the rule id and the configured level");
  ll_findings_free(&out);
  ll_program_free(p);
}

static void test_codec(void) {
  ll_program *p = ut_parse("codec.c", fate_src, UT_C);
  ll_buf a = {0}, b = {0};
  ll_ir_serialize(ll_program_tu(p, 0), ut_packs, &a);
  ll_tu *back = ll_ir_deserialize(a.data, a.len, ut_packs);
  CHECK(back != NULL, "the serialised IR decodes");
  if (back) {
    ll_ir_serialize(back, ut_packs, &b);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "decode + encode gives the same bytes (%zu vs %zu)",
          a.len, b.len);
    CHECK(back->nfuncs == ll_program_tu(p, 0)->nfuncs, "same functions");
    ll_tu_free(back);
  }
  free(a.data);
  free(b.data);
  ll_program_free(p);
}

int main(int argc, char **argv) {
  int rc = ut_setup(argc, argv);
  if (rc) return rc;
  test_cfg();
  test_fates();
  test_codec();
  return ut_finish();
}
