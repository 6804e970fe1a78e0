/* facts.h - parse one translation unit with libclang and extract its IR.
 * Each worker owns one ll_parser (one CXIndex); a translation unit never
 * leaves the worker that parsed it: facts are plain C (ir.h). */
#ifndef LL_FACTS_H
#define LL_FACTS_H

#include "diag.h"
#include "ir.h"
#include "rulepack.h"

typedef struct ll_parser ll_parser;
/* NULL when libclang cannot be loaded (ll_clang_load in clangapi.h says why). */
ll_parser *ll_parser_new(void);
void ll_parser_free(ll_parser *p);

/* Parses `file` with `args` (compiler arguments without the file name and
 * without argv[0]); `workdir` must be NULL (paths in args are absolute:
 * libclang's -working-directory would change the whole process's cwd). Clang's
 * errors become notifications. Returns the IR, or NULL when clang could not
 * produce any translation unit (a notification says why). */
ll_tu *ll_facts_parse(ll_parser *p, const char *file, const char *const *args,
                      int nargs, const char *workdir, const ll_rules *rules,
                      ll_notifications *notes);

#endif
