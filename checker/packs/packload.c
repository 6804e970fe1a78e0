/* packload.c - one rule pack's text into a load context (packload.h): the
 * JSON syntax (with the line and column of a defect), the pack's top-level
 * keys, its facts and hints (packfact.c), its API entries (packapi.c) and
 * the entries that the lookup could not tell apart. */
#include "packload.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packapi.h"

#define LL_SCHEMA_VERSION 1

/* Two entries that the lookup could not tell apart. */
static int same_slot(const ll_api *a, const ll_api *b) {
  if (strcmp(a->callee, b->callee) != 0) return 0;
  if ((a->match == LL_MATCH_RANGE_FOR) != (b->match == LL_MATCH_RANGE_FOR)) return 0;
  if (a->role != b->role) return 0;
  if (a->min_args != b->min_args || a->max_args != b->max_args) return 0;
  if (a->requires_arg != b->requires_arg) return 0;
  if ((a->requires_arg_text == NULL) != (b->requires_arg_text == NULL)) return 0;
  if (a->requires_arg_text && strcmp(a->requires_arg_text, b->requires_arg_text) != 0) return 0;
  return 1;
}

/* A hash of what same_slot compares: equal slots hash alike. */
static uint64_t slot_hash(const ll_api *a) {
  int k[5] = {a->match == LL_MATCH_RANGE_FOR, (int)a->role, a->min_args, a->max_args, a->requires_arg};
  uint64_t h = ll_hash_fast(a->callee, strlen(a->callee), LL_HASH_SEED);
  h = ll_hash_fast(k, sizeof k, h);
  if (a->requires_arg_text) h = ll_hash_fast(a->requires_arg_text, strlen(a->requires_arg_text), h ^ 1);
  return h;
}

typedef struct slot_ent {
  const ll_api *api;
  const char *where;
  int loaded; /* from an earlier pack (else from this one) */
} slot_ent;

/* Finds an entry in the same slot as a, or inserts a: the match, else NULL. */
static const slot_ent *slot_put(slot_ent *t, size_t mask, const ll_api *a, const char *where, int loaded) {
  for (size_t i = (size_t)slot_hash(a) & mask;; i = (i + 1) & mask) {
    if (!t[i].api) {
      t[i] = (slot_ent){a, where, loaded};
      return NULL;
    }
    if (same_slot(a, t[i].api)) return &t[i];
  }
}

/* Entries that the lookup could not tell apart, within this pack or with an
 * earlier one: one hash table over both (linear; it was quadratic: 100k APIs
 * took over a minute). The earlier packs have no duplicates among themselves. */
static int check_duplicates(ll_pk_ctx *c) {
  size_t loaded = ll_rules_count(c->r);
  size_t need = 2 * (c->apis.n + loaded) + 2, cap = 16;
  while (cap < need) cap <<= 1;
  slot_ent *t = ll_xcalloc(cap, sizeof *t);
  for (size_t j = 0; j < loaded; j++) slot_put(t, cap - 1, ll_rules_at(c->r, j), ll_rules_where(c->r, j), 1);
  int rc = 0;
  for (size_t i = 0; i < c->apis.n && !rc; i++) {
    const ll_api *a = c->apis.v[i];
    const slot_ent *m = slot_put(t, cap - 1, a, c->where.v[i], 0);
    if (m)
      rc = ll_pk_fail(c, c->where.v[i], m->loaded ? "duplicate entry: '%s' with role '%s' is already defined in %s"
                      : "duplicate entry: '%s' with role '%s' is already defined at %s",
                      a->name, ll_role_name(a->role), m->where);
  }
  free(t);
  return rc;
}

static const char *const pack_keys[] = {"schema", "library", "description", "languages", "apis", "note",
                                        "facts", "hints"};
static int parse_pack(ll_pk_ctx *c, const cJSON *root) {
  if (!cJSON_IsObject(root))
    return ll_pk_fail(c, "/", "expected an object (a rule pack), got %s", ll_json_kind(root));
  if (ll_pk_keys(c, root, "/", pack_keys, sizeof pack_keys / sizeof pack_keys[0], "a rule pack"))
    return -1;
  const cJSON *v = ll_json_item(root, "schema");
  if (!v) return ll_pk_fail(c, "/", "missing required key 'schema' (use %d)", LL_SCHEMA_VERSION);
  long long sv;
  if (ll_pk_int(c, v, "/schema", 1, &sv, "an integer >= 1")) return -1;
  if (sv != LL_SCHEMA_VERSION)
    return ll_pk_fail(c, "/schema", "unsupported schema version %lld (this leaklint reads %d)", sv,
                      LL_SCHEMA_VERSION);
  v = ll_json_item(root, "library");
  if (!v) return ll_pk_fail(c, "/", "missing required key 'library'");
  if (ll_pk_string(c, v, "/library", &c->library)) return -1;
  for (const char *p = c->library; *p; p++)
    if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.' || *p == '+'))
      return ll_pk_fail(c, "/library", "library name '%s' may contain only letters, digits and -_.+",
                        c->library);
  for (size_t i = 0; i < ll_rules_pack_count(c->r); i++)
    if (strcmp(ll_rules_pack_name(c->r, i), c->library) == 0)
      return ll_pk_fail(c, "/library", "library '%s' is already loaded from %s", c->library,
                        ll_rules_pack_file(c->r, i));
  if ((v = ll_json_item(root, "description")) && !cJSON_IsString(v))
    return ll_pk_fail(c, "/description", "expected a string, got %s", ll_json_kind(v));
  if ((v = ll_json_item(root, "note")) && !cJSON_IsString(v))
    return ll_pk_fail(c, "/note", "expected a string, got %s", ll_json_kind(v));
  if ((v = ll_json_item(root, "languages"))) {
    static const char *const langs[] = {"c", "c++"};
    if (!cJSON_IsArray(v))
      return ll_pk_fail(c, "/languages", "expected an array of strings, got %s", ll_json_kind(v));
    size_t i = 0;
    for (const cJSON *l = v->child; l; l = l->next, i++) {
      int k;
      if (ll_pk_enum(c, l, ll_pk_index(c, "/languages", i), langs, 2, "language", &k)) return -1;
    }
  }
  if (ll_json_item(root, "facts") || ll_json_item(root, "hints")) {
    char *fpath = NULL, *fmsg = NULL;
    c->facts = ll_packfacts_parse(ll_json_item(root, "facts"), ll_json_item(root, "hints"), &fpath, &fmsg);
    if (!c->facts) {
      ll_pk_fail(c, fpath, "%s", fmsg);
      free(fpath);
      free(fmsg);
      return -1;
    }
  }
  v = ll_json_item(root, "apis");
  if (!v) return ll_pk_fail(c, "/", "missing required key 'apis'");
  if (!cJSON_IsArray(v))
    return ll_pk_fail(c, "/apis", "expected an array of API entries, got %s", ll_json_kind(v));
  size_t i = 0;
  for (const cJSON *e = v->child; e; e = e->next, i++)
    if (ll_packapi_parse(c, e, ll_pk_index(c, "/apis", i))) return -1;
  return check_duplicates(c);
}

/* "unexpected X" for a cJSON failure position. */
static void syntax_error(ll_pk_ctx *c, const char *text, size_t len, const char *at, int is_file) {
  size_t off = at && at >= text && at <= text + len ? (size_t)(at - text) : len;
  unsigned line = 1, col = 1;
  for (size_t i = 0; i < off; i++) {
    if (text[i] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  char what[64];
  if (off >= len) {
    snprintf(what, sizeof what, "unexpected end of input");
  } else {
    unsigned char ch = (unsigned char)text[off];
    if (isprint(ch)) snprintf(what, sizeof what, "unexpected '%c'", ch);
    else snprintf(what, sizeof what, "unexpected byte 0x%02x", ch);
  }
  ll_buf b = {0};
  if (is_file)
    ll_buf_printf(&b, "%s:%u:%u: invalid JSON: %s", c->origin, line, col, what);
  else
    ll_buf_printf(&b, "%s: invalid JSON at line %u, column %u: %s", c->origin, line, col, what);
  free(c->err);
  c->err = ll_buf_take(&b);
}

int ll_packload_parse(ll_pk_ctx *c, const char *text, size_t len, int is_file) {
  size_t nul = ll_json_nul_escape(text, len);
  if (nul != (size_t)-1) {
    c->err = ll_xasprintf("%s: byte %zu: \\u0000 in a string: ids and names cannot contain a NUL character",
                          c->origin, nul);
    return -1;
  }
  size_t ws = strspn(text, " \t\r\n");
  int rc = -1;
  if (strlen(text) != len) {
    ll_pk_fail(c, "/", "the file contains a NUL byte");
  } else if (ws == len) {
    if (is_file) c->err = ll_xasprintf("%s:1:1: invalid JSON: the file is empty", c->origin);
    else ll_pk_fail(c, "/", "the rule pack is empty");
  } else {
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
      syntax_error(c, text, len, end, is_file);
    } else {
      rc = parse_pack(c, root);
      cJSON_Delete(root);
    }
  }
  return rc;
}
