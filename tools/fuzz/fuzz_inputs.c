/* fuzz_inputs.c - libFuzzer target over leaklint's text inputs:
 *   selector byte % 4 == 0: .leaklint.json (ll_config_load through a memfd),
 *                           then its "models" through ll_rules_load_text
 *                      1: a rule pack (ll_rules_load_text, freeze, lookups)
 *                      2: one comment (ll_directive_parse)
 *                      3: a source file's comments (ll_suppress_scan)
 * The rest of the input is the text. Seeds: testdata/fuzz/ (first byte = selector).
 * Build: CC=clang cmake -S . -B build-fuzz -DLEAKLINT_FUZZ=ON && cmake --build build-fuzz --target leaklint_fuzz
 * Run:   build-fuzz/leaklint_fuzz -runs=150000 testdata/fuzz */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "options.h"
#include "rulepack.h"
#include "suppress.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int memfd = -1;

static void load_models(const char *origin, const char *json) {
  ll_rules *r = ll_rules_new();
  char *err = NULL;
  if (ll_rules_load_text(r, origin, json, &err) == 0) {
    ll_rules_freeze(r);
    const ll_api *out[4];
    for (size_t i = 0; i < ll_rules_count(r) && i < 64; i++) {
      const ll_api *a = ll_rules_at(r, i);
      if (a->callee) (void)ll_rules_lookup(r, a->callee, out, 4);
      if (a->match == LL_MATCH_RANGE_FOR && a->name) (void)ll_rules_lookup_range(r, a->name, out, 4);
    }
    (void)ll_rules_hash(r);
  } else if (!err || !*err) {
    fprintf(stderr, "ll_rules_load_text failed without a message\n");
    abort();
  }
  free(err);
  ll_rules_free(r);
}

static void fuzz_config(const uint8_t *p, size_t n) {
  if (memfd < 0) {
    memfd = memfd_create("leaklint-fuzz-config", 0);
    if (memfd < 0) abort();
  }
  if (ftruncate(memfd, 0) != 0 || lseek(memfd, 0, SEEK_SET) != 0) abort();
  if (n && write(memfd, p, n) != (ssize_t)n) abort();
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
  ll_options o;
  memset(&o, 0, sizeof o);
  o.config = ll_xstrdup(path);
  o.no_cache = 1;
  char *err = NULL;
  if (ll_config_load(&o, &err) == 0) {
    if (o.inline_models) load_models(o.inline_models_origin ? o.inline_models_origin : "fuzz",
                                     o.inline_models);
  } else if (!err || !*err) {
    fprintf(stderr, "ll_config_load failed without a message\n");
    abort();
  }
  free(err);
  ll_options_free(&o);
}

static void fuzz_directive(const uint8_t *p, size_t n) {
  /* an exact-size heap copy: any read past n is an ASan error */
  char *text = ll_xmalloc(n ? n : 1);
  memcpy(text, p, n);
  ll_directive d;
  char *err = NULL;
  int rc = ll_directive_parse(text, n, &d, &err);
  if (rc == 1) {
    if (d.reason && !*d.reason) abort(); /* an empty reason must be NULL */
    for (size_t i = 0; i < d.nrules; i++)
      if (!d.rules[i][0]) abort();
    ll_directive_free(&d);
  } else if (rc < 0 && (!err || !*err)) {
    abort();
  } else if (rc == 0 && err) {
    abort();
  }
  free(err);
  free(text);
}

static void fuzz_scan(const uint8_t *p, size_t n) {
  char *text = ll_xmalloc(n ? n : 1);
  memcpy(text, p, n);
  ll_scanned *v = NULL;
  size_t k = ll_suppress_scan(text, n, &v);
  unsigned last = 0;
  for (size_t i = 0; i < k; i++) {
    if (v[i].d.line < last || v[i].d.end_line < v[i].d.line || v[i].d.col == 0) abort();
    last = v[i].d.line;
  }
  ll_scanned_free(v, k);
  free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t sel = data[0] % 4;
  const uint8_t *p = data + 1;
  size_t n = size - 1;
  switch (sel) {
  case 0: fuzz_config(p, n); break;
  case 1: {
    char *json = ll_xstrndup((const char *)p, n);
    load_models("fuzz: /models", json);
    free(json);
    break;
  }
  case 2: fuzz_directive(p, n); break;
  default: fuzz_scan(p, n); break;
  }
  return 0;
}
