/* lv_out.c - see lv_out.h. Symbol names come from dladdr (dynamic symbols)
 * and, when it has none, from the file's own .symtab (lv_elfsym.h);
 * C++ names are demangled with __cxa_demangle when libstdc++ is loaded. */
#include "lv_out.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lv_elfsym.h"

typedef char *(*demangle_fn)(const char *, char *, size_t *, int *);

/* ---- a growable string (out of memory: the report is cut short) ---- */
typedef struct sb {
  char *p;
  size_t n, cap;
} sb;

static void sb_printf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sb *b, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap - b->n;
    int k = b->p ? vsnprintf(b->p + b->n, room, fmt, ap) : -1;
    va_end(ap);
    if (k >= 0 && (size_t)k < room) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 1024;
    while (k >= 0 && cap - b->n <= (size_t)k) cap *= 2;
    char *np = realloc(b->p, cap);
    if (!np) return;
    b->p = np;
    b->cap = cap;
  }
}

static void sb_json_str(sb *b, const char *s) {
  sb_printf(b, "\"");
  for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
    if (*c == '"' || *c == '\\') sb_printf(b, "\\%c", *c);
    else if (*c < 0x20) sb_printf(b, "\\u%04x", *c);
    else sb_printf(b, "%c", *c);
  }
  sb_printf(b, "\"");
}

/* ---- frames ---- */

static int is_system_path(const char *p) {
  return strncmp(p, "/lib/", 5) == 0 || strncmp(p, "/lib64/", 7) == 0 ||
         strncmp(p, "/usr/lib/", 9) == 0 || strncmp(p, "/usr/lib64/", 11) == 0;
}

static const char *self_path(void) {
  static char buf[4096];
  if (!buf[0]) {
    ssize_t k = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (k > 0) buf[k] = 0;
  }
  return buf;
}

static char *demangle(const char *sym) {
  static demangle_fn fn;
  static int looked;
  if (!sym || strncmp(sym, "_Z", 2) != 0) return NULL;
  if (!looked) {
    fn = (demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle");
    looked = 1;
  }
  int status = -1;
  char *d = fn ? fn(sym, NULL, NULL, &status) : NULL;
  if (status != 0) {
    free(d);
    return NULL;
  }
  return d;
}

static void resolve_one(lv_frame *f, void *pc, int exact) {
  memset(f, 0, sizeof *f);
  f->pc = (uintptr_t)pc;
  f->module = "";
  uintptr_t look = exact ? f->pc : f->pc - 1;
  Dl_info di;
  if (!dladdr((void *)look, &di)) return;
  f->module = di.dli_fname && *di.dli_fname ? di.dli_fname : self_path();
  if (di.dli_fname && di.dli_fname[0] != '/') f->module = self_path();
  f->off = lv_elf_is_dyn(f->module) ? look - (uintptr_t)di.dli_fbase : look;
  f->sym = di.dli_sname;
  /* dladdr names the nearest exported symbol below the address even when the
   * pc is in a static function after it (a stripped program): the symbol
   * tables, with sizes, decide whenever the file can be read */
  const char *own = lv_elf_function(f->module, f->off);
  if (own || lv_elf_readable(f->module)) f->sym = own;
  f->function = demangle(f->sym);
  f->system = is_system_path(f->module);
}

static int own_frame(void *pc) {
  static Dl_info me;
  static int have;
  if (!have) have = dladdr((void *)&lv_out_resolve, &me);
  Dl_info di;
  return have && dladdr((char *)pc - 1, &di) && di.dli_fbase == me.dli_fbase;
}

int lv_out_resolve(lv_frame *out, void *const *pcs, int n, int skip_after_own) {
  int k = 0, i = 0;
  while (i < n && own_frame(pcs[i])) i++;
  int exact = skip_after_own > 0;
  i += skip_after_own;
  for (; i < n; i++) {
    if (own_frame(pcs[i])) continue; /* our start trampoline in the middle */
    resolve_one(&out[k++], pcs[i], exact);
    exact = 0;
  }
  return k;
}

static const char *fname(const lv_frame *f) { return f->function ? f->function : f->sym; }

static int is_std_name(const char *s) {
  static const char *const pre[] = {"std::", "__gnu_cxx::", "_ZNSt", "_ZSt", "_ZNKSt",
                                    "_ZN9__gnu_cxx", "void std::", "decltype"};
  for (size_t i = 0; s && i < sizeof pre / sizeof pre[0]; i++)
    if (strncmp(s, pre[i], strlen(pre[i])) == 0) return 1;
  return 0;
}

void lv_out_find_creator(lv_leak *leak) {
  leak->creator = -1;
  for (int i = 0; i < leak->ncreated && leak->creator < 0; i++) {
    const lv_frame *f = &leak->created[i];
    if (!f->system && fname(f) && !is_std_name(fname(f))) leak->creator = i;
  }
}

void lv_out_release(lv_leak *leak) {
  for (int i = 0; i < leak->nstack; i++) free(leak->stack[i].function);
  for (int i = 0; i < leak->ncreated; i++) free(leak->created[i].function);
  leak->nstack = leak->ncreated = 0;
}

/* name equals the raw symbol, the demangled name, or the demangled name
 * without its parameter list */
static int name_is(const lv_frame *f, const char *name, size_t len) {
  if (f->sym && strlen(f->sym) == len && strncmp(f->sym, name, len) == 0) return 1;
  if (!f->function) return 0;
  const char *paren = strchr(f->function, '(');
  size_t flen = paren ? (size_t)(paren - f->function) : strlen(f->function);
  return (flen == len || strlen(f->function) == len) && strncmp(f->function, name, len) == 0;
}

static int matches(const lv_leak *leak, const char *name, size_t len) {
  for (int i = 0; i < leak->nstack; i++) {
    if (name_is(&leak->stack[i], name, len)) return 1;
    if (!leak->stack[i].system) break;
  }
  return leak->creator >= 0 && name_is(&leak->created[leak->creator], name, len);
}

int lv_out_ignored(const lv_leak *leak, const char *ignore) {
  for (const char *p = ignore; p && *p;) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len && matches(leak, p, len)) return 1;
    p = e ? e + 1 : p + len;
  }
  return 0;
}

/* ---- JSON lines ---- */

static void json_frames(sb *b, const char *key, const lv_frame *v, int n) {
  sb_printf(b, ",\"%s\":[", key);
  for (int i = 0; i < n; i++) {
    sb_printf(b, "%s{\"pc\":\"0x%lx\",\"module\":", i ? "," : "", (unsigned long)v[i].pc);
    sb_json_str(b, v[i].module);
    sb_printf(b, ",\"offset\":\"0x%lx\",\"function\":", (unsigned long)v[i].off);
    if (fname(&v[i])) sb_json_str(b, fname(&v[i]));
    else sb_printf(b, "null");
    sb_printf(b, ",\"system\":%s}", v[i].system ? "true" : "false");
  }
  sb_printf(b, "]");
}

static void json_leak(sb *b, const char *cp, const lv_leak *l) {
  sb_printf(b, "{\"leaklint_verify\":1,\"event\":\"task\",\"checkpoint\":");
  sb_json_str(b, cp);
  sb_printf(b, ",\"pid\":%d,\"tid\":%d,\"seq\":%lu,\"state\":\"%c\",\"name\":", (int)getpid(),
            (int)l->tid, l->seq, l->state ? l->state : '?');
  sb_json_str(b, l->name);
  sb_printf(b, ",\"syscall\":");
  sb_json_str(b, l->syscall);
  sb_printf(b, ",\"fd\":");
  sb_json_str(b, l->fd);
  sb_printf(b, ",\"wchan\":");
  sb_json_str(b, l->wchan);
  sb_printf(b, ",\"sample\":");
  sb_json_str(b, l->sample);
  sb_printf(b, ",\"creator\":%d", l->creator);
  json_frames(b, "stack", l->stack, l->nstack);
  json_frames(b, "created", l->created, l->ncreated);
  sb_printf(b, "}\n");
}

char *lv_out_json(const char *cp, const lv_leak *v, size_t n, size_t ignored,
                  unsigned long untracked) {
  sb b = {0};
  for (size_t i = 0; i < n; i++) json_leak(&b, cp, &v[i]);
  sb_printf(&b, "{\"leaklint_verify\":1,\"event\":\"end\",\"checkpoint\":");
  sb_json_str(&b, cp);
  sb_printf(&b, ",\"pid\":%d,\"leaked\":%zu,\"ignored\":%zu,\"untracked\":%lu,\"started\":%lu}\n",
            (int)getpid(), n, ignored, untracked, lv_tasks_started());
  return b.p;
}

/* ---- text, shaped like goleak's ---- */

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static void text_frames(sb *b, const lv_frame *v, int n) {
  for (int i = 0; i < n; i++)
    sb_printf(b, "    #%-2d %s (%s+0x%lx)\n", i, fname(&v[i]) ? fname(&v[i]) : "??",
              base_name(v[i].module), (unsigned long)v[i].off);
}

char *lv_out_text(const char *cp, const lv_leak *v, size_t n, size_t ignored,
                  unsigned long untracked) {
  sb b = {0};
  if (n == 0) {
    sb_printf(&b, "leaklint verify (%s): no leaked tasks", cp);
  } else {
    sb_printf(&b, "leaklint verify (%s): found %zu unexpected task%s", cp, n, n == 1 ? "" : "s");
  }
  sb_printf(&b, " (%lu started, %zu ignored, %lu untracked)\n", lv_tasks_started(), ignored,
            untracked);
  for (size_t i = 0; i < n; i++) {
    const lv_leak *l = &v[i];
    sb_printf(&b, "task %d \"%s\" #%lu, state %c%s%s%s%s, stack %s:\n", (int)l->tid, l->name,
              l->seq, l->state ? l->state : '?', l->syscall[0] ? " in " : "", l->syscall,
              l->fd[0] ? " on " : "", l->fd, l->sample);
    text_frames(&b, l->stack, l->nstack);
    if (l->creator >= 0)
      sb_printf(&b, "  created by %s:\n", fname(&l->created[l->creator]));
    else
      sb_printf(&b, "  created at:\n");
    text_frames(&b, l->created, l->ncreated);
  }
  return b.p;
}
