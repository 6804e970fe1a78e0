/* parseproc.c - worker processes for the parse (see parseproc.h).
 *
 * Wire format (a socket per worker, messages framed by a u64 length):
 *   request: str file, str workdir (nullable), u64 nargs, str args...
 *   reply:   u8 aborted (the worker exits after it), u64 nnotes,
 *            {u32 level, str file (nullable), u32 line, u32 col, str message}...,
 *            u8 has_tu, [str ir (cache.h codec), u64 nfiles, str contents...,
 *            u64 ndeps, str deps...]
 * Numbers are little-endian-agnostic: both ends are the same binary. */
#include "parseproc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "clangapi.h"
#include "facts.h"
#include "readfile.h"
#include "util.h"

#define NULL_LEN UINT64_MAX
#define MAX_MSG (1ull << 32) /* a reply beyond 4 GiB is a broken worker */

/* ---- framing ---- */

typedef struct rd {
  const char *p, *end;
  int bad;
} rd;

static void put_u64(ll_buf *b, uint64_t v) { ll_buf_append(b, (const char *)&v, sizeof v); }
static void put_u32(ll_buf *b, uint32_t v) { ll_buf_append(b, (const char *)&v, sizeof v); }
static void put_bytes(ll_buf *b, const char *s, size_t n) {
  put_u64(b, n);
  ll_buf_append(b, s, n);
}
static void put_str(ll_buf *b, const char *s) {
  if (!s) put_u64(b, NULL_LEN);
  else put_bytes(b, s, strlen(s));
}

static int get(rd *r, void *out, size_t n) {
  if (r->bad || (size_t)(r->end - r->p) < n) return r->bad = 1, -1;
  memcpy(out, r->p, n);
  r->p += n;
  return 0;
}
static uint64_t get_u64(rd *r) {
  uint64_t v = 0;
  get(r, &v, sizeof v);
  return v;
}
static uint32_t get_u32(rd *r) {
  uint32_t v = 0;
  get(r, &v, sizeof v);
  return v;
}
/* A view into the message (not NUL-terminated); NULL for a null string. */
static const char *get_bytes(rd *r, size_t *n) {
  uint64_t len = get_u64(r);
  *n = 0;
  if (r->bad || len == NULL_LEN) return NULL;
  if (len > (uint64_t)(r->end - r->p)) return r->bad = 1, NULL;
  const char *s = r->p;
  r->p += len;
  *n = (size_t)len;
  return s;
}
static char *get_str(rd *r) {
  size_t n;
  const char *s = get_bytes(r, &n);
  return s ? ll_xstrndup(s, n) : NULL;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

static int read_all(int fd, char *p, size_t n) {
  while (n) {
    ssize_t k = read(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return -1;
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

static int send_msg(int fd, const ll_buf *b) {
  uint64_t n = b->len;
  return write_all(fd, (const char *)&n, sizeof n) || write_all(fd, b->data, b->len) ? -1 : 0;
}

/* A whole message into *out (caller frees); -1 on EOF or a broken frame. */
static int recv_msg(int fd, char **out, size_t *len) {
  uint64_t n;
  if (read_all(fd, (char *)&n, sizeof n) || n > MAX_MSG) return -1;
  char *p = ll_xmalloc(n ? (size_t)n : 1);
  if (read_all(fd, p, (size_t)n)) {
    free(p);
    return -1;
  }
  *out = p;
  *len = (size_t)n;
  return 0;
}

/* ---- the worker process ---- */

typedef struct wstate {
  int fd;
  const ll_rules *rules;
  pthread_mutex_t send_mu; /* the parse thread and the watchdog both reply */
  atomic_int busy;         /* a parse is under way */
  const char *file;        /* the file being parsed (while busy) */
  unsigned char known[1024]; /* fds open when the worker started */
} wstate;

static void put_note(ll_buf *b, const ll_notification *n) {
  put_u32(b, (uint32_t)n->level);
  put_str(b, n->file);
  put_u32(b, n->line);
  put_u32(b, n->col);
  put_str(b, n->message);
}

static void put_tu(ll_buf *b, const ll_tu *tu, const ll_rules *rules) {
  ll_buf ir = {0};
  ll_ir_serialize(tu, rules, &ir);
  put_bytes(b, ir.data ? ir.data : "", ir.len);
  ll_buf_free(&ir);
  put_u64(b, tu->nfiles);
  for (size_t i = 0; i < tu->nfiles; i++) put_bytes(b, tu->contents[i], tu->lens[i]);
  put_u64(b, tu->ndeps);
  for (size_t i = 0; i < tu->ndeps; i++) put_str(b, tu->deps[i]);
}

static void reply(wstate *w, int aborted, const ll_notifications *notes, const ll_tu *tu) {
  ll_buf b = {0};
  ll_buf_putc(&b, (char)aborted);
  put_u64(&b, notes->n);
  for (size_t i = 0; i < notes->n; i++) put_note(&b, &notes->v[i]);
  ll_buf_putc(&b, tu != NULL);
  if (tu) put_tu(&b, tu, w->rules);
  /* busy changes only under send_mu: the watchdog's abort and the parse's
     own reply never both go out for one request */
  pthread_mutex_lock(&w->send_mu);
  if (aborted && !atomic_load(&w->busy)) { /* the parse has answered meanwhile */
    pthread_mutex_unlock(&w->send_mu);
    ll_buf_free(&b);
    return;
  }
  atomic_store(&w->busy, 0);
  int rc = send_msg(w->fd, &b);
  if (aborted || rc) _exit(0); /* aborted: the parse is still stuck; rc: the run is gone */
  pthread_mutex_unlock(&w->send_mu);
  ll_buf_free(&b);
}

static void serve_one(wstate *w, ll_parser **parser, const char *msg, size_t len) {
  rd r = {msg, msg + len, 0};
  char *file = get_str(&r), *workdir = get_str(&r);
  uint64_t nargs = get_u64(&r);
  ll_strlist args = {0};
  for (uint64_t i = 0; i < nargs && !r.bad; i++) {
    char *a = get_str(&r);
    ll_strlist_push(&args, a ? a : "");
    free(a);
  }
  if (r.bad || !file) _exit(0); /* not our parent speaking */
  ll_notifications notes = {0};
  ll_tu *tu = NULL;
  if (!*parser) *parser = ll_parser_new();
  if (!*parser) {
    const char *lerr = "cannot load libclang";
    ll_clang_load(&lerr);
    ll_notify(&notes, LL_LEVEL_ERROR, file, 0, 0, "cannot analyse %s: %s", file, lerr);
  } else {
    w->file = file;
    atomic_store(&w->busy, 1);
    tu = ll_facts_parse(*parser, file, (const char *const *)args.v, (int)args.n, workdir, w->rules,
                        &notes);
  }
  reply(w, 0, &notes, tu);
  ll_tu_free(tu);
  ll_notifications_free(&notes);
  ll_strlist_free(&args);
  free(file);
  free(workdir);
}

/* The parse thread: requests until the run closes the connection. It has
 * the large stack the in-process parse had (clang recurses deeply). */
static void *serve(void *arg) {
  wstate *w = arg;
  ll_parser *parser = NULL;
  for (;;) {
    char *msg;
    size_t len;
    if (recv_msg(w->fd, &msg, &len)) break;
    serve_one(w, &parser, msg, len);
    free(msg);
  }
  _exit(0); /* nothing to clean up: the process ends (no atexit, no leak check) */
}

/* A FIFO, device or socket reached as a file (not a pipe or socket the
 * process made itself: their links read "pipe:[N]", "socket:[N]"). */
static int special_path(const char *path) {
  struct stat st;
  if (path[0] != '/' || stat(path, &st) != 0) return 0;
  return S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISSOCK(st.st_mode);
}

/* Ends the parse: a header libclang opened (or is blocked opening) is not a
 * regular file. The reply names it; the worker then exits (unless the parse
 * has just answered). */
static void abort_special(wstate *w, const char *path) {
  ll_notifications notes = {0};
  ll_notify(&notes, LL_LEVEL_ERROR, w->file, 0, 0, "cannot analyse %s: header %s is %s", w->file, path,
            ll_read_strerror(LL_READ_ENOTREG, LL_READ_SOURCE));
  reply(w, 1, &notes, NULL);
  ll_notifications_free(&notes);
}

/* The path the parse thread is blocked opening, when it is in open/openat
 * (a FIFO with no writer blocks there forever): read from our own memory
 * through /proc/self/mem, which fails instead of faulting. */
static int opening_path(int tid, char *out, size_t cap) {
  char p[64];
  snprintf(p, sizeof p, "/proc/self/task/%d/syscall", tid);
  FILE *f = fopen(p, "r");
  if (!f) return -1;
  long nr = -1;
  unsigned long a0 = 0, a1 = 0;
  int k = fscanf(f, "%ld %lx %lx", &nr, &a0, &a1);
  fclose(f);
  unsigned long addr = 0;
  if (k == 3 && nr == SYS_openat) addr = a1;
#ifdef SYS_open
  if (k >= 2 && nr == SYS_open) addr = a0;
#endif
  if (!addr) return -1;
  int mem = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
  if (mem < 0) return -1;
  ssize_t n = pread(mem, out, cap - 1, (off_t)addr);
  close(mem);
  if (n <= 0) return -1;
  out[n] = '\0';
  return strnlen(out, (size_t)n) < (size_t)n ? 0 : -1;
}

/* A file descriptor opened during the parse on a special file (/dev/zero
 * would be read until memory runs out). */
static int special_fd(wstate *w, char *out, size_t cap) {
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  int found = -1;
  struct dirent *e;
  while (found < 0 && (e = readdir(d))) {
    int fd = atoi(e->d_name);
    if (e->d_name[0] == '.' || fd == dirfd(d) || (fd < 1024 && w->known[fd])) continue;
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, cap - 1);
    if (n <= 0) continue;
    out[n] = '\0';
    if (special_path(out)) found = 0;
  }
  closedir(d);
  return found;
}

/* Any thread but the watchdog: libclang parses on a thread of its own. */
static int opening_special(char *path, size_t cap) {
  DIR *d = opendir("/proc/self/task");
  if (!d) return -1;
  int self = (int)syscall(SYS_gettid), found = -1;
  for (struct dirent *e; found < 0 && (e = readdir(d));) {
    int tid = atoi(e->d_name);
    if (tid > 0 && tid != self && opening_path(tid, path, cap) == 0 && special_path(path)) found = 0;
  }
  closedir(d);
  return found;
}

static void watch(wstate *w) {
  const struct timespec tick = {0, 50 * 1000 * 1000};
  char path[PATH_MAX];
  for (;;) {
    nanosleep(&tick, NULL);
    if (!atomic_load(&w->busy)) continue;
    if (opening_special(path, sizeof path) == 0 || special_fd(w, path, sizeof path) == 0)
      abort_special(w, path);
  }
}

static void worker_main(int fd, const ll_rules *rules) {
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) signal(sigs[i], SIG_DFL);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  /* a crash in libclang is expected here: no core file in the user's tree */
  struct rlimit nocore = {0, 0};
  setrlimit(RLIMIT_CORE, &nocore);
  wstate *w = ll_xcalloc(1, sizeof *w);
  w->fd = fd;
  w->rules = rules;
  pthread_mutex_init(&w->send_mu, NULL);
  DIR *d = opendir("/proc/self/fd");
  for (struct dirent *e; d && (e = readdir(d));) {
    int k = atoi(e->d_name);
    if (k >= 0 && k < 1024 && k != dirfd(d)) w->known[k] = 1;
  }
  if (d) closedir(d);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64u << 20);
  pthread_t th;
  if (pthread_create(&th, &attr, serve, w) != 0) _exit(0);
  pthread_attr_destroy(&attr);
  watch(w);
}

/* ---- the fork server ---- */

struct ll_pproc {
  int ctl; /* to the fork server: one byte asks for a worker, its socket comes back */
  pid_t pid;
  pthread_mutex_t mu;
};

struct ll_pworker {
  int fd;
};

/* The message send_fd and recv_fd exchange: one byte (1: a descriptor
 * follows) and room for one SCM_RIGHTS descriptor. */
typedef struct fd_msg {
  char byte;
  struct iovec iov;
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } u;
  struct msghdr m;
} fd_msg;

static void fd_msg_init(fd_msg *x, char byte, int with_fd) {
  memset(x, 0, sizeof *x);
  x->byte = byte;
  x->iov.iov_base = &x->byte;
  x->iov.iov_len = 1;
  x->m.msg_iov = &x->iov;
  x->m.msg_iovlen = 1;
  if (with_fd) {
    x->m.msg_control = x->u.buf;
    x->m.msg_controllen = sizeof x->u.buf;
  }
}

static int send_fd(int sock, int fd) {
  fd_msg x;
  fd_msg_init(&x, fd >= 0, fd >= 0);
  if (fd >= 0) {
    struct cmsghdr *c = CMSG_FIRSTHDR(&x.m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  return sendmsg(sock, &x.m, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

static int recv_fd(int sock) {
  fd_msg x;
  fd_msg_init(&x, 0, 1);
  if (recvmsg(sock, &x.m, MSG_CMSG_CLOEXEC) != 1 || !x.byte) return -1;
  struct cmsghdr *c = CMSG_FIRSTHDR(&x.m);
  if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

/* The fork server reaps its workers itself (not SIGCHLD ignored): only the
 * times of waited-for children add up to the run's, so `time leaklint` and
 * tools/bench see the parse CPU. */
static void server_main(int ctl, const ll_rules *rules) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  char c;
  while (read(ctl, &c, 1) == 1) {
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
      send_fd(ctl, -1);
      continue;
    }
    pid_t pid = fork();
    if (pid == 0) {
      close(ctl);
      close(sv[0]);
      worker_main(sv[1], rules);
      _exit(0);
    }
    close(sv[1]);
    send_fd(ctl, pid < 0 ? -1 : sv[0]);
    close(sv[0]);
  }
  /* the run closed the connection after its threads let their workers go */
  while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
  }
  _exit(0);
}

ll_pproc *ll_pproc_start(const ll_rules *rules) {
  if (getenv("LEAKLINT_PARSE_IN_PROCESS")) return NULL;
  /* loaded (mapped and relocated, ~90 ms) once, here, not in every worker:
     the forks share it; a failure is reported by the workers per file */
  const char *lerr = NULL;
  ll_clang_load(&lerr);
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return NULL;
  fflush(NULL); /* nothing buffered is written twice */
  pid_t pid = fork();
  if (pid < 0) {
    close(sv[0]);
    close(sv[1]);
    return NULL;
  }
  if (pid == 0) {
    close(sv[0]);
    server_main(sv[1], rules);
  }
  close(sv[1]);
  ll_pproc *pp = ll_xcalloc(1, sizeof *pp);
  pp->ctl = sv[0];
  pp->pid = pid;
  pthread_mutex_init(&pp->mu, NULL);
  return pp;
}

void ll_pproc_stop(ll_pproc *pp) {
  if (!pp) return;
  close(pp->ctl);
  while (waitpid(pp->pid, NULL, 0) < 0 && errno == EINTR) {
  }
  pthread_mutex_destroy(&pp->mu);
  free(pp);
}

ll_pworker *ll_pworker_new(ll_pproc *pp) {
  if (!pp) return NULL;
  pthread_mutex_lock(&pp->mu);
  int fd = write_all(pp->ctl, "w", 1) == 0 ? recv_fd(pp->ctl) : -1;
  pthread_mutex_unlock(&pp->mu);
  if (fd < 0) return NULL;
  ll_pworker *w = ll_xcalloc(1, sizeof *w);
  w->fd = fd;
  return w;
}

void ll_pworker_free(ll_pworker *w) {
  if (!w) return;
  close(w->fd);
  free(w);
}

/* ---- the run's side ---- */

static void get_notes(rd *r, ll_notifications *notes) {
  uint64_t n = get_u64(r);
  for (uint64_t i = 0; i < n && !r->bad; i++) {
    ll_level level = (ll_level)get_u32(r);
    char *file = get_str(r);
    unsigned line = get_u32(r), col = get_u32(r);
    char *msg = get_str(r);
    if (!r->bad) ll_notify(notes, level, file, line, col, "%s", msg ? msg : "");
    free(file);
    free(msg);
  }
}

/* The IR with its contents and dependencies put back; NULL when damaged. */
static ll_tu *get_tu(rd *r, const ll_rules *rules) {
  size_t n;
  const char *ir = get_bytes(r, &n);
  ll_tu *tu = ir ? ll_ir_deserialize(ir, n, rules) : NULL;
  if (!tu || get_u64(r) != tu->nfiles) goto bad;
  for (size_t i = 0; i < tu->nfiles; i++) {
    const char *text = get_bytes(r, &n);
    if (!text || n != tu->lens[i]) goto bad;
    ll_text_release(tu->contents[i]);
    tu->contents[i] = ll_text_intern(text, n);
  }
  uint64_t nd = get_u64(r);
  if (r->bad || nd > (uint64_t)(r->end - r->p)) goto bad;
  tu->deps = ll_arena_alloc(tu->arena, (nd ? (size_t)nd : 1) * sizeof(char *));
  for (size_t i = 0; i < nd; i++) {
    const char *d = get_bytes(r, &n);
    if (!d) goto bad;
    tu->deps[i] = ll_arena_strndup(tu->arena, d, n);
  }
  tu->ndeps = (size_t)nd;
  return tu;
bad:
  ll_tu_free(tu);
  r->bad = 1;
  return NULL;
}

ll_tu *ll_pworker_parse(ll_pworker *w, const char *file, const char *const *args, int nargs,
                        const char *workdir, const ll_rules *rules, ll_notifications *notes,
                        int *dead) {
  ll_buf b = {0};
  put_str(&b, file);
  put_str(&b, workdir);
  put_u64(&b, (uint64_t)nargs);
  for (int i = 0; i < nargs; i++) put_str(&b, args[i]);
  char *msg = NULL;
  size_t len = 0;
  int rc = send_msg(w->fd, &b) || recv_msg(w->fd, &msg, &len);
  ll_buf_free(&b);
  *dead = 0;
  if (rc) {
    *dead = 1;
    ll_notify(notes, LL_LEVEL_ERROR, file, 0, 0,
              "cannot analyse %s: parse failed: crashed (the parser process died; "
              "deep nesting or a huge macro expansion can overflow clang's stack)",
              file);
    return NULL;
  }
  rd r = {msg, msg + len, 0};
  unsigned char aborted = 0;
  get(&r, &aborted, 1);
  get_notes(&r, notes);
  unsigned char has_tu = 0;
  get(&r, &has_tu, 1);
  ll_tu *tu = has_tu && !r.bad ? get_tu(&r, rules) : NULL;
  free(msg);
  if (r.bad) {
    *dead = 1;
    ll_notify(notes, LL_LEVEL_ERROR, file, 0, 0, "cannot analyse %s: the parser process sent a damaged result",
              file);
    return NULL;
  }
  *dead = aborted;
  return tu;
}
