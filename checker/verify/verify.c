/* verify.c - the `leaklint verify` driver (verify.h): command line, finding
 * the preload library, running the program, exit code. The report itself is
 * verify_report.c.
 *
 * The library is looked for in $LEAKLINT_VERIFY_LIB, next to the leaklint
 * binary (the build tree), then in <prefix>/<libdir> relative to it (an
 * installed or relocated tree). The program gets LD_PRELOAD (ours first, any
 * existing value kept after it), LEAKLINT_VERIFY=exit, LEAKLINT_VERIFY_PID (so
 * the program's own children, which inherit the environment, stay silent) and
 * LEAKLINT_VERIFY_REPORT = a temporary file in $TMPDIR the driver reads and
 * removes. With --format json or sarif and no -o, the program's stdout is
 * sent to stderr so that stdout carries only the report. */
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "verify_report.h"

#ifndef LEAKLINT_VERIFY_LIBDIR
#define LEAKLINT_VERIFY_LIBDIR "lib"
#endif
#define LIB_NAME "libleaklint-verify.so"

static const char usage[] =
  "usage: leaklint verify [--format text|json|sarif] [-o FILE] [--grace-ms N]\n"
  "                       [--ignore FUNC[,FUNC]] [--confirm STATIC_REPORT]\n"
  "                       [--timeout SECONDS]\n"
  "                       -- PROGRAM [ARGS...]\n"
  "Runs PROGRAM with libleaklint-verify.so preloaded and reports the threads still\n"
  "alive when it exits (or at leaklint_verify_none()), grouped by parked stack.\n"
  "Exit: 0 none leaked, 1 leaked tasks, 2 usage error or PROGRAM not run/checked.\n";

typedef struct vopts {
  const char *format, *output, *grace, *ignore, *confirm, *timeout;
  char **argv; /* the program and its arguments */
} vopts;

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "leaklint: error: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n%s", usage);
  return 2;
}

/* Returns -1 when parsed, else the exit code (help: 0, error: 2). */
static int parse(int argc, char **argv, vopts *o) {
  o->format = "text";
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    const char **val = NULL;
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(usage, stdout);
      return 0;
    }
    if (strcmp(a, "--format") == 0) val = &o->format;
    else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) val = &o->output;
    else if (strcmp(a, "--grace-ms") == 0) val = &o->grace;
    else if (strcmp(a, "--ignore") == 0) val = &o->ignore;
    else if (strcmp(a, "--confirm") == 0) val = &o->confirm;
    else if (strcmp(a, "--timeout") == 0) val = &o->timeout;
    else if (a[0] == '-') return usage_error("unknown option '%s' for verify", a);
    else break; /* the program, without "--" */
    if (i + 1 >= argc) return usage_error("option '%s' needs a value", a);
    *val = argv[++i];
  }
  if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "sarif"))
    return usage_error("unknown verify format '%s' (text, json, sarif)", o->format);
  if (o->grace && strspn(o->grace, "0123456789") != strlen(o->grace))
    return usage_error("--grace-ms needs a number of milliseconds, not '%s'", o->grace);
  if (o->timeout && (!*o->timeout || strspn(o->timeout, "0123456789") != strlen(o->timeout)))
    return usage_error("--timeout needs a number of seconds, not '%s'", o->timeout);
  if (i >= argc) return usage_error("%s", "verify needs a program to run (after --)");
  o->argv = argv + i;
  return -1;
}

static char *find_library(void) {
  const char *env = getenv("LEAKLINT_VERIFY_LIB");
  if (env && *env) return access(env, R_OK) == 0 ? ll_xstrdup(env) : NULL;
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return NULL;
  exe[n] = 0;
  char *slash = strrchr(exe, '/');
  if (!slash) return NULL;
  *slash = 0;
  char *cands[2] = {ll_xasprintf("%s/%s", exe, LIB_NAME),
                    ll_xasprintf("%s/../%s/%s", exe, LEAKLINT_VERIFY_LIBDIR, LIB_NAME)};
  char *found = NULL;
  for (int k = 0; k < 2; k++) {
    if (!found && access(cands[k], R_OK) == 0) found = realpath(cands[k], NULL);
    free(cands[k]);
  }
  return found;
}

static void child_env(const vopts *o, const char *lib, const char *report) {
  const char *old = getenv("LD_PRELOAD");
  char *pre = old && *old ? ll_xasprintf("%s:%s", lib, old) : ll_xstrdup(lib);
  char pid[32];
  snprintf(pid, sizeof pid, "%ld", (long)getpid());
  setenv("LD_PRELOAD", pre, 1);
  setenv("LEAKLINT_VERIFY", "exit", 1);
  setenv("LEAKLINT_VERIFY_PID", pid, 1);
  setenv("LEAKLINT_VERIFY_REPORT", report, 1);
  if (o->grace) setenv("LEAKLINT_VERIFY_GRACE_MS", o->grace, 1);
  if (o->ignore) {
    const char *prev = getenv("LEAKLINT_VERIFY_IGNORE");
    char *all = prev && *prev ? ll_xasprintf("%s,%s", prev, o->ignore) : ll_xstrdup(o->ignore);
    setenv("LEAKLINT_VERIFY_IGNORE", all, 1);
    free(all);
  }
  free(pre);
}

/* Waits for pid; with a timeout (seconds, 0 = none) a program still running
 * then is killed (SIGKILL) and *timed_out set. Returns the wait status. */
static int wait_child(pid_t pid, long timeout, int *timed_out) {
  int ws = 0;
  struct timespec tick = {0, 20 * 1000 * 1000};
  for (long waited_ms = 0;; waited_ms += 20) {
    pid_t got = waitpid(pid, &ws, timeout ? WNOHANG : 0);
    if (got == pid) return ws;
    if (got < 0 && errno != EINTR) return 0;
    if (timeout && waited_ms >= timeout * 1000) break;
    if (timeout) nanosleep(&tick, NULL);
  }
  *timed_out = 1;
  kill(pid, SIGKILL);
  while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
  }
  return ws;
}

/* Runs the program; fills *exited and *status, returns its pid, or -1 with
 * *err when it could not be started (exec errors travel back on a pipe). */
static long run_program(const vopts *o, const char *lib, const char *report, int *exited,
                        int *status, int *timed_out, char **err) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    *err = ll_xasprintf("pipe: %s", strerror(errno));
    return -1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    *err = ll_xasprintf("fork: %s", strerror(errno));
    close(fds[0]), close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    close(fds[0]);
    child_env(o, lib, report);
    /* a JSON or SARIF report on stdout must stay parseable: the program's
     * own output goes to stderr then */
    int machine = strcmp(o->format, "text") != 0;
    if (machine && (!o->output || strcmp(o->output, "-") == 0)) dup2(2, 1);
    execvp(o->argv[0], o->argv);
    int e = errno;
    ssize_t w = write(fds[1], &e, sizeof e);
    (void)w;
    _exit(127);
  }
  close(fds[1]);
  int e = 0;
  ssize_t got;
  while ((got = read(fds[0], &e, sizeof e)) < 0 && errno == EINTR) {
  }
  close(fds[0]);
  int ws = wait_child(pid, o->timeout ? atol(o->timeout) : 0, timed_out);
  if (got == (ssize_t)sizeof e) {
    *err = ll_xasprintf("cannot run %s: %s", o->argv[0], strerror(e));
    return -1;
  }
  *exited = WIFEXITED(ws);
  *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
  return (long)pid;
}

/* Writes the report to o->output (a temporary file renamed over it) or stdout. */
static int write_report(const vopts *o, const ll_vreport *r, const ll_vrun *run) {
  if (!o->output || strcmp(o->output, "-") == 0)
    return ll_vreport_write(stdout, r, o->format, run) == 0 && fflush(stdout) == 0 ? 0 : -1;
  char *tmp = ll_xasprintf("%s.tmp.%ld", o->output, (long)getpid());
  FILE *f = fopen(tmp, "w");
  int rc = f ? ll_vreport_write(f, r, o->format, run) : -1;
  if (f && fclose(f) != 0) rc = -1;
  if (rc == 0 && rename(tmp, o->output) != 0) rc = -1;
  if (rc != 0) unlink(tmp);
  free(tmp);
  return rc;
}

static int verify(const vopts *o, const char *lib) {
  const char *tmpdir = getenv("TMPDIR");
  char *report = ll_xasprintf("%s/leaklint-verify-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
  int fd = mkstemp(report);
  if (fd < 0) {
    fprintf(stderr, "leaklint: error: cannot create a temporary file in %s: %s\n",
            tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(errno));
    free(report);
    return 2;
  }
  close(fd);
  char *err = NULL;
  ll_vrun run = {o->argv, 1, 0};
  int timed_out = 0;
  /* like time(1): ^C and ^\ are the program's to act on; the driver still
   * reports how it ended and removes the report file */
  void (*old_int)(int) = signal(SIGINT, SIG_IGN);
  void (*old_quit)(int) = signal(SIGQUIT, SIG_IGN);
  long pid = run_program(o, lib, report, &run.exited, &run.status, &timed_out, &err);
  signal(SIGINT, old_int);
  signal(SIGQUIT, old_quit);
  ll_vreport *r = pid > 0 ? ll_vreport_read(report, pid, &err) : NULL;
  unlink(report);
  free(report);
  if (!r) {
    fprintf(stderr, "leaklint: error: %s\n", err ? err : "verify failed");
    free(err);
    return 2;
  }
  int code = 0;
  if (!ll_vreport_loaded(r)) {
    fprintf(stderr, "leaklint: error: %s did not load %s (a static or set-uid program?): "
                    "nothing was checked\n", o->argv[0], LIB_NAME);
    code = 2;
  } else {
    ll_vreport_analyse(r);
    if (o->confirm && ll_vreport_confirm(r, o->confirm, &err) < 0) {
      fprintf(stderr, "leaklint: error: %s\n", err);
      free(err);
      code = 2;
    } else if (write_report(o, r, &run) != 0) {
      fprintf(stderr, "leaklint: error: cannot write the report\n");
      code = 2;
    } else if (ll_vreport_leaked(r) > 0) {
      code = 1;
    } else if (timed_out) {
      fprintf(stderr, "leaklint: error: %s did not exit within %s s and was killed: nothing was "
                      "checked at exit (a thread it waits for at exit may be the leak)\n",
              o->argv[0], o->timeout);
      code = 2;
    } else if (!ll_vreport_reached_exit(r)) {
      fprintf(stderr, "leaklint: error: %s ended without reaching the exit check point "
                      "(killed, _exit or exec): nothing was checked at exit\n", o->argv[0]);
      code = 2;
    }
  }
  ll_vreport_free(r);
  return code;
}

int ll_verify_main(int argc, char **argv) {
  vopts o = {0};
  int code = parse(argc, argv, &o);
  if (code >= 0) return code;
  char *lib = find_library();
  if (!lib) {
    fprintf(stderr, "leaklint: error: cannot find %s (next to leaklint, in ../%s, or set "
                    "LEAKLINT_VERIFY_LIB)\n", LIB_NAME, LEAKLINT_VERIFY_LIBDIR);
    return 2;
  }
  code = verify(&o, lib);
  free(lib);
  return code;
}
