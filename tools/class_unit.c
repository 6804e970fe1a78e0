/* class_unit.c - unit tests of the C++ class facts of the IR, on small
 * sources parsed by the real front end against the real libstdc++ headers:
 * the class hierarchy and overrides (ll_program_derives, _overriders,
 * _virtual_target), a virtual call resolved to its one overrider and left
 * unresolved when there are two, member and default member initialisers
 * and new / make_unique as spawns whose handle is the member or pointer (and
 * so joined where it is joined), and the IR codec round trip of the new
 * fields (serialise, deserialise, serialise: same bytes).
 * Usage: class_unit SRCDIR TMPDIR   (exit 0 = all passed, 77 = no libclang) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "facts.h"
#include "rulepack.h"
#include "task.h"
#include "util.h"

#include "unit_check.h"

typedef struct find_call {
  const char *callee;
  const ll_node *hit;
} find_call;

static int find_call_cb(ll_node *n, void *d) {
  find_call *f = d;
  if (n->kind == LL_N_CALL && n->callee && strcmp(n->callee, f->callee) == 0) {
    f->hit = n;
    return 1;
  }
  return 0;
}

static const ll_node *call_in(const ll_func *fn, const char *callee) {
  find_call f = {callee, NULL};
  ll_visit(fn->body, find_call_cb, &f);
  return f.hit;
}

static const char *const hier_src =
    "struct Thread { virtual ~Thread() {} virtual void run() = 0; virtual void stop() {}\n"
    "  static void *entry(void *p) { static_cast<Thread *>(p)->run(); return 0; }\n"
    "  void halt() { stop(); } };\n"
    "struct Worker : Thread { void run() override {} };\n"
    "struct Special : Worker { void run() override {} void stop() override {} };\n"
    "struct Other : Thread { void stop() override {} };\n"
    "void direct(Worker &w) { w.Worker::run(); }\n";

static void test_hierarchy(void) {
  ll_program *p = ut_parse("hier.cpp", hier_src, UT_CXX20);
  CHECK(ll_program_derives(p, "Special", "Thread"), "Special derives from Thread through Worker");
  CHECK(ll_program_derives(p, "Worker", "Worker"), "a class derives from itself");
  CHECK(!ll_program_derives(p, "Thread", "Worker"), "a base does not derive from its derived class");
  CHECK(!ll_program_derives(p, "Other", "Worker"), "siblings do not derive from each other");
  const ll_func *wrun = ut_func(p, "Worker::run"), *srun = ut_func(p, "Special::run");
  CHECK(wrun->noverrides == 1, "Worker::run overrides one method (got %zu)", wrun->noverrides);
  CHECK(srun->noverrides == 2, "Special::run overrides Worker::run and Thread::run (got %zu)", srun->noverrides);

  const ll_node *vc = call_in(ut_func(p, "Thread::entry"), "Thread::run");
  CHECK(vc && vc->is_virtual, "p->run() through a base pointer is a virtual call");
  const ll_func *out[4];
  CHECK(vc && ll_program_overriders(p, vc->callee_usr, NULL, out, 4) == 2, "Thread::run has two overriders");
  CHECK(vc && ll_program_overriders(p, vc->callee_usr, "Special", out, 4) == 1 && out[0] == srun,
        "only Special::run is below Special");
  CHECK(vc && ll_resolve_callee(p, vc) == NULL, "two overriders: the virtual call is not resolved");
  const ll_node *qc = call_in(ut_func(p, "direct"), "Worker::run");
  CHECK(qc && !qc->is_virtual, "w.Worker::run() is not virtual dispatch");
  CHECK(qc && ll_resolve_callee(p, qc) == wrun, "a qualified call resolves to its definition");

  /* stop(): Thread's own body and two overriders (Special, Other) */
  const ll_node *sc = call_in(ut_func(p, "Thread::halt"), "Thread::stop");
  CHECK(sc && sc->is_virtual && ll_resolve_callee(p, sc) == NULL,
        "a virtual with a body and overriders is not resolved");
  CHECK(sc && ll_program_virtual_target(p, sc->callee_usr, "Other") == ut_func(p, "Other::stop"),
        "on an Other object, stop() is Other::stop");
  ll_program_free(p);
}

static const char *const single_src =
    "struct Thread { virtual ~Thread() {} virtual void run() = 0;\n"
    "  static void *entry(void *p) { static_cast<Thread *>(p)->run(); return 0; } };\n"
    "struct Worker : Thread { void run() override {} };\n";

static void test_single(void) {
  ll_program *p = ut_parse("single.cpp", single_src, UT_CXX20);
  const ll_node *vc = call_in(ut_func(p, "Thread::entry"), "Thread::run");
  CHECK(vc && ll_resolve_callee(p, vc) == ut_func(p, "Worker::run"), "one overrider: the virtual call resolves to it");
  ll_program_free(p);
}

static const char *const spawn_src =
    "#include <memory>\n"
    "#include <thread>\n"
    "struct A { std::thread t_; void f() {} A() : t_(&A::f, this) {} ~A() { t_.join(); } };\n"
    "struct B { void f() {} std::thread t_{&B::f, this}; ~B() { t_.detach(); } };\n"
    "struct C { std::unique_ptr<std::thread> t_; void f() {}\n"
    "  C() { t_ = std::make_unique<std::thread>(&C::f, this); } ~C() { t_->join(); } };\n"
    "void g() {}\n"
    "void d() { std::thread *t = new std::thread(g); t->join(); delete t; }\n";

static const ll_spawn *spawn_in(const ll_spawns *s, const char *spawner) {
  for (size_t i = 0; i < s->n; i++)
    if (s->v[i].spawner->name && strcmp(s->v[i].spawner->name, spawner) == 0) return &s->v[i];
  return NULL;
}

static void test_spawns(void) {
  ll_program *p = ut_parse("spawns.cpp", spawn_src, UT_CXX20);
  ll_spawns s = {0};
  ll_spawns_find_rules(p, ut_packs, &s);
  CHECK(s.n == 4, "four spawns (got %zu)", s.n);
  const ll_spawn *a = spawn_in(&s, "A::A"), *b = spawn_in(&s, "B::B"), *c = spawn_in(&s, "C::C"),
                 *d = spawn_in(&s, "d");
  CHECK(a && a->entry == ut_func(p, "A::f") && (a->fate & LL_FATE_JOINED),
        "member initialiser: entry A::f, joined through the member");
  CHECK(b && b->spawner->is_implicit && b->entry == ut_func(p, "B::f") && (b->fate & LL_FATE_DETACHED),
        "default member initialiser: in B's implicit constructor, detached through the member");
  CHECK(c && c->entry == ut_func(p, "C::f") && (c->fate & LL_FATE_JOINED),
        "make_unique<std::thread>: entry C::f, joined through the unique_ptr");
  CHECK(d && d->entry == ut_func(p, "g") && (d->fate & LL_FATE_JOINED) && !(d->fate & LL_FATE_DISCARDED),
        "new std::thread: joined through the pointer, not discarded (%#x)", d ? d->fate : 0u);
  ll_spawns_free(&s);
  ll_program_free(p);
}

static void test_codec(void) {
  ll_program *p = ut_parse("codec.cpp", hier_src, UT_CXX20);
  ll_tu *tu = ll_program_tu(p, 0);
  ll_buf a = {0}, b = {0};
  ll_ir_serialize(tu, ut_packs, &a);
  ll_tu *back = ll_ir_deserialize(a.data, a.len, ut_packs);
  CHECK(back != NULL, "the serialised IR decodes");
  if (back) {
    ll_ir_serialize(back, ut_packs, &b);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "decode + encode gives the same bytes");
    CHECK(back->nclasses == tu->nclasses && back->nclasses == 3, "the classes with bases survive (%zu)",
          back->nclasses);
    size_t ov = 0, virt = 0;
    for (size_t i = 0; i < back->nfuncs; i++) ov += back->funcs[i]->noverrides;
    for (size_t i = 0; i < back->nfuncs; i++) {
      find_call f = {"Thread::run", NULL};
      ll_visit(back->funcs[i]->body, find_call_cb, &f);
      virt += f.hit && f.hit->is_virtual;
    }
    CHECK(ov == 5 && virt == 1, "overrides (%zu) and the virtual call (%zu) survive", ov, virt);
    ll_tu_free(back);
  }
  free(a.data);
  free(b.data);
  ll_program_free(p);
}

int main(int argc, char **argv) {
  int rc = ut_setup(argc, argv);
  if (rc) return rc;
  test_hierarchy();
  test_single();
  test_spawns();
  test_codec();
  return ut_finish();
}
