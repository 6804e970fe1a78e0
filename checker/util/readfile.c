/* readfile.c - bounded reads of regular files (see readfile.h). */
#include "readfile.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

typedef struct limit_def {
  const char *env;
  unsigned long long dflt;
  const char *what;
} limit_def;

static const limit_def LIMITS[] = {
    [LL_READ_SOURCE] = {"LEAKLINT_MAX_SOURCE_SIZE", 64ull << 20, "sources and headers"},
    [LL_READ_CONFIG] = {"LEAKLINT_MAX_CONFIG_SIZE", 16ull << 20, "config files, rule packs and baselines"},
    [LL_READ_CACHE] = {"LEAKLINT_MAX_CACHE_ENTRY_SIZE", 256ull << 20, "cache entries"},
    [LL_READ_INPUT] = {"LEAKLINT_MAX_INPUT_SIZE", 512ull << 20, "input files"},
};

/* "123", "64K", "16M", "1G"; 0 when malformed (the default then applies). */
static unsigned long long parse_size(const char *s) {
  char *end = NULL;
  unsigned long long v = strtoull(s, &end, 10);
  if (end == s) return 0;
  unsigned shift = 0;
  switch (*end) {
  case 'k': case 'K': shift = 10; end++; break;
  case 'm': case 'M': shift = 20; end++; break;
  case 'g': case 'G': shift = 30; end++; break;
  default: break;
  }
  if (*end || v > (~0ull >> shift)) return 0;
  return v << shift;
}

unsigned long long ll_read_limit(ll_read_kind kind) {
  const limit_def *d = &LIMITS[kind];
  const char *e = getenv(d->env);
  unsigned long long v = e && *e ? parse_size(e) : 0;
  return v ? v : d->dflt;
}

/* Opens path for reading without blocking (a FIFO with no writer would
 * block open() itself) and checks it is a regular file within the limit.
 * The fd, or a negative code. */
static int open_checked(const char *path, ll_read_kind kind, struct stat *st) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return -errno;
  int rc = 0;
  if (fstat(fd, st) != 0)
    rc = -errno;
  else if (S_ISDIR(st->st_mode))
    rc = -EISDIR;
  else if (!S_ISREG(st->st_mode))
    rc = LL_READ_ENOTREG;
  else if ((unsigned long long)st->st_size > ll_read_limit(kind))
    rc = LL_READ_ETOOBIG;
  if (rc) {
    close(fd);
    return rc;
  }
  return fd;
}

int ll_read_check(const char *path, ll_read_kind kind) {
  struct stat st;
  int fd = open_checked(path, kind, &st);
  if (fd < 0) return fd;
  close(fd);
  return 0;
}

int ll_read_head(const char *path, ll_read_kind kind, char *buf, size_t cap, size_t *n) {
  struct stat st;
  int fd = open_checked(path, kind, &st);
  if (fd < 0) return fd;
  *n = 0;
  while (*n < cap) {
    ssize_t r = read(fd, buf + *n, cap - *n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int e = errno;
      close(fd);
      return -e;
    }
    if (r == 0) break;
    *n += (size_t)r;
  }
  close(fd);
  return 0;
}

int ll_read_bounded(const char *path, ll_read_kind kind, char **out, size_t *len, struct stat *stp) {
  struct stat st;
  int fd = open_checked(path, kind, &st);
  if (fd < 0) return fd;
  unsigned long long limit = ll_read_limit(kind);
  /* size + 2: the read that sees end-of-file needs room too */
  size_t cap = (size_t)st.st_size + 2, n = 0;
  char *buf = ll_xmalloc(cap);
  for (;;) {
    if (n + 1 >= cap) {
      if (n > limit) { /* it grew past the limit while we read */
        free(buf);
        close(fd);
        return LL_READ_ETOOBIG;
      }
      cap *= 2;
      buf = ll_xrealloc(buf, cap);
    }
    ssize_t r = read(fd, buf + n, cap - n - 1);
    if (r < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      free(buf);
      close(fd);
      return -e;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  if (n > limit) {
    free(buf);
    return LL_READ_ETOOBIG;
  }
  buf[n] = '\0';
  *out = buf;
  if (len) *len = n;
  if (stp) *stp = st;
  return 0;
}

const char *ll_read_strerror(int code, ll_read_kind kind) {
  static __thread char msg[160];
  if (code == LL_READ_ENOTREG) return "not a regular file (a FIFO, device or socket)";
  if (code == LL_READ_ETOOBIG) {
    unsigned long long l = ll_read_limit(kind);
    if (l >= (1ull << 20) && l % (1ull << 20) == 0)
      snprintf(msg, sizeof msg, "larger than the %llu MiB limit for %s (%s)", l >> 20, LIMITS[kind].what,
               LIMITS[kind].env);
    else
      snprintf(msg, sizeof msg, "larger than the %llu-byte limit for %s (%s)", l, LIMITS[kind].what,
               LIMITS[kind].env);
    return msg;
  }
  return strerror(-code);
}
