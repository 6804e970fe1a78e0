/* relpath.h - the path policy of every report (README "What a report contains").
 *
 * Reports are read on other machines (code scanning, merge requests, shared
 * CI logs), so a reported path says where a file is in the project, not
 * where the project sits on the machine that ran leaklint:
 *   inside the root        "src/a.c"            (root-relative, '/' separators)
 *   system directories     "/usr/include/x.h"   (/usr, /opt, /lib, /nix: no one's data)
 *   beside the root        "../other/x.h"       (the root and the file share a
 *                                                 directory below '/')
 *   a home directory       "~/x/y.h"            ($HOME, /home/NAME, /Users/NAME, /root)
 *   anywhere else          "/tmp/x.h"           (absolute)
 * With absolute (--absolute-paths) every file outside the root keeps its
 * absolute path. Paths are normalised lexically ("a/./b", "a/../b", "//");
 * a file reached through a symbolic link into the root counts as inside. */
#ifndef LL_RELPATH_H
#define LL_RELPATH_H

typedef enum {
  LL_REL_INSIDE, /* below the root: *out is relative to it */
  LL_REL_NEAR,   /* beside the root: *out starts with "../" */
  LL_REL_HOME,   /* in a home directory: *out starts with "~/" */
  LL_REL_ABS     /* *out is absolute */
} ll_rel_kind;

/* The lexically normalised absolute form of path (a relative path is taken
 * from the current directory). Caller frees. */
char *ll_relpath_abs(const char *path);

/* How path is shown in a report against root (an absolute directory; NULL =
 * the current directory). *out is set (caller frees; "" for NULL or "" path). */
ll_rel_kind ll_relpath_report(const char *root, const char *path, int absolute, char **out);

/* ll_relpath_report's string alone. Caller frees. */
char *ll_relpath_show(const char *root, const char *path, int absolute);

/* 1 when path lies inside root (see ll_relpath_report). */
int ll_relpath_inside(const char *root, const char *path);

#endif
