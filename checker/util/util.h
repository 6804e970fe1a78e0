/* util.h - allocation, growable buffers, arenas, vectors, small helpers.
 *
 * Out-of-memory is not an error path: every ll_x* allocator aborts with a
 * message when the system is out of memory. */
#ifndef LL_UTIL_H
#define LL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

void *ll_xmalloc(size_t n);
void *ll_xcalloc(size_t n, size_t size);
void *ll_xrealloc(void *p, size_t n);
char *ll_xstrdup(const char *s);              /* caller frees */
char *ll_xstrndup(const char *s, size_t n);   /* caller frees */
char *ll_xasprintf(const char *fmt, ...)      /* caller frees */
    __attribute__((format(printf, 1, 2)));

/* Growable byte buffer, always NUL-terminated once anything was appended. */
typedef struct ll_buf {
  char *data;
  size_t len, cap;
} ll_buf;
void ll_buf_append(ll_buf *b, const char *s, size_t n);
void ll_buf_puts(ll_buf *b, const char *s);
void ll_buf_putc(ll_buf *b, char c);
void ll_buf_printf(ll_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ll_buf_vprintf(ll_buf *b, const char *fmt, va_list ap);
char *ll_buf_take(ll_buf *b); /* returns the string (caller frees), resets b */
void ll_buf_free(ll_buf *b);

/* Typed growable array: LL_VEC(int) v = {0}; LL_VEC_PUSH(&v, 3); free(v.v); */
#define LL_VEC(T) struct { T *v; size_t n, cap; }
#define LL_VEC_PUSH(vec, x)                                                   \
  do {                                                                        \
    if ((vec)->n == (vec)->cap) {                                             \
      (vec)->cap = (vec)->cap ? (vec)->cap * 2 : 8;                           \
      (vec)->v = ll_xrealloc((vec)->v, (vec)->cap * sizeof(*(vec)->v));       \
    }                                                                         \
    (vec)->v[(vec)->n++] = (x);                                               \
  } while (0)

/* Bump allocator; everything allocated from it is freed by ll_arena_free. */
typedef struct ll_arena ll_arena;
ll_arena *ll_arena_new(void);
void *ll_arena_alloc(ll_arena *a, size_t n);       /* zeroed, 16-aligned */
char *ll_arena_strdup(ll_arena *a, const char *s); /* NULL -> NULL */
char *ll_arena_strndup(ll_arena *a, const char *s, size_t n);
void ll_arena_free(ll_arena *a);                   /* accepts NULL */

/* Reads a whole file. On success returns 0 and *out (caller frees, NUL
 * terminated) / *len. On failure returns -errno and sets nothing. A regular
 * file of at most LEAKLINT_MAX_INPUT_SIZE bytes only (readfile.h: FIFOs and
 * devices are -ENODEV, oversize files -EFBIG). */
int ll_read_file(const char *path, char **out, size_t *len);

/* Keeps at most max bytes of b after offset from (cut at a UTF-8 character
 * boundary, then "... (N more bytes)"): a 10 MB value echoed in an error
 * message must not become a 10 MB line. */
void ll_buf_cut(ll_buf *b, size_t from, size_t max);

/* The offset of the first \u0000 escape inside a JSON string in text, or
 * (size_t)-1. cJSON decodes it to a NUL byte that silently truncates the C
 * string: a pack's rule id or API name would lose its tail unnoticed. */
size_t ll_json_nul_escape(const char *text, size_t len);

/* 64-bit FNV-1a, for fingerprints and cache keys. */
uint64_t ll_hash64(const void *data, size_t n, uint64_t seed);
/* The same contract, 8 bytes at a time (several times faster on file
 * contents). Not stable across leaklint versions: only for in-run tables and
 * the result cache (whose key holds the version); baselines use ll_hash64. */
uint64_t ll_hash_fast(const void *data, size_t n, uint64_t seed);
#define LL_HASH_SEED 0xcbf29ce484222325ULL

/* Display form of a path: relative to the current directory when the file is
 * below it, else absolute; "./" prefixes and "//" are removed. Caller frees. */
char *ll_path_display(const char *path);

/* Shell-style glob match with '**' crossing '/' (fnmatch semantics otherwise). */
int ll_glob_match(const char *pattern, const char *path);

/* Number of online CPUs, at least 1. */
int ll_cpu_count(void);

#endif
