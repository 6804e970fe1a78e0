/* ptrmap_unit.c - unit tests of leaklint's hash table (checker/util/ptrmap.h)
 * and of the table-driven IR codec (checker/ir/ircodec.h) on a hand-made
 * translation unit: identity and string keys, growth past many capacities,
 * overwrite, "find else create" slots, index values, iteration; the IR round
 * trip (encode, decode, encode: the same bytes, every field back), the
 * decoder's refusal of every truncation and of out-of-range fields, and the
 * dump naming the fields.
 * Usage: ptrmap_unit   (exit 0 = all passed) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ircodec.h"
#include "ptrmap.h"
#include "util.h"

#include "unit_check.h"

static void test_identity(void) {
  ll_ptrmap *m = ll_ptrmap_new();
  enum { N = 5000 };
  static int keys[N];
  CHECK(ll_ptrmap_get(m, &keys[0]) == NULL, "empty map finds nothing");
  for (int i = 0; i < N; i++) ll_ptrmap_put(m, &keys[i], &keys[(i + 1) % N]);
  CHECK(ll_ptrmap_count(m) == N, "count %zu after %d puts", ll_ptrmap_count(m), N);
  int bad = 0;
  for (int i = 0; i < N; i++) bad += ll_ptrmap_get(m, &keys[i]) != &keys[(i + 1) % N];
  CHECK(bad == 0, "%d keys lost their value across growth", bad);
  ll_ptrmap_put(m, &keys[7], NULL);
  CHECK(ll_ptrmap_count(m) == N && ll_ptrmap_get(m, &keys[7]) == NULL, "overwrite keeps the count");
  ll_ptrmap_put(m, NULL, &keys[1]);
  CHECK(ll_ptrmap_count(m) == N && ll_ptrmap_get(m, NULL) == NULL, "NULL is never a key");
  int other;
  CHECK(ll_ptrmap_get(m, &other) == NULL, "an absent key finds nothing");
  size_t seen = 0, pos = 0;
  const void *k;
  while (ll_ptrmap_next(m, &pos, &k, NULL)) seen += k >= (const void *)keys && k < (const void *)(keys + N);
  CHECK(seen == N, "iteration visits %zu of %d keys", seen, N);
  ll_ptrmap_free(m);
  ll_ptrmap_free(NULL);
}

static void test_slot_and_index(void) {
  ll_ptrmap *m = ll_ptrmap_new();
  int a, b;
  void **s = ll_ptrmap_slot(m, &a);
  CHECK(s && *s == NULL && ll_ptrmap_count(m) == 1, "a new slot is NULL and counted");
  *s = &b;
  CHECK(*ll_ptrmap_slot(m, &a) == &b && ll_ptrmap_count(m) == 1, "the slot of a present key is its value");
  ll_ptrmap_free(m);

  ll_ptrmap *ix = ll_ptrmap_new();
  static char cells[300];
  for (size_t i = 0; i < sizeof cells; i++) ll_ptrmap_put_index(ix, &cells[i], i);
  size_t got = 99, bad = 0;
  for (size_t i = 0; i < sizeof cells; i++) bad += !ll_ptrmap_get_index(ix, &cells[i], &got) || got != i;
  CHECK(bad == 0, "%zu indices wrong", bad);
  CHECK(ll_ptrmap_get_index(ix, &cells[0], &got) && got == 0, "index 0 is a value, not absence");
  CHECK(!ll_ptrmap_get_index(ix, &a, &got), "an absent key has no index");
  ll_ptrmap_free(ix);
}

static void test_strings(void) {
  ll_ptrmap *m = ll_ptrmap_new_str();
  char *names[1000];
  for (int i = 0; i < 1000; i++) {
    names[i] = ll_xasprintf("c:@F@fn_%d", i);
    ll_ptrmap_put_index(m, names[i], (size_t)i);
  }
  char probe[32];
  size_t got = 0, bad = 0;
  for (int i = 0; i < 1000; i++) {
    snprintf(probe, sizeof probe, "c:@F@fn_%d", i); /* another pointer, the same text */
    bad += !ll_ptrmap_get_index(m, probe, &got) || got != (size_t)i;
  }
  CHECK(bad == 0, "%zu string keys not found by content", bad);
  CHECK(!ll_ptrmap_get_index(m, "c:@F@fn_1000", &got) && !ll_ptrmap_get_index(m, "", &got),
        "absent strings are absent");
  ll_ptrmap_put_index(m, "c:@F@fn_5", 77); /* a copy of the text replaces the value */
  CHECK(ll_ptrmap_count(m) == 1000 && ll_ptrmap_get_index(m, names[5], &got) && got == 77,
        "equal text is the same key");
  const char *tok = "c:@F@fn_12(x)";
  CHECK(ll_ptrmap_has_n(m, tok, 9) && ll_ptrmap_has_n(m, tok, 10) && !ll_ptrmap_has_n(m, tok, 8) && !ll_ptrmap_has_n(m, tok, 11) &&
            !ll_ptrmap_has_n(m, "c:@F@fn_1000", 12),
        "has_n matches exactly the n bytes of a token, not a prefix or a longer key");
  ll_ptrmap_free(m);
  for (int i = 0; i < 1000; i++) free(names[i]);

  ll_ptrmap *id = ll_ptrmap_new(); /* an identity map does not compare text */
  char x[] = "same", y[] = "same";
  ll_ptrmap_put(id, x, x);
  CHECK(ll_ptrmap_get(id, y) == NULL && ll_ptrmap_get(id, x) == x, "identity keys are pointers");
  ll_ptrmap_free(id);
}

/* A translation unit by hand: void f(int p) { g(p, 3); } with a lambda. */
static ll_tu *small_tu(void) {
  ll_tu *tu = ll_xcalloc(1, sizeof *tu);
  tu->arena = ll_arena_new();
  ll_arena *A = tu->arena;
  tu->main_file = "a.c";
  tu->nvars = 1;
  tu->vars = ll_arena_alloc(A, sizeof(ll_var));
  tu->vars[0] = (ll_var){.name = "p", .type = "int", .is_param = 1, .loc = {"a.c", 1, 12, 1, 17, 11, 16}};
  ll_func *f = ll_arena_alloc(A, sizeof *f), *lam = ll_arena_alloc(A, sizeof *lam);
  ll_node *body = ll_arena_alloc(A, sizeof *body), *call = ll_arena_alloc(A, sizeof *call);
  ll_value *arg0 = ll_arena_alloc(A, sizeof *arg0), *arg1 = ll_arena_alloc(A, sizeof *arg1);
  *f = (ll_func){.name = "f", .usr = "c:@F@f", .loc = {"a.c", 1, 6, 1, 7, 5, 6}, .body = body, .tu = tu,
                 .is_coroutine = 1};
  f->nparams = 1;
  f->params = ll_arena_alloc(A, sizeof(int));
  tu->vars[0].owner = f;
  *lam = (ll_func){.name = "<lambda>", .parent = f, .is_lambda = 1, .captures_this = 1, .tu = tu};
  *arg0 = (ll_value){.kind = LL_V_VAR, .var = 0, .type = "int", .text = "p"};
  *arg1 = (ll_value){.kind = LL_V_INT, .known = 1, .ival = -3, .var = -1, .text = "-3"};
  *call = (ll_node){.kind = LL_N_CALL, .parent = body, .func = f, .callee = "g", .cond_const = -1,
                    .loc = {"a.c", 1, 21, 1, 28, 20, 27}, .result_used = 0, .is_virtual = 1};
  call->nargs = 2;
  call->args = ll_arena_alloc(A, 2 * sizeof(ll_value *));
  call->args[0] = arg0;
  call->args[1] = arg1;
  *body = (ll_node){.kind = LL_N_BLOCK, .func = f, .cond_const = -1, .loc = {"a.c", 1, 19, 1, 31, 18, 30}};
  body->nkids = 1;
  body->kids = ll_arena_alloc(A, sizeof(ll_node *));
  body->kids[0] = call;
  tu->nfuncs = 2;
  tu->funcs = ll_arena_alloc(A, 2 * sizeof(ll_func *));
  tu->funcs[0] = f;
  tu->funcs[1] = lam;
  tu->nfiles = 1;
  tu->files = ll_arena_alloc(A, sizeof(char *));
  tu->contents = ll_arena_alloc(A, sizeof(char *));
  tu->lens = ll_arena_alloc(A, sizeof(size_t));
  tu->files[0] = "a.c";
  tu->contents[0] = ll_text_intern("void f(int p) { g(p, -3); }\n", 28);
  tu->lens[0] = 28;
  return tu;
}

static void test_codec(void) {
  ll_tu *tu = small_tu();
  ll_buf a = {0}, b = {0};
  ll_ir_serialize(tu, NULL, &a);
  ll_tu *back = ll_ir_deserialize(a.data, a.len, NULL);
  CHECK(back != NULL, "the encoding of a well-formed tu decodes");
  if (back) {
    ll_ir_serialize(back, NULL, &b);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0, "encode, decode, encode: same bytes");
    const ll_func *f = back->funcs[0], *lam = back->funcs[1];
    const ll_node *call = f->body && f->body->nkids == 1 ? f->body->kids[0] : NULL;
    CHECK(!strcmp(f->name, "f") && !strcmp(f->usr, "c:@F@f") && f->is_coroutine && !f->is_lambda,
          "function fields and flags back");
    CHECK(lam->parent == f && lam->is_lambda && lam->captures_this && !lam->is_coroutine && !lam->usr,
          "lambda fields back");
    CHECK(call && call->kind == LL_N_CALL && call->parent == f->body && call->func == f && call->is_virtual &&
              call->loc.end_offset == 27 && call->cond_const == -1,
          "node fields back");
    CHECK(call && call->nargs == 2 && call->args[0]->kind == LL_V_VAR && call->args[0]->var == 0 &&
              call->args[1]->ival == -3 && call->args[1]->known && !strcmp(call->args[1]->text, "-3"),
          "value fields back");
    CHECK(back->nvars == 1 && back->vars[0].owner == f && back->vars[0].is_param &&
              back->nfiles == 1 && back->lens[0] == 28 && back->contents[0][0] == '\0',
          "variables and files back (contents left empty)");
    char *dump = NULL;
    size_t dlen = 0;
    FILE *o = open_memstream(&dump, &dlen);
    ll_ir_dump_fields(o, back, 1);
    fclose(o);
    CHECK(strstr(dump, "func name=f usr=c:@F@f") && strstr(dump, " is_coroutine") &&
              strstr(dump, "call loc={") && strstr(dump, "callee=g") && strstr(dump, "ival=-3") &&
              strstr(dump, "var=$p#0") && strstr(dump, " is_virtual=1"),
          "the full dump names the fields:\n%s", dump);
    free(dump);
  }
  ll_tu_free(back);
  size_t accepted = 0;
  for (size_t n = 0; n < a.len; n++) {
    ll_tu *t = ll_ir_deserialize(a.data, n, NULL);
    accepted += t != NULL;
    ll_tu_free(t);
  }
  CHECK(accepted == 0, "%zu truncations of the encoding decoded", accepted);
  /* the last byte of the body is the class count: 1 claims a class that is not there */
  a.data[a.len - 1] = 1;
  CHECK(ll_ir_deserialize(a.data, a.len, NULL) == NULL, "a class count past the end is refused");
  ll_buf_free(&a);
  ll_buf_free(&b);
  /* a value naming a variable that does not exist; a node kind out of range */
  tu->funcs[0]->body->kids[0]->args[0]->var = 5;
  ll_ir_serialize(tu, NULL, &a);
  CHECK(ll_ir_deserialize(a.data, a.len, NULL) == NULL, "a variable id past the variables is refused");
  ll_buf_free(&a);
  tu->funcs[0]->body->kids[0]->args[0]->var = 0;
  tu->funcs[0]->body->kids[0]->kind = (ll_node_kind)(LL_N_DECL + 1);
  ll_ir_serialize(tu, NULL, &a);
  CHECK(ll_ir_deserialize(a.data, a.len, NULL) == NULL, "a node kind out of range is refused");
  ll_buf_free(&a);
  ll_tu_free(tu);
}

int main(void) {
  test_identity();
  test_slot_and_index();
  test_strings();
  test_codec();
  if (!fails) printf("ptrmap_unit: all passed\n");
  return fails ? 1 : 0;
}
