/* discover.c - input paths -> the sorted list of files to analyse.
 *
 * Inside a git work tree the files under a directory come from
 * `git -C DIR ls-files -co --exclude-standard -z` (tracked plus untracked,
 * minus ignored), run through posix_spawnp with an argv array (no shell).
 * Elsewhere, or when git is missing or refuses, the directory is walked
 * with opendir/readdir. */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

char *ll_discover_absolute(const char *path) {
  ll_buf in = {0};
  if (path[0] != '/') {
    char *cwd = getcwd(NULL, 0);
    ll_buf_puts(&in, cwd ? cwd : ".");
    free(cwd);
    ll_buf_putc(&in, '/');
  }
  ll_buf_puts(&in, path);
  /* split into components, resolving "." and ".." lexically */
  char *s = ll_buf_take(&in);
  size_t n = strlen(s);
  char *out = ll_xmalloc(n + 2);
  size_t len = 0;
  for (char *p = s; *p;) {
    while (*p == '/') p++;
    if (!*p) break;
    char *e = p;
    while (*e && *e != '/') e++;
    size_t cl = (size_t)(e - p);
    if (cl == 1 && p[0] == '.') {
      /* skip */
    } else if (cl == 2 && p[0] == '.' && p[1] == '.') {
      while (len > 0 && out[len - 1] != '/') len--;
      if (len > 0) len--; /* the '/' */
    } else {
      out[len++] = '/';
      memcpy(out + len, p, cl);
      len += cl;
    }
    p = e;
  }
  if (len == 0) out[len++] = '/';
  out[len] = '\0';
  free(s);
  return out;
}

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

/* ---- git ---- */

/* Runs git with argv (argv[0] == "git"), stdin and stderr on /dev/null.
 * Returns git's exit status (-1 when it cannot be started) and, when out is
 * not NULL, its standard output in *out (*len bytes, caller frees). */
static int run_git(char *const argv[], char **out, size_t *len) {
  int fds[2];
  if (pipe(fds) < 0) return -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  posix_spawn_file_actions_addclose(&fa, fds[1]);
  pid_t pid;
  int rc = posix_spawnp(&pid, "git", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return -1;
  }
  ll_buf b = {0};
  char chunk[65536];
  for (;;) {
    ssize_t r = read(fds[0], chunk, sizeof(chunk));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    ll_buf_append(&b, chunk, (size_t)r);
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (out) {
    *len = b.len;
    *out = b.data ? b.data : ll_xstrdup("");
  } else {
    ll_buf_free(&b);
  }
  return code;
}

/* Lists the files under dir that git does not ignore. Returns 0 and the
 * NUL-separated list in *out (caller frees), or -1 when git is missing, dir
 * is not in a work tree, dir itself is git-ignored (named explicitly, so it
 * is walked instead), or git fails. */
static int git_ls_files(const char *dir, char **out, size_t *len) {
  char *check[] = {"git", "-C", (char *)dir, "check-ignore", "-q", ".", NULL};
  int ignored = run_git(check, NULL, NULL);
  if (ignored != 1) return -1; /* 0: ignored; 128/-1: no work tree or no git */
  char *ls[] = {"git", "-C", (char *)dir, "ls-files", "-co", "--exclude-standard", "-z", NULL};
  char *o = NULL;
  size_t n = 0;
  if (run_git(ls, &o, &n) != 0) {
    free(o);
    return -1;
  }
  *out = o;
  *len = n;
  return 0;
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

static int from_git(const ll_options *o, const char *dir, ll_strlist *files) {
  char *out;
  size_t len;
  if (git_ls_files(dir, &out, &len) < 0) return -1;
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
      if (from_git(opts, in, &found) < 0) {
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
