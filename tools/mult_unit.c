/* mult_unit.c - unit tests of the multiplicity analysis (analysis/
 * multiplicity.c) on small sources parsed by the real front end: a spawn
 * reached once from main (directly, through an init path, a counted pool
 * loop, a static constructor, a task spawned once), on every iteration of an
 * uncounted loop, on every call of a function called in a loop, from several
 * repeated places, passed as a callback, reached recursively, or exported
 * with no caller in sight; unknown when the only use cannot be followed. And
 * the phrase and the report policy built on it. And the repetition a
 * function shows (ll_multiplicity_shown): a registered callback (a
 * while_true one only when it can return non-zero, else through its
 * registrar), a call in any loop, a repeating caller up to the depth bound;
 * nothing for an exported function with no caller.
 * Usage: mult_unit SRCDIR TMPDIR   (exit 0 = all passed, 77 = no libclang) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "multiplicity.h"
#include "pass.h"
#include "rulepack.h"
#include "task.h"
#include "util.h"

#include "unit_check.h"

/* What the probe saw: per spawn, its spawner's name and line and its
 * multiplicity (phrase and policy with the complete fate). */
#define MAXS 32
typedef struct seen_spawn {
  char spawner[64];
  unsigned line;
  ll_mult_info mi;
  char fn[64];     /* mi.fn's name, or "" */
  char *phrase;    /* ll_mult_phrase(NULL subject) */
  int report;      /* ll_mult_should_report with the complete fate */
  unsigned rel_line;
} seen_spawn;

static seen_spawn seen[MAXS];
static size_t nseen;

static void *probe_run(ll_pass_ctx *ctx) {
  ll_tasks *t = ll_pass_result_of(ctx, &ll_tasks_pass);
  const ll_mult *m = ll_pass_result_of(ctx, &ll_mult_pass);
  const ll_spawns *s = ll_tasks_spawns(t);
  nseen = 0;
  for (size_t i = 0; i < s->n && nseen < MAXS; i++) {
    seen_spawn *o = &seen[nseen++];
    memset(o, 0, sizeof *o);
    snprintf(o->spawner, sizeof o->spawner, "%s", s->v[i].spawner->name ? s->v[i].spawner->name : "?");
    o->line = s->v[i].site->loc.line;
    const ll_spawn *full = ll_tasks_complete(t, i);
    o->mi = ll_multiplicity_of(m, full);
    ll_mult_info at = ll_multiplicity_at(m, i);
    CHECK(at.kind == o->mi.kind && at.fn == o->mi.fn, "of and at agree on spawn %zu", i);
    snprintf(o->fn, sizeof o->fn, "%s", o->mi.fn && o->mi.fn->name ? o->mi.fn->name : "");
    o->phrase = ll_mult_phrase(&o->mi, NULL);
    o->report = ll_mult_should_report(&o->mi, full);
    o->rel_line = o->mi.related ? o->mi.related->line : 0;
  }
  return NULL;
}

static const ll_pass *const probe_requires[] = {&ll_tasks_pass, &ll_mult_pass, NULL};
static const ll_pass probe_rule = {
    .id = "probe", .summary = "test", .is_rule = 1, .default_level = LL_LEVEL_WARNING,
    .requires = probe_requires, .run = probe_run,
};

static void run_probe(const char *name, const char *src) {
  for (size_t i = 0; i < nseen; i++) free(seen[i].phrase);
  nseen = 0;
  ll_program *p = ut_parse(name, src, UT_C);
  ut_run(&probe_rule, LL_LEVEL_WARNING, p, NULL);
  ll_program_free(p); /* seen[] keeps no pointer into p except mi, read before this */
}

/* The spawn at line (the test sources put one spawn per line). */
static const seen_spawn *at_line(unsigned line) {
  for (size_t i = 0; i < nseen; i++)
    if (seen[i].line == line) return &seen[i];
  printf("FAIL: no spawn at line %u\n", line);
  fails++;
  static seen_spawn none;
  return &none;
}

#define HDR                                                                   \
  "typedef unsigned long pthread_t;\n"                                        \
  "int pthread_create(pthread_t *, const void *, void *(*)(void *), void *);\n" \
  "int pthread_join(pthread_t, void **);\n"                                   \
  "int pthread_detach(pthread_t);\n"                                          \
  "int accept_one(void);\n"                                                   \
  "void on(int ev, void (*cb)(int));\n"                                       \
  "void *work(void *a) { for (;;) { } return a; }\n"
/* HDR is 7 lines: sources below count from line 8 */

static const char *const basic_src = HDR
    "static void once_init(void) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"        /* 8 */
    "static void init(void) { once_init(); }\n"                                             /* 9 */
    "void handle_request(int fd) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"        /* 10 */
    "static void serve(void) { while (1) handle_request(accept_one()); }\n"                 /* 11 */
    "static void pool(int n) { for (int i = 0; i < n; i++) { pthread_t t; pthread_create(&t, 0, work, 0); } }\n" /* 12 */
    "static void loop_spawn(void) { for (;;) { pthread_t t; pthread_create(&t, 0, work, 0); } }\n"            /* 13 */
    "static void cb(int ev) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"             /* 14 */
    "void exported_start(void) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"          /* 15 */
    "static void unused_start(void) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"     /* 16 */
    "static void twice(void) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"            /* 17 */
    "static void joined(void) { pthread_t t; pthread_create(&t, 0, work, 0); pthread_join(t, 0); }\n" /* 18 */
    "int main(void) {\n"                                                                    /* 19 */
    "  init(); serve(); pool(4); loop_spawn(); on(1, cb);\n"                                /* 20 */
    "  twice(); twice(); joined();\n"                                                       /* 21 */
    "  pthread_t t; pthread_create(&t, 0, work, 0); pthread_detach(t);\n"                   /* 22 */
    "  return 0;\n"
    "}\n";

static void test_basic(void) {
  run_probe("basic.c", basic_src);
  const seen_spawn *s = at_line(8);
  CHECK(s->mi.kind == LL_MULT_ONCE && s->mi.why == LL_MULT_WHY_MAIN, "an init path from main runs once (%d)", s->mi.kind);
  CHECK(!s->phrase && !s->report, "a once-per-process detached worker: no phrase, not reported");
  s = at_line(10);
  CHECK(s->mi.kind == LL_MULT_PER_CALL && strcmp(s->fn, "handle_request") == 0 && s->mi.why == LL_MULT_WHY_CALLED_IN_LOOP,
        "called in a loop: per call of handle_request (%d %s)", s->mi.kind, s->fn);
  CHECK(s->phrase && strcmp(s->phrase, "a new task leaks on every call of `handle_request`") == 0, "phrase: %s",
        s->phrase ? s->phrase : "(null)");
  CHECK(s->rel_line == 11 && s->report, "related: the call in the loop (line %u)", s->rel_line);
  s = at_line(12);
  CHECK(s->mi.kind == LL_MULT_ONCE, "a counted pool loop in an init path: once (%d)", s->mi.kind);
  s = at_line(13);
  CHECK(s->mi.kind == LL_MULT_PER_ITERATION && s->mi.loop && s->rel_line == 13, "for (;;): per iteration (%d)",
        s->mi.kind);
  CHECK(s->phrase && strcmp(s->phrase, "a new task leaks on every iteration of the loop at line 13") == 0, "phrase: %s",
        s->phrase ? s->phrase : "(null)");
  s = at_line(14);
  CHECK(s->mi.kind == LL_MULT_PER_CALL && s->mi.why == LL_MULT_WHY_CALLBACK && strcmp(s->fn, "cb") == 0 &&
            s->rel_line == 20,
        "a callback: per call of cb, related the registration (%d %d %u)", s->mi.kind, s->mi.why, s->rel_line);
  s = at_line(15);
  CHECK(s->mi.kind == LL_MULT_PER_CALL && s->mi.why == LL_MULT_WHY_EXPORTED, "exported, no caller: per call (%d)",
        s->mi.kind);
  s = at_line(16);
  CHECK(s->mi.kind == LL_MULT_UNKNOWN && s->report, "static, no caller: unknown, still reported (%d)", s->mi.kind);
  s = at_line(17);
  CHECK(s->mi.kind == LL_MULT_ONCE, "two calls from main: a fixed number, once (%d)", s->mi.kind);
  s = at_line(18);
  CHECK(s->mi.kind == LL_MULT_ONCE && s->report, "once but joined: reported (stop hangs)");
  s = at_line(22);
  CHECK(s->mi.kind == LL_MULT_ONCE && s->mi.fn && strcmp(s->fn, "main") == 0 && !s->report,
        "main's own detached worker: once, not reported");
}

/* Tasks: a worker main spawns once runs once; what it calls in its loop
 * repeats; a task that spawns its own kind (a sieve) is recursive; two
 * repeated callers name the spawner; a constructor runs once. */
static const char *const chain_src = HDR
    "void *sieve(void *a) { pthread_t t; pthread_create(&t, 0, sieve, a); return a; }\n"      /* 8 */
    "static void per_job(void) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"              /* 9 */
    "void *worker(void *a) { for (;;) per_job(); return a; }\n"                                 /* 10 */
    "static void inner(void) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"                /* 11 */
    "void *boss(void *a) { inner(); return a; }\n"                                              /* 12 */
    "static void both(void) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"                 /* 13 */
    "static void r1(void) { while (accept_one()) both(); }\n"                                   /* 14 */
    "static void r2(void) { while (accept_one()) both(); }\n"                                   /* 15 */
    "__attribute__((constructor)) static void boot(void) { pthread_t t; pthread_create(&t, 0, work, 0); }\n" /* 16 */
    "static int stop; static void until_stop(void) { for (int i = 0; !stop; i++) { pthread_t t; pthread_create(&t, 0, work, 0); } }\n" /* 17 */
    "int main(void) {\n"                                                                        /* 18 */
    "  pthread_t a, b, c; pthread_create(&a, 0, worker, 0); pthread_create(&b, 0, boss, 0);\n"  /* 19 */
    "  pthread_create(&c, 0, sieve, 0); r1(); r2(); until_stop();\n"                            /* 20 */
    "  return 0;\n"
    "}\n";

static void test_chain(void) {
  run_probe("chain.c", chain_src);
  const seen_spawn *s = at_line(8);
  CHECK(s->mi.kind == LL_MULT_PER_CALL && s->mi.why == LL_MULT_WHY_RECURSIVE && strcmp(s->fn, "sieve") == 0,
        "a task spawning its own kind: per call of sieve (%d %d %s)", s->mi.kind, s->mi.why, s->fn);
  s = at_line(9);
  CHECK(s->mi.kind == LL_MULT_PER_CALL && strcmp(s->fn, "per_job") == 0 && s->rel_line == 10,
        "called in the loop of a once-spawned task: per call (%d %s)", s->mi.kind, s->fn);
  s = at_line(11);
  CHECK(s->mi.kind == LL_MULT_ONCE, "called once by a task main spawns once: once (%d)", s->mi.kind);
  s = at_line(13);
  CHECK(s->mi.kind == LL_MULT_PER_CALL && s->mi.why == LL_MULT_WHY_CALLERS && strcmp(s->fn, "both") == 0,
        "two repeated callers: per call of the spawner (%d %d %s)", s->mi.kind, s->mi.why, s->fn);
  s = at_line(16);
  CHECK(s->mi.kind == LL_MULT_ONCE && s->mi.why == LL_MULT_WHY_CONSTRUCTOR, "a static constructor: once (%d %d)",
        s->mi.kind, s->mi.why);
  s = at_line(17);
  CHECK(s->mi.kind == LL_MULT_PER_ITERATION, "a for loop whose condition ignores its counter repeats (%d)", s->mi.kind);
  s = at_line(19);
  CHECK(s->mi.kind == LL_MULT_ONCE, "main's spawn: once");
}

/* Mutual recursion without main: both repeat; depth is bounded. */
static const char *const cycle_src = HDR
    "static void pong(int n);\n"                                                         /* 8 */
    "static void ping(int n) { pthread_t t; pthread_create(&t, 0, work, 0); pong(n); }\n" /* 9 */
    "static void pong(int n) { if (n) ping(n - 1); }\n"                                  /* 10 */
    "void go_(void) { ping(3); }\n"                                                      /* 11 */
    "static void f0(void) { pthread_t t; pthread_create(&t, 0, work, 0); }\n"            /* 12 */
    "static void f1(void) { f0(); }\n static void f2(void) { f1(); }\n static void f3(void) { f2(); }\n"
    "static void f4(void) { f3(); }\n static void f5(void) { f4(); }\n static void f6(void) { f5(); }\n"
    "static void f7(void) { f6(); }\n static void f8(void) { f7(); }\n static void f9(void) { f8(); }\n"
    "static void fa(void) { f9(); }\n static void fb(void) { fa(); }\n static void fc(void) { fb(); }\n"
    "static void fd(void) { fc(); }\n static void fe(void) { fd(); }\n"
    "int main(void) { fe(); return 0; }\n";

static void test_cycle(void) {
  run_probe("cycle.c", cycle_src);
  const seen_spawn *s = at_line(9);
  CHECK(s->mi.kind == LL_MULT_PER_CALL && strcmp(s->fn, "ping") == 0, "mutual recursion repeats (%d %s)", s->mi.kind,
        s->fn);
  s = at_line(12);
  CHECK(s->mi.kind == LL_MULT_UNKNOWN, "a chain deeper than the bound: unknown (%d)", s->mi.kind);
}

/* ---------------------------------------------------------------- shown repetition */

/* What ll_multiplicity_shown says of each named function of TU 0. */
#define MAXF 32
typedef struct seen_func {
  char name[64];
  ll_mult_info mi;
  char by[64];    /* mi.by's name, or "" */
  char fn[64];    /* mi.fn's name, or "" */
  int has_api;    /* mi.api set */
  unsigned rel_line;
} seen_func;

static seen_func fseen[MAXF];
static size_t nfseen;

static void *shown_run(ll_pass_ctx *ctx) {
  const ll_mult *m = ll_pass_result_of(ctx, &ll_mult_pass);
  const ll_tu *tu = ll_program_tu(ll_pass_program(ctx), 0);
  nfseen = 0;
  for (size_t i = 0; i < tu->nfuncs && nfseen < MAXF; i++) {
    const ll_func *fn = tu->funcs[i];
    if (!fn->name || !fn->body) continue;
    seen_func *o = &fseen[nfseen++];
    memset(o, 0, sizeof *o);
    snprintf(o->name, sizeof o->name, "%s", fn->name);
    o->mi = ll_multiplicity_shown(m, fn);
    snprintf(o->by, sizeof o->by, "%s", o->mi.by && o->mi.by->name ? o->mi.by->name : "");
    snprintf(o->fn, sizeof o->fn, "%s", o->mi.fn && o->mi.fn->name ? o->mi.fn->name : "");
    o->has_api = o->mi.api != NULL;
    o->rel_line = o->mi.related ? o->mi.related->line : 0;
    /* the guessing query disagrees on purpose for an exported function */
    if (strcmp(fn->name, "lonely") == 0) {
      ll_mult_info g = ll_multiplicity_of_func(m, fn);
      CHECK(g.kind == LL_MULT_PER_CALL && g.why == LL_MULT_WHY_EXPORTED, "of_func guesses an exported function (%d)",
            g.kind);
    }
  }
  return NULL;
}

static const ll_pass *const shown_requires[] = {&ll_tasks_pass, &ll_mult_pass, NULL};
static const ll_pass shown_rule = {
    .id = "probe-shown", .summary = "test", .is_rule = 1, .default_level = LL_LEVEL_WARNING,
    .requires = shown_requires, .run = shown_run,
};

static const seen_func *fnamed(const char *name) {
  for (size_t i = 0; i < nfseen; i++)
    if (strcmp(fseen[i].name, name) == 0) return &fseen[i];
  printf("FAIL: no function %s\n", name);
  fails++;
  static seen_func none;
  return &none;
}

static const char *const shown_src =
    "unsigned long g_signal_connect_data(void *i, const char *s, void (*h)(void), void *d, void *n, int f);\n" /* 1 */
    "unsigned g_idle_add(int (*f)(void *), void *d);\n"                                  /* 2 */
    "int more(void);\n"                                                                  /* 3 */
    "static void helper(void) {}\n"                                                      /* 4 */
    "static void handler(void) { helper(); }\n"                                          /* 5 */
    "static int once(void *d) { (void)d; return 0; }\n"                                  /* 6 */
    "static int again(void *d) { (void)d; return 1; }\n"                                 /* 7 */
    "static int once2(void *d) { (void)d; return 0; }\n"                                 /* 8 */
    "static void tick(void) { g_idle_add(once2, 0); }\n"                                 /* 9 */
    "static void leaf(void) {}\n"                                                        /* 10 */
    "static void in_loop(void) { leaf(); }\n"                                            /* 11 */
    "static void d5(void) {}\n"                                                          /* 12 */
    "static void d4(void) { d5(); }\n"                                                   /* 13 */
    "static void d3(void) { d4(); }\n"                                                   /* 14 */
    "static void d2(void) { d3(); }\n"                                                   /* 15 */
    "static void d1(void) { d2(); }\n"                                                   /* 16 */
    "static void d0(void) { d1(); }\n"                                                   /* 17 */
    "void lonely(void) {}\n"                                                             /* 18 */
    "void setup(void *o) {\n"                                                            /* 19 */
    "  g_signal_connect_data(o, \"x\", handler, 0, 0, 0);\n"                             /* 20 */
    "  g_idle_add(once, 0);\n"                                                           /* 21 */
    "  g_idle_add(again, 0);\n"                                                          /* 22 */
    "  for (int i = 0; i < 3; i++) in_loop();\n"                                         /* 23 */
    "  while (more()) tick();\n"                                                         /* 24 */
    "  do { d0(); } while (more());\n"                                                   /* 25 */
    "}\n";

static void test_shown(void) {
  ll_program *p = ut_parse("shown.c", shown_src, UT_C);
  ut_run(&shown_rule, LL_LEVEL_WARNING, p, NULL);
  ll_program_free(p); /* fseen[] keeps names and lines; its pointers are not read after this */
  const seen_func *f = fnamed("handler");
  CHECK(f->mi.kind == LL_MULT_PER_CALL && f->mi.why == LL_MULT_WHY_CALLBACK && f->has_api && f->rel_line == 20 &&
            strcmp(f->by, "setup") == 0 && strcmp(f->fn, "handler") == 0 && f->mi.depth == 0,
        "a registered signal handler repeats (%d %d line %u by %s)", f->mi.kind, f->mi.why, f->rel_line, f->by);
  f = fnamed("again");
  CHECK(f->mi.kind == LL_MULT_PER_CALL && f->mi.why == LL_MULT_WHY_CALLBACK && f->rel_line == 22,
        "a while_true callback returning TRUE repeats (%d %d)", f->mi.kind, f->mi.why);
  f = fnamed("once");
  CHECK(f->mi.kind == LL_MULT_UNKNOWN, "a while_true callback returning FALSE, registered once: unknown (%d)",
        f->mi.kind);
  f = fnamed("once2");
  CHECK(f->mi.kind == LL_MULT_PER_CALL && f->mi.why == LL_MULT_WHY_REPEATING_CALLER && strcmp(f->by, "tick") == 0 &&
            f->rel_line == 9 && f->mi.depth == 1 && !f->has_api,
        "a one-shot callback its repeating registrar registers: through the registrar (%d %d by %s depth %d)",
        f->mi.kind, f->mi.why, f->by, f->mi.depth);
  f = fnamed("tick");
  CHECK(f->mi.why == LL_MULT_WHY_CALLED_IN_LOOP && f->rel_line == 24 && strcmp(f->by, "setup") == 0,
        "called in a while loop (%d line %u)", f->mi.why, f->rel_line);
  f = fnamed("in_loop");
  CHECK(f->mi.kind == LL_MULT_PER_CALL && f->mi.why == LL_MULT_WHY_CALLED_IN_LOOP && f->rel_line == 23,
        "called in a counted loop: shown to repeat (%d %d)", f->mi.kind, f->mi.why);
  f = fnamed("leaf");
  CHECK(f->mi.why == LL_MULT_WHY_REPEATING_CALLER && strcmp(f->by, "in_loop") == 0 && f->mi.depth == 1 &&
            f->rel_line == 11,
        "the callee of a repeating function: its caller is the reference (%d by %s depth %d)", f->mi.why, f->by,
        f->mi.depth);
  f = fnamed("helper");
  CHECK(f->mi.why == LL_MULT_WHY_REPEATING_CALLER && strcmp(f->by, "handler") == 0,
        "the callee of a registered callback (%d by %s)", f->mi.why, f->by);
  f = fnamed("d4");
  CHECK(f->mi.why == LL_MULT_WHY_REPEATING_CALLER && f->mi.depth == 4, "four calls from a loop: shown (%d depth %d)",
        f->mi.why, f->mi.depth);
  f = fnamed("d5");
  CHECK(f->mi.kind == LL_MULT_UNKNOWN, "five calls from a loop: past the bound, unknown (%d)", f->mi.kind);
  f = fnamed("lonely");
  CHECK(f->mi.kind == LL_MULT_UNKNOWN, "exported with no caller: no evidence (%d)", f->mi.kind);
  f = fnamed("setup");
  CHECK(f->mi.kind == LL_MULT_UNKNOWN, "the registrar itself: no evidence (%d)", f->mi.kind);
}

int main(int argc, char **argv) {
  int rc = ut_setup(argc, argv);
  if (rc) return rc;
  test_basic();
  test_chain();
  test_cycle();
  test_shown();
  for (size_t i = 0; i < nseen; i++) free(seen[i].phrase);
  return ut_finish();
}
