/* fuzz_cache.c - libFuzzer target over the result cache's decoders and the
 * analyses on what they decode (a cache entry is as hostile as a source:
 * another user, or a crafted file, may have written it):
 *   selector byte % 2 == 0: IR (ll_ir_deserialize), then the program index
 *                           and every registered pass over the decoded IR
 *                      1: findings (ll_findings_deserialize, sort, fingerprint)
 * The rest of the input is the encoded data.
 *
 * Seeds are not committed (the IR format follows the IR): the target writes
 * them itself from sources when LEAKLINT_FUZZ_WRITE_SEEDS=DIR is set:
 *   LEAKLINT_FUZZ_WRITE_SEEDS=seeds build-fuzz/leaklint_fuzz_cache FILE.c... -- FLAGS...
 * (tools/test_fuzz.py does this with fixtures and generated deep sources).
 * Rule packs: the source tree's rules/ (or LEAKLINT_DATA_DIR). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "cache.h"
#include "clangapi.h"
#include "facts.h"
#include "ir.h"
#include "registry.h"
#include "rulepack.h"
#include "run.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ll_rules *g_rules;

static void write_seed(const char *dir, const char *kind, size_t i, char sel, const ll_buf *b) {
  char *path = ll_xasprintf("%s/%s-%03zu", dir, kind, i);
  FILE *f = fopen(path, "wb");
  if (!f || fputc(sel, f) == EOF || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
    fprintf(stderr, "fuzz_cache: cannot write %s\n", path);
    exit(2);
  }
  free(path);
}

/* Parses each FILE (flags after "--") and writes its IR and its findings as
 * seeds; exits. */
static void write_seeds(const char *dir, int argc, char **argv) {
  int sep = argc;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--")) sep = i;
  ll_parser *p = ll_parser_new();
  if (!p) {
    const char *lerr = "cannot load libclang";
    ll_clang_load(&lerr);
    fprintf(stderr, "fuzz_cache: %s\n", lerr);
    exit(2);
  }
  for (int i = 1; i < sep; i++) {
    ll_notifications notes = {0};
    ll_tu *tu = ll_facts_parse(p, argv[i], (const char *const *)argv + sep + 1,
                               sep < argc ? argc - sep - 1 : 0, NULL, g_rules, &notes);
    ll_notifications_free(&notes);
    if (!tu) continue;
    ll_buf b = {0};
    ll_ir_serialize(tu, g_rules, &b);
    ll_tu *back = ll_ir_deserialize(b.data, b.len, g_rules);
    if (!back) { /* a seed the decoder rejects would only test the rejection */
      fprintf(stderr, "fuzz_cache: the IR of %s does not decode\n", argv[i]);
      exit(2);
    }
    ll_tu_free(back);
    write_seed(dir, "ir", (size_t)i, 0, &b);
    ll_buf_free(&b);
    ll_program *prog = ll_program_new();
    ll_program_add(prog, tu);
    ll_program_index(prog);
    ll_findings f = {0};
    ll_registry_run(prog, g_rules, NULL, &f);
    ll_findings_serialize(&f, &b);
    write_seed(dir, "findings", (size_t)i, 1, &b);
    ll_buf_free(&b);
    ll_findings_free(&f);
    ll_program_free(prog);
  }
  ll_parser_free(p);
  ll_rules_free(g_rules);
  exit(0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  g_rules = ll_rules_new();
  char *dir = ll_data_path("rules");
  char *err = NULL;
  if (!dir || ll_rules_load_dir(g_rules, dir, &err)) {
    fprintf(stderr, "fuzz_cache: %s\n", err ? err : "no rules directory (set LEAKLINT_DATA_DIR)");
    exit(2);
  }
  free(dir);
  ll_rules_freeze(g_rules);
  const char *seeds = getenv("LEAKLINT_FUZZ_WRITE_SEEDS");
  if (seeds && *seeds) write_seeds(seeds, *argc, *argv);
  return 0;
}

/* The decoder leaves every file's contents empty with the length the IR
 * states; the run puts back text of exactly that length (read from disk and
 * checked against the digests, or sent by the parser process) before any
 * pass reads it. So does this: C-like text, so that text-reading code runs. */
static int fill_contents(ll_tu *tu) {
  static const char pat[] = "for (int i = 0; i < n; i++) { f(x, \"s\"); } // c\n";
  size_t total = 0;
  for (size_t i = 0; i < tu->nfiles; i++) total += tu->lens[i];
  if (total > (1u << 24)) return -1;
  for (size_t i = 0; i < tu->nfiles; i++) {
    char *t = ll_xmalloc(tu->lens[i] + 1);
    for (size_t k = 0; k < tu->lens[i]; k++) t[k] = pat[k % (sizeof pat - 1)];
    ll_text_release(tu->contents[i]);
    tu->contents[i] = ll_text_intern(t, tu->lens[i]);
    free(t);
  }
  return 0;
}

static void fuzz_ir(const uint8_t *p, size_t n) {
  ll_tu *tu = ll_ir_deserialize(p, n, g_rules);
  if (!tu) return;
  if (fill_contents(tu)) {
    ll_tu_free(tu);
    return;
  }
  ll_program *prog = ll_program_new();
  ll_program_add(prog, tu);
  ll_program_index(prog);
  ll_findings f = {0};
  ll_registry_run(prog, g_rules, NULL, &f);
  ll_findings_sort_dedup(&f);
  ll_findings_fingerprint(&f, "/");
  ll_findings_free(&f);
  ll_program_free(prog);
}

static void fuzz_findings(const uint8_t *p, size_t n) {
  ll_findings f = {0};
  if (ll_findings_deserialize(p, n, &f) == 0) {
    ll_findings_sort_dedup(&f);
    ll_findings_fingerprint(&f, "/");
    /* a round trip must be stable */
    ll_buf b = {0};
    ll_findings_serialize(&f, &b);
    ll_findings g = {0};
    if (ll_findings_deserialize(b.data, b.len, &g) != 0 || g.n != f.n) abort();
    ll_findings_free(&g);
    ll_buf_free(&b);
  }
  ll_findings_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  /* an exact-size heap copy: any read past the end is an ASan error */
  uint8_t *p = ll_xmalloc(size);
  memcpy(p, data, size);
  if (p[0] % 2 == 0) fuzz_ir(p + 1, size - 1);
  else fuzz_findings(p + 1, size - 1);
  free(p);
  return 0;
}
