/* unit_check.h - the C unit tests' one assertion: CHECK(cond, fmt, ...) prints
 * "FAIL file:line: message" and counts the failure in `fails`, which each test
 * program returns from main. Included by the unit-test programs only. */
#ifndef LL_UNIT_CHECK_H
#define LL_UNIT_CHECK_H

#include <stdio.h>

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

#endif
