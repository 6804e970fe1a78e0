/* cli.h - command-line parsing. */
#ifndef LL_CLI_H
#define LL_CLI_H

#include <stdio.h>
#include "options.h"

typedef enum {
  LL_CLI_RUN,         /* analyse */
  LL_CLI_EXIT,        /* done (help/version printed): exit with *code */
  LL_CLI_LIST_RULES,
  LL_CLI_EXPLAIN,     /* explain rule in opts->explain */
  LL_CLI_MERGE_SARIF, /* `leaklint merge-sarif A B ... -o OUT`; inputs in paths */
  LL_CLI_SHOW_SETTINGS /* print the merged settings and their sources, then exit */
} ll_cli_action;

/* Parses argv into *o (zeroed by the caller). On a usage error prints one
 * line "leaklint: ..." plus a hint to stderr and returns LL_CLI_EXIT with
 * *code = 2. `explain` receives the rule id for LL_CLI_EXPLAIN. */
ll_cli_action ll_cli_parse(int argc, char **argv, ll_options *o, int *code,
                           char **explain);
void ll_cli_usage(FILE *out);

#endif
