/* flagsan.c - allow-list compile-flag sanitiser (see flagsan.h).
 *
 * Each argument is classified by the table (exact names, names with a
 * separate value, names with an attached value), else by family (-f, -m, -W,
 * -O, -g). -Xclang V / -Xpreprocessor V are classified by V (a separate value
 * of V comes behind another -Xclang); only kept V are forwarded. The table
 * is matched by longest name, so -include-pch is not -include + "-pch". */
#include "flagsan.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discover.h"
#include "util.h"

enum kind {
  K_KEEP,      /* kept as is */
  K_PATH,      /* kept, the value made absolute */
  K_INCLUDE,   /* -include / -imacros: kept when the file is the project's */
  K_QUIET,     /* dropped silently: compile mode, output names, linker */
  K_LOADS,     /* dropped: loads code */
  K_WRITES,    /* dropped: writes a file */
  K_READS,     /* dropped: reads a file that is not a source/header/include dir */
  K_PROCESS,   /* dropped: changes the whole process (cwd, LLVM options) */
  K_UNCHECKED, /* dropped: forwards flags that cannot be checked, or unknown */
  K_GCC,       /* dropped: a GCC flag clang rejects */
  K_FILES,     /* dropped: an -f flag that makes clang read or write files */
  K_OUTPUT,    /* dropped: writes the build's own output (-o, -MD -MF): every
                * database command has them, so noted only from other sources */
};

enum form {
  F_FLAG,     /* exact, no value */
  F_SEP,      /* exact, the value is the next argument */
  F_JOIN,     /* prefix, the value attached */
  F_SEP_JOIN, /* exact + next argument, or prefix + attached value */
  F_JOIN_SEP, /* prefix + also the next argument (-plugin-arg-NAME ARG) */
};

typedef struct spec {
  const char *name;
  unsigned char form, kind;
} spec;

static const spec k_specs[] = {
  /* include directories and system roots */
  {"-I", F_SEP_JOIN, K_PATH}, {"-isystem", F_SEP_JOIN, K_PATH}, {"-iquote", F_SEP_JOIN, K_PATH},
  {"-idirafter", F_SEP_JOIN, K_PATH}, {"-F", F_SEP_JOIN, K_PATH},
  {"-iframework", F_SEP_JOIN, K_PATH}, {"-iframeworkwithsysroot", F_SEP_JOIN, K_PATH},
  {"-isystem-after", F_SEP_JOIN, K_PATH}, {"-cxx-isystem", F_SEP_JOIN, K_PATH},
  {"-iprefix", F_SEP_JOIN, K_PATH}, {"-iwithprefix", F_SEP_JOIN, K_KEEP},
  {"-iwithprefixbefore", F_SEP_JOIN, K_KEEP}, {"-isysroot", F_SEP_JOIN, K_PATH},
  {"--sysroot", F_SEP, K_PATH}, {"--sysroot=", F_JOIN, K_PATH},
  {"-resource-dir", F_SEP, K_PATH}, {"-resource-dir=", F_JOIN, K_PATH},
  {"--gcc-toolchain=", F_JOIN, K_PATH}, {"-gcc-toolchain", F_SEP, K_PATH},
  {"--include-directory=", F_JOIN, K_PATH}, {"--include-directory", F_SEP, K_PATH},
  /* macros, language, target */
  {"-D", F_SEP_JOIN, K_KEEP}, {"-U", F_SEP_JOIN, K_KEEP}, {"-x", F_SEP_JOIN, K_KEEP},
  {"-A", F_SEP_JOIN, K_KEEP}, {"-std=", F_JOIN, K_KEEP}, {"--std=", F_JOIN, K_KEEP},
  {"-stdlib=", F_JOIN, K_KEEP}, {"-target", F_SEP, K_KEEP}, {"--target=", F_JOIN, K_KEEP},
  {"-arch", F_SEP, K_KEEP}, {"-imultilib", F_SEP, K_KEEP}, {"--driver-mode=", F_JOIN, K_KEEP},
  {"-ansi", F_FLAG, K_KEEP}, {"-pthread", F_FLAG, K_KEEP}, {"-pthreads", F_FLAG, K_KEEP},
  {"-nostdinc", F_FLAG, K_KEEP}, {"-nostdinc++", F_FLAG, K_KEEP},
  {"-nostdlibinc", F_FLAG, K_KEEP}, {"-nobuiltininc", F_FLAG, K_KEEP},
  {"-undef", F_FLAG, K_KEEP}, {"-trigraphs", F_FLAG, K_KEEP}, {"-pedantic", F_FLAG, K_KEEP},
  {"-pedantic-errors", F_FLAG, K_KEEP}, {"-w", F_FLAG, K_KEEP}, {"-C", F_FLAG, K_KEEP},
  {"-CC", F_FLAG, K_KEEP}, {"-ObjC", F_FLAG, K_KEEP}, {"-ObjC++", F_FLAG, K_KEEP},
  {"-include", F_SEP_JOIN, K_INCLUDE}, {"-imacros", F_SEP_JOIN, K_INCLUDE},
  {"--include=", F_JOIN, K_INCLUDE},
  /* compile mode, output names, linking: nothing a parse needs */
  {"-c", F_FLAG, K_QUIET}, {"-S", F_FLAG, K_QUIET}, {"-E", F_FLAG, K_QUIET},
  {"-fsyntax-only", F_FLAG, K_QUIET}, {"-pipe", F_FLAG, K_QUIET}, {"-v", F_FLAG, K_QUIET},
  {"-###", F_FLAG, K_QUIET}, {"-M", F_FLAG, K_QUIET}, {"-MM", F_FLAG, K_QUIET},
  {"-MP", F_FLAG, K_QUIET}, {"-MG", F_FLAG, K_QUIET}, {"-MV", F_FLAG, K_QUIET},
  {"-H", F_FLAG, K_QUIET}, {"-MT", F_SEP_JOIN, K_QUIET}, {"-MQ", F_SEP_JOIN, K_QUIET},
  {"-L", F_SEP_JOIN, K_QUIET}, {"-l", F_SEP_JOIN, K_QUIET}, {"-u", F_SEP_JOIN, K_QUIET},
  {"-T", F_SEP_JOIN, K_QUIET}, {"-z", F_SEP, K_QUIET}, {"-B", F_SEP_JOIN, K_QUIET},
  {"-Xlinker", F_SEP, K_QUIET}, {"-Xassembler", F_SEP, K_QUIET},
  {"-Xarch_host", F_SEP, K_QUIET}, {"-Xarch_device", F_SEP, K_QUIET},
  {"-Xopenmp-target", F_SEP, K_QUIET}, {"-Xcuda-ptxas", F_SEP, K_QUIET},
  {"-Xcuda-fatbinary", F_SEP, K_QUIET}, {"-Xoffload-linker", F_SEP, K_QUIET},
  {"--param", F_SEP, K_QUIET}, {"-Wl,", F_JOIN, K_QUIET}, {"-Wa,", F_JOIN, K_QUIET},
  {"-static", F_FLAG, K_QUIET}, {"-shared", F_FLAG, K_QUIET}, {"-rdynamic", F_FLAG, K_QUIET},
  /* write a file */
  {"-o", F_SEP_JOIN, K_OUTPUT}, {"-MF", F_SEP_JOIN, K_OUTPUT}, {"-MJ", F_SEP_JOIN, K_WRITES},
  {"-MD", F_FLAG, K_OUTPUT}, {"-MMD", F_FLAG, K_OUTPUT}, {"-save-temps", F_FLAG, K_WRITES},
  {"-save-temps=", F_JOIN, K_WRITES}, {"--save-temps", F_FLAG, K_WRITES},
  {"--serialize-diagnostics", F_SEP, K_WRITES}, {"--serialize-diagnostics=", F_JOIN, K_WRITES},
  {"-serialize-diagnostic-file", F_SEP, K_WRITES}, {"-dependency-file", F_SEP, K_WRITES},
  {"-dependency-dot", F_SEP, K_WRITES}, {"-header-include-file", F_SEP, K_WRITES},
  {"-module-dependency-dir", F_SEP, K_WRITES}, {"-diagnostic-log-file", F_SEP, K_WRITES},
  {"-stack-usage-file", F_SEP, K_WRITES},
  /* read a file */
  {"-ivfsoverlay", F_SEP_JOIN, K_READS}, {"-ivfsoverlay=", F_JOIN, K_READS},
  {"-include-pch", F_SEP, K_READS}, {"--config", F_SEP, K_READS},
  {"--config=", F_JOIN, K_READS}, {"--config-system-dir=", F_JOIN, K_READS},
  {"--config-user-dir=", F_JOIN, K_READS},
  /* load code */
  {"-load", F_SEP, K_LOADS}, {"-load=", F_JOIN, K_LOADS}, {"-plugin", F_SEP, K_LOADS},
  {"-add-plugin", F_SEP, K_LOADS}, {"-plugin-arg-", F_JOIN_SEP, K_LOADS},
  {"-fplugin", F_SEP, K_LOADS}, {"-fplugin=", F_JOIN, K_LOADS},
  {"-fpass-plugin", F_SEP, K_LOADS}, {"-fpass-plugin=", F_JOIN, K_LOADS},
  {"-fplugin-arg-", F_JOIN, K_LOADS},
  /* change the process: libclang applies these to the whole of leaklint */
  {"-working-directory", F_SEP, K_PROCESS}, {"-working-directory=", F_JOIN, K_PROCESS},
  {"-mllvm", F_SEP, K_PROCESS},
  /* forward flags unchecked */
  {"-Wp,", F_JOIN, K_UNCHECKED}, {"-Xclang", F_SEP, K_UNCHECKED},
  {"-Xpreprocessor", F_SEP, K_UNCHECKED},
};

/* GCC-only flags that clang rejects as "unknown argument" (which would make
 * a GCC project's every file fail): dropped, by prefix. */
static const char *const k_gcc_only_prefix[] = {
  "-fno-tree-", "-ftree-", "-fipa-", "-fno-ipa-", "-mindirect-branch", "-mfunction-return=",
  "-mpreferred-stack-boundary=", "-finline-limit", "-fstack-reuse=", "-fzero-init-padding-bits=",
  "-fmin-function-alignment=", "-fsched-", "-fno-sched-", "-fgcse", "-fno-gcse",
  "-fvar-tracking", "-fno-var-tracking", "-fcompare-debug", "-fdump-", "-fopt-info",
  "-mskip-rax-setup", "-mrecord-mcount", "-fpredictive-commoning", "-fno-predictive-commoning",
  "-fconserve-stack", "-fno-allow-store-data-races", "-fallow-store-data-races",
  "-fno-partial-inlining", "-fno-code-hoisting", "-fno-inline-small-functions",
  "-fno-guess-branch-probability", "-fno-shrink-wrap", "-fno-reorder-blocks-and-partition",
  "-fno-ira-", "-fira-", "-flive-patching", "-fsso-struct=", "-fno-ssa-phiopt",
  "-fno-toplevel-reorder", "-fno-unit-at-a-time",
};

/* Words in an -f flag's name that mean it names a file or directory, loads
 * code or writes output (profiles, sanitizer lists, modules, traces, ...). */
static const char *const k_f_file_words[] = {
  "list", "file", "path", "dir", "use", "overlay", "module", "instrument", "index", "object",
  "save", "load", "output", "record", "trace", "cache", "report", "crash", "dump", "remap",
  "embed", "offload", "xray", "pch",
};

/* ---- classification ---- */

typedef struct verdict {
  int kind;
  const spec *sp; /* NULL: a family rule */
  int sep;        /* the value is the next argument */
  const char *value; /* attached value, or NULL */
} verdict;

static const spec *lookup(const char *a, int *sep, const char **value) {
  const spec *best = NULL;
  size_t best_n = 0;
  int best_sep = 0;
  const char *best_v = NULL;
  for (size_t i = 0; i < sizeof(k_specs) / sizeof(k_specs[0]); i++) {
    const spec *s = &k_specs[i];
    size_t n = strlen(s->name);
    if (n < best_n || strncmp(a, s->name, n) != 0) continue;
    int exact = a[n] == '\0';
    int ok = 0, sp = 0;
    const char *v = NULL;
    switch (s->form) {
    case F_FLAG: ok = exact; break;
    case F_SEP: ok = exact, sp = 1; break;
    case F_JOIN: ok = 1, v = a + n; break;
    case F_SEP_JOIN: ok = 1, sp = exact, v = exact ? NULL : a + n; break;
    case F_JOIN_SEP: ok = 1, sp = 1, v = a + n; break;
    }
    if (ok && (n > best_n || !best)) best = s, best_n = n, best_sep = sp, best_v = v;
  }
  *sep = best_sep;
  *value = best_v;
  return best;
}

static int has_word(const char *name, size_t n, const char *const *words, size_t nw) {
  for (size_t i = 0; i < nw; i++) {
    size_t wl = strlen(words[i]);
    for (size_t k = 0; k + wl <= n; k++)
      if (!strncmp(name + k, words[i], wl)) return 1;
  }
  return 0;
}

static char *absolute_in(const char *base, const char *rel) {
  if (rel[0] == '/' || !base) return ll_discover_absolute(rel);
  char *j = ll_xasprintf("%s/%s", base, rel);
  char *r = ll_discover_absolute(j);
  free(j);
  return r;
}

/* A value that names an existing file (against base or the cwd). */
static int names_a_file(const char *v, const char *base) {
  if (!*v) return 0;
  struct stat st;
  char *p = absolute_in(base, v);
  int hit = stat(p, &st) == 0 && !S_ISDIR(st.st_mode);
  free(p);
  if (!hit && base && v[0] != '/' && stat(v, &st) == 0 && !S_ISDIR(st.st_mode)) hit = 1;
  return hit;
}

static int gcc_only(const char *a) {
  for (size_t i = 0; i < sizeof(k_gcc_only_prefix) / sizeof(k_gcc_only_prefix[0]); i++)
    if (!strncmp(a, k_gcc_only_prefix[i], strlen(k_gcc_only_prefix[i]))) return 1;
  return 0;
}

/* -f, -m, -W, -O, -g families, for flags the table does not name. */
static int family(const char *a, const char *base) {
  if (!strncmp(a, "-f", 2)) {
    if (gcc_only(a)) return K_GCC;
    const char *eq = strchr(a, '=');
    const char *name = !strncmp(a, "-fno-", 5) ? a + 5 : a + 2;
    size_t n = eq ? (size_t)(eq - name) : strlen(name);
    if (has_word(name, n, (const char *const[]){"plugin"}, 1)) return K_LOADS;
    if (has_word(name, n, k_f_file_words, sizeof(k_f_file_words) / sizeof(k_f_file_words[0])))
      return K_FILES;
    if (eq && (strchr(eq + 1, '/') || strchr(eq + 1, '=') || names_a_file(eq + 1, base)))
      return K_READS;
    return K_KEEP;
  }
  if (!strncmp(a, "-m", 2)) {
    if (gcc_only(a)) return K_GCC;
    const char *eq = strchr(a, '=');
    return eq && names_a_file(eq + 1, base) ? K_READS : K_KEEP;
  }
  if (!strncmp(a, "-W", 2) || !strncmp(a, "-O", 2) || !strncmp(a, "-g", 2)) return K_KEEP;
  return K_UNCHECKED;
}

static verdict classify(const char *a, const char *base) {
  verdict v = {K_UNCHECKED, NULL, 0, NULL};
  v.sp = lookup(a, &v.sep, &v.value);
  if (v.sp) v.kind = v.sp->kind;
  else if (a[0] == '@') v.kind = K_READS; /* a response file */
  else if (a[0] == '-' && a[1]) v.kind = family(a, base);
  return v;
}

/* ---- -include policy ---- */

static int within(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return !strncmp(path, dir, n) && (path[n] == '/' || (n == 1 && dir[0] == '/'));
}

/* Kept: a bare name (searched on the include path, like #include), or a file
 * inside the current directory or the base directory. *out = what to pass. */
static int include_ok(const char *v, const char *base, char **out) {
  if (!*v) return 0;
  char *p = absolute_in(base, v);
  char *real = realpath(p, NULL);
  int ok = 0;
  if (!real) {
    ok = strchr(v, '/') == NULL;
    *out = ll_xstrdup(v);
  } else {
    char *cwd = realpath(".", NULL);
    char *rb = base ? realpath(base, NULL) : NULL;
    struct stat st;
    ok = stat(real, &st) == 0 && S_ISREG(st.st_mode) &&
         ((cwd && within(real, cwd)) || (rb && within(real, rb)));
    *out = ll_xstrdup(p);
    free(cwd);
    free(rb);
  }
  free(real);
  free(p);
  if (!ok) {
    free(*out);
    *out = NULL;
  }
  return ok;
}

/* ---- notes ---- */

static const char *reason(int kind) {
  switch (kind) {
  case K_LOADS: return "leaklint does not load compiler plugins";
  case K_WRITES:
  case K_OUTPUT: return "it would write a file";
  case K_READS: return "it names a file to read that is not a source, header or include directory";
  case K_PROCESS: return "it would change the whole leaklint process (libclang runs inside it)";
  case K_GCC: return "clang does not know this GCC flag";
  case K_FILES:
    return "it makes clang read or write files (profiles, sanitizer lists, modules, caches, traces)";
  case K_INCLUDE: return "the file is outside the project";
  default: return "not a flag leaklint passes on to clang";
  }
}

static void note(ll_notifications *notes, const ll_flag_origin *o, int kind, char *const *argv,
                 size_t n) {
  if (!notes || kind == K_QUIET || (kind == K_OUTPUT && o->positional_ok)) return;
  ll_buf b = {0};
  for (size_t i = 0; i < n; i++) {
    if (i) ll_buf_putc(&b, ' ');
    ll_buf_puts(&b, argv[i]);
  }
  ll_notify(notes, LL_LEVEL_NOTE, o->file, 0, 0, "dropped '%s' from %s: %s", b.data ? b.data : "",
            o->what, reason(kind));
  ll_buf_free(&b);
}

/* ---- filtering ---- */

/* The value of a kept flag as passed on: a path made absolute. Caller frees. */
static char *kept_value(int kind, const char *v, const char *base) {
  if (kind == K_PATH && v[0] && v[0] != '/' && v[0] != '=' && base) return absolute_in(base, v);
  return ll_xstrdup(v);
}

/* Handles argv[i] (with -Xclang/-Xpreprocessor prefix px, NULL if none);
 * returns how many arguments it used. */
static size_t one(char *const *argv, size_t argc, size_t i, const char *px,
                  const ll_flag_origin *o, ll_strlist *out, ll_notifications *notes) {
  size_t step = px ? 2 : 1; /* arguments per forwarded token */
  size_t at = px ? i + 1 : i;
  const char *a = argv[at];
  if (a[0] != '-' && a[0] != '@') { /* positional */
    if (!o->positional_ok || px) note(notes, o, px ? K_UNCHECKED : K_READS, argv + i, step);
    return step;
  }
  verdict v = classify(a, o->base);
  if (!px && v.sp && v.sp->kind == K_UNCHECKED && v.sep && at + 1 < argc)
    return one(argv, argc, i, a, o, out, notes); /* -Xclang V / -Xpreprocessor V */
  const char *sepv = NULL;
  size_t used = step;
  if (v.sep) {
    size_t vi = at + step; /* behind another -Xclang when forwarded */
    if (px && (vi - 1 >= argc || strcmp(argv[vi - 1], px) != 0)) vi = argc;
    if (vi < argc) sepv = argv[vi], used += step;
    else used = argc - i;
  }
  char *inc = NULL;
  int kind = px && v.kind == K_OUTPUT ? K_WRITES : v.kind; /* forwarded: not the build's */
  if (kind == K_INCLUDE && !include_ok(sepv ? sepv : v.value ? v.value : "", o->base, &inc))
    kind = K_READS;
  if (kind != K_KEEP && kind != K_PATH && kind != K_INCLUDE) {
    note(notes, o, kind == K_READS && v.kind == K_INCLUDE ? K_INCLUDE : kind, argv + i, used);
    return used;
  }
  if (px) ll_strlist_push(out, px);
  if (v.value && v.sp && !sepv) { /* attached value */
    char *val = inc ? inc : kept_value(kind, v.value, o->base);
    char *s = ll_xasprintf("%.*s%s", (int)strlen(v.sp->name), a, val);
    ll_strlist_push(out, s);
    free(s);
    free(val);
    return used;
  }
  ll_strlist_push(out, a);
  if (sepv) {
    char *val = inc ? inc : kept_value(kind, sepv, o->base);
    if (px) ll_strlist_push(out, px);
    ll_strlist_push(out, val);
    free(val);
  }
  return used;
}

void ll_flagsan_filter(char *const *argv, size_t argc, const ll_flag_origin *o, ll_strlist *out,
                       ll_notifications *notes) {
  for (size_t i = 0; i < argc;) i += one(argv, argc, i, NULL, o, out, notes);
}

char *ll_flagsan_base(char *const *argv, size_t argc, const char *dir) {
  const char *wd = NULL;
  for (size_t i = 0; i < argc; i++) {
    size_t x = !strcmp(argv[i], "-Xclang") && i + 1 < argc ? 1 : 0;
    const char *a = argv[i + x];
    if (!strncmp(a, "-working-directory=", 19)) {
      wd = a + 19;
    } else if (!strcmp(a, "-working-directory")) {
      size_t vi = i + x + 1 + x;
      if (vi < argc && (!x || !strcmp(argv[i + 2], "-Xclang"))) wd = argv[vi];
    }
    i += x;
  }
  return wd && *wd ? absolute_in(dir, wd) : ll_xstrdup(dir);
}

/* The value as rebased: relative paths of path-taking flags against base; an
 * -include / -imacros value only when base holds that file (a bare name is
 * searched on the include path). Caller frees. */
static char *rebased(int kind, const char *v, const char *base) {
  struct stat st;
  if (kind == K_PATH) return kept_value(kind, v, base);
  if (kind == K_INCLUDE && v[0] && v[0] != '/') {
    char *p = absolute_in(base, v);
    if (stat(p, &st) == 0) return p;
    free(p);
  }
  return ll_xstrdup(v);
}

void ll_flagsan_rebase(char *const *argv, size_t argc, const char *base, ll_strlist *out) {
  for (size_t i = 0; i < argc; i++) {
    int sep = 0;
    const char *value = NULL;
    const spec *sp = argv[i][0] == '-' ? lookup(argv[i], &sep, &value) : NULL;
    int kind = sp ? sp->kind : K_KEEP;
    if (kind != K_PATH && kind != K_INCLUDE) {
      ll_strlist_push(out, argv[i]);
    } else if (sep) {
      ll_strlist_push(out, argv[i]);
      if (i + 1 < argc) {
        char *v = rebased(kind, argv[++i], base);
        ll_strlist_push(out, v);
        free(v);
      }
    } else {
      char *v = rebased(kind, value ? value : "", base);
      char *s = ll_xasprintf("%.*s%s", (int)strlen(sp->name), argv[i], v);
      ll_strlist_push(out, s);
      free(s);
      free(v);
    }
  }
}
