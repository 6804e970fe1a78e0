/* codec.h - the primitives of leaklint's binary formats (the IR codec,
 * ircodec.c; the findings codec, findcodec.c; the cache entries, cache.c):
 * unsigned integers as LEB128 varints, signed ones zig-zag encoded, and a
 * reader whose every read is bounds-checked. A failed read sets `bad` and
 * returns 0 (NULL), so a decoder reads on and checks `bad` once: the data is
 * as hostile as a source file (another user or a crafted file may have
 * written a cache entry). Header-only: the decoders call these per field. */
#ifndef LL_CODEC_H
#define LL_CODEC_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

static inline void ll_put_u(ll_buf *b, uint64_t x) {
  char tmp[10];
  size_t n = 0;
  do {
    unsigned char c = x & 0x7f;
    x >>= 7;
    if (x) c |= 0x80;
    tmp[n++] = (char)c;
  } while (x);
  ll_buf_append(b, tmp, n);
}

static inline void ll_put_s(ll_buf *b, long long x) {
  uint64_t u = (uint64_t)x;
  ll_put_u(b, (u << 1) ^ (x < 0 ? ~(uint64_t)0 : 0));
}

/* n, then n bytes. */
static inline void ll_put_bytes(ll_buf *b, const char *s, size_t n) {
  ll_put_u(b, n);
  ll_buf_append(b, s, n);
}

typedef struct ll_reader {
  const unsigned char *p, *end;
  int bad;
} ll_reader;

static inline ll_reader ll_reader_of(const void *data, size_t len) {
  ll_reader r = {data, (const unsigned char *)data + len, 0};
  return r;
}

static inline uint64_t ll_get_u(ll_reader *r) {
  uint64_t x = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (r->p >= r->end) break;
    unsigned char c = *r->p++;
    x |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) return x;
  }
  r->bad = 1; /* truncated, or longer than 64 bits */
  return 0;
}

static inline long long ll_get_s(ll_reader *r) {
  uint64_t u = ll_get_u(r);
  return (long long)((u >> 1) ^ (~(u & 1) + 1));
}

static inline int ll_get_int(ll_reader *r) {
  long long x = ll_get_s(r);
  if (x < INT_MIN || x > INT_MAX) r->bad = 1;
  return (int)x;
}

static inline unsigned ll_get_uint(ll_reader *r) {
  uint64_t x = ll_get_u(r);
  if (x > UINT_MAX) r->bad = 1;
  return (unsigned)x;
}

/* A count of items that each take at least one byte: more than the bytes
 * left is malformed (and would make the caller allocate a crafted size). */
static inline size_t ll_get_count(ll_reader *r) {
  uint64_t n = ll_get_u(r);
  if (n > (uint64_t)(r->end - r->p)) {
    r->bad = 1;
    return 0;
  }
  return (size_t)n;
}

/* A 1-based reference into a table of n items (0 = none): the index, or 0
 * (and bad) when it is out of range. */
static inline size_t ll_get_ref(ll_reader *r, size_t n) {
  uint64_t i = ll_get_u(r);
  if (i > n) {
    r->bad = 1;
    return 0;
  }
  return (size_t)i;
}

/* The next n raw bytes (the reader moves past them), or NULL and bad. */
static inline const unsigned char *ll_get_raw(ll_reader *r, size_t n) {
  if (r->bad || n > (size_t)(r->end - r->p)) {
    r->bad = 1;
    return NULL;
  }
  const unsigned char *s = r->p;
  r->p += n;
  return s;
}

#endif
