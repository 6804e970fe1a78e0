/* relpath.c - the path policy of reports (relpath.h). */
#include "relpath.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static char *cwd_dup(void) {
  size_t cap = 256;
  for (;;) {
    char *buf = ll_xmalloc(cap);
    if (getcwd(buf, cap)) return buf;
    free(buf);
    if (errno != ERANGE) return ll_xstrdup("/");
    cap *= 2;
  }
}

/* Resolves "." and ".." and repeated '/' in an absolute path. */
static char *normalise(const char *abs) {
  size_t n = strlen(abs);
  char *out = ll_xmalloc(n + 2);
  size_t len = 0;
  for (const char *p = abs; *p;) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *e = p;
    while (*e && *e != '/') e++;
    size_t cl = (size_t)(e - p);
    if (cl == 2 && p[0] == '.' && p[1] == '.') {
      while (len > 0 && out[len - 1] != '/') len--;
      if (len > 0) len--;
    } else if (!(cl == 1 && p[0] == '.')) {
      out[len++] = '/';
      memcpy(out + len, p, cl);
      len += cl;
    }
    p = e;
  }
  if (len == 0) out[len++] = '/';
  out[len] = '\0';
  return out;
}

char *ll_relpath_abs(const char *path) {
  if (path[0] == '/') return normalise(path);
  char *cwd = cwd_dup();
  char *joined = ll_xasprintf("%s/%s", cwd, path);
  char *r = normalise(joined);
  free(cwd);
  free(joined);
  return r;
}

/* The part of abs below dir (both normalised, absolute), or NULL. */
static const char *below(const char *abs, const char *dir) {
  size_t n = strlen(dir);
  if (n == 1 && dir[0] == '/') return abs[1] ? abs + 1 : NULL;
  if (strncmp(abs, dir, n) != 0 || abs[n] != '/' || !abs[n + 1]) return NULL;
  return abs + n + 1;
}

static int is_system(const char *abs) {
  static const char *const k_sys[] = {"/usr", "/opt", "/lib", "/lib64", "/nix", "/System",
                                      "/Library", "/Applications"};
  for (size_t i = 0; i < sizeof k_sys / sizeof k_sys[0]; i++)
    if (below(abs, k_sys[i])) return 1;
  return 0;
}

/* The rest of abs below a home directory ($HOME, /home/NAME, /Users/NAME,
 * /root), or NULL. */
static const char *in_home(const char *abs) {
  const char *home = getenv("HOME");
  const char *r = NULL;
  if (home && home[0] == '/' && home[1]) {
    char *h = normalise(home);
    r = below(abs, h);
    free(h);
    if (r) return r;
  }
  if ((r = below(abs, "/root"))) return r;
  static const char *const k_homes[] = {"/home/", "/Users/"};
  for (size_t i = 0; i < 2; i++) {
    size_t n = strlen(k_homes[i]);
    if (strncmp(abs, k_homes[i], n) != 0) continue;
    const char *slash = strchr(abs + n, '/');
    if (slash && slash > abs + n && slash[1]) return slash + 1;
  }
  return NULL;
}

/* "../" per component of root below the common ancestor, then the rest of
 * abs; NULL when the two share nothing below '/'. */
static char *beside(const char *root, const char *abs) {
  size_t common = 0; /* length of the shared prefix ending at a component boundary */
  for (size_t i = 1;; i++) {
    char a = abs[i], b = root[i];
    int a_end = a == '/' || a == '\0', b_end = b == '/' || b == '\0';
    if (a_end && b_end) common = i;
    if (a != b || !a) break;
  }
  if (common <= 1) return NULL;
  ll_buf b = {0};
  for (const char *p = root + common; *p; p++)
    if (*p == '/') ll_buf_puts(&b, "../");
  ll_buf_puts(&b, abs[common] == '/' ? abs + common + 1 : abs + common);
  return ll_buf_take(&b);
}

static char *root_abs(const char *root) {
  if (root && *root) return ll_relpath_abs(root);
  char *cwd = cwd_dup();
  char *r = normalise(cwd);
  free(cwd);
  return r;
}

/* The path below root, also through a symbolic link: the root is canonical
 * (realpath), an input may not be. Caller frees, NULL when outside. */
static char *inside(const char *root, const char *abs) {
  const char *rel = below(abs, root);
  if (rel) return ll_xstrdup(rel);
  char *real = realpath(abs, NULL);
  char *r = real && (rel = below(real, root)) ? ll_xstrdup(rel) : NULL;
  free(real);
  return r;
}

ll_rel_kind ll_relpath_report(const char *root, const char *path, int absolute, char **out) {
  if (!path || !*path) {
    *out = ll_xstrdup("");
    return LL_REL_INSIDE;
  }
  char *abs = ll_relpath_abs(path), *base = root_abs(root);
  ll_rel_kind kind = LL_REL_ABS;
  char *r = inside(base, abs);
  const char *home;
  if (r) kind = LL_REL_INSIDE;
  else if (absolute || is_system(abs)) r = NULL;
  else if ((r = beside(base, abs))) kind = LL_REL_NEAR;
  else if ((home = in_home(abs))) kind = LL_REL_HOME, r = ll_xasprintf("~/%s", home);
  *out = r ? r : ll_xstrdup(abs);
  free(abs);
  free(base);
  return kind;
}

char *ll_relpath_show(const char *root, const char *path, int absolute) {
  char *out;
  ll_relpath_report(root, path, absolute, &out);
  return out;
}

int ll_relpath_inside(const char *root, const char *path) {
  char *out;
  ll_rel_kind k = ll_relpath_report(root, path, 1, &out);
  free(out);
  return k == LL_REL_INSIDE;
}
