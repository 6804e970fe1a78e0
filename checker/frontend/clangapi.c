/* clangapi.c - loads libclang with dlopen on first use (see clangapi.h). */
#define LL_CLANGAPI_IMPL
#include "clangapi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef LEAKLINT_LIBCLANG_PATH
#define LEAKLINT_LIBCLANG_PATH "libclang.so"
#endif
#ifndef LEAKLINT_LIBCLANG_LINK
#define LEAKLINT_LIBCLANG_LINK "libclang.so"
#endif

ll_clang_api ll_clang_fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int load_rc = -1;
static char load_err[768];

/* Resolves every function; 0, or -1 naming the first one missing. */
static int resolve(void *h, const char *from) {
#define LL_CLANG_SYM(name)                                                                         \
  *(void **)&ll_clang_fn.name = dlsym(h, "clang_" #name);                                          \
  if (!ll_clang_fn.name) {                                                                         \
    snprintf(load_err, sizeof load_err, "%s has no clang_%s (leaklint needs libclang 14 or newer)", \
             from, #name);                                                                         \
    return -1;                                                                                     \
  }
  LL_CLANG_FUNCS(LL_CLANG_SYM)
#undef LL_CLANG_SYM
  return 0;
}

static void load(void) {
  /* the environment first, then the exact library leaklint was built
     against, then the development symlink, then the loader's search */
  const char *cands[] = {getenv("LEAKLINT_LIBCLANG"), LEAKLINT_LIBCLANG_PATH, LEAKLINT_LIBCLANG_LINK,
                         "libclang.so"};
  const char *first_err = NULL;
  char first[512] = "";
  for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
    const char *c = cands[i];
    if (!c || !*c) continue;
    void *h = dlopen(c, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      if (!first_err) {
        const char *e = dlerror();
        snprintf(first, sizeof first, "%s", e ? e : c);
        first_err = first;
      }
      if (i == 0) break; /* an explicit LEAKLINT_LIBCLANG must be the one used */
      continue;
    }
    if (resolve(h, c) == 0) {
      load_rc = 0;
      return;
    }
    dlclose(h);
    return;
  }
  snprintf(load_err, sizeof load_err,
           "cannot load libclang (%s); install libclang1 of the LLVM leaklint was built with, "
           "or point LEAKLINT_LIBCLANG at a libclang.so",
           first_err ? first_err : "no candidate");
}

int ll_clang_load(const char **err) {
  pthread_once(&once, load);
  if (load_rc != 0 && err) *err = load_err;
  return load_rc;
}
