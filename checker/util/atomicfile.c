/* atomicfile.c - temp file + fsync + rename, with signal-safe clean-up.
 *
 * Temporary names are registered in a fixed table of slots before anything
 * is written, so the signal handler can unlink them with async-signal-safe
 * calls only (unlink, raise). Signals are blocked while a name is created
 * and registered, so no window leaves an unregistered temporary file. The
 * writers run on the main thread; the table is not meant for concurrent
 * writers. */
#include "atomicfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* A temporary file of a writer that died (kill -9 leaves it) is removed when
 * it is this old and its writer's pid is gone. The age guards a writer on
 * another machine sharing the directory, whose pid means nothing here. */
#define STALE_AGE_S (10 * 60)

struct ll_atomic {
  FILE *f;
  char *shown;  /* the path as given, for messages */
  char *target; /* the file replaced (a symbolic link resolved) */
  char *tmp;    /* NULL when writing a FIFO or device directly */
  int slot;
};

/* ---- signal clean-up ---- */

#define SLOTS 16
static char g_names[SLOTS][PATH_MAX];
static volatile sig_atomic_t g_used[SLOTS];
static const int k_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig) {
  for (int i = 0; i < SLOTS; i++)
    if (g_used[i]) unlink(g_names[i]);
  /* SA_RESETHAND restored the default action: the process ends as it would have */
  raise(sig);
}

static void install_handlers(void) {
  static int done;
  if (done) return;
  done = 1;
  for (size_t i = 0; i < sizeof(k_signals) / sizeof(k_signals[0]); i++) {
    struct sigaction old, sa;
    if (sigaction(k_signals[i], NULL, &old) != 0) continue;
    /* an ignored signal (nohup) or someone else's handler is left alone */
    if (old.sa_handler != SIG_DFL || (old.sa_flags & SA_SIGINFO)) continue;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(k_signals[i], &sa, NULL);
  }
}

static void block_signals(sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof(k_signals) / sizeof(k_signals[0]); i++)
    sigaddset(&set, k_signals[i]);
  pthread_sigmask(SIG_BLOCK, &set, old);
}

/* `.BASE.leaklint-PID-XXXXXX`: the pid and what follows it in name, when
 * name is a temporary file of base; -1 otherwise. */
static long stale_pid(const char *name, const char *base) {
  size_t bl = strlen(base);
  if (name[0] != '.' || strncmp(name + 1, base, bl) != 0 || strncmp(name + 1 + bl, ".leaklint-", 10) != 0)
    return -1;
  const char *p = name + 1 + bl + 10;
  char *end;
  long pid = strtol(p, &end, 10);
  if (end == p || *end != '-' || strlen(end + 1) != 6 || pid <= 0) return -1;
  return pid;
}

/* Removes the temporary files of target that writers killed with SIGKILL
 * left behind: ours (same owner), regular, old, of a pid that no longer
 * exists. Nothing else is touched; links are not followed. */
static void sweep_stale(const char *target) {
  const char *slash = strrchr(target, '/');
  char *dir = slash ? ll_xstrndup(target, (size_t)(slash - target) + (slash == target)) : ll_xstrdup(".");
  const char *base = slash ? slash + 1 : target;
  DIR *d = opendir(dir);
  free(dir);
  if (!d) return;
  time_t now = time(NULL);
  for (struct dirent *e; (e = readdir(d));) {
    long pid = stale_pid(e->d_name, base);
    struct stat st;
    if (pid < 0 || pid == (long)getpid()) continue;
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != geteuid() || now - st.st_mtime < STALE_AGE_S)
      continue;
    if (kill((pid_t)pid, 0) != 0 && errno == ESRCH) unlinkat(dirfd(d), e->d_name, 0);
  }
  closedir(d);
}

/* Creates the temporary file for target and registers its name.
 * Returns the fd, or -1 with errno. */
static int create_registered(const char *target, char **tmp_out, int *slot_out) {
  const char *slash = strrchr(target, '/');
  long pid = (long)getpid();
  char *tmp = slash ? ll_xasprintf("%.*s/.%s.leaklint-%ld-XXXXXX", (int)(slash - target), target,
                                   slash + 1, pid)
                    : ll_xasprintf(".%s.leaklint-%ld-XXXXXX", target, pid);
  if (strlen(tmp) >= PATH_MAX) {
    free(tmp);
    errno = ENAMETOOLONG;
    return -1;
  }
  install_handlers();
  sigset_t old;
  block_signals(&old);
  int slot = -1;
  for (int i = 0; i < SLOTS && slot < 0; i++)
    if (!g_used[i]) slot = i;
  int fd = -1, e = EMFILE;
  if (slot >= 0) {
    fd = mkstemp(tmp); /* O_EXCL: never opens an existing name or follows a link */
    e = errno;
    if (fd >= 0) {
      memcpy(g_names[slot], tmp, strlen(tmp) + 1);
      g_used[slot] = 1;
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (fd < 0) {
    free(tmp);
    errno = e;
    return -1;
  }
  *tmp_out = tmp;
  *slot_out = slot;
  return fd;
}

/* Removes (when asked) and unregisters the temporary file; frees a. */
static void finish(ll_atomic *a, int remove_tmp) {
  if (a->f) fclose(a->f);
  if (a->tmp) {
    if (remove_tmp) unlink(a->tmp);
    g_used[a->slot] = 0;
  }
  free(a->tmp);
  free(a->target);
  free(a->shown);
  free(a);
}

/* ---- target resolution ---- */

enum { T_REPLACE, T_DIRECT };

/* Decides how path is written (see atomicfile.h). Returns T_REPLACE with
 * *target (caller frees) and *mode (-1: new file), T_DIRECT, or -1 with *err. */
static int resolve(const char *path, char **target, long *mode, char **err) {
  struct stat st;
  *target = NULL;
  *mode = -1;
  if (lstat(path, &st) != 0) {
    if (errno != ENOENT) goto sys_error;
    *target = ll_xstrdup(path);
    return T_REPLACE;
  }
  if (S_ISLNK(st.st_mode)) {
    if (st.st_uid != geteuid() && st.st_uid != 0) {
      *err = ll_xasprintf("%s: a symbolic link owned by another user; not followed", path);
      return -1;
    }
    if (stat(path, &st) != 0) {
      if (errno == ENOENT) *err = ll_xasprintf("%s: a dangling symbolic link; not followed", path);
      else goto sys_error;
      return -1;
    }
    if (S_ISREG(st.st_mode)) {
      *target = realpath(path, NULL);
      if (!*target) goto sys_error;
    }
  }
  if (S_ISREG(st.st_mode)) {
    if (!*target) *target = ll_xstrdup(path);
    *mode = (long)(st.st_mode & 07777);
    return T_REPLACE;
  }
  if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) return T_DIRECT;
  *err = ll_xasprintf("%s: %s", path,
                      S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
  return -1;
sys_error:
  *err = ll_xasprintf("%s: %s", path, strerror(errno));
  return -1;
}

static mode_t new_file_mode(void) {
  mode_t mask = umask(0); /* main thread only: umask cannot be read otherwise */
  umask(mask);
  return 0666 & ~mask;
}

/* ---- entry points ---- */

ll_atomic *ll_atomic_open(const char *path, char **err) {
  char *target;
  long mode;
  int how = resolve(path, &target, &mode, err);
  if (how < 0) return NULL;
  ll_atomic *a = ll_xcalloc(1, sizeof *a);
  a->shown = ll_xstrdup(path);
  int fd;
  if (how == T_DIRECT) {
    fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
  } else {
    a->target = target;
    sweep_stale(target);
    fd = create_registered(target, &a->tmp, &a->slot);
    if (fd >= 0 && fchmod(fd, mode >= 0 ? (mode_t)mode : new_file_mode()) != 0) {
      int e = errno;
      close(fd);
      fd = -1;
      errno = e;
    }
  }
  if (fd >= 0 && !(a->f = fdopen(fd, "w"))) close(fd);
  if (!a->f) {
    *err = ll_xasprintf("%s: cannot create: %s", path, strerror(errno));
    finish(a, 1);
    return NULL;
  }
  return a;
}

FILE *ll_atomic_stream(ll_atomic *a) { return a->f; }

int ll_atomic_commit(ll_atomic *a, char **err) {
  int e = 0;
  if (fflush(a->f) != 0 || ferror(a->f)) e = errno ? errno : EIO;
  if (!e && a->tmp && fsync(fileno(a->f)) != 0) e = errno;
  if (fclose(a->f) != 0 && !e) e = errno ? errno : EIO;
  a->f = NULL;
  if (!e && a->tmp && rename(a->tmp, a->target) != 0) e = errno;
  if (e) *err = ll_xasprintf("%s: cannot write: %s", a->shown, strerror(e));
  finish(a, e != 0);
  return e ? -1 : 0;
}

void ll_atomic_abort(ll_atomic *a) {
  if (a) finish(a, 1);
}

int ll_atomic_write(const char *path, const char *data, size_t len, char **err) {
  ll_atomic *a = ll_atomic_open(path, err);
  if (!a) return -1;
  if (len && fwrite(data, 1, len, a->f) != len) {
    *err = ll_xasprintf("%s: cannot write: %s", path, strerror(errno ? errno : EIO));
    ll_atomic_abort(a);
    return -1;
  }
  return ll_atomic_commit(a, err);
}
