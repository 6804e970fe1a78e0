/* stoppath_unit.c - unit tests of the stop-path analysis
 * (checker/analysis/stoppath.h) on small sources parsed by the real front end
 * with the real packs: the task's functions (and which run in a loop), flag
 * reads (a loop condition, an if, a project predicate, an atomic's implicit
 * conversion), flag writes (assignment, an atomic's operator=), and the stop path (a write before the join, in a helper, in
 * the caller of the joining function; a write after the join is none; only
 * calls before the join are on it). Each check fails without the analysis it
 * names. Usage: stoppath_unit SRCDIR TMPDIR (exit 0 = all passed, 77 = no libclang) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "pass.h"
#include "rulepack.h"
#include "stoppath.h"
#include "sync.h"
#include "util.h"

#include "unit_check.h"


static const char *const c_src =
    "#include <pthread.h>\n"
    
    "struct w { pthread_mutex_t mu; pthread_cond_t cv; int stop, quit, n; int halt; pthread_t t; };\n"
    "static int stopping(struct w *w) { return w->quit; }\n"
    "static void step(struct w *w) { w->n++; }\n"
    "static void once(struct w *w) { w->n = 0; }\n"
    "void *task(void *a) { struct w *w = a; once(w);\n"
    "  while (!w->stop) { if (stopping(w)) break; if (w->halt) break; step(w); }\n"
    "  return 0; }\n"
    "void stop_ok(struct w *w) { w->stop = 1; pthread_cond_broadcast(&w->cv); pthread_join(w->t, 0); }\n"
    "void stop_late(struct w *w) { pthread_join(w->t, 0); w->stop = 1; }\n"
    "static void set_quit(struct w *w) { w->quit = 1; }\n"
    "void stop_helper(struct w *w) { set_quit(w); pthread_join(w->t, 0); }\n"
    "static void join_only(struct w *w) { pthread_join(w->t, 0); }\n"
    "void stop_caller(struct w *w) { w->halt = 1; join_only(w); }\n"
    "void other(struct w *w) { w->n = 5; }\n";

static const ll_node *join_in(const ll_func *fn) { return ut_node(fn, "pthread_join"); }

static void check_c(ll_stopctx *c, const ll_program *p, const ll_rules *r) {
  const ll_func *task = ut_func(p, "task");
  ll_taskfns t;
  ll_taskfns_collect(p, task, &t);
  CHECK(t.n == 4, "the task runs task, once, stopping and step (got %zu)", t.n);
  int step_looped = 0, once_looped = 1;
  for (size_t i = 0; i < t.n; i++) {
    if (strcmp(t.fns[i]->name, "step") == 0) step_looped = t.looped[i];
    if (strcmp(t.fns[i]->name, "once") == 0) once_looped = t.looped[i];
  }
  CHECK(step_looped && !once_looped, "step runs in the loop, once before it");
  const ll_func *ok = ut_func(p, "stop_ok"), *late = ut_func(p, "stop_late"), *helper = ut_func(p, "stop_helper");
  const ll_func *caller = ut_func(p, "stop_caller"), *oth = ut_func(p, "other");
  const ll_value *stop = ll_stop_written_flag(r, ut_node(ok, "stop"));
  CHECK(stop && ll_task_reads_flag(p, &t, stop), "w->stop is written and read by the loop condition");
  const ll_value *quit = ll_stop_written_flag(r, ut_node(ut_func(p, "set_quit"), "quit"));
  CHECK(quit && ll_task_reads_flag(p, &t, quit), "w->quit is read through the predicate stopping()");
  const ll_value *halt = ll_stop_written_flag(r, ut_node(caller, "halt"));
  CHECK(halt && ll_task_reads_flag(p, &t, halt), "w->halt is read by an if that leaves the loop");
  const ll_value *n = ll_stop_written_flag(r, ut_node(oth, "n"));
  CHECK(n && !ll_task_reads_flag(p, &t, n), "w->n is written but no condition reads it");
  ll_stoppath sp;
  CHECK(ll_stoppath_find(c, &t, join_in(ok), &sp) && sp.write == ut_node(ok, "stop") && !sp.caller,
        "stop_ok: the write before the join");
  int bcast = 0;
  for (size_t i = 0; i < sp.calls.n; i++) bcast |= ll_call_has_role(sp.calls.v[i], LL_ROLE_SIGNAL);
  CHECK(bcast, "the broadcast before the join is on the stop path");
  ll_stoppath_free(&sp);
  CHECK(!ll_stoppath_find(c, &t, join_in(late), &sp), "stop_late writes only after the join: no stop path");
  CHECK(ll_stoppath_find(c, &t, join_in(helper), &sp) && sp.flag && ll_value_same(sp.flag, quit, 1),
        "stop_helper writes through set_quit()");
  ll_stoppath_free(&sp);
  const ll_func *jo = ut_func(p, "join_only");
  CHECK(ll_stoppath_find(c, &t, join_in(jo), &sp) && sp.caller == caller, "join_only's caller writes halt first");
  ll_stoppath_free(&sp);
}

static const char *const cxx_src =
    "#include <atomic>\n"
    "#include <thread>\n"
    "struct S {\n"
    "  std::atomic<bool> m_running{false};\n"
    "  std::thread t;\n"
    "  void loop() { while (m_running) { } }\n"
    "  void start() { m_running = true; t = std::thread(&S::loop, this); }\n"
    "  void stop() { m_running = false; t.join(); }\n"
    "};\n";

static void check_cxx(ll_stopctx *c, const ll_program *p, const ll_rules *r) {
  const ll_func *loop = ut_func(p, "S::loop"), *stop = ut_func(p, "S::stop");
  ll_taskfns t;
  ll_taskfns_collect(p, loop, &t);
  const ll_value *run = ll_stop_written_flag(r, ut_node(stop, "operator="));
  CHECK(run && ll_task_reads_flag(p, &t, run), "an atomic's operator= writes what while (m_running) reads");
  ll_stoppath sp;
  CHECK(ll_stoppath_find(c, &t, ut_node(stop, "join"), &sp), "S::stop is a stop path");
  ll_stoppath_free(&sp);
}

static int which;
static void *run_checks(ll_pass_ctx *ctx) {
  ll_sync *s = ll_pass_result_of(ctx, &ll_sync_pass);
  ll_stopctx *c = ll_stopctx_new(ll_pass_program(ctx), ll_pass_packs(ctx), s);
  if (which == 0) check_c(c, ll_pass_program(ctx), ll_pass_packs(ctx));
  else check_cxx(c, ll_pass_program(ctx), ll_pass_packs(ctx));
  ll_stopctx_free(c);
  return NULL;
}
static const ll_pass *const reqs[] = {&ll_sync_pass, NULL};
static const ll_pass checker = {.id = "stoppath-unit", .summary = "test", .requires = reqs, .run = run_checks};

static void run_on(const char *name, const char *src, int cxx) {
  ll_program *p = ut_parse(name, src, cxx ? UT_CXX : UT_C);
  which = cxx;
  ut_run(&checker, LL_LEVEL_WARNING, p, NULL);
  ll_program_free(p);
}

int main(int argc, char **argv) {
  int rc = ut_setup(argc, argv);
  if (rc) return rc;
  run_on("stoppath.c", c_src, 0);
  run_on("stoppath.cpp", cxx_src, 1);
  return ut_finish();
}
