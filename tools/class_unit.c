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

static const char *tmpdir;
static ll_rules *packs;
static ll_parser *parser;

/* Parses text as FILE (C++20) into a fresh program (indexed). */
static ll_program *parse(const char *name, const char *text) {
  char *path = ll_xasprintf("%s/%s", tmpdir, name);
  ut_put(path, text);
  const char *args[] = {"-x", "c++", "-std=gnu++20"};
  ll_notifications notes = {0};
  ll_tu *tu = ll_facts_parse(parser, path, args, 3, NULL, packs, &notes);
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
  ll_program *p = parse("hier.cpp", hier_src);
  CHECK(ll_program_derives(p, "Special", "Thread"), "Special derives from Thread through Worker");
  CHECK(ll_program_derives(p, "Worker", "Worker"), "a class derives from itself");
  CHECK(!ll_program_derives(p, "Thread", "Worker"), "a base does not derive from its derived class");
  CHECK(!ll_program_derives(p, "Other", "Worker"), "siblings do not derive from each other");
  const ll_func *wrun = func(p, "Worker::run"), *srun = func(p, "Special::run");
  CHECK(wrun->noverrides == 1, "Worker::run overrides one method (got %zu)", wrun->noverrides);
  CHECK(srun->noverrides == 2, "Special::run overrides Worker::run and Thread::run (got %zu)", srun->noverrides);

  const ll_node *vc = call_in(func(p, "Thread::entry"), "Thread::run");
  CHECK(vc && vc->is_virtual, "p->run() through a base pointer is a virtual call");
  const ll_func *out[4];
  CHECK(vc && ll_program_overriders(p, vc->callee_usr, NULL, out, 4) == 2, "Thread::run has two overriders");
  CHECK(vc && ll_program_overriders(p, vc->callee_usr, "Special", out, 4) == 1 && out[0] == srun,
        "only Special::run is below Special");
  CHECK(vc && ll_resolve_callee(p, vc) == NULL, "two overriders: the virtual call is not resolved");
  const ll_node *qc = call_in(func(p, "direct"), "Worker::run");
  CHECK(qc && !qc->is_virtual, "w.Worker::run() is not virtual dispatch");
  CHECK(qc && ll_resolve_callee(p, qc) == wrun, "a qualified call resolves to its definition");

  /* stop(): Thread's own body and two overriders (Special, Other) */
  const ll_node *sc = call_in(func(p, "Thread::halt"), "Thread::stop");
  CHECK(sc && sc->is_virtual && ll_resolve_callee(p, sc) == NULL,
        "a virtual with a body and overriders is not resolved");
  CHECK(sc && ll_program_virtual_target(p, sc->callee_usr, "Other") == func(p, "Other::stop"),
        "on an Other object, stop() is Other::stop");
  ll_program_free(p);
}

static const char *const single_src =
    "struct Thread { virtual ~Thread() {} virtual void run() = 0;\n"
    "  static void *entry(void *p) { static_cast<Thread *>(p)->run(); return 0; } };\n"
    "struct Worker : Thread { void run() override {} };\n";

static void test_single(void) {
  ll_program *p = parse("single.cpp", single_src);
  const ll_node *vc = call_in(func(p, "Thread::entry"), "Thread::run");
  CHECK(vc && ll_resolve_callee(p, vc) == func(p, "Worker::run"), "one overrider: the virtual call resolves to it");
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
  ll_program *p = parse("spawns.cpp", spawn_src);
  ll_spawns s = {0};
  ll_spawns_find_rules(p, packs, &s);
  CHECK(s.n == 4, "four spawns (got %zu)", s.n);
  const ll_spawn *a = spawn_in(&s, "A::A"), *b = spawn_in(&s, "B::B"), *c = spawn_in(&s, "C::C"),
                 *d = spawn_in(&s, "d");
  CHECK(a && a->entry == func(p, "A::f") && (a->fate & LL_FATE_JOINED),
        "member initialiser: entry A::f, joined through the member");
  CHECK(b && b->spawner->is_implicit && b->entry == func(p, "B::f") && (b->fate & LL_FATE_DETACHED),
        "default member initialiser: in B's implicit constructor, detached through the member");
  CHECK(c && c->entry == func(p, "C::f") && (c->fate & LL_FATE_JOINED),
        "make_unique<std::thread>: entry C::f, joined through the unique_ptr");
  CHECK(d && d->entry == func(p, "g") && (d->fate & LL_FATE_JOINED) && !(d->fate & LL_FATE_DISCARDED),
        "new std::thread: joined through the pointer, not discarded (%#x)", d ? d->fate : 0u);
  ll_spawns_free(&s);
  ll_program_free(p);
}

static void test_codec(void) {
  ll_program *p = parse("codec.cpp", hier_src);
  ll_tu *tu = ll_program_tu(p, 0);
  ll_buf a = {0}, b = {0};
  ll_ir_serialize(tu, packs, &a);
  ll_tu *back = ll_ir_deserialize(a.data, a.len, packs);
  CHECK(back != NULL, "the serialised IR decodes");
  if (back) {
    ll_ir_serialize(back, packs, &b);
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
  if (argc != 3) {
    fprintf(stderr, "usage: class_unit SRCDIR TMPDIR\n");
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
  test_hierarchy();
  test_single();
  test_spawns();
  test_codec();
  ll_parser_free(parser);
  ll_rules_free(packs);
  if (fails) printf("%d failure(s)\n", fails);
  else printf("all passed\n");
  return fails ? 1 : 0;
}
