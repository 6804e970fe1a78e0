/* readfile.h - the one way leaklint reads an input file: a regular file of
 * bounded size, opened without blocking.
 *
 * A FIFO would block open()/read() forever and /dev/zero (or a symlink to
 * it) never ends, so every reader goes through here: the file is opened with
 * O_NONBLOCK, fstat'ed, refused unless it is a regular file, and refused when
 * it is larger than the limit of its kind (checked on fstat and again while
 * reading, for a file that grows). Limits, in bytes (K/M/G suffixes allowed),
 * from the environment:
 *   LEAKLINT_MAX_SOURCE_SIZE       sources and headers           (64 MiB)
 *   LEAKLINT_MAX_CONFIG_SIZE       config, rule packs, baselines (16 MiB)
 *   LEAKLINT_MAX_CACHE_ENTRY_SIZE  result-cache entries          (256 MiB)
 *   LEAKLINT_MAX_INPUT_SIZE        anything else (compile databases, SARIF
 *                                  logs to merge, ...)           (512 MiB) */
#ifndef LL_READFILE_H
#define LL_READFILE_H

#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>

typedef enum { LL_READ_SOURCE, LL_READ_CONFIG, LL_READ_CACHE, LL_READ_INPUT } ll_read_kind;

/* The two refusals, as errno values so that a caller printing
 * strerror(-code) still says something true ("No such device", "File too
 * large"); ll_read_strerror says it better. */
#define LL_READ_ENOTREG (-ENODEV) /* a FIFO, device, socket or directory */
#define LL_READ_ETOOBIG (-EFBIG)  /* larger than the limit of its kind */

/* The limit for a kind, in bytes (environment read on every call: cheap). */
unsigned long long ll_read_limit(ll_read_kind kind);

/* Reads the whole file. 0 and *out (caller frees, NUL-terminated) / *len;
 * or a negative code (-errno, LL_READ_ENOTREG, LL_READ_ETOOBIG) and nothing
 * set. *st (may be NULL) receives the fstat of the opened file on success. */
int ll_read_bounded(const char *path, ll_read_kind kind, char **out, size_t *len, struct stat *st);

/* Checks without reading: 0 when path is a regular file within the limit,
 * else a code as above. Opens with O_NONBLOCK, so a FIFO cannot hang it. */
int ll_read_check(const char *path, ll_read_kind kind);
/* The same check, then reads the first bytes (up to cap) into buf: *n. */
int ll_read_head(const char *path, ll_read_kind kind, char *buf, size_t cap, size_t *n);

/* A one-line message for a code from the functions above, naming the limit
 * and its variable for LL_READ_ETOOBIG. Static or thread-local storage. */
const char *ll_read_strerror(int code, ll_read_kind kind);

#endif
