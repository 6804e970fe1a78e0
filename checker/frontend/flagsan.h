/* flagsan.h - the compile-flag sanitiser: every flag libclang sees passes
 * through it, whatever its source (compile_commands.json, compile_flags.txt,
 * the config's "args", the arguments after `--`, and flags forwarded with
 * -Xclang / -Xpreprocessor inside any of them).
 *
 * Allow-list: a flag is kept only when it is needed to parse and cannot load
 * code, write a file, read a file other than sources, headers and include
 * directories, or change the leaklint process: include directories and
 * system roots (-I -isystem -iquote -idirafter -F --sysroot ...), macros and
 * language (-D -U -std -x -ansi -pthread -nostdinc ...), --target / -arch,
 * -m*, -W* (but -Wp,), -O*, -g*, -f* language flags (not those that name
 * files, plugins, modules, profiles, traces, caches: matched by name and by
 * value), and -include / -imacros of a file inside the project (the current
 * directory or the flags' base directory) or named without '/' (then found
 * through the include path, like any #include). Everything else is dropped;
 * with -v a note says what and why, except for the compile-mode, output-name
 * and linker flags every build has (-c, -MT, -L, -l, -Wl, ...; and -o, -MD,
 * -MF in database commands).
 * Response files (@FILE) and clang config files (--config) are dropped. */
#ifndef LL_FLAGSAN_H
#define LL_FLAGSAN_H

#include <stddef.h>

#include "diag.h"
#include "options.h"

typedef struct ll_flag_origin {
  const char *what; /* "the compile command", "compile_flags.txt", ... (notes) */
  const char *base; /* relative paths are made absolute against it; NULL: the cwd */
  const char *file; /* the translation unit (notes) */
  int positional_ok; /* database commands: positionals (the sources, objects) and the build's
                      * own outputs (-o, -MD, -MF) drop silently */
} ll_flag_origin;

/* Appends the kept flags of argv[0..argc) to out, with relative paths in
 * path-taking flags made absolute against o->base. notes is NULL unless -v. */
void ll_flagsan_filter(char *const *argv, size_t argc, const ll_flag_origin *o, ll_strlist *out,
                       ll_notifications *notes);

/* Appends argv[0..argc) to out unchanged except that the relative paths of
 * path-taking flags (-I, -isystem, -iquote, --sysroot ..., and -include /
 * -imacros of a file base holds) are made absolute against base: the
 * config's "args" mean its own directory, wherever leaklint runs. Nothing is
 * dropped here (ll_flagsan_filter does that later, with its notes). */
void ll_flagsan_rebase(char *const *argv, size_t argc, const char *base, ll_strlist *out);

/* The directory a database command's relative paths are relative to: dir, or
 * the command's last -working-directory (any spelling) resolved against dir.
 * Caller frees. */
char *ll_flagsan_base(char *const *argv, size_t argc, const char *dir);

#endif
