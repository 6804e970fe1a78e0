/* summary_unit.c - unit tests of the inferred summaries (checker/analysis/
 * summary.c) on small sources parsed by the real front end: spawn wrappers
 * (entry/data parameters, handle through the return value, an out
 * parameter or a field of the data parameter, a joining wrapper that is not
 * a spawn), a wrapper of a wrapper, a field trampoline, wait/signal
 * wrappers with a timeout parameter and an `if (usecs == 0)` form, a
 * conditional wait that is not summarised, pack entries winning, indirect
 * field calls resolved only with one candidate, the task model seeing the
 * wrapper's callers, the same-TU-first definition across two programs, and
 * the summaries leaving the IR as they found it.
 * Usage: summary_unit SRCDIR TMPDIR   (exit 0 = all passed, 77 = no libclang) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "rulepack.h"
#include "summary.h"
#include "task.h"
#include "util.h"

#include "unit_check.h"

typedef struct find_call {
  const char *callee;
  ll_node *hit;
} find_call;

static int find_call_cb(ll_node *n, void *d) {
  find_call *f = d;
  if (n->kind == LL_N_CALL && n->callee && strcmp(n->callee, f->callee) == 0 && !f->hit) f->hit = n;
  return 0;
}

/* The first call of `callee` in function `in`. */
static ll_node *call_in(const ll_program *p, const char *in, const char *callee) {
  find_call f = {callee, NULL};
  ll_visit(ut_func(p, in)->body, find_call_cb, &f);
  if (!f.hit) {
    printf("FAIL: no call of %s in %s\n", callee, in);
    exit(1);
  }
  return f.hit;
}

static const char *const hdr =
    "typedef unsigned long pthread_t; typedef struct { int x; } pthread_attr_t;\n"
    "typedef struct { int x; } pthread_mutex_t; typedef struct { int x; } pthread_cond_t;\n"
    "struct timespec { long tv_sec, tv_nsec; };\n"
    "int pthread_create(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);\n"
    "int pthread_join(pthread_t, void **);\n"
    "int pthread_cond_wait(pthread_cond_t *, pthread_mutex_t *);\n"
    "int pthread_cond_timedwait(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);\n"
    "int pthread_cond_signal(pthread_cond_t *);\n"
    "int sem_wait(void *);\n";

static void test_spawn_wrappers(void) {
  char *src = ll_xasprintf(
      "%s"
      "struct w { pthread_t tid; int n; };\n"
      "static void create_worker(void *(*func)(void *), void *arg) {\n"
      "  pthread_create(&((struct w *)arg)->tid, 0, func, arg); }\n"
      "static pthread_t spawn_ret(void *(*f)(void *), void *a) { pthread_t t; pthread_create(&t, 0, f, a); return t; }\n"
      "static void spawn_out(pthread_t *out, void *(*f)(void *)) { pthread_create(out, 0, f, 0); }\n"
      "static void run_sync(void *(*f)(void *)) { pthread_t t; pthread_create(&t, 0, f, 0); pthread_join(t, 0); }\n"
      "static void outer(void *(*g)(void *), void *d) { create_worker(g, d); }\n"
      "static void *body(void *a) { return a; }\n"
      "void use(struct w *x) { create_worker(body, x); pthread_t t = spawn_ret(body, 0); spawn_out(&t, body);\n"
      "  run_sync(body); outer(body, x); }\n",
      hdr);
  ll_program *p = ut_parse("spawn.c", src, UT_C);
  free(src);
  ll_summaries *s = ll_summaries_infer(p, ut_packs);
  const ll_api *cw = ll_summaries_of(s, ut_func(p, "create_worker"), LL_ROLE_SPAWN);
  CHECK(cw && cw->entry_arg == 0 && cw->data_arg == 1, "create_worker: spawn of parameter 0 with data 1");
  CHECK(cw && cw->handle == LL_HANDLE_OUT_ARG && cw->handle_arg == 1, "create_worker: handle in the data's field");
  CHECK(cw && ll_api_is_inferred(cw) && strcmp(cw->pack, "posix") == 0, "inferred, from the posix pack");
  const ll_api *sr = ll_summaries_of(s, ut_func(p, "spawn_ret"), LL_ROLE_SPAWN);
  CHECK(sr && sr->handle == LL_HANDLE_RETURN, "spawn_ret: the handle is the return value");
  const ll_api *so = ll_summaries_of(s, ut_func(p, "spawn_out"), LL_ROLE_SPAWN);
  CHECK(so && so->handle == LL_HANDLE_OUT_ARG && so->handle_arg == 0 && so->entry_arg == 1, "spawn_out: out parameter 0");
  CHECK(!ll_summaries_of(s, ut_func(p, "run_sync"), LL_ROLE_SPAWN), "run_sync joins its thread: not a spawn");
  const ll_api *ou = ll_summaries_of(s, ut_func(p, "outer"), LL_ROLE_SPAWN);
  CHECK(ou && ou->entry_arg == 0 && ou->data_arg == 1, "outer: a wrapper of a wrapper");
  /* the callers' calls carry the entries, so the task model sees them */
  CHECK(ll_call_api(call_in(p, "use", "create_worker"), LL_ROLE_SPAWN) == cw, "the call of create_worker carries it");
  ll_spawns sp = {0};
  ll_spawns_find_rules(p, ut_packs, &sp);
  size_t to_body = 0;
  for (size_t i = 0; i < sp.n; i++)
    if (sp.v[i].entry == ut_func(p, "body") && strcmp(sp.v[i].spawner->name, "use") == 0) to_body++;
  CHECK(to_body == 4, "use: four spawns of body through wrappers (got %zu)", to_body);
  ll_spawns_free(&sp);
  ll_summaries_free(s);
  CHECK(call_in(p, "use", "create_worker")->napis == 0, "freeing the summaries takes their entries off the IR");
  ll_program_free(p);
}

static void test_trampoline(void) {
  char *src = ll_xasprintf(
      "%s"
      "struct thr { void (*fn)(void *); void *arg; pthread_t tid; };\n"
      "static void *wrap(void *a) { struct thr *t = a; t->fn(t->arg); return 0; }\n"
      "static void thr_init(struct thr *t, void (*fn)(void *), void *arg) {\n"
      "  t->fn = fn; t->arg = arg; pthread_create(&t->tid, 0, wrap, t); }\n"
      "struct one { void (*cb)(void); };\n"
      "struct two { void (*cb)(void); };\n"
      "static void a1(void) {} static void a2(void) {}\n"
      "void set(struct one *o, struct two *w, int k) { o->cb = a1; w->cb = a1; if (k) w->cb = a2; o->cb(); w->cb(); }\n",
      hdr);
  ll_program *p = ut_parse("tramp.c", src, UT_C);
  free(src);
  ll_summaries *s = ll_summaries_infer(p, ut_packs);
  const ll_api *ti = ll_summaries_of(s, ut_func(p, "thr_init"), LL_ROLE_SPAWN);
  CHECK(ti && ti->entry_arg == 1 && ti->data_arg == 2, "thr_init: entry through ->fn, data through ->arg");
  CHECK(ti && ti->handle == LL_HANDLE_OUT_ARG && ti->handle_arg == 0, "thr_init: handle in the thr");
  /* one function stored in one.cb: resolved; two.cb holds two: not */
  find_call f = {"cb", NULL};
  ll_visit(ut_func(p, "set")->body, find_call_cb, &f);
  CHECK(f.hit && f.hit->callee_usr && ll_resolve_callee(p, f.hit) == ut_func(p, "a1"), "one.cb resolves to a1");
  ll_node *second = NULL;
  for (ll_node *n = f.hit; n && n->parent; n = NULL) {
    const ll_node *blk = n->parent;
    for (size_t i = 0; i < blk->nkids; i++)
      if (blk->kids[i] && blk->kids[i]->kind == LL_N_CALL && blk->kids[i] != f.hit) second = blk->kids[i];
  }
  CHECK(second && !second->callee_usr, "two.cb has two candidates: unresolved");
  ll_summaries_free(s);
  CHECK(!f.hit->callee_usr, "freeing the summaries undoes the resolution");
  ll_program_free(p);
}

static void test_waits(void) {
  char *src = ll_xasprintf(
      "%s"
      "struct c { pthread_mutex_t mu; pthread_cond_t cv; int ready; };\n"
      "static void cv_wait(struct c *c) { pthread_cond_wait(&c->cv, &c->mu); }\n"
      "static void cv_wake(struct c *c) { pthread_cond_signal(&c->cv); }\n"
      "static void cv_wait_us(struct c *c, long usecs) {\n"
      "  if (usecs == 0) pthread_cond_wait(&c->cv, &c->mu);\n"
      "  else { struct timespec ts = {0, usecs}; pthread_cond_timedwait(&c->cv, &c->mu, &ts); } }\n"
      "static void cv_wait_pos(struct c *c, long ms) {\n"
      "  if (ms > 0) { struct timespec ts = {0, ms}; pthread_cond_timedwait(&c->cv, &c->mu, &ts); }\n"
      "  else pthread_cond_wait(&c->cv, &c->mu); }\n"
      "static void maybe_wait(struct c *c) { if (!c->ready) pthread_cond_wait(&c->cv, &c->mu); }\n"
      "static void guarded(struct c *c) { if (!c) return; pthread_cond_wait(&c->cv, &c->mu); }\n"
      "static void outer_wait(struct c *c) { cv_wait(c); }\n"
      "static void sem_wrap(void *s) { sem_wait(s); }\n"
      "void use(struct c *c) { cv_wait(c); cv_wake(c); cv_wait_us(c, 0); cv_wait_us(c, 10); cv_wait_pos(c, -1);\n"
      "  maybe_wait(c); guarded(c); outer_wait(c); sem_wrap(c); }\n",
      hdr);
  ll_program *p = ut_parse("waits.c", src, UT_C);
  free(src);
  ll_summaries *s = ll_summaries_infer(p, ut_packs);
  const ll_api *w = ll_summaries_of(s, ut_func(p, "cv_wait"), LL_ROLE_WAIT);
  CHECK(w && w->object_arg == 0 && w->timeout_arg == LL_ARG_NONE, "cv_wait: an untimed wait of parameter 0");
  CHECK(ll_summaries_of(s, ut_func(p, "cv_wake"), LL_ROLE_SIGNAL), "cv_wake: a signal");
  /* the primitive is c->cv, not c: a reader keying the object must see the field */
  const ll_api *wk = ll_summaries_of(s, ut_func(p, "cv_wake"), LL_ROLE_SIGNAL);
  CHECK(wk && wk->object_field && strstr(wk->object_field, "cv"), "cv_wake: signals the field cv of parameter 0");
  const ll_api *ow = ll_summaries_of(s, ut_func(p, "outer_wait"), LL_ROLE_WAIT);
  CHECK(ow && w && ow->object_field && w->object_field && strcmp(ow->object_field, w->object_field) == 0,
        "outer_wait: keeps the inner wrapper's field");
  const ll_api *sw = ll_summaries_of(s, ut_func(p, "sem_wrap"), LL_ROLE_WAIT);
  CHECK(sw && !sw->object_field, "sem_wrap: the parameter itself is the primitive");
  const ll_api *us = ll_summaries_of(s, ut_func(p, "cv_wait_us"), LL_ROLE_WAIT);
  CHECK(us && us->timeout_arg == 1 && us->nforever == 1 && us->forever[0] == 0,
        "cv_wait_us: timeout parameter 1, 0 = forever");
  ll_node *c0 = call_in(p, "use", "cv_wait_us");
  CHECK(us && ll_call_waits_forever(c0, us), "cv_wait_us(c, 0) waits forever");
  find_call f = {"cv_wait_us", NULL};
  (void)f;
  const ll_api *pos = ll_summaries_of(s, ut_func(p, "cv_wait_pos"), LL_ROLE_WAIT);
  CHECK(pos && pos->timeout_arg == 1 && pos->nforever == 2, "cv_wait_pos: `ms > 0` else-branch: 0 and -1 forever");
  CHECK(!ll_summaries_of(s, ut_func(p, "maybe_wait"), LL_ROLE_WAIT), "a conditional wait is not a wait summary");
  CHECK(!ll_summaries_of(s, ut_func(p, "guarded"), LL_ROLE_WAIT), "a wait after an early return is not one either");
  CHECK(ll_summaries_of(s, ut_func(p, "outer_wait"), LL_ROLE_WAIT), "outer_wait: a wrapper of a wait wrapper");
  CHECK(ll_summaries_of(s, ut_func(p, "sem_wrap"), LL_ROLE_WAIT), "sem_wrap: a semaphore wait of its parameter");
  ll_summaries_free(s);
  ll_program_free(p);
}

/* A function the packs model is not re-summarised at its calls. */
static void test_pack_wins(void) {
  char *src = ll_xasprintf("%s"
                           "int pthread_cond_broadcast(pthread_cond_t *c) { return pthread_cond_signal(c); }\n"
                           "void use(pthread_cond_t *c) { pthread_cond_broadcast(c); }\n",
                           hdr);
  ll_program *p = ut_parse("packwins.c", src, UT_C);
  free(src);
  ll_summaries *s = ll_summaries_infer(p, ut_packs);
  ll_node *c = call_in(p, "use", "pthread_cond_broadcast");
  int inferred = 0;
  for (size_t i = 0; i < c->napis; i++) inferred += ll_api_is_inferred(c->apis[i]);
  CHECK(c->napis > 0 && !inferred, "the pack entry stays alone on the call");
  ll_summaries_free(s);
  ll_program_free(p);
}

/* Two programs define the same external worker: each spawn resolves to the
 * definition in its own file; a third file defining none resolves nothing. */
static void test_multi_program(void) {
  ll_program *p = ll_program_new();
  char *a = ll_xasprintf("%svoid *worker(void *x) { return x; }\n"
                         "int main(void) { pthread_t t; return pthread_create(&t, 0, worker, 0); }\n",
                         hdr);
  char *b = ll_xasprintf("%svoid *worker(void *x) { return 0; }\n"
                         "int main(void) { pthread_t t; return pthread_create(&t, 0, worker, 0); }\n",
                         hdr);
  char *c = ll_xasprintf("%svoid *worker(void *x);\n"
                         "int other(void) { pthread_t t; return pthread_create(&t, 0, worker, 0); }\n",
                         hdr);
  ll_tu *ta = ut_parse_tu("mp_a.c", a, UT_C), *tb = ut_parse_tu("mp_b.c", b, UT_C);
  ll_tu *tc = ut_parse_tu("mp_c.c", c, UT_C);
  free(a);
  free(b);
  free(c);
  ll_program_add(p, ta);
  ll_program_add(p, tb);
  ll_program_add(p, tc);
  ll_program_index(p);
  ll_spawns sp = {0};
  ll_spawns_find_rules(p, ut_packs, &sp);
  int ok_a = 0, ok_b = 0, none_c = 0;
  for (size_t i = 0; i < sp.n; i++) {
    const ll_tu *tu = sp.v[i].spawner->tu;
    if (tu == ta) ok_a = sp.v[i].entry && sp.v[i].entry->tu == ta;
    if (tu == tb) ok_b = sp.v[i].entry && sp.v[i].entry->tu == tb;
    if (tu == tc) none_c = !sp.v[i].entry;
  }
  CHECK(ok_a && ok_b, "each program's spawn resolves to its own worker");
  CHECK(none_c, "a file of neither program resolves nothing (several definitions)");
  ll_spawns_free(&sp);
  ll_program_free(p);
}

int main(int argc, char **argv) {
  int rc = ut_setup(argc, argv);
  if (rc) return rc;
  test_spawn_wrappers();
  test_trampoline();
  test_waits();
  test_pack_wins();
  test_multi_program();
  return ut_finish();
}
