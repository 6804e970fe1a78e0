/* atomicfile.h - the one way leaklint writes an output file (-o, --write-baseline,
 * --fix, merge-sarif): readers see the old file or the complete new one, never
 * a partial one, and nothing is left behind.
 *
 * The data goes to a temporary file created with mkstemp (O_EXCL, name
 * `.BASE.leaklint-PID-XXXXXX`, random suffix) in the target's directory, is
 * fsync'ed and renamed over the target. The temporary file is removed on
 * every error path and when SIGINT, SIGTERM or SIGHUP arrives during the
 * write (the handler unlinks it, then re-raises the signal with its default
 * action). SIGKILL cannot be caught: the next write of the same target
 * removes such left-overs, when they are regular files of this user, at
 * least 10 minutes old, and their PID no longer runs.
 *
 * Targets that are symbolic links: a link owned by the user running leaklint
 * (or by root, e.g. /dev/stdout) is written through (the file it points to is
 * replaced, the link stays); a link owned by anyone else is refused, so a link
 * planted in a shared directory cannot redirect the write; a dangling link is
 * refused. A target that is a FIFO or a character device (/dev/null, a
 * terminal, a pipe) is opened and written directly: there is nothing to
 * replace atomically. A directory or other special file is an error. */
#ifndef LL_ATOMICFILE_H
#define LL_ATOMICFILE_H

#include <stddef.h>
#include <stdio.h>

typedef struct ll_atomic ll_atomic;

/* Starts writing `path`. Returns the handle, or NULL with *err (caller frees,
 * "PATH: what is wrong"). An existing regular file keeps its permission bits;
 * a new one gets 0666 & ~umask. */
ll_atomic *ll_atomic_open(const char *path, char **err);

/* The stream to write to (owned by the handle). */
FILE *ll_atomic_stream(ll_atomic *a);

/* Flushes, fsyncs and renames the temporary file over the target; frees a.
 * Returns 0, or -1 with *err (the temporary file is removed). */
int ll_atomic_commit(ll_atomic *a, char **err);

/* Discards everything written; removes the temporary file; frees a (accepts NULL). */
void ll_atomic_abort(ll_atomic *a);

/* open + write len bytes + commit. Returns 0, or -1 with *err. */
int ll_atomic_write(const char *path, const char *data, size_t len, char **err);

#endif
