/* pass.c - the pass driver (see pass.h): a depth-first walk over the
 * requirements puts every pass after what it needs; each runs once and its
 * result stays alive until all passes have run. */
#include "pass.h"

#include <stdio.h>
#include <stdlib.h>

#include "util.h"

typedef struct slot {
  const ll_pass *pass;
  ll_level level;
  void *result;
} slot;

typedef LL_VEC(const ll_pass *) pass_list;

typedef struct plan {
  LL_VEC(slot) v; /* in run order once ordered */
} plan;

struct ll_pass_ctx {
  const ll_program *prog;
  const ll_rules *packs;
  plan *plan;
  const slot *self;
  ll_findings *out;
};

static slot *find(plan *p, const ll_pass *pass) {
  for (size_t i = 0; i < p->v.n; i++)
    if (p->v.v[i].pass == pass) return &p->v.v[i];
  return NULL;
}

/* A requirement cycle or an undeclared read is a bug in a pass definition,
 * not in the input: stop loudly. */
static void die(const char *what, const ll_pass *pass) {
  fprintf(stderr, "leaklint: internal error: %s (pass %s)\n", what, pass && pass->id ? pass->id : "?");
  abort();
}

/* Post-order over the requirements: a pass is appended after everything it
 * requires. Slots are appended, so no pointer into p->v is kept across the
 * recursion. */
static void order(plan *p, const ll_pass *pass, ll_level level, pass_list *walk) {
  for (size_t i = 0; i < walk->n; i++)
    if (walk->v[i] == pass) die("requirement cycle", pass);
  if (find(p, pass)) return;
  LL_VEC_PUSH(walk, pass);
  for (const ll_pass *const *r = pass->requires; r && *r; r++) order(p, *r, (*r)->default_level, walk);
  walk->n--;
  slot s = {pass, level, NULL};
  LL_VEC_PUSH(&p->v, s);
}

const ll_program *ll_pass_program(const ll_pass_ctx *ctx) { return ctx->prog; }
const ll_rules *ll_pass_packs(const ll_pass_ctx *ctx) { return ctx->packs; }

void *ll_pass_result_of(ll_pass_ctx *ctx, const ll_pass *required) {
  int declared = 0;
  for (const ll_pass *const *r = ctx->self->pass->requires; r && *r; r++)
    if (*r == required) declared = 1;
  if (!declared) die("result of an undeclared requirement", ctx->self->pass);
  slot *s = find(ctx->plan, required);
  if (!s) die("requirement not run", required);
  return s->result;
}

ll_finding ll_pass_finding(const ll_pass_ctx *ctx, const char *message, ll_span loc) {
  if (!ctx->self->pass->is_rule) die("an analysis reported a finding", ctx->self->pass);
  return ll_finding_make(ctx->self->pass->id, ctx->self->level, message, loc);
}

void ll_pass_report(ll_pass_ctx *ctx, ll_finding f) { ll_findings_push(ctx->out, f); }

void ll_passes_run(const ll_pass *const *rules, const ll_level *levels, size_t n, const ll_program *prog,
                   const ll_rules *packs, ll_findings *out) {
  plan p = {{0}};
  pass_list walk = {0};
  for (size_t i = 0; i < n; i++) {
    slot *s = find(&p, rules[i]);
    if (s) s->level = levels[i]; /* already ordered as a requirement of an earlier rule */
    else order(&p, rules[i], levels[i], &walk);
  }
  free(walk.v);
  for (size_t i = 0; i < p.v.n; i++) {
    ll_pass_ctx ctx = {prog, packs, &p, &p.v.v[i], out};
    p.v.v[i].result = p.v.v[i].pass->run ? p.v.v[i].pass->run(&ctx) : NULL;
  }
  for (size_t i = p.v.n; i-- > 0;)
    if (p.v.v[i].pass->free_result && p.v.v[i].result) p.v.v[i].pass->free_result(p.v.v[i].result);
  free(p.v.v);
}
