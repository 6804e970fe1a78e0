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
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "discover.h"
#include "flagsan.h"
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

/* Returns 0 and the parsed tree in *tree (caller deletes), or -1 with
 * *err = "FILE: what is wrong". */
static int validate_json(const char *file, cJSON **tree, char **err) {
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
  if (result == 0) *tree = root;
  else cJSON_Delete(root);
  free(text);
  return result;
}

/* ---- response files ----
 *
 * libclang's database loader expands @FILE arguments (reading any file the
 * database names) before leaklint sees a command. They are removed from the
 * database first: from "arguments" arrays, and as whole whitespace-separated
 * tokens (quotes and backslashes honoured) from "command" strings. */

/* End of the shell-like token starting at p. */
static const char *token_end(const char *p) {
  char q = 0;
  for (; *p; p++) {
    if (*p == '\\' && p[1]) p++;
    else if (q && *p == q) q = 0;
    else if (!q && (*p == '"' || *p == '\'')) q = *p;
    else if (!q && (*p == ' ' || *p == '\t' || *p == '\n')) break;
  }
  return p;
}

/* The command without its @FILE tokens, or NULL when it has none. */
static char *strip_command(const char *cmd, ll_strlist *dropped) {
  ll_buf b = {0};
  size_t n = 0;
  for (const char *p = cmd; *p;) {
    const char *ws = p;
    while (*p == ' ' || *p == '\t' || *p == '\n') p++;
    if (!*p) break;
    const char *e = token_end(p);
    int at = p[0] == '@' || ((p[0] == '"' || p[0] == '\'') && p[1] == '@');
    if (at) {
      char *t = ll_xstrndup(p, (size_t)(e - p));
      ll_strlist_push(dropped, t);
      free(t);
      n++;
    } else {
      ll_buf_append(&b, ws, (size_t)(e - ws));
    }
    p = e;
  }
  if (!n) {
    ll_buf_free(&b);
    return NULL;
  }
  return b.data ? ll_buf_take(&b) : ll_xstrdup("");
}

/* Removes every response-file argument from the database into *dropped. */
static void strip_response_files(cJSON *root, ll_strlist *dropped) {
  for (cJSON *e = root->child; e; e = e->next) {
    cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "arguments");
    for (cJSON *a = args ? args->child : NULL, *next; a; a = next) {
      next = a->next;
      if (a->valuestring[0] == '@') {
        ll_strlist_push(dropped, a->valuestring);
        cJSON_Delete(cJSON_DetachItemViaPointer(args, a));
      }
    }
    cJSON *cmd = cJSON_GetObjectItemCaseSensitive(e, "command");
    char *stripped = cmd ? strip_command(cmd->valuestring, dropped) : NULL;
    if (stripped) {
      cJSON_ReplaceItemInObjectCaseSensitive(e, "command", cJSON_CreateString(stripped));
      free(stripped);
    }
  }
}

/* Puts the database libclang will load into tdir: a link to `abs`, or a
 * copy without response files. Returns 0, or -1. */
static int stage_database(const char *tdir, const char *abs, cJSON *root, ll_strlist *stripped) {
  char *link = ll_xasprintf("%s/%s", tdir, DB_NAME);
  int rc;
  strip_response_files(root, stripped);
  if (stripped->n == 0) {
    rc = symlink(abs, link);
  } else {
    char *text = cJSON_PrintUnformatted(root);
    int fd = text ? open(link, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
    size_t len = text ? strlen(text) : 0;
    rc = fd >= 0 && write(fd, text, len) == (ssize_t)len ? 0 : -1;
    if (fd >= 0) close(fd);
    free(text);
  }
  free(link);
  return rc;
}

/* ---- loading ---- */

/* Loads `file` (validated) through libclang. Returns NULL with *err;
 * *stripped gets the response-file arguments removed (caller frees). */
static ll_compdb *load(const char *file, ll_strlist *stripped, char **err) {
  cJSON *root = NULL;
  if (validate_json(file, &root, err) < 0) return NULL;
  const char *lerr = NULL;
  if (ll_clang_load(&lerr) != 0) {
    *err = ll_xasprintf("%s: %s", file, lerr);
    cJSON_Delete(root);
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
      cJSON_Delete(root);
      return NULL;
    }
  }
  char *link = ll_xasprintf("%s/%s", tdir, DB_NAME);
  CXCompilationDatabase db = NULL;
  CXCompilationDatabase_Error ec = CXCompilationDatabase_CanNotLoadDatabase;
  if (stage_database(tdir, abs, root, stripped) == 0)
    db = clang_CompilationDatabase_fromDirectory(tdir, &ec);
  unlink(link);
  rmdir(tdir);
  free(link);
  free(tdir);
  free(abs);
  cJSON_Delete(root);
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
      if (strncmp(e->d_name, "build", 5) == 0 || strncmp(e->d_name, "cmake-build-", 12) == 0)
        ll_strlist_push(&builds, e->d_name); /* cmake-build-debug/: CLion's build trees */
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

static void note_database(const ll_options *opts, ll_notifications *notes, const char *file,
                          ll_strlist *stripped) {
  if (opts->verbose && notes) {
    ll_notify(notes, LL_LEVEL_NOTE, NULL, 0, 0, "using compilation database %s", file);
    for (size_t i = 0; i < stripped->n; i++)
      ll_notify(notes, LL_LEVEL_NOTE, file, 0, 0,
                "dropped '%s' from the compilation database: leaklint does not read response files",
                stripped->v[i]);
  }
  ll_strlist_free(stripped);
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
    ll_strlist stripped = {0};
    *out = load(file, &stripped, err);
    note_database(opts, *out ? notes : NULL, file, &stripped);
    free(file);
    return *out ? 0 : -1;
  }
  ll_strlist cands = {0};
  candidates(opts, &cands);
  for (size_t i = 0; i < cands.n && !*out; i++) {
    char *e = NULL;
    ll_strlist stripped = {0};
    *out = load(cands.v[i], &stripped, &e);
    note_database(opts, *out ? notes : NULL, cands.v[i], &stripped);
    if (!*out) {
      ll_notify(notes, LL_LEVEL_WARNING, NULL, 0, 0, "%s; not used", e);
      free(e);
    }
  }
  ll_strlist_free(&cands);
  return 0;
}

/* ---- argument filtering: flagsan.c ---- */

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
static void add_compile_flags(const char *dir, const char *file, ll_strlist *args,
                              ll_notifications *notes, ll_notifications *verbose) {
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
        char *disp = ll_path_display(cand);
        ll_flag_origin o = {disp, d, file, 0};
        ll_flagsan_filter(lines.v, lines.n, &o, args, verbose);
        free(disp);
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

/* The config's args and everything after `--`, sanitised like the rest. */
static void add_extra_args(const ll_options *opts, const char *file, ll_strlist *args,
                           ll_notifications *verbose) {
  ll_flag_origin o = {"the config's args or the arguments after --", NULL, file, 0};
  ll_flagsan_filter(opts->compiler_args.v, opts->compiler_args.n, &o, args, verbose);
}

/* The database command's arguments (argv[0], the compiler, left out). */
static void add_command(CXCompileCommand cmd, const char *file, ll_strlist *args,
                        ll_notifications *verbose) {
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
  /* The entry's directory is NOT handed out: libclang 14 implements
   * -working-directory with a process-wide chdir (RealFileSystem linked to
   * the process cwd), which breaks every relative path of the other threads
   * and moves -o and --fix. Relative paths are made absolute against the
   * entry's directory, or its -working-directory, instead. */
  char *base = n ? ll_flagsan_base(argv + 1, n - 1, dir) : ll_xstrdup(dir);
  ll_flag_origin o = {"the compile command", base, file, 1};
  if (n) ll_flagsan_filter(argv + 1, n - 1, &o, args, verbose);
  free(base);
  for (unsigned k = 0; k < n; k++) free(argv[k]);
  free(argv);
  free(dir);
}

void ll_compdb_args(const ll_compdb *db, const ll_options *opts, const char *file,
                    ll_strlist *args, char **workdir, ll_notifications *notes) {
  ll_notifications *verbose = opts->verbose ? notes : NULL;
  *workdir = NULL;
  memset(args, 0, sizeof(*args));
  ll_strlist_push(args, "-w");
  if (db && db->ncmds) {
    char *real = real_or_abs(".", file);
    for (unsigned i = 0; i < db->ncmds; i++) {
      if (strcmp(db->real[i], real) != 0) continue;
      add_command(clang_CompileCommands_getCommand(db->all, i), file, args, verbose);
      add_extra_args(opts, file, args, verbose);
      free(real);
      return;
    }
    free(real);
  }
  default_lang(file, args);
  char *dir = dir_of(file);
  char *absdir = ll_discover_absolute(dir);
  /* -iquote, not -I: a project header named like a system one (libdill's
     tests/assert.h) must not shadow <assert.h>; quoted includes of the
     file's own directory keep working, as with the compiler */
  char *inc = ll_xasprintf("-iquote%s", absdir);
  ll_strlist_push(args, inc);
  free(inc);
  add_compile_flags(absdir, file, args, notes, verbose);
  free(absdir);
  free(dir);
  add_extra_args(opts, file, args, verbose);
}
