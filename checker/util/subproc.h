/* subproc.h - run a program and capture its standard output, with a deadline.
 *
 * One helper for every child leaklint starts (git in discover.c, addr2line
 * in verify/): posix_spawnp with an argv array (no shell), stdin and stderr
 * on /dev/null, the child in its own process group so that a deadline kills
 * it and whatever it started. */
#ifndef LL_SUBPROC_H
#define LL_SUBPROC_H

#include <stddef.h>

typedef struct ll_subproc_opts {
  char *const *envp;  /* the child's environment, or NULL: ours */
  int timeout_ms;     /* > 0: kill the child (its process group) at this deadline */
  size_t max_output;  /* > 0: stop reading (and kill the child) past this many bytes */
} ll_subproc_opts;

enum { LL_SUBPROC_NOSTART = -1, LL_SUBPROC_TIMEOUT = -2, LL_SUBPROC_SIGNAL = -3,
       LL_SUBPROC_TOOBIG = -4 };

/* Runs argv[0] (searched in PATH) with argv. Returns its exit status (0-255),
 * or LL_SUBPROC_NOSTART (cannot start), LL_SUBPROC_TIMEOUT (killed at the
 * deadline), LL_SUBPROC_SIGNAL (died of a signal), LL_SUBPROC_TOOBIG (output over
 * max_output; killed). When out is not NULL and the status is >= 0, *out is
 * its standard output (NUL-terminated, *len bytes; caller frees). */
int ll_subproc_capture(const char *const argv[], const ll_subproc_opts *opts, char **out,
                     size_t *len);

#endif
