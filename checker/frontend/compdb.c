/* compdb.c - per-file compiler arguments.
 *
 * A compile_commands.json is first validated with cJSON (so a broken file is
 * reported with its position instead of being silently ignored), then loaded
 * through libclang's CXCompilationDatabase from a private temporary directory
 * that holds only a symlink to it: libclang's directory loader would
 * otherwise also accept a compile_flags.txt, and a FILE argument need not be
 * named compile_commands.json. Commands are matched to files by realpath;
 * files without a command get defaults (see compdb.h).
 *
 * No working directory is ever returned (libclang's -working-directory
 * changes the working directory of the whole process); the command's
 * directory is applied by making relative paths absolute instead.
 *
 * Every argument list gets -w: leaklint needs the AST, not warnings, and
 * -Werror in a project's flags must not turn a warning into a parse error.
 * Relative paths in path-taking flags are made absolute (against the
 * command's directory or the compile_flags.txt's directory), so parsing does
 * not depend on the process's working directory. */
#include "compdb.h"

#include "clangapi.h"
#include <dirent.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discover.h"
#include "util.h"

#define DB_NAME "compile_commands.json"

struct ll_compdb {
  CXCompilationDatabase db;
  CXCompileCommands all;
  unsigned ncmds;
  char **real;    /* realpath (or absolute path) of each command's file */
  char *path;     /* the compile_commands.json, as found */
};

/* ---- small path helpers ---- */

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return ll_xstrdup(".");
  if (slash == path) return ll_xstrdup("/");
  return ll_xstrndup(path, (size_t)(slash - path));
}

/* base + "/" + rel, unless rel is absolute; lexically normalised. */
static char *absolute_in(const char *base, const char *rel) {
  if (rel[0] == '/') return ll_discover_absolute(rel);
  char *j = ll_xasprintf("%s/%s", base, rel);
  char *r = ll_discover_absolute(j);
  free(j);
  return r;
}

/* realpath, or the lexical absolute path when the file does not exist. */
static char *real_or_abs(const char *base, const char *path) {
  char *abs = absolute_in(base, path);
  char *r = realpath(abs, NULL);
  if (r) {
    free(abs);
    return r;
  }
  return abs;
}

static int is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* ---- JSON validation ---- */

static void linecol(const char *text, size_t off, unsigned *line, unsigned *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off && text[i]; i++) {
    if (text[i] == '\n') (*line)++, *col = 1;
    else (*col)++;
  }
}

/* Returns 0, or -1 with *err = "FILE: what is wrong". */
static int validate_json(const char *file, char **err) {
  char *text = NULL;
  size_t len = 0;
  int rc = ll_read_file(file, &text, &len);
  if (rc < 0) {
    *err = ll_xasprintf("%s: %s", file, strerror(-rc));
    return -1;
  }
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  int result = 0;
  if (!root) {
    unsigned line, col;
    size_t off = end && end >= text && end <= text + len ? (size_t)(end - text) : 0;
    linecol(text, off, &line, &col);
    *err = ll_xasprintf("%s: invalid JSON at %u:%u", file, line, col);
    free(text);
    return -1;
  }
  const char *p = end ? end : text + len;
  while (p < text + len && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  if (p < text + len) {
    unsigned line, col;
    linecol(text, (size_t)(p - text), &line, &col);
    *err = ll_xasprintf("%s: invalid JSON at %u:%u: unexpected text after the value", file,
                        line, col);
    result = -1;
  } else if (!cJSON_IsArray(root)) {
    *err = ll_xasprintf("%s: expected an array of compile commands", file);
    result = -1;
  } else {
    size_t i = 0;
    for (const cJSON *e = root->child; e && result == 0; e = e->next, i++) {
      const cJSON *dir = cJSON_GetObjectItemCaseSensitive(e, "directory");
      const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "file");
      const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(e, "command");
      const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "arguments");
      const char *what = NULL;
      if (!cJSON_IsObject(e)) what = "expected an object";
      else if (!cJSON_IsString(dir)) what = "\"directory\" must be a string";
      else if (!cJSON_IsString(f)) what = "\"file\" must be a string";
      else if (!cmd && !args) what = "needs \"command\" or \"arguments\"";
      else if (cmd && !cJSON_IsString(cmd)) what = "\"command\" must be a string";
      else if (args && !cJSON_IsArray(args)) what = "\"arguments\" must be an array of strings";
      else if (args) {
        for (const cJSON *a = args->child; a; a = a->next)
          if (!cJSON_IsString(a)) what = "\"arguments\" must be an array of strings";
        if (!what && !args->child) what = "\"arguments\" is empty";
      }
      if (what) {
        *err = ll_xasprintf("%s: /%zu: %s", file, i, what);
        result = -1;
      }
    }
  }
  cJSON_Delete(root);
  free(text);
  return result;
}

/* ---- loading ---- */

/* Loads `file` (validated) through libclang. Returns NULL with *err. */
static ll_compdb *load(const char *file, char **err) {
  if (validate_json(file, err) < 0) return NULL;
  const char *lerr = NULL;
  if (ll_clang_load(&lerr) != 0) {
    *err = ll_xasprintf("%s: %s", file, lerr);
    return NULL;
  }
  char *abs = ll_discover_absolute(file);
  const char *tmp = getenv("TMPDIR");
  char *tdir = ll_xasprintf("%s/leaklint-compdb-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(tdir)) {
    free(tdir);
    tdir = ll_xstrdup("/tmp/leaklint-compdb-XXXXXX");
    if (!mkdtemp(tdir)) {
      *err = ll_xasprintf("%s: cannot create a temporary directory: %s", file, strerror(errno));
      free(tdir);
      free(abs);
      return NULL;
    }
  }
  char *link = ll_xasprintf("%s/%s", tdir, DB_NAME);
  CXCompilationDatabase db = NULL;
  CXCompilationDatabase_Error ec = CXCompilationDatabase_CanNotLoadDatabase;
  if (symlink(abs, link) == 0) {
    db = clang_CompilationDatabase_fromDirectory(tdir, &ec);
    unlink(link);
  }
  rmdir(tdir);
  free(link);
  free(tdir);
  free(abs);
  if (!db || ec != CXCompilationDatabase_NoError) {
    if (db) clang_CompilationDatabase_dispose(db);
    *err = ll_xasprintf("%s: libclang cannot load this compilation database", file);
    return NULL;
  }
  ll_compdb *c = ll_xcalloc(1, sizeof(*c));
  c->db = db;
  c->path = ll_xstrdup(file);
  c->all = clang_CompilationDatabase_getAllCompileCommands(db);
  c->ncmds = c->all ? clang_CompileCommands_getSize(c->all) : 0;
  c->real = ll_xcalloc(c->ncmds ? c->ncmds : 1, sizeof(*c->real));
  for (unsigned i = 0; i < c->ncmds; i++) {
    CXCompileCommand cmd = clang_CompileCommands_getCommand(c->all, i);
    CXString d = clang_CompileCommand_getDirectory(cmd);
    CXString f = clang_CompileCommand_getFilename(cmd);
    const char *ds = clang_getCString(d);
    const char *fs = clang_getCString(f);
    c->real[i] = real_or_abs(ds && *ds ? ds : ".", fs ? fs : "");
    clang_disposeString(d);
    clang_disposeString(f);
  }
  return c;
}

void ll_compdb_free(ll_compdb *db) {
  if (!db) return;
  for (unsigned i = 0; i < db->ncmds; i++) free(db->real[i]);
  free(db->real);
  if (db->all) clang_CompileCommands_dispose(db->all);
  clang_CompilationDatabase_dispose(db->db);
  free(db->path);
  free(db);
}

/* Looks for DIR/compile_commands.json in dir and its parents. */
static char *search_upward(const char *start) {
  char *dir = ll_discover_absolute(start);
  for (;;) {
    char *cand = strcmp(dir, "/") == 0 ? ll_xstrdup("/" DB_NAME)
                                       : ll_xasprintf("%s/%s", dir, DB_NAME);
    if (is_file(cand)) {
      free(dir);
      char *d = ll_path_display(cand);
      free(cand);
      return d;
    }
    free(cand);
    if (strcmp(dir, "/") == 0) break;
    char *slash = strrchr(dir, '/');
    if (slash == dir) slash[1] = '\0';
    else *slash = '\0';
  }
  free(dir);
  return NULL;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Candidates in search order, without duplicates. */
static void candidates(const ll_options *opts, ll_strlist *out) {
  static const char *const dot[] = {"."};
  const char *const *in = opts->paths.n ? (const char *const *)opts->paths.v : dot;
  size_t n = opts->paths.n ? opts->paths.n : 1;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    char *start = stat(in[i], &st) == 0 && S_ISDIR(st.st_mode) ? ll_xstrdup(in[i]) : dir_of(in[i]);
    char *found = search_upward(start);
    free(start);
    if (found && !ll_strlist_contains(out, found)) ll_strlist_push(out, found);
    free(found);
  }
  ll_strlist builds = {0};
  DIR *d = opendir(".");
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
      if (strncmp(e->d_name, "build", 5) == 0) ll_strlist_push(&builds, e->d_name);
    closedir(d);
  }
  if (builds.n) qsort(builds.v, builds.n, sizeof(*builds.v), cmp_str);
  for (size_t i = 0; i < builds.n; i++) {
    char *cand = ll_xasprintf("%s/%s", builds.v[i], DB_NAME);
    if (is_file(cand) && !ll_strlist_contains(out, cand)) ll_strlist_push(out, cand);
    free(cand);
  }
  ll_strlist_free(&builds);
}

int ll_compdb_open(const ll_options *opts, ll_compdb **out, ll_notifications *notes,
                   char **err) {
  *out = NULL;
  *err = NULL;
  if (opts->compile_commands) {
    const char *given = opts->compile_commands;
    struct stat st;
    if (stat(given, &st) != 0) {
      *err = ll_xasprintf("%s: %s", given, strerror(errno));
      return -1;
    }
    char *file = S_ISDIR(st.st_mode) ? ll_xasprintf("%s/%s", given, DB_NAME) : ll_xstrdup(given);
    if (S_ISDIR(st.st_mode) && !is_file(file)) {
      *err = ll_xasprintf("%s: no %s in this directory", given, DB_NAME);
      free(file);
      return -1;
    }
    *out = load(file, err);
    if (*out && opts->verbose)
      ll_notify(notes, LL_LEVEL_NOTE, NULL, 0, 0, "using compilation database %s", file);
    free(file);
    return *out ? 0 : -1;
  }
  ll_strlist cands = {0};
  candidates(opts, &cands);
  for (size_t i = 0; i < cands.n && !*out; i++) {
    char *e = NULL;
    *out = load(cands.v[i], &e);
    if (*out) {
      if (opts->verbose)
        ll_notify(notes, LL_LEVEL_NOTE, NULL, 0, 0, "using compilation database %s", cands.v[i]);
    } else {
      ll_notify(notes, LL_LEVEL_WARNING, NULL, 0, 0, "%s; not used", e);
      free(e);
    }
  }
  ll_strlist_free(&cands);
  return 0;
}

/* ---- argument filtering ---- */

/* Flags whose value is the next argument (kept unless dropped below). */
static const char *const k_sep_value[] = {
  "-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-D", "-U", "-x",
  "-arch", "-target", "-isysroot", "-F", "-iframework", "-ivfsoverlay", "-include-pch",
  "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-Xpreprocessor", "-Xassembler",
  "-Xlinker", "-mllvm", "-L", "-l", "-u", "-T", "-z", "-MJ", "-A", "--param",
  "-Xarch_host", "-Xarch_device", "-Xopenmp-target", "-Xcuda-ptxas", "-Xcuda-fatbinary",
  "-imultilib", "--sysroot", "-resource-dir",
};

/* Flags that take a path: made absolute against the base directory. */
static const char *const k_path_sep[] = {
  "-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-isysroot", "-F",
  "-iframework", "-ivfsoverlay", "-include-pch", "--sysroot", "-resource-dir",
};
static const char *const k_path_attached[] = {"-I", "-F", "-isystem", "-iquote", "-idirafter",
                                              "-iframework"};
static const char *const k_path_eq[] = {"--sysroot=", "-fmodule-map-file=", "-resource-dir=",
                                        "-ivfsoverlay="};

static int in_list(const char *s, const char *const *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(s, list[i]) == 0) return 1;
  return 0;
}
#define IN(s, list) in_list((s), (list), sizeof(list) / sizeof(list[0]))

/* Pushes `flag value`, with value made absolute when it is a path. */
static void push_path_value(ll_strlist *args, const char *flag, const char *value,
                            const char *base) {
  ll_strlist_push(args, flag);
  if (base && value[0] && value[0] != '/' && IN(flag, k_path_sep)) {
    char *a = absolute_in(base, value);
    ll_strlist_push(args, a);
    free(a);
  } else {
    ll_strlist_push(args, value);
  }
}

/* Pushes one self-contained argument, making an attached path absolute. */
static void push_attached(ll_strlist *args, const char *arg, const char *base) {
  if (base) {
    for (size_t i = 0; i < sizeof(k_path_eq) / sizeof(k_path_eq[0]); i++) {
      size_t n = strlen(k_path_eq[i]);
      if (strncmp(arg, k_path_eq[i], n) == 0 && arg[n] && arg[n] != '/') {
        char *a = absolute_in(base, arg + n);
        char *s = ll_xasprintf("%.*s%s", (int)n, arg, a);
        ll_strlist_push(args, s);
        free(s);
        free(a);
        return;
      }
    }
    /* longest prefix first: -isystem before -I is not an issue (case differs) */
    for (size_t i = 0; i < sizeof(k_path_attached) / sizeof(k_path_attached[0]); i++) {
      size_t n = strlen(k_path_attached[i]);
      if (strncmp(arg, k_path_attached[i], n) == 0 && arg[n] && arg[n] != '/' &&
          arg[n] != '=') {
        char *a = absolute_in(base, arg + n);
        char *s = ll_xasprintf("%s%s", k_path_attached[i], a);
        ll_strlist_push(args, s);
        free(s);
        free(a);
        return;
      }
    }
  }
  ll_strlist_push(args, arg);
}

/* GCC-only flags that clang rejects as "unknown argument" (which would make
 * a GCC project's every file fail): dropped, by exact name or prefix. */
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

static int gcc_only(const char *a) {
  for (size_t i = 0; i < sizeof(k_gcc_only_prefix) / sizeof(k_gcc_only_prefix[0]); i++)
    if (!strncmp(a, k_gcc_only_prefix[i], strlen(k_gcc_only_prefix[i]))) return 1;
  return 0;
}

static void note_dropped(ll_notifications *notes, const char *file, const char *what) {
  if (!notes) return; /* not verbose */
  ll_notify(notes, LL_LEVEL_NOTE, file, 0, 0,
            "dropped '%s' from the compile command: leaklint does not load compiler plugins",
            what);
}

/* How many arguments at argv[i] spell -working-directory (2 or 4 with -Xclang
 * forwarding, 1 or 2 for the joined form), with *value the directory; 0 when
 * argv[i] is something else. libclang applies it with a process-wide chdir. */
static size_t workdir_flag(char **argv, size_t argc, size_t i, const char **value) {
  static const char k_flag[] = "-working-directory";
  const size_t n = sizeof(k_flag) - 1;
  size_t x = (!strcmp(argv[i], "-Xclang") && i + 1 < argc) ? 1 : 0;
  const char *a = argv[i + x];
  if (!strncmp(a, k_flag, n) && a[n] == '=') {
    *value = a + n + 1;
    return x + 1;
  }
  if (strcmp(a, k_flag) != 0) return 0;
  if (x) { /* -Xclang -working-directory -Xclang DIR */
    int has = i + 3 < argc && !strcmp(argv[i + 2], "-Xclang");
    *value = has ? argv[i + 3] : NULL;
    return has ? 4 : 2;
  }
  *value = i + 1 < argc ? argv[i + 1] : NULL;
  return i + 1 < argc ? 2 : 1;
}

/* The directory a database command's relative paths are relative to: its
 * `directory`, or its last -working-directory (relative to `directory`). */
static char *command_base(char **argv, size_t argc, const char *dir) {
  const char *wd = NULL;
  for (size_t i = 1; i < argc; i++) {
    const char *v = NULL;
    size_t k = workdir_flag(argv, argc, i, &v);
    if (k && v) wd = v;
    if (k) i += k - 1;
  }
  return wd && *wd ? absolute_in(dir, wd) : ll_xstrdup(dir);
}

/* Drops every -working-directory from args (after `--`, config args): there
 * is no entry directory to emulate it against, and it must not move us. */
static void drop_workdir(ll_strlist *args, ll_notifications *notes, const char *file) {
  size_t w = 0;
  for (size_t i = 0; i < args->n; i++) {
    const char *v = NULL;
    size_t k = workdir_flag(args->v, args->n, i, &v);
    if (!k) {
      args->v[w++] = args->v[i];
      continue;
    }
    if (notes)
      ll_notify(notes, LL_LEVEL_NOTE, file, 0, 0,
                "dropped '-working-directory %s': it would move the whole leaklint process",
                v ? v : "");
    for (size_t j = i; j < i + k && j < args->n; j++) free(args->v[j]);
    i += k - 1;
  }
  args->n = w;
}

/* Copies argv[1..] of a database command into args, dropping what writes
 * files, what loads code, and the source files themselves. -working-directory
 * is emulated: relative paths are resolved against it instead of moving the
 * process. */
static void filter_command(char **argv, size_t argc, const char *entry_dir, const char *file,
                           const char *file_real, ll_strlist *args, ll_notifications *notes) {
  char *dir = command_base(argv, argc, entry_dir);
  for (size_t i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;
    const char *wd = NULL;
    size_t wk = workdir_flag(argv, argc, i, &wd);
    if (wk) {
      i += wk - 1;
      continue;
    }
    /* outputs and dependency files */
    if (!strcmp(a, "-c") || !strcmp(a, "-fsyntax-only") || !strcmp(a, "-MD") ||
        !strcmp(a, "-MMD") || !strcmp(a, "-M") || !strcmp(a, "-MM") || !strcmp(a, "-MP") ||
        !strcmp(a, "-MG") || !strcmp(a, "-E") || !strcmp(a, "-S") || !strcmp(a, "-save-temps"))
      continue;
    if (!strcmp(a, "-o") || !strcmp(a, "-MF") || !strcmp(a, "-MT") || !strcmp(a, "-MQ") ||
        !strcmp(a, "--serialize-diagnostics") || !strcmp(a, "-serialize-diagnostics") ||
        !strcmp(a, "-MJ")) {
      i++;
      continue;
    }
    if ((!strncmp(a, "-o", 2) && a[2]) || (!strncmp(a, "-MF", 3) && a[3]) ||
        (!strncmp(a, "-MT", 3) && a[3]) || (!strncmp(a, "-MQ", 3) && a[3]) ||
        (!strncmp(a, "-MJ", 3) && a[3]) || !strncmp(a, "--serialize-diagnostics=", 24) ||
        !strncmp(a, "-save-temps=", 12))
      continue;
    /* code loading */
    if (!strncmp(a, "-fplugin=", 9) || !strncmp(a, "-fpass-plugin=", 14) ||
        !strncmp(a, "-fplugin-arg-", 13)) {
      note_dropped(notes, file, a);
      continue;
    }
    if (!strcmp(a, "-load") || !strcmp(a, "-fplugin") || !strcmp(a, "-fpass-plugin")) {
      char *w = ll_xasprintf("%s %s", a, next ? next : "");
      note_dropped(notes, file, w);
      free(w);
      i++;
      continue;
    }
    if (!strcmp(a, "-Xclang") && next) {
      if (!strcmp(next, "-load") || !strcmp(next, "-add-plugin") ||
          !strcmp(next, "-plugin") || !strncmp(next, "-plugin-arg-", 12)) {
        /* -Xclang -load -Xclang X: the value comes behind another -Xclang */
        const char *val = (i + 3 < argc && !strcmp(argv[i + 2], "-Xclang")) ? argv[i + 3] : NULL;
        char *w = ll_xasprintf("-Xclang %s%s%s", next, val ? " -Xclang " : "", val ? val : "");
        note_dropped(notes, file, w);
        free(w);
        i += val ? 3 : 1;
        continue;
      }
      if (!strncmp(next, "-load=", 6) || !strncmp(next, "-plugin", 7) ||
          !strncmp(next, "-fplugin", 8) || !strncmp(next, "-fpass-plugin", 13)) {
        char *w = ll_xasprintf("-Xclang %s", next);
        note_dropped(notes, file, w);
        free(w);
        i++;
        continue;
      }
      ll_strlist_push(args, a);
      ll_strlist_push(args, next);
      i++;
      continue;
    }
    if (gcc_only(a)) {
      if (notes)
        ll_notify(notes, LL_LEVEL_NOTE, file, 0, 0,
                  "dropped '%s' from the compile command: clang does not know this GCC flag", a);
      continue;
    }
    /* flags with a separate value: keep both */
    if (IN(a, k_sep_value) && next) {
      push_path_value(args, a, next, dir);
      i++;
      continue;
    }
    /* positional: the source file(s) of the command */
    if (a[0] != '-') {
      if (ll_source_kind(a) == 1) continue;
      char *r = real_or_abs(dir, a);
      int same = strcmp(r, file_real) == 0;
      free(r);
      if (same) continue;
    }
    push_attached(args, a, dir);
  }
  free(dir);
}

/* Language and standard by extension. */
static void default_lang(const char *file, ll_strlist *args) {
  const char *slash = strrchr(file, '/');
  const char *base = slash ? slash + 1 : file;
  const char *dot = strrchr(base, '.');
  const char *ext = dot && dot != base ? dot + 1 : "";
  const char *lang, *std;
  if (!strcmp(ext, "c")) lang = "c", std = "-std=gnu17";
  else if (!strcmp(ext, "m")) lang = "objective-c", std = "-std=gnu17";
  else if (!strcmp(ext, "mm")) lang = "objective-c++", std = "-std=gnu++20";
  else if (!strcmp(ext, "hpp") || !strcmp(ext, "hh") || !strcmp(ext, "hxx") ||
           !strcmp(ext, "h++") || !strcmp(ext, "inl") || !strcmp(ext, "H"))
    lang = "c++-header", std = "-std=gnu++20";
  else if (!strcmp(ext, "h")) lang = "c-header", std = "-std=gnu17";
  else if (ll_source_kind(file) == 1) lang = "c++", std = "-std=gnu++20";
  else lang = "c", std = "-std=gnu17";
  ll_strlist_push(args, "-x");
  ll_strlist_push(args, lang);
  ll_strlist_push(args, std);
}

/* Nearest compile_flags.txt from dir upward; appends its arguments. */
static void add_compile_flags(const char *dir, ll_strlist *args, ll_notifications *notes) {
  char *d = ll_discover_absolute(dir);
  for (;;) {
    char *cand = strcmp(d, "/") == 0 ? ll_xstrdup("/compile_flags.txt")
                                     : ll_xasprintf("%s/compile_flags.txt", d);
    if (is_file(cand)) {
      char *text = NULL;
      size_t len = 0;
      int rc = ll_read_file(cand, &text, &len);
      if (rc < 0) {
        char *disp = ll_path_display(cand);
        ll_notify(notes, LL_LEVEL_WARNING, disp, 0, 0, "cannot read: %s", strerror(-rc));
        free(disp);
      } else {
        ll_strlist lines = {0};
        for (char *p = text; p < text + len;) {
          char *e = memchr(p, '\n', (size_t)(text + len - p));
          if (!e) e = text + len;
          char *q = e;
          while (q > p && (q[-1] == '\r' || q[-1] == ' ' || q[-1] == '\t')) q--;
          while (p < q && (*p == ' ' || *p == '\t')) p++;
          if (q > p) {
            char *line = ll_xstrndup(p, (size_t)(q - p));
            ll_strlist_push(&lines, line);
            free(line);
          }
          p = e + 1;
        }
        for (size_t i = 0; i < lines.n; i++) {
          if (IN(lines.v[i], k_sep_value) && i + 1 < lines.n) {
            push_path_value(args, lines.v[i], lines.v[i + 1], d);
            i++;
          } else {
            push_attached(args, lines.v[i], d);
          }
        }
        ll_strlist_free(&lines);
        free(text);
      }
      free(cand);
      break;
    }
    free(cand);
    if (strcmp(d, "/") == 0) break;
    char *slash = strrchr(d, '/');
    if (slash == d) slash[1] = '\0';
    else *slash = '\0';
  }
  free(d);
}

void ll_compdb_args(const ll_compdb *db, const ll_options *opts, const char *file,
                    ll_strlist *args, char **workdir, ll_notifications *notes) {
  *workdir = NULL;
  memset(args, 0, sizeof(*args));
  ll_strlist_push(args, "-w");
  if (db && db->ncmds) {
    char *real = real_or_abs(".", file);
    for (unsigned i = 0; i < db->ncmds; i++) {
      if (strcmp(db->real[i], real) != 0) continue;
      CXCompileCommand cmd = clang_CompileCommands_getCommand(db->all, i);
      CXString ds = clang_CompileCommand_getDirectory(cmd);
      const char *dstr = clang_getCString(ds);
      char *dir = ll_xstrdup(dstr && *dstr ? dstr : ".");
      clang_disposeString(ds);
      unsigned n = clang_CompileCommand_getNumArgs(cmd);
      char **argv = ll_xcalloc(n ? n : 1, sizeof(*argv));
      for (unsigned k = 0; k < n; k++) {
        CXString s = clang_CompileCommand_getArg(cmd, k);
        const char *cs = clang_getCString(s);
        argv[k] = ll_xstrdup(cs ? cs : "");
        clang_disposeString(s);
      }
      filter_command(argv, n, dir, file, real, args, opts->verbose ? notes : NULL);
      for (unsigned k = 0; k < n; k++) free(argv[k]);
      free(argv);
      for (size_t k = 0; k < opts->compiler_args.n; k++)
        ll_strlist_push(args, opts->compiler_args.v[k]);
      drop_workdir(args, opts->verbose ? notes : NULL, file);
      /* The entry's directory is NOT handed out: libclang 14 implements
       * -working-directory with a process-wide chdir (RealFileSystem linked
       * to the process cwd), which breaks every relative path of the other
       * threads. Relative paths were made absolute against `dir` instead. */
      free(dir);
      free(real);
      return;
    }
    free(real);
  }
  default_lang(file, args);
  char *dir = dir_of(file);
  char *absdir = ll_discover_absolute(dir);
  char *inc = ll_xasprintf("-I%s", absdir);
  ll_strlist_push(args, inc);
  free(inc);
  add_compile_flags(absdir, args, notes);
  free(absdir);
  free(dir);
  for (size_t k = 0; k < opts->compiler_args.n; k++)
    ll_strlist_push(args, opts->compiler_args.v[k]);
  drop_workdir(args, opts->verbose ? notes : NULL, file);
}
