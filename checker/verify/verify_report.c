/* verify_report.c - see verify_report.h.
 *
 * Decisions worth knowing:
 * - The "user frame" of a parked stack is its first frame (from the top) in
 *   program code: not in a system library (/lib, /usr/lib) and not a C++
 *   standard library function instantiated in the program. The frame just
 *   above it is the parked operation (pthread_cond_wait, read,
 *   std::future<int>::get); when there is none, the blocking system call from
 *   /proc is the operation.
 * - The rule is the static rule for that operation (op_table): a wait on a
 *   condition variable, semaphore, future, join, lock or poll ->
 *   wait-without-cancel; read/recv on a pipe, socket or message queue ->
 *   unbuffered-recv, write/send -> unbuffered-send (on another kind of fd ->
 *   wait-without-cancel); a sleep -> timer-per-iteration. Unknown operations
 *   fall back on the system call (futex -> wait, read -> recv, nanosleep ->
 *   sleep), then on wait-without-cancel.
 * - A group is one distinct parked stack (every pc) plus one spawn site (the
 *   creator frame's pc), with the number of tasks in it (pprof debug=1).
 * - The spawn site is the creator frame resolved by addr2line; the SARIF
 *   result's primary location is there, its function is the creator, so the
 *   leaklint/v1 fingerprint is computed exactly as for a static finding at
 *   that line (ll_findings_fingerprint). */
#include "verify_report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "config.h"
#include "diag.h"
#include "report.h"
#include "subproc.h"
#include "util.h"

typedef struct vframe {
  char *function; /* NULL when unknown */
  char *module;
  unsigned long offset;
  int system;
  char *file; /* display path from addr2line, or NULL */
  unsigned line;
} vframe;

typedef struct vtask {
  long tid;
  char state;
  char *name, *syscall, *fd, *wchan, *sample, *checkpoint;
  vframe *stack, *created;
  size_t nstack, ncreated;
  int creator; /* index in created, or -1 */
  int user;    /* index of the first program frame in stack, or -1 */
  const char *op, *rule; /* decided by classify() */
  char *op_owned;
} vtask;

typedef struct vgroup {
  size_t first; /* index of the task shown */
  size_t count;
  char *key;
  char *fingerprint; /* leaklint/v1 of the spawn site, or NULL when unresolved */
  int confirms;      /* a static finding with that rule and fingerprint was given */
} vgroup;

struct ll_vreport {
  char *root; /* the project root paths and fingerprints are relative to (config.h) */
  LL_VEC(vtask) tasks;
  LL_VEC(vgroup) groups;
  int loaded, reached_exit;
  unsigned long untracked, ignored, started;
};

/* ------------------------------------------------------------ reading */

static char *jstr(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) && v->valuestring ? ll_xstrdup(v->valuestring) : ll_xstrdup("");
}

static double jnum(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static vframe *read_frames(const cJSON *o, const char *key, size_t *n) {
  const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key);
  *n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
  vframe *v = ll_xcalloc(*n ? *n : 1, sizeof *v);
  size_t i = 0;
  const cJSON *f;
  cJSON_ArrayForEach(f, arr) {
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(f, "function");
    v[i].function = cJSON_IsString(fn) ? ll_xstrdup(fn->valuestring) : NULL;
    v[i].module = jstr(f, "module");
    char *off = jstr(f, "offset");
    v[i].offset = strtoul(off, NULL, 16);
    free(off);
    v[i].system = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "system"));
    i++;
  }
  return v;
}

static int have_tid(const ll_vreport *r, long tid) {
  for (size_t i = 0; i < r->tasks.n; i++)
    if (r->tasks.v[i].tid == tid) return 1;
  return 0;
}

static void read_task(ll_vreport *r, const cJSON *o) {
  long tid = (long)jnum(o, "tid");
  if (tid && have_tid(r, tid)) return; /* seen at an earlier check point */
  vtask t = {0};
  t.tid = tid;
  char *state = jstr(o, "state");
  t.state = state[0] ? state[0] : '?';
  free(state);
  t.name = jstr(o, "name");
  t.syscall = jstr(o, "syscall");
  t.fd = jstr(o, "fd");
  t.wchan = jstr(o, "wchan");
  t.sample = jstr(o, "sample");
  t.checkpoint = jstr(o, "checkpoint");
  t.creator = (int)jnum(o, "creator");
  t.stack = read_frames(o, "stack", &t.nstack);
  t.created = read_frames(o, "created", &t.ncreated);
  if (t.creator >= (int)t.ncreated) t.creator = -1;
  LL_VEC_PUSH(&r->tasks, t);
}

static void read_line(ll_vreport *r, const char *line, long pid) {
  cJSON *o = cJSON_Parse(line);
  if (!o) return; /* a record cut short by a crash: skip it */
  const cJSON *ev = cJSON_GetObjectItemCaseSensitive(o, "event");
  if (cJSON_IsString(ev) && (long)jnum(o, "pid") == pid) {
    if (strcmp(ev->valuestring, "loaded") == 0) r->loaded = 1;
    if (strcmp(ev->valuestring, "task") == 0) read_task(r, o);
    if (strcmp(ev->valuestring, "end") == 0) {
      char *cp = jstr(o, "checkpoint");
      if (strcmp(cp, "exit") == 0) r->reached_exit = 1;
      free(cp);
      r->untracked = (unsigned long)jnum(o, "untracked");
      r->started = (unsigned long)jnum(o, "started");
      r->ignored += (unsigned long)jnum(o, "ignored");
    }
  }
  cJSON_Delete(o);
}

ll_vreport *ll_vreport_read(const char *path, long pid, char **err) {
  char *data = NULL;
  size_t len = 0;
  if (ll_read_file(path, &data, &len) != 0) {
    *err = ll_xasprintf("cannot read the report file %s", path);
    return NULL;
  }
  ll_vreport *r = ll_xcalloc(1, sizeof *r);
  for (char *p = data; p && *p;) {
    char *nl = strchr(p, '\n');
    if (nl) *nl = 0;
    read_line(r, p, pid);
    p = nl ? nl + 1 : NULL;
  }
  free(data);
  return r;
}

static void frames_free(vframe *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].function);
    free(v[i].module);
    free(v[i].file);
  }
  free(v);
}

void ll_vreport_free(ll_vreport *r) {
  if (!r) return;
  for (size_t i = 0; i < r->tasks.n; i++) {
    vtask *t = &r->tasks.v[i];
    free(t->name), free(t->syscall), free(t->fd), free(t->wchan), free(t->sample);
    free(t->checkpoint), free(t->op_owned);
    frames_free(t->stack, t->nstack);
    frames_free(t->created, t->ncreated);
  }
  for (size_t i = 0; i < r->groups.n; i++) {
    free(r->groups.v[i].key);
    free(r->groups.v[i].fingerprint);
  }
  free(r->tasks.v);
  free(r->groups.v);
  free(r->root);
  free(r);
}

int ll_vreport_loaded(const ll_vreport *r) { return r->loaded; }
int ll_vreport_reached_exit(const ll_vreport *r) { return r->reached_exit; }
size_t ll_vreport_leaked(const ll_vreport *r) { return r->tasks.n; }

/* ------------------------------------------------ addr2line (binutils) */

typedef LL_VEC(vframe *) frame_list;

#define ADDR2LINE_TIMEOUT_MS 60000

/* The line at *p (its '\n' replaced by NUL), advancing *p; NULL at the end. */
static char *next_line(char **p) {
  if (!*p || !**p) return NULL;
  char *line = *p, *nl = strchr(line, '\n');
  if (nl) {
    *nl = '\0';
    *p = nl + 1;
  } else {
    *p = line + strlen(line);
  }
  return line;
}

/* Runs addr2line -f -C -e module on every frame of list (all in module) and
 * fills file/line (and the function when the library had none). */
static void addr2line_module(const char *module, frame_list *list) {
  size_t argc = 5 + list->n;
  char **argv = ll_xcalloc(argc + 1, sizeof *argv);
  argv[0] = ll_xstrdup("addr2line");
  argv[1] = ll_xstrdup("-f");
  argv[2] = ll_xstrdup("-C");
  argv[3] = ll_xstrdup("-e");
  argv[4] = ll_xstrdup(module);
  for (size_t i = 0; i < list->n; i++) argv[5 + i] = ll_xasprintf("0x%lx", list->v[i]->offset);
  /* addr2line answers two lines per address; a deadline keeps a broken
     binary or a huge debug section from holding the report forever */
  ll_subproc_opts so = {NULL, ADDR2LINE_TIMEOUT_MS, 0};
  char *out = NULL;
  size_t len = 0;
  if (ll_subproc_capture((const char *const *)argv, &so, &out, &len) >= 0) {
    char *p = out;
    for (size_t i = 0; i < list->n; i++) {
      char *fn = next_line(&p), *loc = next_line(&p);
      if (!fn || !loc) break;
      char *colon = strrchr(loc, ':');
      vframe *f = list->v[i];
      if (colon && strncmp(loc, "??", 2) != 0 && atoi(colon + 1) > 0) {
        /* without debug information addr2line names the nearest symbol below,
         * often the wrong function: its name is taken only with a line */
        if (!f->function && strcmp(fn, "??") != 0) f->function = ll_xstrdup(fn);
        *colon = 0;
        /* DWARF names are often "<build dir>/../src/x.c": the canonical path,
         * so that fingerprints equal those of static findings */
        char *canon = realpath(loc, NULL);
        f->file = ll_path_display(canon ? canon : loc);
        free(canon);
        f->line = (unsigned)atoi(colon + 1);
      }
    }
  }
  free(out);
  for (size_t i = 0; i < argc; i++) free(argv[i]);
  free(argv);
}

/* Groups every program frame of every task by module, one addr2line each. */
static void resolve_lines(ll_vreport *r) {
  LL_VEC(char *) modules = {0};
  LL_VEC(frame_list) lists = {0};
  for (size_t i = 0; i < r->tasks.n; i++) {
    vtask *t = &r->tasks.v[i];
    for (int pass = 0; pass < 2; pass++) {
      vframe *v = pass ? t->created : t->stack;
      size_t n = pass ? t->ncreated : t->nstack;
      for (size_t k = 0; k < n; k++) {
        if (v[k].system || !v[k].module[0]) continue;
        size_t m = 0;
        while (m < modules.n && strcmp(modules.v[m], v[k].module) != 0) m++;
        if (m == modules.n) {
          LL_VEC_PUSH(&modules, v[k].module);
          frame_list empty = {0};
          LL_VEC_PUSH(&lists, empty);
        }
        LL_VEC_PUSH(&lists.v[m], &v[k]);
      }
    }
  }
  for (size_t m = 0; m < modules.n; m++) {
    addr2line_module(modules.v[m], &lists.v[m]);
    free(lists.v[m].v);
  }
  free(modules.v);
  free(lists.v);
}

/* ------------------------------------------------ parked operation, rule */

static int is_std_name(const char *s) {
  static const char *const pre[] = {"std::", "__gnu_cxx::", "void std::", "decltype("};
  for (size_t i = 0; s && i < sizeof pre / sizeof pre[0]; i++)
    if (strncmp(s, pre[i], strlen(pre[i])) == 0) return 1;
  return 0;
}

typedef enum { OP_WAIT, OP_RECV, OP_SEND, OP_SLEEP } op_kind;

/* Names as the library reports them, without parameters and without the
 * "__libc_" / "__" prefixes of glibc's aliases. A trailing '*' is a prefix. */
static const struct { const char *name; op_kind kind; } op_table[] = {
  {"pthread_cond_*", OP_WAIT}, {"cnd_*", OP_WAIT}, {"sem_wait", OP_WAIT},
  {"sem_timedwait", OP_WAIT}, {"sem_clockwait", OP_WAIT}, {"pthread_join", OP_WAIT},
  {"pthread_timedjoin_np", OP_WAIT}, {"pthread_clockjoin_np", OP_WAIT}, {"thrd_join", OP_WAIT},
  {"pthread_barrier_wait", OP_WAIT}, {"pthread_mutex_*", OP_WAIT}, {"pthread_rwlock_*", OP_WAIT},
  {"std::condition_variable*", OP_WAIT}, {"std::_V2::condition_variable_any*", OP_WAIT},
  {"std::future*", OP_WAIT}, {"std::shared_future*", OP_WAIT}, {"std::__basic_future*", OP_WAIT},
  {"std::thread::join", OP_WAIT}, {"std::counting_semaphore*", OP_WAIT},
  {"std::latch*", OP_WAIT}, {"std::barrier*", OP_WAIT}, {"std::__atomic_futex*", OP_WAIT},
  {"std::mutex::lock", OP_WAIT}, {"poll", OP_WAIT}, {"ppoll", OP_WAIT}, {"select", OP_WAIT},
  {"pselect*", OP_WAIT}, {"epoll_*wait*", OP_WAIT}, {"sigwait*", OP_WAIT}, {"pause", OP_WAIT},
  {"waitpid", OP_WAIT}, {"wait", OP_WAIT}, {"futex", OP_WAIT},
  {"read", OP_RECV}, {"readv", OP_RECV}, {"recv", OP_RECV}, {"recvfrom", OP_RECV},
  {"recvmsg", OP_RECV}, {"mq_receive", OP_RECV}, {"mq_timedreceive", OP_RECV},
  {"msgrcv", OP_RECV}, {"accept", OP_RECV}, {"accept4", OP_RECV},
  {"write", OP_SEND}, {"writev", OP_SEND}, {"send", OP_SEND}, {"sendto", OP_SEND},
  {"sendmsg", OP_SEND}, {"mq_send", OP_SEND}, {"mq_timedsend", OP_SEND}, {"msgsnd", OP_SEND},
  {"sleep", OP_SLEEP}, {"usleep", OP_SLEEP}, {"nanosleep", OP_SLEEP},
  {"clock_nanosleep", OP_SLEEP}, {"thrd_sleep", OP_SLEEP},
  {"std::this_thread::sleep_*", OP_SLEEP},
};

/* "__libc_read" -> "read"; "void std::condition_variable::wait<F>(lock&, F)"
 * -> "std::condition_variable::wait": glibc alias prefixes, a leading return
 * type, template arguments and the parameter list removed. */
static char *op_name(const char *function) {
  const char *s = function;
  if (strncmp(s, "__libc_", 7) == 0) s += 7;
  else if (strncmp(s, "__GI_", 5) == 0) s += 5;
  while (*s == '_' && strncmp(s, "__gnu", 5) != 0) s++;
  ll_buf b = {0};
  ll_buf_puts(&b, "");
  int depth = 0;
  for (const char *p = s; *p; p++) {
    if (*p == '<') depth++;
    else if (*p == '>' && depth > 0) depth--;
    else if (depth == 0 && *p == '(' && b.len > 0) break;
    else if (depth == 0 && *p == ' ') b.len = 0, b.data[0] = 0; /* a return type */
    else if (depth == 0) ll_buf_putc(&b, *p);
  }
  return ll_buf_take(&b);
}

static int op_lookup(const char *name, op_kind *kind) {
  for (size_t i = 0; i < sizeof op_table / sizeof op_table[0]; i++) {
    const char *p = op_table[i].name;
    size_t n = strlen(p);
    int ok = p[n - 1] == '*' ? strncmp(name, p, n - 1) == 0 : strcmp(name, p) == 0;
    if (ok) {
      *kind = op_table[i].kind;
      return 1;
    }
  }
  return 0;
}

/* A channel-like descriptor: what a static channel rule models. */
static int channel_fd(const char *fd) {
  return strncmp(fd, "pipe:", 5) == 0 || strncmp(fd, "socket:", 7) == 0 ||
         strncmp(fd, "anon_inode:", 11) == 0;
}

static const char *rule_for(op_kind k, const vtask *t) {
  switch (k) {
  case OP_WAIT: return "wait-without-cancel";
  case OP_SLEEP: return "timer-per-iteration";
  case OP_RECV: return channel_fd(t->fd) || !t->fd[0] ? "unbuffered-recv" : "wait-without-cancel";
  case OP_SEND: return channel_fd(t->fd) || !t->fd[0] ? "unbuffered-send" : "wait-without-cancel";
  }
  return "wait-without-cancel";
}

static void classify(vtask *t) {
  t->user = -1;
  for (size_t i = 0; i < t->nstack && t->user < 0; i++)
    if (!t->stack[i].system && t->stack[i].function && !is_std_name(t->stack[i].function))
      t->user = (int)i;
  op_kind kind;
  if (t->user > 0 && t->stack[t->user - 1].function) {
    t->op_owned = op_name(t->stack[t->user - 1].function);
    if (op_lookup(t->op_owned, &kind)) {
      t->op = t->op_owned;
      t->rule = rule_for(kind, t);
      return;
    }
  }
  char *sc = op_name(t->syscall);
  int known = op_lookup(sc, &kind);
  free(sc);
  if (!t->op_owned)
    t->op_owned = ll_xstrdup(t->user == 0 && t->stack[0].function ? t->stack[0].function
                             : t->syscall[0]                      ? t->syscall
                                                                  : "unknown");
  t->op = t->op_owned;
  t->rule = known ? rule_for(kind, t) : "wait-without-cancel";
}

/* ------------------------------------------------------------ groups */

static char *group_key(const vtask *t) {
  ll_buf b = {0};
  ll_buf_puts(&b, "");
  for (size_t i = 0; i < t->nstack; i++)
    ll_buf_printf(&b, "%s+%lx;", t->stack[i].module, t->stack[i].offset);
  if (t->creator >= 0)
    ll_buf_printf(&b, "|%s+%lx", t->created[t->creator].module, t->created[t->creator].offset);
  ll_buf_printf(&b, "|%s", t->sample); /* unsampled tasks never merge with sampled ones */
  return ll_buf_take(&b);
}

static const vframe *spawn_frame(const vtask *t);
static char *short_fn(const char *s);

/* The fingerprint a static finding of this rule at the spawn line, in the
 * creating function, has (baseline.c's scheme). */
static char *group_fingerprint(const ll_vreport *r, size_t g) {
  const vtask *t = &r->tasks.v[r->groups.v[g].first];
  const vframe *sp = spawn_frame(t);
  if (!sp || !sp->file) return NULL;
  ll_findings one = {0};
  ll_finding f = ll_finding_make(t->rule, LL_LEVEL_WARNING, "", ll_span_make(sp->file, sp->line, 0, 0, 0));
  f.function = short_fn(sp->function);
  ll_findings_push(&one, f);
  ll_findings_fingerprint(&one, r->root);
  char *fp = one.v[0].fingerprint ? ll_xstrdup(one.v[0].fingerprint) : NULL;
  ll_findings_free(&one);
  return fp;
}

void ll_vreport_analyse(ll_vreport *r) {
  if (!r->root) r->root = ll_config_default_root();
  resolve_lines(r);
  for (size_t i = 0; i < r->tasks.n; i++) {
    vtask *t = &r->tasks.v[i];
    classify(t);
    char *key = group_key(t);
    size_t g = 0;
    while (g < r->groups.n && strcmp(r->groups.v[g].key, key) != 0) g++;
    if (g < r->groups.n) {
      r->groups.v[g].count++;
      free(key);
    } else {
      vgroup ng = {i, 1, key, NULL, 0};
      LL_VEC_PUSH(&r->groups, ng);
    }
  }
  for (size_t g = 0; g < r->groups.n; g++) r->groups.v[g].fingerprint = group_fingerprint(r, g);
}

/* ------------------------------------------------------------ writing */

static const char *fname(const vframe *f) { return f->function ? f->function : "??"; }

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static const vframe *spawn_frame(const vtask *t) {
  return t->creator >= 0 ? &t->created[t->creator] : NULL;
}

/* "start_worker(int)" -> "start_worker" (for messages and fingerprints) */
static char *short_fn(const char *s) {
  if (!s) return ll_xstrdup("");
  const char *paren = strchr(s, '(');
  return paren && paren != s ? ll_xstrndup(s, (size_t)(paren - s)) : ll_xstrdup(s);
}

static char *group_message(const vgroup *g, const vtask *t) {
  const vframe *sp = spawn_frame(t);
  char *creator = short_fn(sp ? sp->function : NULL);
  ll_buf b = {0};
  ll_buf_printf(&b, "%zu task%s started here%s%s %s still alive at %s, parked in %s", g->count,
                g->count == 1 ? "" : "s", creator[0] ? " by " : "", creator,
                g->count == 1 ? "was" : "were",
                strcmp(t->checkpoint, "exit") == 0 ? "exit" : "leaklint_verify_none()", t->op);
  if (t->user >= 0 && strcmp(t->stack[t->user].function, t->op) != 0) {
    char *user = short_fn(t->stack[t->user].function);
    ll_buf_printf(&b, " in %s", user);
    free(user);
  }
  if (t->syscall[0] && strcmp(t->syscall, t->op) != 0) ll_buf_printf(&b, " (%s)", t->syscall);
  if (strncmp(t->fd, "pipe:", 5) == 0) ll_buf_puts(&b, " on a pipe");
  else if (strncmp(t->fd, "socket:", 7) == 0) ll_buf_puts(&b, " on a socket");
  if (strcmp(t->sample, "ok") != 0) ll_buf_printf(&b, "; stack not sampled: %s", t->sample);
  if (g->confirms) ll_buf_puts(&b, "; confirms the static finding at this line");
  free(creator);
  return ll_buf_take(&b);
}

static void text_frames(FILE *out, const vframe *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (v[i].file)
      fprintf(out, "    %s  %s:%u\n", fname(&v[i]), v[i].file, v[i].line);
    else
      fprintf(out, "    %s  (%s+0x%lx)\n", fname(&v[i]), base_name(v[i].module), v[i].offset);
  }
}

static void text_status(FILE *out, const ll_vrun *run) {
  if (run->exited) fprintf(out, "%s exited with status %d", run->argv[0], run->status);
  else fprintf(out, "%s was killed by signal %d", run->argv[0], run->status);
}

static int write_text(FILE *out, const ll_vreport *r, const ll_vrun *run) {
  for (size_t g = 0; g < r->groups.n; g++) {
    const vgroup *gr = &r->groups.v[g];
    const vtask *t = &r->tasks.v[gr->first];
    const vframe *sp = spawn_frame(t);
    char *msg = group_message(gr, t);
    if (sp && sp->file) fprintf(out, "%s:%u: ", sp->file, sp->line);
    else fprintf(out, "%s: ", run->argv[0]);
    fprintf(out, "leak: %s [%s]\n", msg, t->rule);
    free(msg);
    fprintf(out, "  state %c, task%s", t->state, gr->count == 1 ? "" : "s");
    for (size_t i = gr->first, k = 0; i < r->tasks.n && k < gr->count; i++) {
      char *key = group_key(&r->tasks.v[i]);
      if (strcmp(key, gr->key) == 0) fprintf(out, " %ld", r->tasks.v[i].tid), k++;
      free(key);
    }
    fprintf(out, " (%s)\n  parked stack:\n", t->name);
    text_frames(out, t->stack, t->nstack);
    fprintf(out, "  created at:\n");
    text_frames(out, t->created, t->ncreated);
  }
  fprintf(out, "leaklint verify: %zu leaked task%s in %zu group%s, %lu started (", r->tasks.n,
          r->tasks.n == 1 ? "" : "s", r->groups.n, r->groups.n == 1 ? "" : "s", r->started);
  text_status(out, run);
  if (r->ignored) fprintf(out, "; %lu ignored", r->ignored);
  if (r->untracked) fprintf(out, "; %lu threads not tracked: table full", r->untracked);
  fprintf(out, ")\n");
  return ferror(out) ? -1 : 0;
}

static cJSON *frames_json(const vframe *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++) {
    cJSON *o = cJSON_CreateObject();
    if (v[i].function) cJSON_AddStringToObject(o, "function", v[i].function);
    else cJSON_AddNullToObject(o, "function");
    cJSON_AddStringToObject(o, "module", v[i].module);
    char *off = ll_xasprintf("0x%lx", v[i].offset);
    cJSON_AddStringToObject(o, "offset", off);
    free(off);
    if (v[i].file) {
      cJSON_AddStringToObject(o, "file", v[i].file);
      cJSON_AddNumberToObject(o, "line", v[i].line);
    }
    cJSON_AddItemToArray(a, o);
  }
  return a;
}

static cJSON *group_json(const ll_vreport *r, const vgroup *gr) {
  const vtask *t = &r->tasks.v[gr->first];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "rule", t->rule);
  cJSON_AddNumberToObject(o, "count", (double)gr->count);
  char *msg = group_message(gr, t);
  cJSON_AddStringToObject(o, "message", msg);
  free(msg);
  cJSON_AddStringToObject(o, "operation", t->op);
  char st[2] = {t->state, 0};
  cJSON_AddStringToObject(o, "state", st);
  cJSON_AddStringToObject(o, "syscall", t->syscall);
  cJSON_AddStringToObject(o, "fd", t->fd);
  cJSON_AddStringToObject(o, "wchan", t->wchan);
  cJSON_AddStringToObject(o, "sample", t->sample);
  cJSON_AddStringToObject(o, "checkpoint", t->checkpoint);
  cJSON_AddStringToObject(o, "thread_name", t->name);
  if (gr->fingerprint) cJSON_AddStringToObject(o, "fingerprint", gr->fingerprint);
  else cJSON_AddNullToObject(o, "fingerprint");
  cJSON_AddBoolToObject(o, "confirms_static", gr->confirms);
  const vframe *sp = spawn_frame(t);
  if (sp) cJSON_AddItemToObject(o, "created_by", frames_json(sp, 1));
  else cJSON_AddNullToObject(o, "created_by");
  cJSON *tids = cJSON_AddArrayToObject(o, "tids");
  for (size_t i = gr->first; i < r->tasks.n; i++) {
    char *key = group_key(&r->tasks.v[i]);
    if (strcmp(key, gr->key) == 0)
      cJSON_AddItemToArray(tids, cJSON_CreateNumber((double)r->tasks.v[i].tid));
    free(key);
  }
  cJSON_AddItemToObject(o, "stack", frames_json(t->stack, t->nstack));
  cJSON_AddItemToObject(o, "created", frames_json(t->created, t->ncreated));
  return o;
}

static int write_json(FILE *out, const ll_vreport *r, const ll_vrun *run) {
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddStringToObject(doc, "version", LEAKLINT_VERSION);
  cJSON *argv = cJSON_AddArrayToObject(doc, "program");
  for (size_t i = 0; run->argv[i]; i++) cJSON_AddItemToArray(argv, cJSON_CreateString(run->argv[i]));
  if (run->exited) cJSON_AddNumberToObject(doc, "exit_status", run->status);
  else cJSON_AddNumberToObject(doc, "signal", run->status);
  cJSON_AddBoolToObject(doc, "reached_exit_check", r->reached_exit);
  cJSON_AddNumberToObject(doc, "leaked", (double)r->tasks.n);
  cJSON_AddNumberToObject(doc, "ignored", (double)r->ignored);
  cJSON_AddNumberToObject(doc, "untracked", (double)r->untracked);
  cJSON_AddNumberToObject(doc, "started", (double)r->started);
  cJSON *groups = cJSON_AddArrayToObject(doc, "groups");
  for (size_t g = 0; g < r->groups.n; g++)
    cJSON_AddItemToArray(groups, group_json(r, &r->groups.v[g]));
  int rc = ll_json_write(out, doc);
  cJSON_Delete(doc);
  return rc;
}

/* ---- SARIF: ll_report_sarif on findings built from the groups, then the
 * parked stacks added to its results as code flows ---- */

static ll_finding group_finding(const ll_vreport *r, const vgroup *gr, const ll_vrun *run) {
  const vtask *t = &r->tasks.v[gr->first];
  const vframe *sp = spawn_frame(t);
  char *msg = group_message(gr, t);
  ll_span loc = sp && sp->file ? ll_span_make(sp->file, sp->line, 0, 0, 0)
                               : ll_span_make(run->argv[0], 0, 0, 0, 0);
  ll_finding f = ll_finding_make(t->rule, LL_LEVEL_WARNING, msg, loc);
  free(msg);
  f.function = short_fn(sp ? sp->function : NULL);
  f.hint = ll_xstrdup("confirmed at run time by leaklint verify: the task never finished; "
                      "give it a way to stop (a stop flag, a timeout, closing its channel)");
  return f;
}

static cJSON *flow_location(const char *root, const vframe *f, int top) {
  cJSON *tl = cJSON_CreateObject();
  cJSON *loc = cJSON_AddObjectToObject(tl, "location");
  char *text = f->file ? ll_xasprintf("%s%s", fname(f), top ? " (parked here)" : "")
                       : ll_xasprintf("%s (%s+0x%lx)%s", fname(f), base_name(f->module),
                                      f->offset, top ? " (parked here)" : "");
  cJSON *m = cJSON_AddObjectToObject(loc, "message");
  cJSON_AddStringToObject(m, "text", text);
  free(text);
  if (f->file) {
    cJSON *pl = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON *al = cJSON_AddObjectToObject(pl, "artifactLocation");
    char *rel = ll_report_relpath(root, f->file);
    if (rel[0] == '/') {
      char *uri = ll_xasprintf("file://%s", rel);
      cJSON_AddStringToObject(al, "uri", uri);
      free(uri);
    } else if (rel[0] == '~') { /* a home directory: not recorded (relpath.h) */
      cJSON_AddStringToObject(al, "uri", rel + 2);
      cJSON_AddStringToObject(al, "uriBaseId", "HOME");
    } else {
      cJSON_AddStringToObject(al, "uri", rel);
      cJSON_AddStringToObject(al, "uriBaseId", "%SRCROOT%");
    }
    free(rel);
    cJSON *reg = cJSON_AddObjectToObject(pl, "region");
    cJSON_AddNumberToObject(reg, "startLine", f->line);
  }
  return tl;
}

static void add_code_flow(cJSON *result, const ll_vreport *r, const vgroup *gr) {
  const vtask *t = &r->tasks.v[gr->first];
  cJSON *flows = cJSON_AddArrayToObject(result, "codeFlows");
  cJSON *flow = cJSON_CreateObject();
  cJSON_AddItemToArray(flows, flow);
  cJSON *m = cJSON_AddObjectToObject(flow, "message");
  char *text = ll_xasprintf("parked stack of %zu task%s", gr->count, gr->count == 1 ? "" : "s");
  cJSON_AddStringToObject(m, "text", text);
  free(text);
  cJSON *tfs = cJSON_AddArrayToObject(flow, "threadFlows");
  cJSON *tf = cJSON_CreateObject();
  cJSON_AddItemToArray(tfs, tf);
  cJSON *locs = cJSON_AddArrayToObject(tf, "locations");
  for (size_t i = t->nstack; i-- > 0;) /* outermost call first: execution order */
    cJSON_AddItemToArray(locs, flow_location(r->root, &t->stack[i], i == 0));
  if (t->nstack == 0) {
    vframe none = {0};
    none.function = (char *)"stack not sampled";
    none.module = (char *)"";
    cJSON_AddItemToArray(locs, flow_location(r->root, &none, 1));
  }
  cJSON *props = cJSON_GetObjectItemCaseSensitive(result, "properties");
  if (!props) props = cJSON_AddObjectToObject(result, "properties");
  cJSON_AddItemToObject(props, "leaklintVerify", group_json(r, gr));
}

static int write_sarif(FILE *out, const ll_vreport *r, const ll_vrun *run) {
  ll_findings fs = {0};
  for (size_t g = 0; g < r->groups.n; g++) ll_findings_push(&fs, group_finding(r, &r->groups.v[g], run));
  ll_findings_fingerprint(&fs, r->root);
  ll_report_ctx ctx = {0};
  ctx.findings = &fs;
  ctx.base_dir = r->root;
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  int rc = mem ? ll_report_sarif(mem, &ctx) : -1;
  if (mem) fclose(mem);
  cJSON *doc = rc == 0 ? cJSON_Parse(buf) : NULL;
  free(buf);
  ll_findings_free(&fs);
  if (!doc) return -1;
  cJSON *run0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "runs"), 0);
  cJSON *results = cJSON_GetObjectItemCaseSensitive(run0, "results");
  /* results come in findings order, one per group */
  for (size_t g = 0; g < r->groups.n; g++) {
    cJSON *res = cJSON_GetArrayItem(results, (int)g);
    if (res) add_code_flow(res, r, &r->groups.v[g]);
  }
  rc = ll_json_write(out, doc);
  cJSON_Delete(doc);
  return rc;
}

int ll_vreport_write(FILE *out, const ll_vreport *r, const char *format, const ll_vrun *run) {
  if (strcmp(format, "json") == 0) return write_json(out, r, run);
  if (strcmp(format, "sarif") == 0) return write_sarif(out, r, run);
  return write_text(out, r, run);
}

/* ---- --confirm: a static report's findings that a group confirms ---- */

static void confirm_one(ll_vreport *r, const char *rule, const char *fp) {
  for (size_t g = 0; rule && fp && g < r->groups.n; g++) {
    vgroup *gr = &r->groups.v[g];
    if (gr->fingerprint && strcmp(gr->fingerprint, fp) == 0 &&
        strcmp(r->tasks.v[gr->first].rule, rule) == 0)
      gr->confirms = 1;
  }
}

static const char *str_item(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

int ll_vreport_confirm(ll_vreport *r, const char *path, char **err) {
  char *data = NULL;
  size_t len = 0;
  if (ll_read_file(path, &data, &len) != 0) {
    *err = ll_xasprintf("cannot read %s", path);
    return -1;
  }
  cJSON *doc = cJSON_Parse(data);
  free(data);
  const cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs");
  const cJSON *findings = cJSON_GetObjectItemCaseSensitive(doc, "findings");
  if (!cJSON_IsArray(runs) && !cJSON_IsArray(findings)) {
    cJSON_Delete(doc);
    *err = ll_xasprintf("%s: not a leaklint SARIF log or JSON report", path);
    return -1;
  }
  const cJSON *run, *res;
  cJSON_ArrayForEach(run, runs) {
    cJSON_ArrayForEach(res, cJSON_GetObjectItemCaseSensitive(run, "results")) {
      const cJSON *pf = cJSON_GetObjectItemCaseSensitive(res, "partialFingerprints");
      confirm_one(r, str_item(res, "ruleId"), str_item(pf, "leaklint/v1"));
    }
  }
  cJSON_ArrayForEach(res, findings) confirm_one(r, str_item(res, "rule"), str_item(res, "fingerprint"));
  cJSON_Delete(doc);
  int n = 0;
  for (size_t g = 0; g < r->groups.n; g++) n += r->groups.v[g].confirms;
  return n;
}
