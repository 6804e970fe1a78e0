/* faultshim.c - LD_PRELOAD fault injection for tools/test_harden.py (never
 * linked into leaklint): rename(FROM, TO) raises a signal ($LL_TEST_SIGNAL,
 * a number; default SIGTERM) in the calling thread, before renaming, when
 * TO's last component equals $LL_TEST_SIGTERM_ON_RENAME. That is the last
 * moment of an atomic write:
 * the temporary file is complete and must still be removed by leaklint. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

int rename(const char *from, const char *to) {
  const char *want = getenv("LL_TEST_SIGTERM_ON_RENAME");
  const char *slash = strrchr(to, '/');
  if (want && *want && strcmp(slash ? slash + 1 : to, want) == 0) {
    const char *n = getenv("LL_TEST_SIGNAL");
    raise(n && *n ? atoi(n) : SIGTERM);
  }
  int (*real)(const char *, const char *) =
      (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  return real ? real(from, to) : -1;
}
