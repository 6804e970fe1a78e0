/* discover.c - input paths -> the sorted list of files to analyse.
 *
 * Inside a git work tree the files under a directory come from
 * `git -C DIR ls-files -co --exclude-standard -z` (tracked plus untracked,
 * minus ignored), run through ll_subproc_capture (an argv array, no shell)
 * and without trusting the tree (see "git" below).
 * Elsewhere, or when git is missing or refuses, the directory is walked
 * with opendir/readdir. */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "relpath.h"
#include "subproc.h"
#include "util.h"

extern char **environ;

int ll_source_kind(const char *path) {
  static const char *const src[] = {".c", ".cc", ".cpp", ".cxx", ".c++", ".m", ".mm", ".C"};
  static const char *const hdr[] = {".h", ".hh", ".hpp", ".hxx", ".h++", ".inl", ".H"};
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base) return 0;
  for (size_t i = 0; i < sizeof(src) / sizeof(src[0]); i++)
    if (strcmp(dot, src[i]) == 0) return 1;
  for (size_t i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++)
    if (strcmp(dot, hdr[i]) == 0) return 2;
  return 0;
}

char *ll_discover_absolute(const char *path) { return ll_relpath_abs(path); }

/* "dir" + "/" + "name" without doubling slashes or keeping "./" prefixes. */
static char *join(const char *dir, const char *name) {
  if (strcmp(dir, ".") == 0 || strcmp(dir, "./") == 0) return ll_xstrdup(name);
  size_t n = strlen(dir);
  if (n && dir[n - 1] == '/') return ll_xasprintf("%s%s", dir, name);
  return ll_xasprintf("%s/%s", dir, name);
}

/* ---- excludes ---- */

static int glob_one(const char *pattern, const char *disp, const char *name) {
  size_t n = strlen(pattern);
  char *pat = ll_xstrdup(pattern);
  while (n > 1 && pat[n - 1] == '/') pat[--n] = '\0';
  int hit;
  if (!strchr(pat, '/')) {
    hit = ll_glob_match(pat, name);
  } else if (pat[0] == '/') {
    char *abs = ll_discover_absolute(disp);
    hit = ll_glob_match(pat, abs);
    free(abs);
  } else {
    const char *p = pat;
    while (p[0] == '.' && p[1] == '/') p += 2;
    const char *d = disp;
    while (d[0] == '.' && d[1] == '/') d += 2;
    hit = ll_glob_match(p, d);
  }
  free(pat);
  return hit;
}

static int excluded(const ll_options *o, const char *disp, const char *name) {
  for (size_t i = 0; i < o->excludes.n; i++)
    if (glob_one(o->excludes.v[i], disp, name)) return 1;
  return 0;
}

/* Tests disp and each of its ancestors below the first `skip` bytes. */
static int excluded_chain(const ll_options *o, const char *disp, size_t skip) {
  if (!o->excludes.n) return 0;
  char *buf = ll_xstrdup(disp);
  size_t n = strlen(buf);
  int hit = 0;
  for (size_t i = skip; i <= n && !hit; i++) {
    if (buf[i] != '/' && buf[i] != '\0') continue;
    if (i == 0 || buf[i - 1] == '/') continue;
    char c = buf[i];
    buf[i] = '\0';
    const char *slash = strrchr(buf, '/');
    const char *name = slash ? slash + 1 : buf;
    if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) hit = excluded(o, buf, name);
    buf[i] = c;
  }
  free(buf);
  return hit;
}

/* ---- git ----
 *
 * The analysed tree is not trusted: its .git/config may name commands
 * (core.fsmonitor, hooks) or files that never end (core.excludesFile or an
 * include.path naming a FIFO). So git runs with the command-running options
 * switched off on its command line (which beats every config file), no
 * terminal prompt, no pager, no optional locks (nothing is written to the
 * tree), in its own process group, and under a deadline: when it is not done
 * in time it is killed and the directory is walked without git (with a note
 * under -v), and git is not asked again in this run. */

#define GIT_TIMEOUT_DEFAULT 10 /* seconds per git call; $LEAKLINT_GIT_TIMEOUT */

static int g_git_broken; /* a git call timed out: walk from now on */

static int git_timeout_ms(void) {
  const char *e = getenv("LEAKLINT_GIT_TIMEOUT");
  char *end;
  long v = e && *e ? strtol(e, &end, 10) : -1;
  if (!e || !*e || *end || v <= 0 || v > 3600) v = GIT_TIMEOUT_DEFAULT;
  return (int)v * 1000;
}

/* The environment git runs with: ours, minus what could make it prompt,
 * page or take locks, plus the settings that prevent it. Caller frees the
 * array (not the strings, which are borrowed or static). */
static char **git_env(void) {
  static char *const k_set[] = {"GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat", "PAGER=cat",
                                "GIT_OPTIONAL_LOCKS=0", "GIT_ASKPASS=/bin/false",
                                "SSH_ASKPASS=/bin/false", NULL};
  size_t n = 0;
  while (environ[n]) n++;
  char **env = ll_xcalloc(n + sizeof(k_set) / sizeof(k_set[0]) + 1, sizeof(char *));
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    int replaced = 0;
    for (size_t k = 0; k_set[k]; k++) {
      size_t kl = (size_t)(strchr(k_set[k], '=') - k_set[k]) + 1;
      if (!strncmp(environ[i], k_set[k], kl)) replaced = 1;
    }
    if (!replaced) env[w++] = environ[i];
  }
  for (size_t k = 0; k_set[k]; k++) env[w++] = k_set[k];
  env[w] = NULL;
  return env;
}

/* Runs `git -C dir <safe options> args...` (subproc.h: stdin and stderr on
 * /dev/null, its own process group, killed at the deadline). Returns git's
 * exit status (-1 when it cannot be started or died, -2 when it was killed
 * at the deadline) and, when out is not NULL, its standard output in *out
 * (*len bytes, caller frees). */
static int run_git(const char *dir, const char *excludes, char *const args[], char **out,
                   size_t *len) {
  if (g_git_broken) return -2;
  char *xf = excludes ? ll_xasprintf("core.excludesFile=%s", excludes) : NULL;
  const char *argv[32];
  size_t n = 0;
  const char *pre[] = {"git", "--no-pager", "-C", dir, "-c", "core.fsmonitor=false",
                       "-c", "core.hooksPath=/dev/null", "-c", "core.untrackedCache=false",
                       "-c", "credential.helper=", "-c", "protocol.allow=never"};
  for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) argv[n++] = pre[i];
  if (xf) argv[n++] = "-c", argv[n++] = xf;
  for (size_t i = 0; args[i] && n < 31; i++) argv[n++] = args[i];
  argv[n] = NULL;
  char **env = git_env();
  ll_subproc_opts so = {env, git_timeout_ms(), 0};
  int code = ll_subproc_capture(argv, &so, out, len);
  free(env);
  free(xf);
  if (code == LL_SUBPROC_TIMEOUT) {
    g_git_broken = 1;
    return -2;
  }
  return code < 0 ? -1 : code;
}

int ll_discover_git(const char *dir, char *const args[], char **out, size_t *len) {
  return run_git(dir, NULL, args, out, len);
}

/* The excludes file to give git: NULL (keep the configured one, a regular
 * file or none), or "/dev/null" when the configured or default one is not a
 * regular file (a FIFO would block git forever, a device never end). */
static const char *safe_excludes(const char *dir, ll_notifications *notes) {
  char *const args[] = {"config", "--path", "--get", "core.excludesFile", NULL};
  char *val = NULL;
  size_t len = 0;
  int rc = run_git(dir, NULL, args, &val, &len); /* reading config reads no excludes file */
  char *path = NULL;
  if (rc == 0) {
    while (len && (val[len - 1] == '\n' || val[len - 1] == '\r')) val[--len] = '\0';
    path = val[0] == '/' ? ll_xstrdup(val) : ll_xasprintf("%s/%s", dir, val);
  } else {
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg) path = ll_xasprintf("%s/git/ignore", xdg);
    else if (home && *home) path = ll_xasprintf("%s/.config/git/ignore", home);
  }
  free(val);
  struct stat st;
  const char *res = NULL;
  if (path && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    res = "/dev/null";
    if (notes)
      ll_notify(notes, LL_LEVEL_NOTE, NULL, 0, 0,
                "git's core.excludesFile %s is not a regular file; not read", path);
  }
  free(path);
  return res;
}

/* Lists the files under dir that git does not ignore. Returns 0 and the
 * NUL-separated list in *out (caller frees), or -1 when git is missing, dir
 * is not in a work tree, dir itself is git-ignored (named explicitly, so it
 * is walked instead), or git fails or times out. */
static int git_ls_files(const ll_options *o, const char *dir, char **out, size_t *len,
                        ll_notifications *notes) {
  ll_notifications *verbose = o->verbose ? notes : NULL;
  const char *xf = safe_excludes(dir, verbose);
  char *const check[] = {"check-ignore", "-q", ".", NULL};
  int ignored = run_git(dir, xf, check, NULL, NULL);
  if (ignored == 1) { /* 0: ignored; 128/-1/-2: no work tree, no git, timeout */
    char *const ls[] = {"ls-files", "-co", "--exclude-standard", "-z", NULL};
    if (run_git(dir, xf, ls, out, len) == 0) return 0;
  }
  if (g_git_broken && verbose)
    ll_notify(verbose, LL_LEVEL_NOTE, dir, 0, 0,
              "git did not answer within %d s; walking the directory without git",
              git_timeout_ms() / 1000);
  return -1;
}

/* True when a path relative to the walked directory has a hidden component. */
static int has_hidden_component(const char *rel) {
  for (const char *p = rel; *p;) {
    if (p[0] == '.') return 1;
    const char *s = strchr(p, '/');
    if (!s) break;
    p = s + 1;
  }
  return 0;
}

static int from_git(const ll_options *o, const char *dir, ll_strlist *files,
                    ll_notifications *notes) {
  char *out;
  size_t len;
  if (git_ls_files(o, dir, &out, &len, notes) < 0) return -1;
  char *prefix = join(dir, "");
  size_t skip = strcmp(dir, ".") == 0 ? 0 : strlen(prefix);
  for (size_t i = 0; i < len;) {
    const char *rel = out + i;
    size_t n = strnlen(rel, len - i);
    i += n + 1;
    if (n == 0 || rel[n - 1] == '/') continue; /* nested repository */
    if (ll_source_kind(rel) != 1 || has_hidden_component(rel)) continue;
    char *disp = join(dir, rel);
    struct stat st;
    if (stat(disp, &st) == 0 && S_ISREG(st.st_mode) && !excluded_chain(o, disp, skip))
      ll_strlist_push(files, disp);
    free(disp);
  }
  free(prefix);
  free(out);
  return 0;
}

/* ---- plain walk ---- */

typedef struct seen_dir {
  dev_t dev;
  ino_t ino;
} seen_dir;
typedef LL_VEC(seen_dir) seen_vec;

static int seen_before(seen_vec *seen, const struct stat *st) {
  for (size_t i = 0; i < seen->n; i++)
    if (seen->v[i].dev == st->st_dev && seen->v[i].ino == st->st_ino) return 1;
  seen_dir d = {st->st_dev, st->st_ino};
  LL_VEC_PUSH(seen, d);
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const ll_options *o, const char *dir, ll_strlist *files, seen_vec *seen,
                 ll_notifications *notes, int depth) {
  if (depth > 256) {
    ll_notify(notes, LL_LEVEL_WARNING, dir, 0, 0, "directory nesting too deep; not searched");
    return;
  }
  DIR *d = opendir(dir);
  if (!d) {
    ll_notify(notes, LL_LEVEL_WARNING, dir, 0, 0, "cannot open directory: %s", strerror(errno));
    return;
  }
  ll_strlist names = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL)
    if (e->d_name[0] != '.') ll_strlist_push(&names, e->d_name);
  closedir(d);
  if (names.n) qsort(names.v, names.n, sizeof(*names.v), cmp_str);
  for (size_t i = 0; i < names.n; i++) {
    char *path = join(dir, names.v[i]);
    struct stat st;
    if (stat(path, &st) != 0) {
      /* dangling symlink or vanished entry: nothing to analyse */
    } else if (excluded(o, path, names.v[i])) {
      /* pruned */
    } else if (S_ISDIR(st.st_mode)) {
      if (!seen_before(seen, &st)) walk(o, path, files, seen, notes, depth + 1);
    } else if (S_ISREG(st.st_mode) && ll_source_kind(names.v[i]) == 1) {
      ll_strlist_push(files, path);
    }
    free(path);
  }
  ll_strlist_free(&names);
}

/* ---- entry ---- */

int ll_discover(const ll_options *opts, ll_strlist *files, ll_notifications *notes,
                char **err) {
  static const char *const dot[] = {"."};
  const char *const *inputs = opts->paths.n ? (const char *const *)opts->paths.v : dot;
  size_t ninputs = opts->paths.n ? opts->paths.n : 1;
  ll_strlist found = {0};
  seen_vec seen = {0};
  *err = NULL;

  for (size_t i = 0; i < ninputs; i++) {
    const char *in = inputs[i];
    struct stat st;
    if (stat(in, &st) != 0) {
      *err = ll_xasprintf("%s: %s", in, strerror(errno));
      goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
      if (access(in, R_OK | X_OK) != 0) {
        *err = ll_xasprintf("%s: %s", in, strerror(errno));
        goto fail;
      }
      if (from_git(opts, in, &found, notes) < 0) {
        seen_before(&seen, &st);
        walk(opts, in, &found, &seen, notes, 0);
      }
    } else if (S_ISREG(st.st_mode)) {
      if (access(in, R_OK) != 0) {
        *err = ll_xasprintf("%s: %s", in, strerror(errno));
        goto fail;
      }
      if (ll_source_kind(in) == 0) {
        ll_notify(notes, LL_LEVEL_NOTE, in, 0, 0, "not a C or C++ source file; skipped");
      } else if (excluded_chain(opts, in, 0)) {
        ll_notify(notes, LL_LEVEL_NOTE, in, 0, 0, "excluded by --exclude; skipped");
      } else {
        ll_strlist_push(&found, in);
      }
    } else {
      /* a FIFO or device named explicitly is unreadable input, as a missing file is */
      *err = ll_xasprintf("%s: not a regular file or directory (a FIFO, device or socket)", in);
      goto fail;
    }
  }

  /* display paths, sorted, unique */
  for (size_t i = 0; i < found.n; i++) {
    char *d = ll_path_display(found.v[i]);
    free(found.v[i]);
    found.v[i] = d;
  }
  if (found.n) qsort(found.v, found.n, sizeof(*found.v), cmp_str);
  for (size_t i = 0; i < found.n; i++)
    if (i == 0 || strcmp(found.v[i], found.v[i - 1]) != 0) ll_strlist_push(files, found.v[i]);
  ll_strlist_free(&found);
  free(seen.v);
  return 0;

fail:
  ll_strlist_free(&found);
  free(seen.v);
  return -1;
}
