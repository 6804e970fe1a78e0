/* discover.h - expand input paths into the list of translation units. */
#ifndef LL_DISCOVER_H
#define LL_DISCOVER_H

#include "diag.h"
#include "options.h"

/* Walks opts->paths (or "." when empty): files are taken as given (any
 * C/C++ source or header named explicitly), directories are walked
 * recursively for sources (.c .cc .cpp .cxx .c++ .m .mm), skipping hidden
 * entries, .git, git-ignored paths (asks git inside a work tree, run so
 * that the tree's git config cannot run commands or hang us: discover.c) and
 * opts->excludes. Result is sorted and de-duplicated, display paths.
 * Returns 0, or -1 with *err (caller frees) when an input path does not
 * exist or cannot be read.
 *
 * Details: --exclude applies below a directory input and to explicitly named
 * files (and their parent directories); git-ignore applies only below a
 * directory input. A glob without '/' matches any single path component, one
 * starting with '/' matches the absolute path, others match the path relative
 * to the current directory; '**' crosses '/'. A trailing '/' is ignored.
 * Explicit files that are not C/C++ are skipped with a note. Symbolic links
 * are followed; a directory reached twice is walked once. Zero files is not
 * an error (run.c notes "no C/C++ sources found" and exits 0). */
int ll_discover(const ll_options *opts, ll_strlist *files, ll_notifications *notes,
                char **err);

/* Lexically absolute form of path (cwd-relative when not absolute), with
 * "." and ".." components and repeated '/' removed; no symlinks resolved.
 * Caller frees. */
char *ll_discover_absolute(const char *path);

/* Runs `git -C dir args...` as discovery does: none of the tree's config
 * can run a command, no prompt, no pager, no locks, under the deadline
 * $LEAKLINT_GIT_TIMEOUT (seconds, default 10). Returns git's exit status,
 * -1 when it cannot run, -2 on timeout (git is then not asked again in this
 * process); with out, its standard output (*len bytes, caller frees). */
int ll_discover_git(const char *dir, char *const args[], char **out, size_t *len);

/* 1 for C/C++/ObjC source extensions, 2 for headers (.h .hh .hpp .hxx .h++ .inl), else 0. */
int ll_source_kind(const char *path);

#endif
