/* tasklist.c - `leaklint --list-tasks` (see tasklist.h). */
#include "tasklist.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "summary.h"
#include "task.h"
#include "util.h"

typedef enum { ST_RESOLVED, ST_FORWARDED, ST_UNRESOLVED } status;
static const char *const status_names[] = {"resolved", "forwarded", "unresolved"};

/* Status of a spawn and, unless resolved, why (malloc'd). */
/* fn is itself a spawn of some pack (libuv's own uv_thread_create in the
 * libuv tree): its callers are spawn sites of their own. */
static int pack_spawn(const ll_rules *rules, const ll_func *fn) {
  const ll_api *a[8];
  size_t n = fn->name ? ll_rules_lookup(rules, fn->name, a, 8) : 0;
  for (size_t i = 0; i < n && i < 8; i++)
    if (a[i]->role == LL_ROLE_SPAWN) return 1;
  return 0;
}

static status classify(const ll_program *p, const ll_rules *rules, const ll_summaries *sums, const ll_spawn *sp,
                       char **why) {
  *why = NULL;
  if (sp->entry && sp->entry->body) return ST_RESOLVED;
  const ll_node *site = sp->site;
  if (site->is_bracket_spawn) {
    const ll_node *t = site->bracket_task;
    *why = ll_xasprintf("the task call %s has no definition in the analysed files", t && t->callee ? t->callee : "?");
    return ST_UNRESOLVED;
  }
  if (sp->entry_call) {
    *why = ll_xasprintf("the task is a call of %s, which has no definition in the analysed files",
                        sp->entry_call->callee ? sp->entry_call->callee : "?");
    return ST_UNRESOLVED;
  }
  const ll_value *v = ll_value_strip(ll_call_arg(site, sp->api->entry_arg));
  if (!v) {
    *why = ll_xstrdup("the call has no entry argument");
    return ST_UNRESOLVED;
  }
  int pi = ll_summary_entry_param(sp->spawner, v);
  if (pi >= 0) {
    if (ll_summaries_of(sums, sp->spawner, LL_ROLE_SPAWN)) {
      *why = ll_xasprintf("the entry is parameter %d of %s, an inferred spawn: its callers are listed", pi,
                          sp->spawner->name);
      return ST_FORWARDED;
    }
    if (pack_spawn(rules, sp->spawner)) {
      *why = ll_xasprintf("the entry is parameter %d of %s, a spawn the packs model: its callers are listed", pi,
                          sp->spawner->name);
      return ST_FORWARDED;
    }
    *why = ll_xasprintf("the entry is parameter %d of %s, and no spawn summary was inferred for it", pi,
                        sp->spawner->name);
    return ST_UNRESOLVED;
  }
  switch (v->kind) {
  case LL_V_FUNC: {
    const ll_func *any = ll_program_find(p, v->usr);
    *why = any ? ll_xasprintf("%s is defined by several programs in the tree, none in this file", v->name)
               : ll_xasprintf("%s has no definition in the analysed files", v->name ? v->name : "?");
    break;
  }
  case LL_V_VAR:
    *why = ll_xasprintf("the entry is the variable %s, set from something the analysis cannot follow",
                        v->text ? v->text : "?");
    break;
  case LL_V_FIELD:
    *why = ll_xasprintf("the entry is read from the field %s, a function pointer set elsewhere",
                        v->name ? v->name : "?");
    break;
  case LL_V_GLOBAL: *why = ll_xasprintf("the entry is read from the global %s", v->name ? v->name : "?"); break;
  case LL_V_INDEX: *why = ll_xstrdup("the entry is read from an array of callbacks"); break;
  case LL_V_CALL:
    *why = ll_xasprintf("the entry is the result of a call of %s",
                        v->call && v->call->callee ? v->call->callee : "?");
    break;
  default:
    *why = ll_xasprintf("the entry `%s` is not a function the analysis can follow", v->text ? v->text : "?");
    break;
  }
  return ST_UNRESOLVED;
}

static const char *api_name(const ll_spawn *sp) {
  /* an inferred wrapper is a function: a macro around its call is not it */
  if (sp->site->macro && !ll_api_is_inferred(sp->api)) return sp->site->macro;
  return sp->api->name ? sp->api->name : "?";
}

static cJSON *loc_json(const ll_loc *l) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "file", l->file ? l->file : "");
  cJSON_AddNumberToObject(o, "line", l->line);
  cJSON_AddNumberToObject(o, "column", l->col);
  return o;
}

static const char *const handle_names[] = {"none", "return", "out-argument", "object"};

static void add_arg(cJSON *o, const char *key, int arg) {
  if (arg >= 0) cJSON_AddNumberToObject(o, key, arg);
  else if (arg == LL_ARG_OBJECT) cJSON_AddStringToObject(o, key, "object");
  else if (arg == LL_ARG_REST) cJSON_AddStringToObject(o, key, "rest");
}

static cJSON *summary_json(const ll_summaries *s, size_t i) {
  const ll_api *a = ll_summaries_api(s, i);
  const ll_func *fn = ll_summaries_func(s, i);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "name", fn->name);
  cJSON_AddItemToObject(o, "location", loc_json(&fn->loc));
  cJSON_AddStringToObject(o, "role", ll_role_name(a->role));
  cJSON_AddStringToObject(o, "pack", a->pack ? a->pack : "");
  if (a->role == LL_ROLE_SPAWN) {
    add_arg(o, "entry", a->entry_arg);
    add_arg(o, "data", a->data_arg);
    cJSON *h = cJSON_AddObjectToObject(o, "handle");
    cJSON_AddStringToObject(h, "kind", (a->flags & LL_API_HANDLE_ESCAPES) ? "kept" : handle_names[a->handle]);
    if (a->handle == LL_HANDLE_OUT_ARG) add_arg(h, "argument", a->handle_arg);
    if (a->flags & LL_API_DETACHED) cJSON_AddBoolToObject(o, "detached", 1);
  } else {
    add_arg(o, "object", a->object_arg);
    add_arg(o, "timeout", a->timeout_arg);
    if (a->timeout_arg >= 0) {
      cJSON *fv = cJSON_AddArrayToObject(o, "forever");
      for (int k = 0; k < a->nforever; k++) cJSON_AddItemToArray(fv, cJSON_CreateNumber((double)a->forever[k]));
    }
  }
  cJSON_AddStringToObject(o, "why", ll_summaries_why(s, i) ? ll_summaries_why(s, i) : "");
  return o;
}

static void summary_text(FILE *out, const ll_summaries *s, size_t i) {
  const ll_api *a = ll_summaries_api(s, i);
  const ll_func *fn = ll_summaries_func(s, i);
  fprintf(out, "  %s:%u: %s: %s", fn->loc.file ? fn->loc.file : "?", fn->loc.line, fn->name, ll_role_name(a->role));
  if (a->role == LL_ROLE_SPAWN) {
    fprintf(out, " (entry argument %d", a->entry_arg);
    if (a->data_arg >= 0) fprintf(out, ", data argument %d", a->data_arg);
    fprintf(out, ", handle %s", (a->flags & LL_API_HANDLE_ESCAPES) ? "kept" : handle_names[a->handle]);
    if (a->handle == LL_HANDLE_OUT_ARG) fprintf(out, " %d", a->handle_arg);
    fprintf(out, ")");
  } else {
    if (a->object_arg >= 0) fprintf(out, " (object argument %d", a->object_arg);
    else if (a->object_arg == LL_ARG_OBJECT) fprintf(out, " (its object");
    else fprintf(out, " (at this call site");
    if (a->timeout_arg >= 0 && a->nforever) {
      fprintf(out, ", timeout argument %d, forever when", a->timeout_arg);
      for (int k = 0; k < a->nforever; k++) fprintf(out, "%s %lld", k ? " or" : "", a->forever[k]);
    } else if (a->timeout_arg >= 0) {
      fprintf(out, ", timeout argument %d", a->timeout_arg);
    }
    fprintf(out, ")");
  }
  fprintf(out, ": %s\n", ll_summaries_why(s, i) ? ll_summaries_why(s, i) : "");
}

/* "bound": the spawner's values the task's parameters take, by parameter. */
static void add_bound(cJSON *o, const ll_spawn *sp) {
  cJSON *arr = NULL;
  for (size_t i = 0; i < sp->nbind; i++) {
    if (!sp->bind[i]) continue;
    if (!arr) arr = cJSON_AddArrayToObject(o, "bound");
    cJSON *b = cJSON_CreateObject();
    cJSON_AddNumberToObject(b, "parameter", (double)i);
    cJSON_AddStringToObject(b, "value", sp->bind[i]->text ? sp->bind[i]->text : "?");
    cJSON_AddItemToArray(arr, b);
  }
}

static void entry_text(FILE *out, const ll_spawn *sp) {
  const ll_func *e = sp->entry;
  fprintf(out, " -> %s (%s:%u)", e->is_lambda ? "<lambda>" : e->is_block ? "<block>" : e->name,
          e->loc.file ? e->loc.file : "?", e->loc.line);
}

int ll_tasklist_write(FILE *out, const ll_program *p, const ll_rules *rules, const ll_summaries *sums, int json) {
  ll_spawns sp = {0};
  ll_spawns_find_rules(p, rules, &sp);
  size_t count[3] = {0, 0, 0};
  cJSON *doc = json ? cJSON_CreateObject() : NULL;
  cJSON *arr = json ? cJSON_AddArrayToObject(doc, "spawns") : NULL;
  for (size_t i = 0; i < sp.n; i++) {
    const ll_spawn *s = &sp.v[i];
    char *why = NULL;
    status st = classify(p, rules, sums, s, &why);
    count[st]++;
    int inferred = ll_api_is_inferred(s->api);
    if (json) {
      cJSON *o = cJSON_CreateObject();
      cJSON_AddItemToObject(o, "location", loc_json(&s->site->loc));
      cJSON_AddStringToObject(o, "function", s->spawner->name ? s->spawner->name : "");
      cJSON_AddStringToObject(o, "api", api_name(s));
      cJSON_AddStringToObject(o, "origin", inferred ? "inferred" : "pack");
      cJSON_AddStringToObject(o, "pack", s->api->pack ? s->api->pack : "");
      cJSON_AddStringToObject(o, "status", status_names[st]);
      if (st == ST_RESOLVED) {
        cJSON *e = loc_json(&s->entry->loc);
        cJSON_AddStringToObject(e, "name", s->entry->is_lambda ? "<lambda>" : s->entry->is_block ? "<block>"
                                                                                            : s->entry->name);
        cJSON_AddItemToObject(o, "entry", e);
        add_bound(o, s);
      } else {
        cJSON_AddStringToObject(o, "reason", why);
      }
      cJSON_AddItemToArray(arr, o);
    } else {
      fprintf(out, "%s:%u:%u: %s: %s [%s%s%s]", s->site->loc.file ? s->site->loc.file : "?", s->site->loc.line,
              s->site->loc.col, s->spawner->name ? s->spawner->name : "?", api_name(s), inferred ? "inferred from " : "",
              s->api->pack ? s->api->pack : "", "");
      if (st == ST_RESOLVED) entry_text(out, s);
      else fprintf(out, " %s: %s", status_names[st], why);
      fputc('\n', out);
    }
    free(why);
  }
  size_t judged = count[ST_RESOLVED] + count[ST_UNRESOLVED];
  double frac = judged ? 100.0 * (double)count[ST_RESOLVED] / (double)judged : 100.0;
  int rc = 0;
  if (json) {
    cJSON *inf = cJSON_AddArrayToObject(doc, "inferred");
    for (size_t i = 0; i < ll_summaries_count(sums); i++) cJSON_AddItemToArray(inf, summary_json(sums, i));
    cJSON *t = cJSON_AddObjectToObject(doc, "totals");
    cJSON_AddNumberToObject(t, "sites", (double)sp.n);
    for (int k = 0; k < 3; k++) cJSON_AddNumberToObject(t, status_names[k], (double)count[k]);
    cJSON_AddNumberToObject(t, "percent", (double)((long long)(frac * 10 + 0.5)) / 10.0);
    rc = ll_json_write(out, doc);
    cJSON_Delete(doc);
  } else {
    fprintf(out, "inferred APIs: %zu\n", ll_summaries_count(sums));
    for (size_t i = 0; i < ll_summaries_count(sums); i++) summary_text(out, sums, i);
    fprintf(out, "spawn sites: %zu: %zu resolved, %zu forwarded, %zu unresolved (%.1f%% resolved)\n", sp.n,
            count[ST_RESOLVED], count[ST_FORWARDED], count[ST_UNRESOLVED], frac);
    rc = ferror(out) ? -1 : 0;
  }
  ll_spawns_free(&sp);
  return rc;
}
