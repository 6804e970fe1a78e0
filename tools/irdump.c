/* irdump - developer tool: print the IR leaklint extracts from one file.
 *   build/leaklint-irdump [--all] FILE [COMPILER_ARGS...]
 * Every record with its fields by name, from the IR codec's field lists
 * (ircodec.h); --all adds the detail fields (full locations, types, source
 * text, USRs) and the variables. Rule packs come from the source tree's
 * rules/ (or LEAKLINT_DATA_DIR). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clangapi.h"
#include "facts.h"
#include "ir.h"
#include "ircodec.h"
#include "rulepack.h"
#include "run.h"

int main(int argc, char **argv) {
  const char *prog = argv[0];
  int all = argc > 1 && !strcmp(argv[1], "--all");
  if (all) {
    argv++;
    argc--;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: %s [--all] FILE [COMPILER_ARGS...]\n", prog);
    return 2;
  }
  ll_rules *rules = ll_rules_new();
  char *dir = ll_data_path("rules");
  char *err = NULL;
  if (!dir || ll_rules_load_dir(rules, dir, &err)) {
    fprintf(stderr, "irdump: %s\n", err ? err : "no rules directory");
    return 2;
  }
  ll_rules_freeze(rules);
  ll_parser *p = ll_parser_new();
  if (!p) {
    const char *lerr = "cannot load libclang";
    ll_clang_load(&lerr);
    fprintf(stderr, "irdump: %s\n", lerr);
    return 2;
  }
  ll_notifications notes = {0};
  ll_tu *tu = ll_facts_parse(p, argv[1], (const char *const *)argv + 2, argc - 2, NULL, rules, &notes);
  for (size_t i = 0; i < notes.n; i++)
    fprintf(stderr, "%s:%u:%u: %s\n", notes.v[i].file ? notes.v[i].file : "-", notes.v[i].line,
            notes.v[i].col, notes.v[i].message);
  if (tu) ll_ir_dump_fields(stdout, tu, all);
  ll_tu_free(tu);
  ll_notifications_free(&notes);
  ll_parser_free(p);
  ll_rules_free(rules);
  free(dir);
  free(err);
  return tu ? 0 : 1;
}
