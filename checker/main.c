/* main.c - entry point: command line -> run -> exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "config.h"
#include "merge_sarif.h"
#include "options.h"
#include "registry.h"
#include "report.h"
#include "run.h"
#include "util.h"

static size_t pack_api_count(const ll_rules *rules, size_t pack) {
  const char *name = ll_rules_pack_name(rules, pack);
  size_t n = 0;
  for (size_t k = 0; k < ll_rules_count(rules); k++)
    if (ll_rules_at(rules, k)->pack == name) n++;
  return n;
}

/* --list-rules --format json:
 *   {"rules": [{"id", "summary", "default_level"}], "packs": [{"name", "apis", "file"}]} */
static int list_rules_json(const ll_rules *rules) {
  cJSON *doc = cJSON_CreateObject();
  cJSON *arr = cJSON_AddArrayToObject(doc, "rules");
  for (size_t i = 0; i < ll_registry_count(); i++) {
    const ll_rule_info *r = ll_registry_at(i);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->id);
    cJSON_AddStringToObject(o, "summary", r->summary);
    cJSON_AddStringToObject(o, "default_level", ll_level_name(r->default_level));
    cJSON_AddItemToArray(arr, o);
  }
  cJSON *packs = cJSON_AddArrayToObject(doc, "packs");
  for (size_t i = 0; i < ll_rules_pack_count(rules); i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", ll_rules_pack_name(rules, i));
    cJSON_AddNumberToObject(o, "apis", (double)pack_api_count(rules, i));
    cJSON_AddStringToObject(o, "file", ll_rules_pack_file(rules, i));
    cJSON_AddItemToArray(packs, o);
  }
  int rc = ll_json_write(stdout, doc);
  cJSON_Delete(doc);
  return rc == 0 ? 0 : 2;
}

/* Lists the rules, then loads (and so validates) every rule pack the run
 * would load and lists them; a defective pack is an error (exit 2). Text,
 * or JSON with --format json (other formats are for findings: an error). */
static int list_rules(ll_options *opts) {
  if (opts->format != LL_FMT_TEXT && opts->format != LL_FMT_JSON) {
    fprintf(stderr, "leaklint: error: --list-rules prints text or --format json\n");
    return 2;
  }
  char *err = NULL;
  ll_rules *rules = ll_rules_new();
  if (ll_config_load(opts, &err) || ll_run_load_packs(opts, rules, &err)) {
    fprintf(stderr, "leaklint: error: %s\n", err ? err : "cannot load the rule packs");
    free(err);
    ll_rules_free(rules);
    return 2;
  }
  if (opts->format == LL_FMT_JSON) {
    int rc = list_rules_json(rules);
    ll_rules_free(rules);
    return rc;
  }
  for (size_t i = 0; i < ll_registry_count(); i++) {
    const ll_rule_info *r = ll_registry_at(i);
    printf("%-22s %s\n", r->id, r->summary);
  }
  printf("\nrule packs:\n");
  for (size_t i = 0; i < ll_rules_pack_count(rules); i++)
    printf("  %-14s %3zu APIs  %s\n", ll_rules_pack_name(rules, i), pack_api_count(rules, i),
           ll_rules_pack_file(rules, i));
  ll_rules_free(rules);
  return 0;
}

/* --show-settings: the config merged into a copy of the command line's
 * options, printed with the source of each value. */
static int show_settings(ll_options *opts) {
  ll_options cli;
  ll_options_copy(&cli, opts);
  char *err = NULL;
  int code = 0;
  if (ll_config_load(opts, &err)) {
    fprintf(stderr, "leaklint: error: %s\n", err ? err : "cannot load the config");
    code = 2;
  } else if (ll_config_show(stdout, &cli, opts, opts->format == LL_FMT_JSON) != 0) {
    fprintf(stderr, "leaklint: error: cannot write the settings to standard output\n");
    code = 2;
  }
  free(err);
  ll_options_free(&cli);
  return code;
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

#include "verify.h" /* `leaklint verify` has its own command line (checker/verify/) */

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "verify") == 0) return ll_verify_main(argc - 1, argv + 1);
  ll_options opts;
  memset(&opts, 0, sizeof opts);
  int code = 0;
  char *rule = NULL;
  ll_cli_action act = ll_cli_parse(argc, argv, &opts, &code, &rule);
  switch (act) {
  case LL_CLI_EXIT:
    break;
  case LL_CLI_LIST_RULES:
    code = list_rules(&opts);
    break;
  case LL_CLI_EXPLAIN:
    code = explain(rule);
    break;
  case LL_CLI_SHOW_SETTINGS:
    code = show_settings(&opts);
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
