/* merge_sarif.c - `leaklint merge-sarif`: shards' SARIF logs -> one log,
 * one run. See merge_sarif.h for the merge rules. */
#include "merge_sarif.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "report.h"
#include "util.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static int fail(char **err, char *msg) {
  if (err)
    *err = msg;
  else
    free(msg);
  return 2;
}

static const char *str_of(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Checks that doc is a SARIF 2.1.0 log whose runs are all leaklint's.
 * Returns NULL, or a message (caller frees). */
static char *validate(const cJSON *doc) {
  if (!cJSON_IsObject(doc)) return ll_xstrdup("not a SARIF log (the top level is not an object)");
  const char *ver = str_of(doc, "version");
  if (!ver) return ll_xstrdup("not a SARIF log (no \"version\")");
  if (strcmp(ver, "2.1.0") != 0)
    return ll_xasprintf("SARIF version %s is not supported (expected 2.1.0)", ver);
  const cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs");
  if (!cJSON_IsArray(runs)) return ll_xstrdup("not a SARIF log (no \"runs\" array)");
  if (cJSON_GetArraySize(runs) == 0) return ll_xstrdup("the log has no runs");
  int i = 0;
  for (const cJSON *run = runs->child; run; run = run->next, i++) {
    if (!cJSON_IsObject(run)) return ll_xasprintf("runs[%d] is not an object", i);
    const cJSON *tool = cJSON_GetObjectItemCaseSensitive(run, "tool");
    const cJSON *driver = cJSON_GetObjectItemCaseSensitive(tool, "driver");
    const char *name = str_of(driver, "name");
    if (!name) return ll_xasprintf("runs[%d] has no tool.driver.name", i);
    if (strcmp(name, "leaklint") != 0)
      return ll_xasprintf("runs[%d] was produced by '%s', not leaklint", i, name);
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(driver, "rules");
    if (rules && !cJSON_IsArray(rules))
      return ll_xasprintf("runs[%d].tool.driver.rules is not an array", i);
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(run, "results");
    if (results && !cJSON_IsArray(results))
      return ll_xasprintf("runs[%d].results is not an array", i);
    for (const cJSON *r = results ? results->child : NULL; r; r = r->next)
      if (!cJSON_IsObject(r)) return ll_xasprintf("runs[%d].results has a non-object entry", i);
    const cJSON *invs = cJSON_GetObjectItemCaseSensitive(run, "invocations");
    if (invs && !cJSON_IsArray(invs))
      return ll_xasprintf("runs[%d].invocations is not an array", i);
  }
  return NULL;
}

static cJSON *load(const char *path, char **err) {
  char *data = NULL;
  size_t len = 0;
  int rc = ll_read_file(path, &data, &len);
  if (rc != 0) {
    fail(err, ll_xasprintf("merge-sarif: cannot read %s: %s", path, strerror(-rc)));
    return NULL;
  }
  const char *end = NULL;
  cJSON *doc = cJSON_ParseWithOpts(data, &end, 1);
  if (!doc) {
    unsigned line = 1;
    if (end && end >= data && end <= data + len)
      for (const char *p = data; p < end; p++)
        if (*p == '\n') line++;
    fail(err, ll_xasprintf("merge-sarif: %s: not valid JSON (line %u)", path, line));
    free(data);
    return NULL;
  }
  free(data);
  char *why = validate(doc);
  if (why) {
    fail(err, ll_xasprintf("merge-sarif: %s: %s", path, why));
    free(why);
    cJSON_Delete(doc);
    return NULL;
  }
  return doc;
}

/* Index of the rule with this id in a rules array, or -1. */
static int rule_index(const cJSON *rules, const char *id) {
  int i = 0;
  for (const cJSON *r = rules ? rules->child : NULL; r; r = r->next, i++) {
    const char *rid = str_of(r, "id");
    if (rid && id && strcmp(rid, id) == 0) return i;
  }
  return -1;
}

static char *print_compact(const cJSON *v) {
  if (!v) return ll_xstrdup("");
  char *s = cJSON_PrintUnformatted(v);
  char *r = ll_xstrdup(s ? s : "");
  cJSON_free(s);
  return r;
}

typedef struct entry {
  cJSON *item; /* owned until moved into the output */
  char *key;   /* identity for de-duplication */
  const char *uri, *rule, *text;
  double line, col;
  size_t seq; /* order of arrival, the last tie-breaker */
} entry;

typedef LL_VEC(entry) entry_vec;

static const cJSON *first_physical(const cJSON *item) {
  const cJSON *locs = cJSON_GetObjectItemCaseSensitive(item, "locations");
  const cJSON *loc = cJSON_IsArray(locs) ? locs->child : NULL;
  return cJSON_GetObjectItemCaseSensitive(loc, "physicalLocation");
}

static void fill_sort_keys(entry *e) {
  const cJSON *phys = first_physical(e->item);
  const cJSON *art = cJSON_GetObjectItemCaseSensitive(phys, "artifactLocation");
  const cJSON *reg = cJSON_GetObjectItemCaseSensitive(phys, "region");
  const cJSON *sl = cJSON_GetObjectItemCaseSensitive(reg, "startLine");
  const cJSON *sc = cJSON_GetObjectItemCaseSensitive(reg, "startColumn");
  const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e->item, "message");
  e->uri = str_of(art, "uri");
  e->line = cJSON_IsNumber(sl) ? sl->valuedouble : 0;
  e->col = cJSON_IsNumber(sc) ? sc->valuedouble : 0;
  e->rule = str_of(e->item, "ruleId");
  e->text = str_of(msg, "text");
}

static int strcmp0(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "");
}

static int entry_cmp(const void *pa, const void *pb) {
  const entry *a = pa, *b = pb;
  int c;
  if ((c = strcmp0(a->uri, b->uri))) return c;
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  if (a->col != b->col) return a->col < b->col ? -1 : 1;
  if ((c = strcmp0(a->rule, b->rule))) return c;
  if ((c = strcmp0(a->text, b->text))) return c;
  if ((c = strcmp(a->key, b->key))) return c;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Adds item unless an entry with the same key exists; takes item. */
static void add_unique(entry_vec *v, cJSON *item, char *key) {
  for (size_t i = 0; i < v->n; i++) {
    if (strcmp(v->v[i].key, key) == 0) {
      cJSON_Delete(item);
      free(key);
      return;
    }
  }
  entry e = {0};
  e.item = item;
  e.key = key;
  e.seq = v->n;
  fill_sort_keys(&e);
  LL_VEC_PUSH(v, e);
}

static cJSON *drain_sorted(entry_vec *v) {
  cJSON *arr = cJSON_CreateArray();
  if (v->n) qsort(v->v, v->n, sizeof *v->v, entry_cmp);
  for (size_t i = 0; i < v->n; i++) {
    cJSON_AddItemToArray(arr, v->v[i].item);
    free(v->v[i].key);
  }
  free(v->v);
  v->v = NULL;
  v->n = v->cap = 0;
  return arr;
}

static void free_entries(entry_vec *v) {
  for (size_t i = 0; i < v->n; i++) {
    cJSON_Delete(v->v[i].item);
    free(v->v[i].key);
  }
  free(v->v);
}

/* Notifications keep their own sort keys: uri, line, column, message. */
static void add_notification(entry_vec *v, const cJSON *n) {
  cJSON *item = cJSON_Duplicate(n, 1);
  add_unique(v, item, print_compact(item));
}

static int write_output(const char *output, const cJSON *doc, char **err) {
  if (!output || strcmp(output, "-") == 0) {
    if (ll_json_write(stdout, doc) != 0)
      return fail(err, ll_xstrdup("merge-sarif: cannot write to standard output"));
    return 0;
  }
  char *e = NULL;
  ll_atomic *a = ll_atomic_open(output, &e);
  if (a && ll_json_write(ll_atomic_stream(a), doc) != 0) {
    ll_atomic_abort(a);
    a = NULL;
    e = ll_xasprintf("%s: cannot write", output);
  }
  if (!a || ll_atomic_commit(a, &e) != 0) {
    int r = fail(err, ll_xasprintf("merge-sarif: %s", e));
    free(e);
    return r;
  }
  return 0;
}

/* ---- roots ----
 * Each shard's URIs are relative to its own %SRCROOT%. Shards of one
 * run records where its root sits in its git repository (no path of the
 * machine), and with --absolute-paths the root's URI. A shard whose root
 * lies at or below the first input's is rebased onto it (its relative URIs
 * gain the sub-directory); any other difference, or a root recorded in one
 * shard and not in another, is refused, never mislabelled. */

#define SRCROOT "%SRCROOT%"

/* What a run records about its root: the file:// URI (--absolute-paths)
 * and where it sits in its git repository ("" = the top level, "sub/"). */
typedef struct root_id {
  const char *uri, *repo;
} root_id;

static root_id run_root(const cJSON *run) {
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(run, "originalUriBaseIds");
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(b, SRCROOT);
  root_id id = {str_of(r, "uri"),
                str_of(cJSON_GetObjectItemCaseSensitive(r, "properties"), "leaklint/rootInRepository")};
  return id;
}

/* The sub-directory of want that have is (0, with *prefix), or -1 when have
 * is not at or below want or the two cannot be compared. */
static int root_below(root_id have, root_id want, const char **prefix) {
  const char *h = have.uri && want.uri ? have.uri : have.repo && want.repo ? have.repo : NULL;
  const char *w = have.uri && want.uri ? want.uri : have.repo && want.repo ? want.repo : NULL;
  if (!h) {
    *prefix = "";
    return have.uri || want.uri || have.repo || want.repo ? -1 : 0; /* neither records one */
  }
  size_t wl = strlen(w);
  if (strncmp(h, w, wl) != 0 || (wl && w[wl - 1] != '/' && h[wl])) return -1;
  *prefix = h + wl;
  return 0;
}

static const char *root_name(root_id id) {
  return id.uri ? id.uri : id.repo ? (id.repo[0] ? id.repo : "the repository's top level")
                                   : "(not recorded)";
}

/* Prefixes every relative %SRCROOT% URI under j with prefix. */
static void rebase(cJSON *j, const char *prefix) {
  if (cJSON_IsObject(j)) {
    const char *base = str_of(j, "uriBaseId");
    cJSON *uri = cJSON_GetObjectItemCaseSensitive(j, "uri");
    if (base && strcmp(base, SRCROOT) == 0 && cJSON_IsString(uri) && !strchr(uri->valuestring, ':')) {
      char *v = ll_xasprintf("%s%s", prefix, uri->valuestring);
      cJSON_SetValuestring(uri, v);
      free(v);
    }
  }
  for (cJSON *c = j ? j->child : NULL; c; c = c->next)
    if (!c->string || strcmp(c->string, "originalUriBaseIds") != 0) rebase(c, prefix);
}

/* Brings every run of every input onto the first run's root. 0, or 2 with
 * *err naming the input and both roots. */
static int unify_roots(cJSON **docs, const char *const *inputs, size_t n, char **err) {
  const cJSON *first = cJSON_GetObjectItemCaseSensitive(docs[0], "runs")->child;
  root_id want = run_root(first);
  for (size_t i = 0; i < n; i++) {
    int k = 0;
    cJSON *runs = cJSON_GetObjectItemCaseSensitive(docs[i], "runs");
    for (cJSON *run = runs->child; run; run = run->next, k++) {
      root_id have = run_root(run);
      const char *prefix;
      if (root_below(have, want, &prefix) == 0) {
        if (*prefix) rebase(run, prefix);
        continue;
      }
      return fail(err, ll_xasprintf(
          "merge-sarif: %s: runs[%d] has %%SRCROOT%% %s but %s has %s; its paths cannot be "
          "expressed against that root (run every shard with the same --root)",
          inputs[i], k, root_name(have), inputs[0], root_name(want)));
    }
  }
  return 0;
}

/* The merged run's accumulators. */
typedef struct merge_acc {
  cJSON *rules; /* the output driver's rules (owned by its tool) */
  entry_vec results, exec_notes, cfg_notes;
  int success;
} merge_acc;

/* Gives item the ruleIndex of its rule in the merged rules (idx, or none
 * when idx < 0), placed right after ruleId when it had none. */
static void set_rule_index(cJSON *item, int idx) {
  cJSON *old_idx = cJSON_GetObjectItemCaseSensitive(item, "ruleIndex");
  if (old_idx && idx >= 0) {
    cJSON_ReplaceItemInObjectCaseSensitive(item, "ruleIndex", cJSON_CreateNumber(idx));
  } else if (old_idx) {
    cJSON_DeleteItemFromObjectCaseSensitive(item, "ruleIndex");
  } else if (idx >= 0) {
    /* place ruleIndex right after ruleId (rebuilds the member list) */
    cJSON *tmp = cJSON_CreateObject();
    int placed = 0;
    while (item->child) {
      cJSON *c = cJSON_DetachItemViaPointer(item, item->child);
      cJSON_AddItemToArray(tmp, c); /* keeps the member name */
      if (!placed && c->string && strcmp(c->string, "ruleId") == 0) {
        cJSON_AddNumberToObject(tmp, "ruleIndex", idx);
        placed = 1;
      }
    }
    while (tmp->child) cJSON_AddItemToArray(item, cJSON_DetachItemViaPointer(tmp, tmp->child));
    cJSON_Delete(tmp);
    if (!placed) cJSON_AddNumberToObject(item, "ruleIndex", idx);
  }
}

/* Adds a copy of result r of a run whose rules are run_rules: its ruleId
 * (from its ruleIndex when it has none) indexes the merged rules. */
static void add_result(merge_acc *a, const cJSON *run_rules, const cJSON *r) {
  cJSON *item = cJSON_Duplicate(r, 1);
  const char *rid = str_of(item, "ruleId");
  const cJSON *ri = cJSON_GetObjectItemCaseSensitive(item, "ruleIndex");
  if (!rid && cJSON_IsNumber(ri) && run_rules) {
    const cJSON *rule = cJSON_GetArrayItem(run_rules, ri->valueint);
    if (str_of(rule, "id")) cJSON_AddStringToObject(item, "ruleId", str_of(rule, "id"));
    rid = str_of(item, "ruleId");
  }
  set_rule_index(item, rule_index(a->rules, rid));
  char *fp = print_compact(cJSON_GetObjectItemCaseSensitive(item, "partialFingerprints"));
  char *loc = print_compact(first_physical(item));
  char *key = ll_xasprintf("%s\x1f%s\x1f%s", rid ? rid : "", fp, loc);
  free(fp);
  free(loc);
  add_unique(&a->results, item, key);
}

/* Adds one input run: its rules unknown so far, its invocations' success
 * and notifications, its results. */
static void add_run(merge_acc *a, const cJSON *run) {
  const cJSON *drv =
      cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run, "tool"), "driver");
  const cJSON *run_rules = cJSON_GetObjectItemCaseSensitive(drv, "rules");
  /* rules another shard knows (another leaklint version) are appended */
  for (const cJSON *r = run_rules ? run_rules->child : NULL; r; r = r->next) {
    const char *id = str_of(r, "id");
    if (id && rule_index(a->rules, id) < 0) cJSON_AddItemToArray(a->rules, cJSON_Duplicate(r, 1));
  }
  const cJSON *invs = cJSON_GetObjectItemCaseSensitive(run, "invocations");
  for (const cJSON *inv = invs ? invs->child : NULL; inv; inv = inv->next) {
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(inv, "executionSuccessful");
    if (!cJSON_IsTrue(ok)) a->success = 0;
    const cJSON *tn = cJSON_GetObjectItemCaseSensitive(inv, "toolExecutionNotifications");
    for (const cJSON *x = cJSON_IsArray(tn) ? tn->child : NULL; x; x = x->next)
      add_notification(&a->exec_notes, x);
    const cJSON *cn = cJSON_GetObjectItemCaseSensitive(inv, "toolConfigurationNotifications");
    for (const cJSON *x = cJSON_IsArray(cn) ? cn->child : NULL; x; x = x->next)
      add_notification(&a->cfg_notes, x);
  }
  const cJSON *res = cJSON_GetObjectItemCaseSensitive(run, "results");
  for (const cJSON *r = res ? res->child : NULL; r; r = r->next) add_result(a, run_rules, r);
}

/* The merged log: one run with the first run's key order and its other
 * properties, the merged tool, one invocation and the sorted results.
 * Takes tool and empties the accumulators. */
static cJSON *merged_log(const cJSON *first_doc, const cJSON *first_run, cJSON *tool,
                         merge_acc *a) {
  cJSON *out = cJSON_CreateObject();
  const char *schema = str_of(first_doc, "$schema");
  cJSON_AddStringToObject(out, "$schema", schema ? schema : SARIF_SCHEMA);
  cJSON_AddStringToObject(out, "version", "2.1.0");
  cJSON *runs_out = cJSON_AddArrayToObject(out, "runs");
  cJSON *run_out = cJSON_CreateObject();
  cJSON_AddItemToArray(runs_out, run_out);

  cJSON *inv_arr = cJSON_CreateArray();
  cJSON *inv = cJSON_CreateObject();
  cJSON_AddItemToArray(inv_arr, inv);
  cJSON_AddBoolToObject(inv, "executionSuccessful", a->success);
  cJSON_AddItemToObject(inv, "toolExecutionNotifications", drain_sorted(&a->exec_notes));
  if (a->cfg_notes.n)
    cJSON_AddItemToObject(inv, "toolConfigurationNotifications", drain_sorted(&a->cfg_notes));
  else
    free_entries(&a->cfg_notes);
  cJSON *res_arr = drain_sorted(&a->results);

  int have_tool = 0, have_inv = 0, have_res = 0;
  for (const cJSON *k = first_run->child; k; k = k->next) {
    if (strcmp(k->string, "tool") == 0) {
      cJSON_AddItemToObject(run_out, "tool", tool);
      have_tool = 1;
    } else if (strcmp(k->string, "invocations") == 0) {
      cJSON_AddItemToObject(run_out, "invocations", inv_arr);
      have_inv = 1;
    } else if (strcmp(k->string, "results") == 0) {
      cJSON_AddItemToObject(run_out, "results", res_arr);
      have_res = 1;
    } else {
      cJSON_AddItemToObject(run_out, k->string, cJSON_Duplicate(k, 1));
    }
  }
  if (!have_tool) cJSON_AddItemToObject(run_out, "tool", tool);
  if (!have_inv) cJSON_AddItemToObject(run_out, "invocations", inv_arr);
  if (!have_res) cJSON_AddItemToObject(run_out, "results", res_arr);
  return out;
}

static void free_docs(cJSON **docs, size_t n) {
  for (size_t k = 0; k < n; k++) cJSON_Delete(docs[k]);
  free(docs);
}

int ll_merge_sarif(const char *const *inputs, size_t n, const char *output, char **err) {
  if (err) *err = NULL;
  if (n == 0) return fail(err, ll_xstrdup("merge-sarif: no input files"));
  cJSON **docs = ll_xcalloc(n, sizeof *docs);
  for (size_t i = 0; i < n; i++) {
    docs[i] = load(inputs[i], err);
    if (!docs[i]) {
      free_docs(docs, i);
      return 2;
    }
  }
  if (unify_roots(docs, inputs, n, err) != 0) {
    free_docs(docs, n);
    return 2;
  }
  const cJSON *first_run = cJSON_GetObjectItemCaseSensitive(docs[0], "runs")->child;
  cJSON *tool = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(first_run, "tool"), 1);
  cJSON *driver = cJSON_GetObjectItemCaseSensitive(tool, "driver");
  merge_acc a = {0};
  a.success = 1;
  a.rules = cJSON_GetObjectItemCaseSensitive(driver, "rules");
  if (!a.rules) a.rules = cJSON_AddArrayToObject(driver, "rules");
  for (size_t i = 0; i < n; i++) {
    const cJSON *runs = cJSON_GetObjectItemCaseSensitive(docs[i], "runs");
    for (const cJSON *run = runs->child; run; run = run->next) add_run(&a, run);
  }
  cJSON *out = merged_log(docs[0], first_run, tool, &a);
  int rc = write_output(output, out, err);
  cJSON_Delete(out);
  free_docs(docs, n);
  return rc;
}
