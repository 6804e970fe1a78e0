/* util.c - allocation, buffers, arenas and small helpers (see util.h). */
#include "util.h"
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(void) {
  fputs("leaklint: out of memory\n", stderr);
  abort();
}

void *ll_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom();
  return p;
}

void *ll_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) oom();
  return p;
}

void *ll_xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) oom();
  return q;
}

char *ll_xstrdup(const char *s) {
  return ll_xstrndup(s, strlen(s));
}

char *ll_xstrndup(const char *s, size_t n) {
  char *p = ll_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *ll_xasprintf(const char *fmt, ...) {
  ll_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  ll_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return ll_buf_take(&b);
}

static void buf_reserve(ll_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = ll_xrealloc(b->data, cap);
  b->cap = cap;
}

void ll_buf_append(ll_buf *b, const char *s, size_t n) {
  buf_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void ll_buf_puts(ll_buf *b, const char *s) { ll_buf_append(b, s, strlen(s)); }

void ll_buf_putc(ll_buf *b, char c) { ll_buf_append(b, &c, 1); }

void ll_buf_vprintf(ll_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return;
  buf_reserve(b, (size_t)n);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void ll_buf_printf(ll_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ll_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *ll_buf_take(ll_buf *b) {
  char *s = b->data ? b->data : ll_xstrdup("");
  b->data = NULL;
  b->len = b->cap = 0;
  return s;
}

void ll_buf_free(ll_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* ---- arena ---- */

typedef struct chunk {
  struct chunk *next;
  size_t used, cap;
  _Alignas(16) unsigned char data[];
} chunk;

struct ll_arena {
  chunk *head;
};

ll_arena *ll_arena_new(void) { return ll_xcalloc(1, sizeof(ll_arena)); }

void *ll_arena_alloc(ll_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (n > 16 * 1024) { /* a big allocation gets a chunk of its own */
    chunk *c = ll_xmalloc(sizeof(chunk) + n);
    c->used = c->cap = n;
    if (a->head) {
      c->next = a->head->next;
      a->head->next = c;
    } else {
      c->next = NULL;
      a->head = c;
    }
    memset(c->data, 0, n);
    return c->data;
  }
  if (!a->head || a->head->used + n > a->head->cap) {
    size_t cap = 64 * 1024;
    chunk *c = ll_xmalloc(sizeof(chunk) + cap);
    c->used = 0;
    c->cap = cap;
    c->next = a->head;
    a->head = c;
  }
  void *p = a->head->data + a->head->used;
  a->head->used += n;
  memset(p, 0, n);
  return p;
}

char *ll_arena_strndup(ll_arena *a, const char *s, size_t n) {
  char *p = ll_arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *ll_arena_strdup(ll_arena *a, const char *s) {
  return s ? ll_arena_strndup(a, s, strlen(s)) : NULL;
}

void ll_arena_free(ll_arena *a) {
  if (!a) return;
  chunk *c = a->head;
  while (c) {
    chunk *n = c->next;
    free(c);
    c = n;
  }
  free(a);
}

/* ---- files, hashing, paths ---- */

/* Every reader is bounded and refuses special files: see readfile.h. */
int ll_read_file(const char *path, char **out, size_t *len) {
  return ll_read_bounded(path, LL_READ_INPUT, out, len, NULL);
}

void ll_buf_cut(ll_buf *b, size_t from, size_t max) {
  if (b->len <= from || b->len - from <= max) return;
  size_t keep = from + max;
  while (keep > from && ((unsigned char)b->data[keep] & 0xc0) == 0x80) keep--; /* not inside a character */
  size_t more = b->len - keep;
  b->len = keep;
  b->data[keep] = '\0';
  ll_buf_printf(b, "... (%zu more bytes)", more);
}

size_t ll_json_nul_escape(const char *text, size_t len) {
  int in_str = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '"') {
      in_str = !in_str;
    } else if (in_str && text[i] == '\\' && i + 1 < len) {
      if (text[i + 1] == 'u' && i + 5 < len && !memcmp(text + i + 2, "0000", 4)) return i;
      i++; /* the escaped character (\" and \\ included) */
    }
  }
  return (size_t)-1;
}

uint64_t ll_hash64(const void *data, size_t n, uint64_t seed) {
  const unsigned char *p = data;
  uint64_t h = seed;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

static uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t ll_hash_fast(const void *data, size_t n, uint64_t seed) {
  const unsigned char *p = data;
  uint64_t h = seed ^ ((uint64_t)n * 0xff51afd7ed558ccdULL);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = rotl64(h ^ (w * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL;
    p += 8;
    n -= 8;
  }
  uint64_t w = 0;
  memcpy(&w, p, n);
  h = rotl64(h ^ (w * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL;
  /* fmix64 (MurmurHash3) */
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/* "a/b/../c" -> "a/c" in place (lexically: one file reached through
 * different relative include paths gets one display name, so a finding in
 * it is reported once); leading ".." components stay. */
static char *drop_dotdot(char *s) {
  size_t keep[256], nk = 0; /* start offsets of kept components in s */
  size_t w = 0, r = 0, len = strlen(s);
  int abs = s[0] == '/';
  if (abs) w = r = 1;
  while (r <= len) {
    size_t e = r;
    while (e < len && s[e] != '/') e++;
    size_t cl = e - r;
    int dotdot = cl == 2 && s[r] == '.' && s[r + 1] == '.';
    int prev_real = nk && !(w - keep[nk - 1] >= 2 && s[keep[nk - 1]] == '.' && s[keep[nk - 1] + 1] == '.' &&
                            (keep[nk - 1] + 2 == w || s[keep[nk - 1] + 2] == '/'));
    if (dotdot && prev_real && e < len) {
      w = keep[--nk]; /* drop "x/" and this "../" */
    } else if (dotdot && prev_real) {
      w = keep[--nk];
      if (w > (size_t)abs) w--; /* trailing "x/..": drop the slash too */
    } else {
      if (nk < 256) keep[nk++] = w;
      memmove(s + w, s + r, cl);
      w += cl;
      if (e < len) s[w++] = '/';
    }
    r = e + 1;
  }
  if (w == 0) s[w++] = '.';
  s[w] = 0;
  return s;
}

static char *normalize(const char *p) {
  /* collapse "//", "/./" and leading "./" (no symlink resolution) */
  ll_buf b = {0};
  const char *s = p;
  while (s[0] == '.' && s[1] == '/') {
    s += 2;
    while (*s == '/') s++;
  }
  for (; *s; s++) {
    if (*s == '/' && b.len && b.data[b.len - 1] == '/') continue;
    if (*s == '/' && s[1] == '.' && s[2] == '/') {
      s += 1;
      continue;
    }
    ll_buf_putc(&b, *s);
  }
  if (!b.data) ll_buf_puts(&b, p[0] == '/' ? "/" : ".");
  return drop_dotdot(ll_buf_take(&b));
}

char *ll_path_display(const char *path) {
  static __thread char cwd[PATH_MAX];
  static __thread int have_cwd;
  char *n = normalize(path);
  if (n[0] != '/') return n;
  if (!have_cwd) {
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = '\0';
    have_cwd = 1;
  }
  size_t cl = strlen(cwd);
  if (cl > 1 && strncmp(n, cwd, cl) == 0 && n[cl] == '/') {
    char *r = ll_xstrdup(n + cl + 1);
    free(n);
    return r;
  }
  return n;
}

/* Glob with '**' matching across '/'. */
static int glob_rec(const char *p, const char *s) {
  while (*p) {
    if (p[0] == '*' && p[1] == '*') {
      p += 2;
      if (*p == '/') p++;
      if (!*p) return 1;
      for (const char *t = s;; t++) {
        if (glob_rec(p, t)) return 1;
        if (!*t) return 0;
      }
    }
    /* match one path component with fnmatch */
    const char *pe = strchr(p, '/');
    const char *se = strchr(s, '/');
    size_t pl = pe ? (size_t)(pe - p) : strlen(p);
    size_t sl = se ? (size_t)(se - s) : strlen(s);
    char *pc = ll_xstrndup(p, pl), *sc = ll_xstrndup(s, sl);
    int ok = fnmatch(pc, sc, FNM_PERIOD) == 0;
    free(pc);
    free(sc);
    if (!ok) return 0;
    if (!pe) return se == NULL;
    if (!se) return 0;
    p = pe + 1;
    s = se + 1;
  }
  return *s == '\0';
}

int ll_glob_match(const char *pattern, const char *path) {
  if (glob_rec(pattern, path)) return 1;
  /* a pattern without '/' matches any basename or any path component prefix */
  if (!strchr(pattern, '/')) {
    for (const char *c = path; *c; c++)
      if (*c == '/' && glob_rec(pattern, c + 1)) return 1;
    /* also match a leading directory component: "vendor" excludes vendor/x.c */
    const char *slash = strchr(path, '/');
    while (slash) {
      char *comp = ll_xstrndup(path, (size_t)(slash - path));
      const char *base = strrchr(comp, '/');
      int ok = fnmatch(pattern, base ? base + 1 : comp, FNM_PERIOD) == 0;
      free(comp);
      if (ok) return 1;
      slash = strchr(slash + 1, '/');
    }
  }
  return 0;
}

int ll_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}
