/* lv_check.c - the check points of libleaklint-verify.so: at exit
 * (LEAKLINT_VERIFY=exit) and leaklint_verify_none() (leaklint_verify.h).
 *
 * A check point
 *  1. polls the task table until no task other than the caller is alive or
 *     the grace period ends (LEAKLINT_VERIFY_GRACE_MS, default 500: tasks that
 *     are told to stop are given time to finish, as goleak retries);
 *  2. for every task still alive reads its state, blocking system call (and
 *     what its fd argument is) and wait channel from /proc/self/task/TID, then
 *     samples its stack: a real-time signal (tgkill) whose handler calls
 *     backtrace() into the task's slot, while this thread waits up to
 *     LV_SAMPLE_WAIT_MS for the answer;
 *  3. drops the tasks LEAKLINT_VERIFY_IGNORE names and reports the rest, as
 *     JSON lines appended to $LEAKLINT_VERIFY_REPORT, else as text on stderr.
 *
 * Async-signal-safety: backtrace() is not on POSIX's list. In glibc it is
 * _Unwind_Backtrace from libgcc_s, which reads .eh_frame without locking or
 * allocating once libgcc_s is loaded; lv_tasks_init calls it once so the
 * dlopen happens outside any handler. The handler touches only its task's
 * preallocated slot and atomics, and saves errno. The signal (default
 * SIGRTMAX-3, LEAKLINT_VERIFY_SIGNAL=N to move it) interrupts the syscall the
 * task is parked in: futex waits, read and write on pipes and sockets resume
 * (SA_RESTART); nanosleep, poll, select and epoll_wait return EINTR early,
 * as POSIX lets them. A thread that blocks the signal is reported without a
 * stack (checked in /proc first, so the signal never stays pending). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "leaklint_verify.h"
#include "lv_out.h"
#include "lv_tasks.h"

#define LV_SAMPLE_WAIT_MS 200
#define LV_POLL_MS 10

static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;
static lv_task *_Atomic sample_slot;
static atomic_int sample_tid;
static atomic_int sample_done;

/* ---- small helpers ---- */

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

static long env_long(const char *name, long dflt) {
  const char *s = getenv(name);
  char *end;
  long v = s && *s ? strtol(s, &end, 10) : dflt;
  return s && *s && *end == 0 && v >= 0 ? v : dflt;
}

/* Reads a small /proc file of task tid into buf (NUL-terminated); 0 on success. */
static int read_task_file(pid_t tid, const char *what, char *buf, size_t cap) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%d/%s", (int)tid, what);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t k = read(fd, buf, cap - 1);
  close(fd);
  if (k < 0) return -1;
  buf[k] = 0;
  return 0;
}

/* ---- /proc: state, system call, wait channel ---- */

typedef struct sysname {
  long nr;
  const char *name;
  int fd_arg; /* the first argument is a file descriptor */
} sysname;

static const sysname sysnames[] = {
  {SYS_futex, "futex", 0},         {SYS_read, "read", 1},
  {SYS_write, "write", 1},         {SYS_readv, "readv", 1},
  {SYS_writev, "writev", 1},       {SYS_pread64, "pread64", 1},
  {SYS_recvfrom, "recvfrom", 1},   {SYS_recvmsg, "recvmsg", 1},
  {SYS_sendto, "sendto", 1},       {SYS_sendmsg, "sendmsg", 1},
  {SYS_accept, "accept", 1},       {SYS_accept4, "accept4", 1},
  {SYS_connect, "connect", 1},     {SYS_nanosleep, "nanosleep", 0},
  {SYS_clock_nanosleep, "clock_nanosleep", 0}, {SYS_ppoll, "ppoll", 0},
  {SYS_pselect6, "pselect6", 0},   {SYS_epoll_pwait, "epoll_pwait", 0},
  {SYS_wait4, "wait4", 0},         {SYS_waitid, "waitid", 0},
  {SYS_rt_sigtimedwait, "rt_sigtimedwait", 0}, {SYS_rt_sigsuspend, "rt_sigsuspend", 0},
  {SYS_msgrcv, "msgrcv", 0},       {SYS_mq_timedreceive, "mq_timedreceive", 1},
  {SYS_semtimedop, "semtimedop", 0}, {SYS_openat, "openat", 0},
  {SYS_flock, "flock", 1},         {SYS_fcntl, "fcntl", 1},
/* Calls the generic table (aarch64, riscv) lacks: x86 and arm have poll and
   epoll_wait, x86 also select and pause. */
#if defined(SYS_poll) && defined(SYS_epoll_wait)
  {SYS_poll, "poll", 0},           {SYS_epoll_wait, "epoll_wait", 0},
#endif
#if defined(SYS_select) && defined(SYS_pause)
  {SYS_select, "select", 0},       {SYS_pause, "pause", 0},
#endif
#ifdef SYS_semop
  {SYS_semop, "semop", 0},
#endif
};

static void read_syscall(lv_leak *l) {
  char buf[256];
  if (read_task_file(l->tid, "syscall", buf, sizeof buf) != 0) return;
  if (strncmp(buf, "running", 7) == 0) {
    snprintf(l->syscall, sizeof l->syscall, "running");
    return;
  }
  char *end;
  long nr = strtol(buf, &end, 10);
  unsigned long arg0 = strtoul(end, NULL, 16);
  if (nr < 0) return;
  const sysname *s = NULL;
  for (size_t i = 0; i < sizeof sysnames / sizeof sysnames[0] && !s; i++)
    if (sysnames[i].nr == nr) s = &sysnames[i];
  if (!s) {
    snprintf(l->syscall, sizeof l->syscall, "syscall %ld", nr);
    return;
  }
  snprintf(l->syscall, sizeof l->syscall, "%s", s->name);
  if (!s->fd_arg) return;
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%lu", arg0);
  ssize_t k = readlink(path, l->fd, sizeof l->fd - 1);
  l->fd[k > 0 ? k : 0] = 0;
}

static void read_stat(lv_leak *l) {
  char buf[1024];
  l->state = '?';
  if (read_task_file(l->tid, "stat", buf, sizeof buf) != 0) return;
  char *open_p = strchr(buf, '('), *close_p = strrchr(buf, ')');
  if (!open_p || !close_p || close_p < open_p) return;
  size_t n = (size_t)(close_p - open_p - 1);
  if (n >= sizeof l->name) n = sizeof l->name - 1;
  memcpy(l->name, open_p + 1, n);
  l->name[n] = 0;
  if (close_p[1] == ' ' && close_p[2]) l->state = close_p[2];
}

static void read_wchan(lv_leak *l) {
  if (read_task_file(l->tid, "wchan", l->wchan, sizeof l->wchan) != 0 ||
      strcmp(l->wchan, "0") == 0)
    l->wchan[0] = 0;
}

/* 1 when the task blocks signal sig (SigBlk in its status). */
static int blocks_signal(pid_t tid, int sig) {
  char buf[2048];
  if (read_task_file(tid, "status", buf, sizeof buf) != 0) return 0;
  const char *p = strstr(buf, "\nSigBlk:");
  if (!p) return 0;
  unsigned long long mask = strtoull(p + 8, NULL, 16);
  return sig <= 64 && ((mask >> (sig - 1)) & 1ULL);
}

/* ---- stack sampling ---- */

static void on_sample(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)si;
  (void)uc;
  int saved = errno;
  lv_task *t = atomic_load(&sample_slot);
  if (t && atomic_load(&sample_tid) == (int)syscall(SYS_gettid)) {
    atomic_store(&t->nstack, backtrace(t->stack, LV_MAX_FRAMES));
    atomic_store(&sample_done, 1);
  }
  errno = saved;
}

static int sample_signal(void) {
  long s = env_long("LEAKLINT_VERIFY_SIGNAL", SIGRTMAX - 3);
  return s >= SIGRTMIN && s <= SIGRTMAX ? (int)s : SIGRTMAX - 3;
}

/* Installs the handler. A previous real handler is given back afterwards;
 * a default one is not (a late signal must never terminate the process). */
static int install_sampler(int sig, struct sigaction *old) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sample;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigfillset(&sa.sa_mask);
  return sigaction(sig, &sa, old);
}

static void sample(const lv_task_copy *c, lv_leak *l, int sig) {
  void *frames[LV_MAX_FRAMES];
  int n = 0;
  l->sample = "no answer";
  if (blocks_signal(c->tid, sig)) {
    l->sample = "signal blocked";
    return;
  }
  atomic_store(&sample_done, 0);
  atomic_store(&c->slot->nstack, 0);
  atomic_store(&sample_tid, (int)c->tid);
  atomic_store(&sample_slot, c->slot);
  if (syscall(SYS_tgkill, getpid(), c->tid, sig) == 0) {
    for (int waited = 0; waited < LV_SAMPLE_WAIT_MS && !atomic_load(&sample_done); waited++)
      sleep_ms(1);
  }
  atomic_store(&sample_slot, NULL);
  atomic_store(&sample_tid, 0);
  if (atomic_load(&sample_done)) {
    n = atomic_load(&c->slot->nstack);
    memcpy(frames, c->slot->stack, (size_t)n * sizeof *frames);
    l->sample = "ok";
  }
  /* frames: the handler (ours), the signal trampoline, then the parked pc */
  l->nstack = lv_out_resolve(l->stack, frames, n, 1);
}

/* ---- the check point ---- */

/* sig 0: the sampling handler could not be installed, no stacks */
static void describe(const lv_task_copy *c, lv_leak *l, int sig) {
  memset(l, 0, sizeof *l);
  l->tid = c->tid;
  l->seq = c->seq;
  l->ncreated = lv_out_resolve(l->created, c->created, c->ncreated, 0);
  lv_out_find_creator(l);
  if (c->tid == 0) {
    l->sample = "not started";
    return;
  }
  read_stat(l);
  read_syscall(l);
  read_wchan(l);
  if (sig) sample(c, l, sig);
  else l->sample = "no signal handler";
}

static void wait_grace(pid_t self) {
  long long deadline = now_ms() + env_long("LEAKLINT_VERIFY_GRACE_MS", 500);
  while (lv_tasks_live(self) > 0 && now_ms() < deadline) sleep_ms(LV_POLL_MS);
}

/* stderr as it was at start-up: programs may close fd 2 in an atexit handler
 * that runs before ours (coreutils' close_stdout does) */
static int err_fd = 2;

static void emit(const char *text) {
  const char *path = getenv("LEAKLINT_VERIFY_REPORT");
  int fd = path && *path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : err_fd;
  if (fd < 0) fd = err_fd;
  for (size_t off = 0, n = text ? strlen(text) : 0; off < n;) {
    ssize_t k = write(fd, text + off, n - off);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    off += (size_t)k;
  }
  if (fd != err_fd) close(fd);
}

/* Describes the n live tasks into leaks[], keeping those no ignore-list name
 * matches; returns how many were kept, *ignored counts the others. */
static size_t collect(const lv_task_copy *copies, size_t n, lv_leak *leaks, size_t *ignored) {
  int sig = sample_signal();
  struct sigaction old;
  int installed = n > 0 && install_sampler(sig, &old) == 0;
  const char *ignore = getenv("LEAKLINT_VERIFY_IGNORE");
  size_t nleak = 0;
  for (size_t i = 0; i < n; i++) {
    /* ended since the snapshot: not a leak. (Checked before the sample, not
     * after: the sampling signal cuts a sleep short, and a sleeper that then
     * finishes was still a task alive at the check point.) */
    if (!lv_tasks_still_alive(&copies[i])) continue;
    describe(&copies[i], &leaks[nleak], installed ? sig : 0);
    if (lv_out_ignored(&leaks[nleak], ignore)) {
      lv_out_release(&leaks[nleak]);
      (*ignored)++;
    } else {
      nleak++;
    }
  }
  if (installed && old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN)
    sigaction(sig, &old, NULL);
  return nleak;
}

static int check_point(const char *cp) {
  lv_tasks_init();
  pthread_mutex_lock(&check_lock);
  pid_t self = gettid();
  wait_grace(self);
  size_t cap = lv_tasks_capacity();
  lv_task_copy *copies = malloc(cap * sizeof *copies);
  size_t n = copies ? lv_tasks_snapshot(copies, cap, self) : 0;
  lv_leak *leaks = n ? malloc(n * sizeof *leaks) : NULL;
  if (!copies || (n && !leaks)) {
    emit("leaklint verify: out of memory at the check point: nothing was checked\n");
    free(copies);
    pthread_mutex_unlock(&check_lock);
    return -1;
  }
  size_t ignored = 0, nleak = collect(copies, n, leaks, &ignored);
  const char *report = getenv("LEAKLINT_VERIFY_REPORT");
  char *text = report && *report ? lv_out_json(cp, leaks, nleak, ignored, lv_tasks_untracked())
                                 : lv_out_text(cp, leaks, nleak, ignored, lv_tasks_untracked());
  emit(text);
  free(text);
  for (size_t i = 0; i < nleak; i++) lv_out_release(&leaks[i]);
  free(leaks);
  free(copies);
  pthread_mutex_unlock(&check_lock);
  return (int)nleak;
}

__attribute__((visibility("default"))) int leaklint_verify_none(void) {
  return check_point("leaklint_verify_none");
}

__attribute__((visibility("default"))) void leaklint_verify_ignore_current(void) {
  lv_tasks_init();
  lv_tasks_exempt_current();
}

/* At exit only in the process the driver started (LEAKLINT_VERIFY_PID): a
 * program's children inherit the environment, and a forked child that exits
 * is not the program under test. */
static void at_exit_check(void) {
  const char *want = getenv("LEAKLINT_VERIFY_PID");
  if (want && *want && strtol(want, NULL, 10) != (long)getpid()) return;
  check_point("exit");
}

__attribute__((constructor)) static void lv_init(void) {
  lv_tasks_init();
  int fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
  if (fd >= 0) err_fd = fd;
  const char *mode = getenv("LEAKLINT_VERIFY");
  if (!mode || strcmp(mode, "exit") != 0) return;
  /* registered before the program's own constructors run, so it runs after
   * every later atexit handler and C++ static destructor */
  atexit(at_exit_check);
  const char *want = getenv("LEAKLINT_VERIFY_PID");
  const char *report = getenv("LEAKLINT_VERIFY_REPORT");
  if (report && *report && (!want || !*want || strtol(want, NULL, 10) == (long)getpid())) {
    char line[160];
    snprintf(line, sizeof line, "{\"leaklint_verify\":1,\"event\":\"loaded\",\"pid\":%d}\n",
             (int)getpid());
    emit(line);
  }
}
