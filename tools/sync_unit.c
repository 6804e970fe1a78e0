/* sync_unit.c - unit tests of the sync analysis (checker/analysis/sync.h) on
 * small sources parsed by the real front end with the real packs: keys,
 * writers, wakers, the mutex a wait releases, lock sets (plain locks, a lock
 * on one branch only, RAII guard scopes, unique_lock::unlock, a loop), the
 * "lock taken between the write and the signal" query and callers that
 * hold the lock. Each check fails without the analysis it names.
 * Usage: sync_unit SRCDIR TMPDIR   (exit 0 = all passed, 77 = no libclang) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "pass.h"
#include "rulepack.h"
#include "sync.h"
#include "util.h"

#include "unit_check.h"

/* A key for a global / field by its spelling: the lhs of its first write. */
static const char *key_of_write(ll_sync *s, const ll_func *fn, const char *name) {
  const ll_node *n = ut_node(fn, name);
  const ll_value *v = n->kind == LL_N_ASSIGN ? n->lhs : n->obj;
  return ll_sync_key(s, fn->tu, v);
}

static const char *const c_src =
    "#include <pthread.h>\n"
    "static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;\n"
    "static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;\n"
    "static int stop, ready, other;\n"
    "void stop_bad(void) { stop = 1; pthread_cond_broadcast(&cv); }\n"
    "void stop_good(void) { pthread_mutex_lock(&mu); stop = 1; pthread_cond_broadcast(&cv);\n"
    "                       pthread_mutex_unlock(&mu); }\n"
    "void stop_empty(void) { stop = 1; pthread_mutex_lock(&mu); pthread_mutex_unlock(&mu);\n"
    "                        pthread_cond_signal(&cv); }\n"
    "void branchy(int x) { if (x) pthread_mutex_lock(&mu); ready = 1;\n"
    "                      if (x) pthread_mutex_unlock(&mu); other = 1; }\n"
    "static void set_locked(void) { other = 2; }\n"
    "void caller(void) { pthread_mutex_lock(&mu); set_locked(); pthread_mutex_unlock(&mu); }\n"
    "void *waiter(void *a) { pthread_mutex_lock(&mu); while (!stop) pthread_cond_wait(&cv, &mu);\n"
    "                        pthread_mutex_unlock(&mu); return a; }\n";

static void check_c(ll_sync *s, const ll_program *p) {
  const ll_func *bad = ut_func(p, "stop_bad"), *good = ut_func(p, "stop_good"), *empty = ut_func(p, "stop_empty");
  const ll_func *br = ut_func(p, "branchy"), *w = ut_func(p, "waiter");
  const char *stop = key_of_write(s, bad, "stop");
  const ll_sync_site *const *v;
  CHECK(stop && ll_sync_writers(s, stop, &v) == 3, "three writers of the global stop");
  CHECK(key_of_write(s, good, "stop") == stop, "keys are interned: the same global, the same pointer");
  const char *cv = ll_sync_key(s, bad->tu, ut_node(bad, "pthread_cond_broadcast")->args[0]);
  size_t nw = ll_sync_wakers(s, cv, &v);
  CHECK(nw == 3, "three wakers of cv (broadcast, broadcast, signal), got %zu", nw);
  const char *mu = ll_sync_key(s, good->tu, ut_node(good, "pthread_mutex_lock")->args[0]);
  CHECK(ll_sync_waits(s, &v) == 1 && v[0]->key == cv && v[0]->mutex == mu,
        "one wait, on cv, releasing mu (its second argument)");
  CHECK(ll_sync_held(s, ut_node(bad, "stop"), mu) == LL_HELD_NO, "stop_bad writes with mu not held");
  CHECK(ll_sync_held(s, ut_node(good, "stop"), mu) == LL_HELD_YES, "stop_good writes under mu");
  CHECK(ll_sync_held(s, ut_node(good, "pthread_cond_broadcast"), mu) == LL_HELD_YES, "and broadcasts under mu");
  CHECK(ll_sync_held(s, ut_node(empty, "pthread_cond_signal"), mu) == LL_HELD_NO, "unlock releases mu");
  CHECK(ll_sync_held(s, ut_node(br, "ready"), mu) == LL_HELD_MAYBE, "a lock on one branch: maybe held");
  /* path-insensitive: the lock on x and the unlock on x are not correlated */
  CHECK(ll_sync_held(s, ut_node(br, "other"), mu) == LL_HELD_MAYBE, "maybe held after a branch-only unlock");
  CHECK(ll_sync_held(s, ut_node(w, "pthread_cond_wait"), mu) == LL_HELD_YES, "the waiter holds mu at its wait");
  CHECK(ll_sync_locked_between(s, ut_node(empty, "stop"), ut_node(empty, "pthread_cond_signal"), mu) == 1,
        "an empty critical section between the write and the signal");
  CHECK(ll_sync_locked_between(s, ut_node(bad, "stop"), ut_node(bad, "pthread_cond_broadcast"), mu) == 0,
        "no lock between the write and the broadcast in stop_bad");
  CHECK(ll_sync_caller_holds(s, ut_func(p, "set_locked"), mu) == 1, "set_locked's only caller holds mu");
  CHECK(ll_sync_caller_holds(s, bad, mu) == 0, "nobody calls stop_bad");
  const ll_node *const *calls;
  CHECK(ll_sync_callers(s, ut_func(p, "set_locked"), &calls) == 1 && calls[0]->func == ut_func(p, "caller"),
        "set_locked has one call site, in caller");
  CHECK(ll_sync_resolve(s, calls[0]) == ut_func(p, "set_locked"), "the call resolves to its definition");
  size_t ns = ll_sync_sites_in(s, good, &v);
  CHECK(ns == 4 && v[0]->kind == LL_SYNC_LOCK && v[1]->kind == LL_SYNC_WRITE && v[2]->kind == LL_SYNC_WAKE &&
            v[3]->kind == LL_SYNC_UNLOCK,
        "stop_good's sites in source order: lock, write, wake, unlock (got %zu)", ns);
  CHECK(ll_sync_site_of(s, ut_node(good, "stop"))->kind == LL_SYNC_WRITE, "the site of a node");
  CHECK(ll_sync_same_program(s, good, w), "two functions of one file are one program");
}

static const char *const cxx_src =
    "#include <atomic>\n"
    "#include <condition_variable>\n"
    "#include <mutex>\n"
    "struct Q {\n"
    "  std::mutex m;\n"
    "  std::condition_variable cv;\n"
    "  bool stop = false;\n"
    "  int a = 0, b = 0;\n"
    "  std::atomic<bool> running{true};\n"
    "  void scoped(int x) { if (x) { std::lock_guard<std::mutex> g(m); a = 1; } b = 1; }\n"
    "  void manual() { std::unique_lock<std::mutex> lk(m); a = 2; lk.unlock(); b = 2; lk.lock(); stop = true; }\n"
    "  void halt() { running = false; cv.notify_all(); }\n"
    "  void loop() {\n"
    "    for (;;) {\n"
    "      std::unique_lock<std::mutex> lk(m);\n"
    "      while (!stop) cv.wait(lk);\n"
    "      lk.unlock();\n"
    "      b = 3;\n"
    "    }\n"
    "  }\n"
    "};\n";

static void check_cxx(ll_sync *s, const ll_program *p) {
  const ll_func *sc = ut_func(p, "Q::scoped"), *man = ut_func(p, "Q::manual"), *halt = ut_func(p, "Q::halt");
  const ll_func *lp = ut_func(p, "Q::loop");
  const ll_node *g = ut_node(sc, "lock_guard");
  const char *m = ll_sync_key(s, sc->tu, g->args[0]);
  CHECK(m && m[0] == 'F', "the mutex of a guard is the field m");
  CHECK(ll_sync_held(s, ut_node(sc, "a"), m) == LL_HELD_YES, "held inside the lock_guard's scope");
  CHECK(ll_sync_held(s, ut_node(sc, "b"), m) == LL_HELD_NO, "not held after the scope (the if's block) ends");
  CHECK(ll_sync_held(s, ut_node(man, "a"), m) == LL_HELD_YES, "unique_lock holds m");
  CHECK(ll_sync_held(s, ut_node(man, "b"), m) == LL_HELD_NO, "lk.unlock() releases it");
  CHECK(ll_sync_held(s, ut_node(man, "stop"), m) == LL_HELD_YES, "lk.lock() takes it again");
  const char *run = key_of_write(s, halt, "operator=");
  const ll_sync_site *const *v;
  CHECK(run && ll_sync_writers(s, run, &v) == 1 && v[0]->fn == halt, "an atomic store is a writer");
  CHECK(ll_sync_waits(s, &v) == 1 && v[0]->mutex == m, "cv.wait(lk) releases the guard's mutex");
  CHECK(ll_sync_held(s, ut_node(lp, "wait"), m) == LL_HELD_YES, "held at the wait, every iteration");
  CHECK(ll_sync_held(s, ut_node(lp, "b"), m) == LL_HELD_NO, "released by lk.unlock() in the loop");
}

/* Two files that define the same functions (a bug and its fixed twin in one
 * run) are two programs: each call resolves in its own file, and the pair of
 * functions from different files is not one program. */
static const char *const twin_src =
    "#include <pthread.h>\n"
    "static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;\n"
    "int flag;\n"
    "void helper(void) { flag = 1; }\n"
    "void stop(void) { pthread_mutex_lock(&mu); helper(); pthread_mutex_unlock(&mu); }\n";

static void check_twins(ll_sync *s, const ll_program *p) {
  const ll_func *h0 = NULL, *h1 = NULL, *s0 = NULL, *s1 = NULL;
  for (size_t t = 0; t < 2; t++) {
    ll_tu *tu = ll_program_tu(p, t);
    for (size_t i = 0; i < tu->nfuncs; i++) {
      if (strcmp(tu->funcs[i]->name, "helper") == 0) *(t ? &h1 : &h0) = tu->funcs[i];
      if (strcmp(tu->funcs[i]->name, "stop") == 0) *(t ? &s1 : &s0) = tu->funcs[i];
    }
  }
  CHECK(h0 && h1 && s0 && s1, "both files parsed");
  if (!h0 || !h1 || !s0 || !s1) return;
  /* the program index keeps one of the two: each file must get its own */
  CHECK(ll_sync_resolve(s, ut_node(s0, "helper")) == h0 && ll_sync_resolve(s, ut_node(s1, "helper")) == h1,
        "a call resolves to the definition in its own file");
  CHECK(!ll_sync_same_program(s, s0, h1), "functions of twin files are separate programs");
  CHECK(ll_sync_same_program(s, s0, h0), "a file is one program");
}

/* The test runs as a pass that requires ll_sync_pass, like a rule would. */
static int which;
static void *run_checks(ll_pass_ctx *ctx) {
  ll_sync *s = ll_pass_result_of(ctx, &ll_sync_pass);
  if (which == 0) check_c(s, ll_pass_program(ctx));
  else if (which == 1) check_cxx(s, ll_pass_program(ctx));
  else check_twins(s, ll_pass_program(ctx));
  return NULL;
}
static const ll_pass *const reqs[] = {&ll_sync_pass, NULL};
static const ll_pass checker = {.id = "sync-unit", .summary = "test", .requires = reqs, .run = run_checks};

static void run_prog(ll_program *p, int test) {
  which = test;
  ut_run(&checker, LL_LEVEL_WARNING, p, NULL);
  ll_program_free(p);
}

static void run_on(const char *name, const char *src, int cxx) {
  run_prog(ut_parse(name, src, cxx ? UT_CXX : UT_C), cxx);
}

int main(int argc, char **argv) {
  int rc = ut_setup(argc, argv);
  if (rc) return rc;
  run_on("sync.c", c_src, 0);
  run_on("sync.cpp", cxx_src, 1);
  ll_program *twins = ll_program_new();
  ll_program_add(twins, ut_parse_tu("twin_a.c", twin_src, UT_C));
  ll_program_add(twins, ut_parse_tu("twin_b.c", twin_src, UT_C));
  ll_program_index(twins);
  run_prog(twins, 2);
  return ut_finish();
}
