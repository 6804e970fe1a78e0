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

static const char *tmpdir;
static ll_rules *packs;
static ll_parser *parser;

static ll_program *parse(const char *name, const char *text, int cxx) {
  char *path = ll_xasprintf("%s/%s", tmpdir, name);
  ut_put(path, text);
  const char *c_args[] = {"-x", "c", "-std=gnu11"};
  const char *cxx_args[] = {"-x", "c++", "-std=c++17"};
  ll_notifications notes = {0};
  ll_tu *tu = ll_facts_parse(parser, path, cxx ? cxx_args : c_args, 3, NULL, packs, &notes);
  ll_notifications_free(&notes);
  free(path);
  if (!tu) {
    printf("FAIL: cannot parse %s\n", name);
    exit(1);
  }
  ll_program *p = ll_program_new();
  ll_program_add(p, tu);
  ll_program_index(p);
  return p;
}

static const ll_func *func(const ll_program *p, const char *name) {
  ll_tu *tu = ll_program_tu(p, 0);
  for (size_t i = 0; i < tu->nfuncs; i++)
    if (tu->funcs[i]->name && strcmp(tu->funcs[i]->name, name) == 0) return tu->funcs[i];
  printf("FAIL: no function %s\n", name);
  exit(1);
}

/* The first node of fn that assigns `name` (an ASSIGN, or a store call on
 * it), or calls a callee ending in `name`. */
typedef struct find {
  const char *name;
  const ll_node *hit;
} find;

static const char *last_name(const char *q) {
  const char *l = q ? strrchr(q, ':') : NULL;
  return l ? l + 1 : q;
}

static int find_node(ll_node *n, void *ctx) {
  find *f = ctx;
  const ll_value *v = NULL;
  if (n->kind == LL_N_ASSIGN) v = ll_value_strip(n->lhs);
  if (v && v->name && strcmp(v->name, f->name) == 0) f->hit = n;
  if (n->kind == LL_N_CALL && n->callee && strcmp(last_name(n->callee), f->name) == 0) f->hit = n;
  return f->hit != NULL;
}

static const ll_node *node(const ll_func *fn, const char *name) {
  find f = {name, NULL};
  ll_visit(fn->body, find_node, &f);
  if (!f.hit) {
    printf("FAIL: no node %s in %s\n", name, fn->name);
    exit(1);
  }
  return f.hit;
}

/* A key for a global / field by its spelling: the lhs of its first write. */
static const char *key_of_write(ll_sync *s, const ll_func *fn, const char *name) {
  const ll_node *n = node(fn, name);
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
  const ll_func *bad = func(p, "stop_bad"), *good = func(p, "stop_good"), *empty = func(p, "stop_empty");
  const ll_func *br = func(p, "branchy"), *w = func(p, "waiter");
  const char *stop = key_of_write(s, bad, "stop");
  const ll_sync_site *const *v;
  CHECK(stop && ll_sync_writers(s, stop, &v) == 3, "three writers of the global stop");
  CHECK(key_of_write(s, good, "stop") == stop, "keys are interned: the same global, the same pointer");
  const char *cv = ll_sync_key(s, bad->tu, node(bad, "pthread_cond_broadcast")->args[0]);
  size_t nw = ll_sync_wakers(s, cv, &v);
  CHECK(nw == 3, "three wakers of cv (broadcast, broadcast, signal), got %zu", nw);
  const char *mu = ll_sync_key(s, good->tu, node(good, "pthread_mutex_lock")->args[0]);
  CHECK(ll_sync_waits(s, &v) == 1 && v[0]->key == cv && v[0]->mutex == mu,
        "one wait, on cv, releasing mu (its second argument)");
  CHECK(ll_sync_held(s, node(bad, "stop"), mu) == LL_HELD_NO, "stop_bad writes with mu not held");
  CHECK(ll_sync_held(s, node(good, "stop"), mu) == LL_HELD_YES, "stop_good writes under mu");
  CHECK(ll_sync_held(s, node(good, "pthread_cond_broadcast"), mu) == LL_HELD_YES, "and broadcasts under mu");
  CHECK(ll_sync_held(s, node(empty, "pthread_cond_signal"), mu) == LL_HELD_NO, "unlock releases mu");
  CHECK(ll_sync_held(s, node(br, "ready"), mu) == LL_HELD_MAYBE, "a lock on one branch: maybe held");
  /* path-insensitive: the lock on x and the unlock on x are not correlated */
  CHECK(ll_sync_held(s, node(br, "other"), mu) == LL_HELD_MAYBE, "maybe held after a branch-only unlock");
  CHECK(ll_sync_held(s, node(w, "pthread_cond_wait"), mu) == LL_HELD_YES, "the waiter holds mu at its wait");
  CHECK(ll_sync_locked_between(s, node(empty, "stop"), node(empty, "pthread_cond_signal"), mu) == 1,
        "an empty critical section between the write and the signal");
  CHECK(ll_sync_locked_between(s, node(bad, "stop"), node(bad, "pthread_cond_broadcast"), mu) == 0,
        "no lock between the write and the broadcast in stop_bad");
  CHECK(ll_sync_caller_holds(s, func(p, "set_locked"), mu) == 1, "set_locked's only caller holds mu");
  CHECK(ll_sync_caller_holds(s, bad, mu) == 0, "nobody calls stop_bad");
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
  const ll_func *sc = func(p, "Q::scoped"), *man = func(p, "Q::manual"), *halt = func(p, "Q::halt");
  const ll_func *lp = func(p, "Q::loop");
  const ll_node *g = node(sc, "lock_guard");
  const char *m = ll_sync_key(s, sc->tu, g->args[0]);
  CHECK(m && m[0] == 'F', "the mutex of a guard is the field m");
  CHECK(ll_sync_held(s, node(sc, "a"), m) == LL_HELD_YES, "held inside the lock_guard's scope");
  CHECK(ll_sync_held(s, node(sc, "b"), m) == LL_HELD_NO, "not held after the scope (the if's block) ends");
  CHECK(ll_sync_held(s, node(man, "a"), m) == LL_HELD_YES, "unique_lock holds m");
  CHECK(ll_sync_held(s, node(man, "b"), m) == LL_HELD_NO, "lk.unlock() releases it");
  CHECK(ll_sync_held(s, node(man, "stop"), m) == LL_HELD_YES, "lk.lock() takes it again");
  const char *run = key_of_write(s, halt, "operator=");
  const ll_sync_site *const *v;
  CHECK(run && ll_sync_writers(s, run, &v) == 1 && v[0]->fn == halt, "an atomic store is a writer");
  CHECK(ll_sync_waits(s, &v) == 1 && v[0]->mutex == m, "cv.wait(lk) releases the guard's mutex");
  CHECK(ll_sync_held(s, node(lp, "wait"), m) == LL_HELD_YES, "held at the wait, every iteration");
  CHECK(ll_sync_held(s, node(lp, "b"), m) == LL_HELD_NO, "released by lk.unlock() in the loop");
}

/* The test runs as a pass that requires ll_sync_pass, like a rule would. */
static int which;
static void *run_checks(ll_pass_ctx *ctx) {
  ll_sync *s = ll_pass_result_of(ctx, &ll_sync_pass);
  if (which == 0) check_c(s, ll_pass_program(ctx));
  else check_cxx(s, ll_pass_program(ctx));
  return NULL;
}
static const ll_pass *const reqs[] = {&ll_sync_pass, NULL};
static const ll_pass checker = {.id = "sync-unit", .summary = "test", .requires = reqs, .run = run_checks};

static void run_on(const char *name, const char *src, int cxx) {
  ll_program *p = parse(name, src, cxx);
  const ll_pass *rules[] = {&checker};
  ll_level lv[] = {LL_LEVEL_WARNING};
  ll_findings out = {0};
  which = cxx;
  ll_passes_run(rules, lv, 1, p, packs, &out);
  ll_findings_free(&out);
  ll_program_free(p);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: sync_unit SRCDIR TMPDIR\n");
    return 2;
  }
  tmpdir = argv[2];
  parser = ll_parser_new();
  if (!parser) {
    printf("SKIP: libclang cannot be loaded\n");
    return 77;
  }
  packs = ll_rules_new();
  char *dir = ll_xasprintf("%s/rules", argv[1]), *err = NULL;
  if (ll_rules_load_dir(packs, dir, &err)) {
    printf("FAIL: %s\n", err);
    return 1;
  }
  free(dir);
  ll_rules_freeze(packs);
  run_on("sync.c", c_src, 0);
  run_on("sync.cpp", cxx_src, 1);
  ll_parser_free(parser);
  ll_rules_free(packs);
  if (fails) printf("%d failure(s)\n", fails);
  else printf("all passed\n");
  return fails ? 1 : 0;
}
