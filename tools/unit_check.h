/* unit_check.h - the C unit tests' one assertion: CHECK(cond, fmt, ...) prints
 * "FAIL file:line: message" and counts the failure in `fails`, which each test
 * program returns from main; ut_put writes a test input. Included by the
 * unit-test programs only. */
#ifndef LL_UNIT_CHECK_H
#define LL_UNIT_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int fails;

#define CHECK(cond, ...)                          \
  do {                                            \
    if (!(cond)) {                                \
      fails++;                                    \
      printf("FAIL %s:%d: ", __FILE__, __LINE__); \
      printf(__VA_ARGS__);                        \
      printf("\n");                               \
    }                                             \
  } while (0)

/* Writes text to path, or exits 2 (a test that cannot set up is broken). */
static inline void ut_put(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
}

#endif
