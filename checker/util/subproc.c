/* subproc.c - run a program, capture its output, under a deadline (subproc.h). */
#include "subproc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

extern char **environ;

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Milliseconds left before deadline (-1: none), at least 0. */
static int left_ms(long deadline) {
  if (deadline < 0) return -1;
  long left = deadline - now_ms();
  return left > 0 ? (int)(left > 1000000000L ? 1000000000L : left) : 0;
}

/* Reads fd until EOF. 0, LL_SUBPROC_TIMEOUT at the deadline, LL_SUBPROC_TOOBIG. */
static int read_all(int fd, ll_buf *b, long deadline, size_t max) {
  char chunk[65536];
  for (;;) {
    int left = left_ms(deadline);
    if (left == 0) return LL_SUBPROC_TIMEOUT;
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, left);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return LL_SUBPROC_TIMEOUT;
    if (r < 0) return 0;
    ssize_t got = read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return 0;
    ll_buf_append(b, chunk, (size_t)got);
    if (max && b->len > max) return LL_SUBPROC_TOOBIG;
  }
}

/* Waits for pid until the deadline (a child may close its output and still
 * not exit). 0 with *status, or LL_SUBPROC_TIMEOUT. */
static int wait_until(pid_t pid, int *status, long deadline) {
  for (;;) {
    pid_t r = waitpid(pid, status, deadline < 0 ? 0 : WNOHANG);
    if (r == pid) return 0;
    if (r < 0 && errno != EINTR) return 0;
    if (deadline >= 0 && now_ms() >= deadline) return LL_SUBPROC_TIMEOUT;
    struct timespec pause = {0, 5 * 1000000L};
    if (deadline >= 0) nanosleep(&pause, NULL);
  }
}

static pid_t start(const char *const argv[], char *const *envp, int out_fd, int unused_fd) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&fa, unused_fd);
  posix_spawn_file_actions_addclose(&fa, out_fd);
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP); /* pgroup 0: its own, to kill all */
  posix_spawnattr_setpgroup(&at, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, &at, (char *const *)argv, envp ? envp : environ);
  posix_spawnattr_destroy(&at);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

int ll_subproc_capture(const char *const argv[], const ll_subproc_opts *opts, char **out,
                     size_t *len) {
  static const ll_subproc_opts none = {0};
  if (!opts) opts = &none;
  int fds[2];
  if (pipe(fds) < 0) return LL_SUBPROC_NOSTART;
  pid_t pid = start(argv, opts->envp, fds[1], fds[0]);
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    return LL_SUBPROC_NOSTART;
  }
  ll_buf b = {0};
  long deadline = opts->timeout_ms > 0 ? now_ms() + opts->timeout_ms : -1;
  int status = 0;
  int fail = read_all(fds[0], &b, deadline, opts->max_output);
  close(fds[0]);
  if (!fail) fail = wait_until(pid, &status, deadline);
  if (fail) {
    kill(-pid, SIGKILL); /* the child and whatever it started */
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  }
  int code = fail ? fail : WIFEXITED(status) ? WEXITSTATUS(status) : LL_SUBPROC_SIGNAL;
  if (out && code >= 0) {
    *len = b.len;
    *out = b.data ? b.data : ll_xstrdup("");
  } else {
    ll_buf_free(&b);
  }
  return code;
}
