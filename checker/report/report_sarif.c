/* report_sarif.c - SARIF 2.1.0, one run, shaped like
 * shared/sarif/recommended.sarif (validated with the Multitool "Sarif;Gh").
 *
 * Choices worth knowing:
 * - Artifact URIs are relative to the project root ctx->base_dir with
 *   uriBaseId "%SRCROOT%" (relpath.h's policy for files outside it).
 *   originalUriBaseIds gives the root's absolute file:// URI only with
 *   --absolute-paths: an uploaded log does not record the home directory.
 * - columnKind is "utf16CodeUnits" (what GitHub and editors expect). leaklint
 *   columns count bytes, so columns are converted by reading the source line;
 *   on ASCII lines both are equal. When the file cannot be read the byte
 *   column is kept.
 * - Suppressed findings are left out, as in the text and JSON reports:
 *   GitHub code scanning ignores SARIF `suppressions` (shared/reference/sarif.md
 *   §2.1) and would show them as open alerts.
 * - automationDetails only with --category: the upload-sarif action fills it
 *   from its `category` input only when the log has none, so leaving it out
 *   keeps categories working; uploads through the API need it in the log.
 * - At most LL_SARIF_MAX_RESULTS results: code scanning rejects a run with
 *   more. The most severe are kept (errors, then warnings, then notes; in
 *   report order within a level) and a warning notification says how many of
 *   each level were left out.
 * - The hint ends the result message too ("... Hint: ..."): code scanning
 *   shows the message, not result properties.
 * - partialFingerprints carries "leaklint/v1" (leaklint's own baseline
 *   fingerprint); primaryLocationLineHash is left to the upload action.
 * - Related locations are linked from the message as "[text](id)". */
#include "report.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "run.h"
#include "relpath.h"
#include "util.h"

#ifndef LEAKLINT_VERSION
#define LEAKLINT_VERSION "0.0.0"
#endif

#define LL_SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define LL_INFO_URI "https://github.com/leaklint/leaklint"
#define LL_BASE_ID "%SRCROOT%"
#define LL_HOME_ID "HOME"
#define LL_REPO_PATH "leaklint/rootInRepository"
/* code scanning's limit on results per run (reference: docs "SARIF limits") */
#define LL_SARIF_MAX_RESULTS 25000

/* ------------------------------------------------- byte -> UTF-16 columns */

/* One file at a time: findings arrive sorted by file. */
typedef struct srccache {
  char *path;
  char *data; /* NULL when unreadable */
  size_t len;
  size_t *starts; /* byte offset of each line start */
  size_t nlines;
} srccache;

static void srccache_load(srccache *c, const char *path) {
  if (c->path && path && strcmp(c->path, path) == 0) return;
  free(c->path);
  free(c->data);
  free(c->starts);
  memset(c, 0, sizeof *c);
  if (!path) return;
  c->path = ll_xstrdup(path);
  if (ll_read_file(path, &c->data, &c->len) != 0) {
    c->data = NULL;
    return;
  }
  size_t cap = 64;
  c->starts = ll_xmalloc(cap * sizeof *c->starts);
  c->starts[c->nlines++] = 0;
  for (size_t i = 0; i < c->len; i++) {
    if (c->data[i] == '\n' && i + 1 <= c->len) {
      if (c->nlines == cap) {
        cap *= 2;
        c->starts = ll_xrealloc(c->starts, cap * sizeof *c->starts);
      }
      c->starts[c->nlines++] = i + 1;
    }
  }
}

static void srccache_free(srccache *c) {
  free(c->path);
  free(c->data);
  free(c->starts);
  memset(c, 0, sizeof *c);
}

/* Converts a 1-based byte column on `line` of `file` into UTF-16 code units. */
static unsigned utf16_col(srccache *c, const char *file, unsigned line, unsigned col) {
  if (col <= 1 || line == 0) return col;
  srccache_load(c, file);
  if (!c->data || line > c->nlines) return col;
  size_t start = c->starts[line - 1];
  size_t end = line < c->nlines ? c->starts[line] : c->len;
  size_t want = col - 1; /* bytes before the column */
  size_t avail = end - start;
  size_t take = want < avail ? want : avail;
  const unsigned char *p = (const unsigned char *)c->data + start;
  unsigned units = 0;
  for (size_t i = 0; i < take;) {
    unsigned char ch = p[i];
    size_t n = 1;
    if (ch >= 0xF0 && ch <= 0xF4) n = 4;
    else if (ch >= 0xE0) n = 3;
    else if (ch >= 0xC2 && ch <= 0xDF) n = 2;
    int ok = i + n <= take;
    for (size_t k = 1; ok && k < n; k++)
      if ((p[i + k] & 0xC0) != 0x80) ok = 0;
    if (!ok) n = 1; /* a stray byte counts as one unit */
    units += (n == 4) ? 2 : 1;
    i += n;
  }
  return units + (unsigned)(want - take) + 1;
}

/* ------------------------------------------------------------- helpers */

static char *uri_encode(const char *s) {
  ll_buf b = {0};
  ll_buf_puts(&b, "");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~' || *p == '/')
      ll_buf_putc(&b, (char)*p);
    else
      ll_buf_printf(&b, "%%%02X", *p);
  }
  return ll_buf_take(&b);
}

/* Ends a sentence with a period (messages are stored without one). */
static void put_sentence(ll_buf *b, const char *s) {
  ll_buf_puts(b, s ? s : "");
  size_t n = b->len;
  if (n == 0 || (b->data[n - 1] != '.' && b->data[n - 1] != '!' && b->data[n - 1] != '?'))
    ll_buf_putc(b, '.');
}

static char *sentence(const char *s) {
  ll_buf b = {0};
  put_sentence(&b, s);
  return ll_buf_take(&b);
}

/* Plain message text that will carry embedded links: '[' ']' and '\' are
 * escaped so that they are not read as link syntax. */
static void put_link_escaped(ll_buf *b, const char *s) {
  for (; s && *s; s++) {
    if (*s == '[' || *s == ']' || *s == '\\') ll_buf_putc(b, '\\');
    ll_buf_putc(b, *s);
  }
}

static cJSON *message_obj(const char *text) {
  cJSON *m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "text", text ? text : "");
  return m;
}

/* Inside or beside the root: relative to %SRCROOT% ("../x.h" beside it); in a
 * home directory: relative to "HOME", a base the log does not define (so
 * the home directory is not recorded); elsewhere an absolute file:// URI. */
static cJSON *artifact_location(const ll_report_ctx *ctx, const char *file) {
  cJSON *a = cJSON_CreateObject();
  char *rel;
  ll_rel_kind kind = ll_relpath_report(ctx->base_dir, file, ctx->opts && ctx->opts->absolute_paths,
                                       &rel);
  char *enc = uri_encode(kind == LL_REL_HOME ? rel + 2 : rel);
  if (kind == LL_REL_ABS) {
    char *uri = ll_xasprintf("file://%s", enc);
    cJSON_AddStringToObject(a, "uri", uri);
    free(uri);
  } else {
    cJSON_AddStringToObject(a, "uri", enc);
    cJSON_AddStringToObject(a, "uriBaseId", kind == LL_REL_HOME ? LL_HOME_ID : LL_BASE_ID);
  }
  free(enc);
  free(rel);
  return a;
}

static cJSON *region(srccache *c, const ll_span *s) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddNumberToObject(r, "startLine", (double)s->line);
  if (s->col) cJSON_AddNumberToObject(r, "startColumn", (double)utf16_col(c, s->file, s->line, s->col));
  if (s->end_line >= s->line && s->end_line) {
    cJSON_AddNumberToObject(r, "endLine", (double)s->end_line);
    if (s->end_col && s->col)
      cJSON_AddNumberToObject(r, "endColumn",
                              (double)utf16_col(c, s->file, s->end_line, s->end_col));
  }
  return r;
}

static cJSON *physical_location(srccache *c, const ll_report_ctx *ctx, const ll_span *s) {
  cJSON *p = cJSON_CreateObject();
  cJSON_AddItemToObject(p, "artifactLocation", artifact_location(ctx, s->file));
  if (s->line) cJSON_AddItemToObject(p, "region", region(c, s));
  return p;
}

/* "timer-per-iteration" -> "TimerPerIteration" */
static char *pascal_name(const char *id) {
  ll_buf b = {0};
  int up = 1;
  for (const char *p = id; *p; p++) {
    if (*p == '-' || *p == '_') {
      up = 1;
      continue;
    }
    ll_buf_putc(&b, up ? (char)toupper((unsigned char)*p) : *p);
    up = 0;
  }
  return b.data ? ll_buf_take(&b) : ll_xstrdup("Rule");
}

static const char *problem_severity(ll_level l) {
  return ll_level_pick(l, "recommendation", "warning", "error");
}

static cJSON *rule_descriptor(const ll_rule_info *ri, const char *docs_dir) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "id", ri->id);
  char *name = pascal_name(ri->id);
  cJSON_AddStringToObject(r, "name", name);
  free(name);
  char *s = sentence(ri->summary);
  cJSON_AddItemToObject(r, "shortDescription", message_obj(s));
  free(s);
  s = sentence(ri->description && *ri->description ? ri->description : ri->summary);
  cJSON_AddItemToObject(r, "fullDescription", message_obj(s));

  char *doc = NULL;
  if (docs_dir) {
    char *path = ll_xasprintf("%s/%s.md", docs_dir, ri->id);
    size_t len = 0;
    if (ll_read_file(path, &doc, &len) != 0) doc = NULL;
    free(path);
  }
  cJSON *help = cJSON_CreateObject();
  cJSON_AddStringToObject(help, "text", doc ? doc : s);
  cJSON_AddStringToObject(help, "markdown", doc ? doc : s);
  cJSON_AddItemToObject(r, "help", help);
  free(doc);
  free(s);

  char *uri = ll_xasprintf("%s%s.md", LL_DOCS_URI, ri->id);
  cJSON_AddStringToObject(r, "helpUri", uri);
  free(uri);
  cJSON *cfg = cJSON_AddObjectToObject(r, "defaultConfiguration");
  cJSON_AddStringToObject(cfg, "level", ll_level_name(ri->default_level));
  cJSON *props = cJSON_AddObjectToObject(r, "properties");
  cJSON *tags = cJSON_AddArrayToObject(props, "tags");
  cJSON_AddItemToArray(tags, cJSON_CreateString("reliability"));
  cJSON_AddItemToArray(tags, cJSON_CreateString("concurrency"));
  cJSON_AddItemToArray(tags, cJSON_CreateString("resource-leak"));
  cJSON_AddStringToObject(props, "precision", "high");
  cJSON_AddStringToObject(props, "problem.severity", problem_severity(ri->default_level));
  return r;
}

static cJSON *fix_json(srccache *c, const ll_report_ctx *ctx, const ll_fix *x) {
  cJSON *fx = cJSON_CreateObject();
  char *d = sentence(x->title);
  cJSON_AddItemToObject(fx, "description", message_obj(d));
  free(d);
  cJSON *changes = cJSON_AddArrayToObject(fx, "artifactChanges");
  /* one artifactChange per file, in order of first appearance */
  for (size_t i = 0; i < x->nedits; i++) {
    const char *file = x->edits[i].span.file;
    int seen = 0;
    for (size_t k = 0; k < i && !seen; k++)
      if (strcmp(x->edits[k].span.file ? x->edits[k].span.file : "", file ? file : "") == 0)
        seen = 1;
    if (seen) continue;
    cJSON *ch = cJSON_CreateObject();
    cJSON_AddItemToObject(ch, "artifactLocation", artifact_location(ctx, file));
    cJSON *reps = cJSON_AddArrayToObject(ch, "replacements");
    for (size_t j = i; j < x->nedits; j++) {
      const ll_edit *e = &x->edits[j];
      if (strcmp(e->span.file ? e->span.file : "", file ? file : "") != 0) continue;
      cJSON *rep = cJSON_CreateObject();
      ll_span s = e->span;
      if (!s.end_line) { /* an insertion */
        s.end_line = s.line;
        s.end_col = s.col;
      }
      cJSON_AddItemToObject(rep, "deletedRegion", region(c, &s));
      if (e->replacement && *e->replacement) {
        cJSON *ins = cJSON_AddObjectToObject(rep, "insertedContent");
        cJSON_AddStringToObject(ins, "text", e->replacement);
      }
      cJSON_AddItemToArray(reps, rep);
    }
    cJSON_AddItemToArray(changes, ch);
  }
  return fx;
}

static cJSON *result_json(srccache *c, const ll_report_ctx *ctx, const ll_finding *f) {
  cJSON *r = cJSON_CreateObject();
  cJSON_AddStringToObject(r, "ruleId", f->rule ? f->rule : "");
  int idx = f->rule ? ll_registry_find(f->rule) : -1;
  if (idx >= 0) cJSON_AddNumberToObject(r, "ruleIndex", idx);
  cJSON_AddStringToObject(r, "level", ll_level_name(f->level));

  ll_buf msg = {0};
  if (f->nrelated) {
    put_link_escaped(&msg, f->message);
    ll_buf_puts(&msg, "; see ");
    for (size_t i = 0; i < f->nrelated; i++) {
      if (i) ll_buf_puts(&msg, i + 1 == f->nrelated ? " and " : ", ");
      ll_buf_putc(&msg, '[');
      put_link_escaped(&msg, f->related[i].message && *f->related[i].message
                                 ? f->related[i].message : "related location");
      ll_buf_printf(&msg, "](%zu)", i + 1);
    }
    put_sentence(&msg, "");
  } else {
    put_sentence(&msg, f->message);
  }
  if (f->hint && *f->hint) {
    ll_buf_puts(&msg, " Hint: ");
    ll_buf h = {0};
    if (f->nrelated) put_link_escaped(&h, f->hint); /* the message has links: no stray ones */
    else ll_buf_puts(&h, f->hint);
    put_sentence(&msg, h.data);
    ll_buf_free(&h);
  }
  cJSON_AddItemToObject(r, "message", message_obj(msg.data));
  ll_buf_free(&msg);

  cJSON *locs = cJSON_AddArrayToObject(r, "locations");
  cJSON *loc = cJSON_CreateObject();
  cJSON_AddItemToObject(loc, "physicalLocation", physical_location(c, ctx, &f->loc));
  cJSON_AddItemToArray(locs, loc);

  if (f->nrelated) {
    cJSON *rel = cJSON_AddArrayToObject(r, "relatedLocations");
    for (size_t i = 0; i < f->nrelated; i++) {
      cJSON *l = cJSON_CreateObject();
      cJSON_AddNumberToObject(l, "id", (double)(i + 1));
      cJSON_AddItemToObject(l, "message", message_obj(f->related[i].message && *f->related[i].message
                                                          ? f->related[i].message
                                                          : "related location"));
      cJSON_AddItemToObject(l, "physicalLocation", physical_location(c, ctx, &f->related[i].span));
      cJSON_AddItemToArray(rel, l);
    }
  }

  char *fp = ll_report_fingerprint(f);
  cJSON *pf = cJSON_AddObjectToObject(r, "partialFingerprints");
  cJSON_AddStringToObject(pf, "leaklint/v1", fp);
  free(fp);

  size_t nfix = 0;
  for (size_t i = 0; i < f->nfixes; i++)
    if (f->fixes[i].safety != LL_FIX_DISPLAY && f->fixes[i].nedits) nfix++;
  if (nfix) {
    cJSON *fixes = cJSON_AddArrayToObject(r, "fixes");
    for (size_t i = 0; i < f->nfixes; i++)
      if (f->fixes[i].safety != LL_FIX_DISPLAY && f->fixes[i].nedits)
        cJSON_AddItemToArray(fixes, fix_json(c, ctx, &f->fixes[i]));
  }

  cJSON *props = cJSON_AddObjectToObject(r, "properties");
  cJSON_AddStringToObject(props, "confidence", ll_confidence_name(f->confidence));
  if (f->function && *f->function) cJSON_AddStringToObject(props, "function", f->function);
  if (f->hint && *f->hint) cJSON_AddStringToObject(props, "hint", f->hint);
  return r;
}

/* Which findings become results: keep[i] = 1 for at most LL_SARIF_MAX_RESULTS
 * unsuppressed findings, the most severe first. left[level] counts the
 * findings left out per level. */
static unsigned char *select_results(const ll_findings *fs, size_t left[3]) {
  size_t n = fs ? fs->n : 0, per[3] = {0, 0, 0};
  unsigned char *keep = ll_xcalloc(n ? n : 1, 1);
  left[0] = left[1] = left[2] = 0;
  for (size_t i = 0; i < n; i++)
    if (!fs->v[i].suppressed) per[fs->v[i].level]++;
  size_t room = LL_SARIF_MAX_RESULTS, quota[3];
  for (int l = LL_LEVEL_ERROR; l >= LL_LEVEL_NOTE; l--) {
    quota[l] = per[l] < room ? per[l] : room;
    room -= quota[l];
    left[l] = per[l] - quota[l];
  }
  for (size_t i = 0; i < n; i++) {
    const ll_finding *f = &fs->v[i];
    if (f->suppressed || quota[f->level] == 0) continue;
    keep[i] = 1;
    quota[f->level]--;
  }
  return keep;
}

static cJSON *capped_notification(const size_t left[3]) {
  size_t total = left[0] + left[1] + left[2];
  ll_buf b = {0};
  ll_buf_printf(&b, "%zu results were left out: code scanning accepts at most %d per run, so the "
                "most severe were kept (left out:", total, LL_SARIF_MAX_RESULTS);
  const char *sep = " ";
  for (int l = LL_LEVEL_ERROR; l >= LL_LEVEL_NOTE; l--)
    if (left[l]) {
      ll_buf_printf(&b, "%s%zu %s", sep, left[l], ll_level_name((ll_level)l));
      sep = ", ";
    }
  ll_buf_puts(&b, "); narrow the run with --select, --baseline or --shard K/N");
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "level", "warning");
  char *t = sentence(b.data);
  cJSON_AddItemToObject(o, "message", message_obj(t));
  free(t);
  ll_buf_free(&b);
  return o;
}

/* "ci" -> "ci/" (a category with no run id); a value with a '/' is kept. */
static void add_automation_details(cJSON *run, const char *category) {
  if (!category || !*category) return;
  cJSON *ad = cJSON_AddObjectToObject(run, "automationDetails");
  char *id = strchr(category, '/') ? ll_xstrdup(category) : ll_xasprintf("%s/", category);
  cJSON_AddStringToObject(ad, "id", id);
  free(id);
}

int ll_report_sarif(FILE *out, const ll_report_ctx *ctx) {
  srccache cache = {0};
  cJSON *doc = cJSON_CreateObject();
  cJSON_AddStringToObject(doc, "$schema", LL_SARIF_SCHEMA);
  cJSON_AddStringToObject(doc, "version", "2.1.0");
  cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
  cJSON *run = cJSON_CreateObject();
  cJSON_AddItemToArray(runs, run);

  cJSON *tool = cJSON_AddObjectToObject(run, "tool");
  cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
  cJSON_AddStringToObject(driver, "name", "leaklint");
  cJSON_AddStringToObject(driver, "semanticVersion", LEAKLINT_VERSION);
  cJSON_AddStringToObject(driver, "version", LEAKLINT_VERSION);
  cJSON_AddStringToObject(driver, "informationUri", LL_INFO_URI);
  cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
  char *docs = ll_data_path("rules/docs");
  for (size_t i = 0; i < ll_registry_count(); i++)
    cJSON_AddItemToArray(rules, rule_descriptor(ll_registry_at(i), docs));
  free(docs);

  add_automation_details(run, ctx->opts ? ctx->opts->category : NULL);

  /* where the root is on this machine is no business of an uploaded log:
     only with --absolute-paths (code scanning resolves %SRCROOT% against
     the checkout itself) */
  cJSON *bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
  cJSON *root = cJSON_AddObjectToObject(bases, LL_BASE_ID);
  if (ctx->opts && ctx->opts->absolute_paths) {
    char *base_abs = ll_report_base_abs(ctx->base_dir);
    char *enc = uri_encode(base_abs);
    char *base_uri = ll_xasprintf("file://%s", enc);
    cJSON_AddStringToObject(root, "uri", base_uri);
    free(base_uri);
    free(enc);
    free(base_abs);
  } else {
    cJSON_AddItemToObject(root, "description", message_obj("the project root (leaklint --root)"));
  }
  /* where the root sits in its repository ("" = the top level): merge-sarif
     compares shards' roots by it when no location is recorded */
  if (ctx->opts && ctx->opts->root_in_repo)
    cJSON_AddStringToObject(cJSON_AddObjectToObject(root, "properties"), LL_REPO_PATH,
                            ctx->opts->root_in_repo);

  int ok = ctx->files_failed == 0;
  if (ctx->notes)
    for (size_t i = 0; i < ctx->notes->n; i++)
      if (ctx->notes->v[i].level == LL_LEVEL_ERROR) ok = 0;
  cJSON *invs = cJSON_AddArrayToObject(run, "invocations");
  cJSON *inv = cJSON_CreateObject();
  cJSON_AddItemToArray(invs, inv);
  cJSON_AddBoolToObject(inv, "executionSuccessful", ok);
  cJSON *tnotes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
  if (ctx->notes) {
    for (size_t i = 0; i < ctx->notes->n; i++) {
      const ll_notification *n = &ctx->notes->v[i];
      cJSON *o = cJSON_CreateObject();
      cJSON_AddStringToObject(o, "level", ll_level_name(n->level));
      char *m = ll_report_note_message(ctx, n);
      char *t = sentence(m);
      free(m);
      cJSON_AddItemToObject(o, "message", message_obj(t));
      free(t);
      if (n->file && *n->file) {
        ll_span s = {(char *)n->file, n->line, n->col, 0, 0};
        cJSON *locs = cJSON_AddArrayToObject(o, "locations");
        cJSON *l = cJSON_CreateObject();
        cJSON_AddItemToObject(l, "physicalLocation", physical_location(&cache, ctx, &s));
        cJSON_AddItemToArray(locs, l);
      }
      cJSON_AddItemToArray(tnotes, o);
    }
  }
  size_t left[3];
  unsigned char *keep = select_results(ctx->findings, left);
  if (left[0] + left[1] + left[2]) cJSON_AddItemToArray(tnotes, capped_notification(left));

  cJSON_AddStringToObject(run, "columnKind", "utf16CodeUnits");
  cJSON *results = cJSON_AddArrayToObject(run, "results");
  if (ctx->findings) /* suppressed findings leave every output (keep[] is 0) */
    for (size_t i = 0; i < ctx->findings->n; i++)
      if (keep[i]) cJSON_AddItemToArray(results, result_json(&cache, ctx, &ctx->findings->v[i]));
  free(keep);

  int rc = ll_json_write(out, doc);
  cJSON_Delete(doc);
  srccache_free(&cache);
  return rc;
}
