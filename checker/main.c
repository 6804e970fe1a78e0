/* main.c - entry point: command line -> run -> exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "merge_sarif.h"
#include "options.h"
#include "registry.h"
#include "run.h"
#include "util.h"

static int list_rules(void) {
  for (size_t i = 0; i < ll_registry_count(); i++) {
    const ll_rule_info *r = ll_registry_at(i);
    printf("%-22s %s\n", r->id, r->summary);
  }
  return 0;
}

static int explain(const char *rule) {
  if (ll_registry_find(rule) < 0) {
    fprintf(stderr, "leaklint: error: unknown rule '%s' (see --list-rules)\n", rule);
    return 2;
  }
  char *dir = ll_data_path("rules/docs");
  char *path = dir ? ll_xasprintf("%s/%s.md", dir, rule) : NULL;
  char *text = NULL;
  size_t len = 0;
  int rc = path ? ll_read_file(path, &text, &len) : -1;
  if (rc != 0) {
    const ll_rule_info *r = ll_registry_at((size_t)ll_registry_find(rule));
    printf("# %s\n\n%s.\n\n%s\n", r->id, r->summary, r->description);
  } else {
    fwrite(text, 1, len, stdout);
  }
  free(text);
  free(path);
  free(dir);
  return 0;
}

int main(int argc, char **argv) {
  ll_options opts;
  memset(&opts, 0, sizeof opts);
  int code = 0;
  char *rule = NULL;
  ll_cli_action act = ll_cli_parse(argc, argv, &opts, &code, &rule);
  switch (act) {
  case LL_CLI_EXIT:
    break;
  case LL_CLI_LIST_RULES:
    code = list_rules();
    break;
  case LL_CLI_EXPLAIN:
    code = explain(rule);
    break;
  case LL_CLI_MERGE_SARIF: {
    char *err = NULL;
    if (ll_merge_sarif((const char *const *)opts.paths.v, opts.paths.n, opts.output, &err)) {
      fprintf(stderr, "leaklint: error: %s\n", err ? err : "merge-sarif failed");
      code = 2;
    }
    free(err);
    break;
  }
  case LL_CLI_RUN:
    code = ll_run(&opts);
    break;
  }
  free(rule);
  ll_options_free(&opts);
  return code;
}
