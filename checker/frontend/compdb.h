/* compdb.h - compile flags for each file: compile_commands.json when given
 * or found, else defaults (language from the extension, -std, the file's
 * directory on the include path, the nearest compile_flags.txt) plus the
 * arguments after `--`, each source through the flag sanitiser (flagsan.h).
 * Response files (@FILE) are removed from a database before libclang loads
 * it (its loader would expand them). Everything here runs on the main thread. */
#ifndef LL_COMPDB_H
#define LL_COMPDB_H

#include "diag.h"
#include "options.h"

typedef struct ll_compdb ll_compdb;

/* Opens opts->compile_commands (a directory or a compile_commands.json), or
 * searches for one (each input path's directory and its parents, then build*
 * and cmake-build-* (CLion) sub-directories of the current directory, sorted). *out is NULL when none is used.
 * Returns -1 with *err (caller frees) when an explicitly given database is
 * missing or invalid; a broken database found by the search is a warning. */
int ll_compdb_open(const ll_options *opts, ll_compdb **out, ll_notifications *notes,
                   char **err);

/* Fills *args (caller frees with ll_strlist_free) with the arguments to parse
 * `file` with (the file itself is not among them), and *workdir (caller
 * frees). *workdir is always NULL: libclang 14 implements -working-directory
 * with a process-wide chdir, so it must not be used; relative paths in
 * path-taking flags of a database entry are made absolute against the
 * entry's directory instead (or against the entry's -working-directory,
 * resolved against its directory: the flag itself is never passed on, and
 * from every other source of flags it is dropped). With -v, each dropped flag
 * is a NOTE notification (ll_compdb_open notes the database in use and the
 * response files removed from it, also with -v). */
void ll_compdb_args(const ll_compdb *db, const ll_options *opts, const char *file,
                    ll_strlist *args, char **workdir, ll_notifications *notes);

void ll_compdb_free(ll_compdb *db); /* accepts NULL */

#endif
