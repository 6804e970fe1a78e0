/* rulepack.c - loads, validates and indexes the JSON rule packs (rulepack.h).
 *
 * Every load is transactional: a pack is parsed into its own arena and only
 * appended to the ll_rules when the whole file validated; on any error the
 * arena is dropped and *err names the file, the JSON pointer and the defect.
 * ll_rules_freeze builds a sorted index by callee spelling; after that the
 * set is immutable and lookups take no locks. The schema is documented in
 * rules/README.md. */
#include "rulepack.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "digest.h"
#include "readfile.h"
#include "packfact.h"
#include "suggest.h"
#include "util.h"

#define LL_SCHEMA_VERSION 1

static const char *const role_names[LL_ROLE__COUNT] = {
  [LL_ROLE_SPAWN] = "spawn",
  [LL_ROLE_JOIN] = "join",
  [LL_ROLE_DETACH] = "detach",
  [LL_ROLE_CANCEL] = "cancel",
  [LL_ROLE_CHAN_CREATE] = "chan_create",
  [LL_ROLE_CHAN_DUP] = "chan_dup",
  [LL_ROLE_SEND] = "send",
  [LL_ROLE_RECV] = "recv",
  [LL_ROLE_CLOSE] = "close",
  [LL_ROLE_SELECT] = "select",
  [LL_ROLE_SELECT_BEGIN] = "select_begin",
  [LL_ROLE_SELECT_SEND] = "select_send",
  [LL_ROLE_SELECT_RECV] = "select_recv",
  [LL_ROLE_SELECT_DEADLINE] = "select_deadline",
  [LL_ROLE_SELECT_DEFAULT] = "select_default",
  [LL_ROLE_WAIT] = "wait",
  [LL_ROLE_SIGNAL] = "signal",
  [LL_ROLE_TIMER_CREATE] = "timer_create",
  [LL_ROLE_TIMER_REARM] = "timer_rearm",
  [LL_ROLE_TIMER_RELEASE] = "timer_release",
  [LL_ROLE_SLEEP] = "sleep",
  [LL_ROLE_TASK_EXIT] = "task_exit",
  [LL_ROLE_STOP_CHECK] = "stop_check",
  [LL_ROLE_STOP_REQUEST] = "stop_request",
  [LL_ROLE_DESTROY] = "destroy",
  [LL_ROLE_BLOCKING_IO] = "blocking_io",
  [LL_ROLE_INTERRUPT] = "interrupt",
  [LL_ROLE_LOCK] = "lock",
  [LL_ROLE_UNLOCK] = "unlock",
  [LL_ROLE_CALLBACK] = "callback",
  [LL_ROLE_POOL_PUSH] = "pool_push",
};

const char *ll_role_name(ll_role r) {
  if ((unsigned)r >= LL_ROLE__COUNT) return "?";
  return role_names[r];
}

static const char *const match_names[] = {
  [LL_MATCH_FUNCTION] = "function",   [LL_MATCH_METHOD] = "method",
  [LL_MATCH_CONSTRUCTOR] = "constructor", [LL_MATCH_BRACKET] = "bracket",
  [LL_MATCH_RANGE_FOR] = "range_for", [LL_MATCH_OPERATOR] = "operator",
};
#define N_MATCH (sizeof match_names / sizeof match_names[0])

static const char *const capacity_names[] = {
  [LL_CAP_NONE] = NULL, [LL_CAP_COUNT] = "count", [LL_CAP_RING] = "ring",
  [LL_CAP_ALWAYS_UNBUFFERED] = "always_unbuffered", [LL_CAP_ZERO_UNBOUNDED] = "zero_unbounded",
};
#define N_CAPACITY (sizeof capacity_names / sizeof capacity_names[0])

static const char *const handle_names[] = {
  [LL_HANDLE_NONE] = "none", [LL_HANDLE_RETURN] = "return",
  [LL_HANDLE_OUT_ARG] = "out_arg", [LL_HANDLE_OBJECT] = "object",
};
#define N_HANDLE (sizeof handle_names / sizeof handle_names[0])

static const struct {
  const char *name;
  unsigned bit;
} flag_names[] = {
  {"cancel_point", LL_API_CANCEL_POINT}, {"detached", LL_API_DETACHED},
  {"joins_on_destroy", LL_API_JOINS_ON_DESTROY}, {"stop_token", LL_API_STOP_TOKEN},
  {"nonblocking", LL_API_NONBLOCKING}, {"oneshot", LL_API_ONESHOT},
  {"raii", LL_API_RAII}, {"all_handles", LL_API_ALL_HANDLES},
  {"deferred_cancel", LL_API_DEFERRED_CANCEL}, {"queued_cancel", LL_API_QUEUED_CANCEL},
  {"barrier", LL_API_BARRIER}, {"fails_by_result", LL_API_FAILS_BY_RESULT},
  {"while_true", LL_API_WHILE_TRUE}, {"caller_ref", LL_API_CALLER_REF},
};
#define N_FLAGS (sizeof flag_names / sizeof flag_names[0])

/* ---- the rule set ---- */


typedef struct idx_ent {
  const char *key;
  const ll_api *api;
  size_t seq;
  int specific; /* has requires_arg_text: sorted first among equal keys */
} idx_ent;

struct ll_rules {
  LL_VEC(ll_arena *) arenas; /* one per loaded pack */
  LL_VEC(ll_api *) apis;     /* load order */
  LL_VEC(const char *) where;/* parallel to apis: "FILE: /apis/N" */
  LL_VEC(const char *) packs;
  LL_VEC(const char *) pack_origin; /* parallel to packs */
  uint64_t hash;
  ll_digest digest; /* SHA-256 chain of (origin, text) in load order: the cache key */
  int frozen;
  idx_ent *index, *rindex; /* calls / range-for, sorted by key */
  size_t nindex, nrindex;
  ll_packfacts *facts; /* the packs' facts and hints */
};

ll_rules *ll_rules_new(void) {
  ll_rules *r = ll_xcalloc(1, sizeof *r);
  r->hash = LL_HASH_SEED;
  r->facts = ll_packfacts_new();
  return r;
}

void ll_rules_free(ll_rules *r) {
  if (!r) return;
  for (size_t i = 0; i < r->arenas.n; i++) ll_arena_free(r->arenas.v[i]);
  free(r->arenas.v);
  free(r->apis.v);
  free(r->where.v);
  free(r->packs.v);
  free(r->pack_origin.v);
  free(r->index);
  free(r->rindex);
  ll_packfacts_free(r->facts);
  free(r);
}

/* ---- load context and error reporting ---- */

typedef struct lctx {
  ll_rules *r;
  ll_arena *A;
  const char *origin;  /* file path, or text origin */
  int origin_has_ptr;  /* origin already ends in a JSON pointer ("CFG: /models") */
  char *err;           /* first error (owned) */
  LL_VEC(ll_api *) apis;
  LL_VEC(const char *) where;
  const char *library;
  ll_packfacts_pack *facts; /* this pack's facts and hints, committed on success */
} lctx;

static void failv(lctx *c, const char *path, const char *fmt, va_list ap) {
  if (c->err) return;
  ll_buf b = {0};
  if (c->origin_has_ptr)
    ll_buf_printf(&b, "%s%s: ", c->origin, strcmp(path, "/") == 0 ? "" : path);
  else
    ll_buf_printf(&b, "%s: %s: ", c->origin, path);
  size_t head = b.len;
  ll_buf_vprintf(&b, fmt, ap);
  ll_buf_cut(&b, head, 300); /* a huge invalid value is not echoed whole */
  c->err = ll_buf_take(&b);
}

static int fail(lctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(lctx *c, const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  failv(c, path, fmt, ap);
  va_end(ap);
  return -1;
}

/* JSON pointer of a child: parent + "/" + key (with ~ and / escaped). */
static char *ptr_key(lctx *c, const char *parent, const char *key) {
  ll_buf b = {0};
  ll_buf_puts(&b, strcmp(parent, "/") == 0 ? "" : parent);
  ll_buf_putc(&b, '/');
  for (const char *p = key; *p; p++) {
    if (*p == '~') ll_buf_puts(&b, "~0");
    else if (*p == '/') ll_buf_puts(&b, "~1");
    else ll_buf_putc(&b, *p);
  }
  char *s = ll_arena_strdup(c->A, b.data);
  ll_buf_free(&b);
  return s;
}

static char *ptr_index(lctx *c, const char *parent, size_t i) {
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%zu", i);
  return ptr_key(c, parent, tmp);
}

static const char *json_kind(const cJSON *v) {
  if (cJSON_IsObject(v)) return "an object";
  if (cJSON_IsArray(v)) return "an array";
  if (cJSON_IsString(v)) return "a string";
  if (cJSON_IsNumber(v)) return "a number";
  if (cJSON_IsBool(v)) return "a boolean";
  if (cJSON_IsNull(v)) return "null";
  return "an invalid value";
}

/* ---- typed getters ---- */

static int get_string(lctx *c, const cJSON *v, const char *path, const char **out) {
  if (!cJSON_IsString(v) || !v->valuestring)
    return fail(c, path, "expected a string, got %s", json_kind(v));
  if (!v->valuestring[0]) return fail(c, path, "expected a non-empty string");
  *out = ll_arena_strdup(c->A, v->valuestring);
  return 0;
}

/* Symbolic argument names accepted by get_arg. */
enum { SYM_OBJECT = 1, SYM_RESULT = 2, SYM_REST = 4 };

static int get_ll(lctx *c, const cJSON *v, const char *path, long long min, long long *out,
                  const char *what) {
  *out = 0; /* defined on every path: -O3 cannot see that fail() is non-zero */
  if (!cJSON_IsNumber(v)) return fail(c, path, "expected %s, got %s", what, json_kind(v));
  double d = v->valuedouble;
  if (d != floor(d) || d < -9007199254740992.0 || d > 9007199254740992.0 || d < (double)min)
    return fail(c, path, "expected %s", what);
  *out = (long long)d;
  return 0;
}

/* An argument index: an integer >= -1 (or < max), or one of the allowed
 * symbolic names "object", "result", "rest" (and "none" = -1). */
static int get_arg(lctx *c, const cJSON *v, const char *path, unsigned syms, int *out) {
  char what[160];
  snprintf(what, sizeof what, "an integer >= -1%s%s%s", (syms & SYM_OBJECT) ? " or \"object\"" : "",
           (syms & SYM_RESULT) ? " or \"result\"" : "", (syms & SYM_REST) ? " or \"rest\"" : "");
  if (cJSON_IsString(v) && v->valuestring) {
    const char *s = v->valuestring;
    if ((syms & SYM_OBJECT) && strcmp(s, "object") == 0) *out = LL_ARG_OBJECT;
    else if ((syms & SYM_RESULT) && strcmp(s, "result") == 0) *out = LL_ARG_RESULT;
    else if ((syms & SYM_REST) && strcmp(s, "rest") == 0) *out = LL_ARG_REST;
    else if (strcmp(s, "none") == 0) *out = LL_ARG_NONE;
    else return fail(c, path, "expected %s, got \"%s\"", what, s);
    return 0;
  }
  long long x;
  if (get_ll(c, v, path, -1, &x, what)) return -1;
  if (x > 255) return fail(c, path, "argument index %lld is out of range (at most 255)", x);
  *out = (int)x;
  return 0;
}

static int get_enum(lctx *c, const cJSON *v, const char *path, const char *const *names,
                    size_t count, const char *what, int *out) {
  *out = 0; /* as in get_ll */
  if (!cJSON_IsString(v) || !v->valuestring)
    return fail(c, path, "expected %s name (a string), got %s", what, json_kind(v));
  for (size_t i = 0; i < count; i++)
    if (names[i] && strcmp(names[i], v->valuestring) == 0) {
      *out = (int)i;
      return 0;
    }
  char sug[96];
  ll_buf b = {0};
  for (size_t i = 0; i < count; i++)
    if (names[i]) ll_buf_printf(&b, "%s%s", b.len ? ", " : "", names[i]);
  fail(c, path, "unknown %s '%s'%s; expected one of: %s", what, v->valuestring,
       ll_suggest(sug, sizeof sug, v->valuestring, names, count), b.data);
  ll_buf_free(&b);
  return -1;
}

/* Rejects keys of obj that are not in known[] and duplicated keys. */
static int check_keys(lctx *c, const cJSON *obj, const char *path, const char *const *known,
                      size_t nknown, const char *what) {
  for (const cJSON *k = obj->child; k; k = k->next) {
    const char *name = k->string ? k->string : "";
    int ok = 0;
    for (size_t i = 0; i < nknown && !ok; i++) ok = strcmp(known[i], name) == 0;
    if (!ok) {
      char sug[96];
      return fail(c, ptr_key(c, path, name), "unknown key '%s' in %s%s", name, what,
                  ll_suggest(sug, sizeof sug, name, known, nknown));
    }
    for (const cJSON *p = obj->child; p != k; p = p->next)
      if (p->string && strcmp(p->string, name) == 0)
        return fail(c, ptr_key(c, path, name), "duplicate key '%s'", name);
  }
  return 0;
}

/* ---- names ---- */

static int valid_name(lctx *c, const char *name, ll_match m, const char *path) {
  size_t n = strlen(name);
  for (size_t i = 0; i < n; i++)
    if (isspace((unsigned char)name[i]))
      return fail(c, path, "name '%s' contains white space", name);
  if (name[0] == ':' || (n >= 1 && name[n - 1] == ':'))
    return fail(c, path, "name '%s' must not start or end with ':'", name);
  const char *last = name;
  for (const char *p = name; (p = strstr(p, "::")) != NULL; p += 2) last = p + 2;
  int is_op = strncmp(last, "operator", 8) == 0 && last[8] && !isalnum((unsigned char)last[8]) &&
              last[8] != '_';
  const char *lt = strpbrk(name, "<>");
  if (lt && (!is_op || lt < last)) {
    ll_buf b = {0};
    int depth = 0;
    for (const char *p = name; *p; p++) {
      if (*p == '<') depth++;
      else if (*p == '>' && depth > 0) depth--;
      else if (depth == 0) ll_buf_putc(&b, *p);
    }
    fail(c, path, "template arguments are never part of a name: write '%s'", b.data ? b.data : "");
    ll_buf_free(&b);
    return -1;
  }
  if (strchr(name, '(') || strchr(name, ')') || strchr(name, ','))
    if (!is_op) return fail(c, path, "name '%s' must be a plain (qualified) identifier", name);
  switch (m) {
  case LL_MATCH_METHOD:
    if (last == name) return fail(c, path, "a method name must be qualified with its class: 'ns::Cls::%s'", name);
    break;
  case LL_MATCH_OPERATOR:
    if (!is_op) return fail(c, path, "an operator name must end in 'operator<op>', got '%s'", name);
    break;
  case LL_MATCH_CONSTRUCTOR:
  case LL_MATCH_RANGE_FOR:
    if (is_op) return fail(c, path, "expected a class name, got '%s'", name);
    break;
  default:
    if (is_op) return fail(c, path, "operator '%s' needs \"match\": \"operator\"", name);
    break;
  }
  return 0;
}

static const char *callee_of(lctx *c, const char *name, ll_match m) {
  if (m != LL_MATCH_CONSTRUCTOR) return name;
  const char *last = name;
  for (const char *p = name; (p = strstr(p, "::")) != NULL; p += 2) last = p + 2;
  char *s = ll_xasprintf("%s::%s", name, last);
  char *a = ll_arena_strdup(c->A, s);
  free(s);
  return a;
}

/* ---- API entries ---- */

#define ROLE(x) (1u << (x))
#define BLOCKING_ROLES                                                                          \
  (ROLE(LL_ROLE_JOIN) | ROLE(LL_ROLE_SEND) | ROLE(LL_ROLE_RECV) | ROLE(LL_ROLE_SELECT) |        \
   ROLE(LL_ROLE_SELECT_DEADLINE) | ROLE(LL_ROLE_WAIT) | ROLE(LL_ROLE_SLEEP) | ROLE(LL_ROLE_BLOCKING_IO))
#define OBJECT_ROLES                                                                            \
  (ROLE(LL_ROLE_JOIN) | ROLE(LL_ROLE_DETACH) | ROLE(LL_ROLE_CANCEL) | ROLE(LL_ROLE_CHAN_DUP) |  \
   ROLE(LL_ROLE_SEND) | ROLE(LL_ROLE_RECV) | ROLE(LL_ROLE_CLOSE) | ROLE(LL_ROLE_SELECT_SEND) |  \
   ROLE(LL_ROLE_SELECT_RECV) | ROLE(LL_ROLE_WAIT) | ROLE(LL_ROLE_SIGNAL) |                      \
   ROLE(LL_ROLE_TIMER_REARM) | ROLE(LL_ROLE_TIMER_RELEASE) | ROLE(LL_ROLE_STOP_CHECK) |         \
   ROLE(LL_ROLE_STOP_REQUEST) | ROLE(LL_ROLE_DESTROY) | ROLE(LL_ROLE_BLOCKING_IO) |              \
   ROLE(LL_ROLE_INTERRUPT) | ROLE(LL_ROLE_LOCK) | ROLE(LL_ROLE_UNLOCK) | ROLE(LL_ROLE_POOL_PUSH))

static const char *const api_keys[] = {
  "name", "role", "match", "epilogue", "spellings", "flags", "min_args", "max_args",
  "entry_arg", "data_arg", "handle", "handle_arg", "bundle_arg", "object_arg",
  "capacity", "capacity_arg", "capacity_default", "buffer_hint", "timeout_arg", "forever",
  "stop_token_arg", "predicate_arg", "timer_arg", "requires_arg", "requires_arg_text",
  "hint", "note", "call_hint", "data_param",
};
#define N_API_KEYS (sizeof api_keys / sizeof api_keys[0])

/* Keys that only make sense for some roles (0 = any role). */
static const struct {
  const char *key;
  unsigned roles;
} key_roles[] = {
  {"entry_arg", ROLE(LL_ROLE_SPAWN) | ROLE(LL_ROLE_CALLBACK)},
  {"data_arg", ROLE(LL_ROLE_SPAWN) | ROLE(LL_ROLE_POOL_PUSH)},
  {"handle", ROLE(LL_ROLE_SPAWN)},         {"handle_arg", ROLE(LL_ROLE_SPAWN)},
  {"bundle_arg", ROLE(LL_ROLE_SPAWN)},     {"capacity", ROLE(LL_ROLE_CHAN_CREATE)},
  {"capacity_arg", ROLE(LL_ROLE_CHAN_CREATE)}, {"capacity_default", ROLE(LL_ROLE_CHAN_CREATE)},
  {"buffer_hint", ROLE(LL_ROLE_CHAN_CREATE)}, {"timeout_arg", BLOCKING_ROLES},
  {"forever", BLOCKING_ROLES},             {"stop_token_arg", BLOCKING_ROLES},
  {"predicate_arg", BLOCKING_ROLES},       {"timer_arg", ROLE(LL_ROLE_TIMER_CREATE)},
  {"call_hint", ROLE(LL_ROLE_TIMER_CREATE)},
  {"data_param", ROLE(LL_ROLE_SPAWN) | ROLE(LL_ROLE_POOL_PUSH)},
};

static const cJSON *item(const cJSON *obj, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int parse_flags(lctx *c, const cJSON *v, const char *path, unsigned *out) {
  if (!cJSON_IsArray(v)) return fail(c, path, "expected an array of flag names, got %s", json_kind(v));
  const char *names[N_FLAGS];
  for (size_t i = 0; i < N_FLAGS; i++) names[i] = flag_names[i].name;
  size_t i = 0;
  for (const cJSON *f = v->child; f; f = f->next, i++) {
    int k;
    if (get_enum(c, f, ptr_index(c, path, i), names, N_FLAGS, "flag", &k)) return -1;
    if (*out & flag_names[k].bit)
      return fail(c, ptr_index(c, path, i), "flag '%s' is listed twice", names[k]);
    *out |= flag_names[k].bit;
  }
  return 0;
}

static int parse_spellings(lctx *c, const cJSON *v, const char *path, const char *const **out) {
  if (cJSON_IsString(v)) {
    const char **a = ll_arena_alloc(c->A, 2 * sizeof *a);
    if (get_string(c, v, path, &a[0])) return -1;
    *out = a;
    return 0;
  }
  if (!cJSON_IsArray(v)) return fail(c, path, "expected a string or an array of strings, got %s", json_kind(v));
  int n = cJSON_GetArraySize(v);
  const char **a = ll_arena_alloc(c->A, (size_t)(n + 1) * sizeof *a);
  int i = 0;
  for (const cJSON *s = v->child; s; s = s->next, i++)
    if (get_string(c, s, ptr_index(c, path, (size_t)i), &a[i])) return -1;
  *out = a;
  return 0;
}

static int parse_forever(lctx *c, const cJSON *v, const char *path, ll_api *a) {
  if (cJSON_IsNumber(v)) {
    a->nforever = 1;
    return get_ll(c, v, path, LLONG_MIN, &a->forever[0], "an integer");
  }
  if (!cJSON_IsArray(v)) return fail(c, path, "expected an integer or an array of integers, got %s", json_kind(v));
  int n = cJSON_GetArraySize(v);
  if (n < 1 || n > LL_MAX_FOREVER)
    return fail(c, path, "expected 1 to %d values, got %d", LL_MAX_FOREVER, n);
  int i = 0;
  for (const cJSON *x = v->child; x; x = x->next, i++)
    if (get_ll(c, x, ptr_index(c, path, (size_t)i), LLONG_MIN, &a->forever[i], "an integer")) return -1;
  a->nforever = n;
  return 0;
}

static int get_opt_arg(lctx *c, const cJSON *e, const char *epath, const char *key, unsigned syms,
                       int *out) {
  const cJSON *v = item(e, key);
  if (!v) return 0;
  return get_arg(c, v, ptr_key(c, epath, key), syms, out);
}

/* One entry per name of e (a string or an array of aliases), each a copy of a. */
static int add_names(lctx *c, const cJSON *e, const char *epath, const ll_api *a) {
  const cJSON *v = item(e, "name");
  if (!v) return fail(c, epath, "missing required key 'name'");
  const char *npath = ptr_key(c, epath, "name");
  const cJSON *first = v;
  int nnames = 1;
  if (cJSON_IsArray(v)) {
    nnames = cJSON_GetArraySize(v);
    if (nnames == 0) return fail(c, npath, "expected at least one name");
    first = v->child;
  } else if (!cJSON_IsString(v)) {
    return fail(c, npath, "expected a string or an array of strings, got %s", json_kind(v));
  }
  int i = 0;
  for (const cJSON *n = first; n && i < nnames; n = n->next, i++) {
    const char *p = cJSON_IsArray(v) ? ptr_index(c, npath, (size_t)i) : npath;
    const char *name;
    if (get_string(c, n, p, &name) || valid_name(c, name, a->match, p)) return -1;
    ll_api *x = ll_arena_alloc(c->A, sizeof *x);
    *x = *a;
    x->name = name;
    x->callee = callee_of(c, name, a->match);
    LL_VEC_PUSH(&c->apis, x);
    LL_VEC_PUSH(&c->where, p);
  }
  return 0;
}

/* The constraints between the keys of entry a (parsed from e). */
static int check_api(lctx *c, const cJSON *e, const char *epath, const ll_api *a) {
  if (a->role == LL_ROLE_SPAWN && a->match != LL_MATCH_BRACKET && !item(e, "entry_arg"))
    return fail(c, epath, "missing required key 'entry_arg' (role 'spawn')");
  if (a->role == LL_ROLE_SPAWN && a->match != LL_MATCH_BRACKET && a->entry_arg < 0)
    return fail(c, ptr_key(c, epath, "entry_arg"), "a spawn needs an entry argument >= 0");
  if (a->role == LL_ROLE_CALLBACK && a->entry_arg < 0)
    return fail(c, epath, "missing required key 'entry_arg' (role 'callback'): the callback argument");
  if (a->handle == LL_HANDLE_OUT_ARG && a->handle_arg < 0 && a->handle_arg != LL_ARG_OBJECT)
    return fail(c, epath, "\"handle\": \"out_arg\" needs 'handle_arg'");
  if (a->handle != LL_HANDLE_OUT_ARG && item(e, "handle_arg"))
    return fail(c, ptr_key(c, epath, "handle_arg"), "'handle_arg' needs \"handle\": \"out_arg\"");
  if (a->handle == LL_HANDLE_OBJECT && a->match != LL_MATCH_CONSTRUCTOR)
    return fail(c, ptr_key(c, epath, "handle"), "\"handle\": \"object\" needs \"match\": \"constructor\"");
  if (a->match == LL_MATCH_BRACKET) {
    if (a->role != LL_ROLE_SPAWN)
      return fail(c, ptr_key(c, epath, "match"), "\"match\": \"bracket\" is only valid for role 'spawn'");
    if (!a->epilogue) return fail(c, epath, "missing required key 'epilogue' (\"match\": \"bracket\")");
  } else if (a->epilogue) {
    return fail(c, ptr_key(c, epath, "epilogue"), "'epilogue' needs \"match\": \"bracket\"");
  } else if (a->bundle_arg != LL_ARG_NONE) {
    return fail(c, ptr_key(c, epath, "bundle_arg"), "'bundle_arg' needs \"match\": \"bracket\"");
  }
  if (a->match == LL_MATCH_RANGE_FOR && a->role != LL_ROLE_RECV)
    return fail(c, ptr_key(c, epath, "match"), "\"match\": \"range_for\" is only valid for role 'recv'");
  if (a->role == LL_ROLE_CHAN_CREATE && a->capacity == LL_CAP_NONE)
    return fail(c, epath, "missing required key 'capacity' (role 'chan_create')");
  if (a->capacity == LL_CAP_ALWAYS_UNBUFFERED && (item(e, "capacity_arg") || item(e, "capacity_default")))
    return fail(c, ptr_key(c, epath, "capacity"),
                "\"always_unbuffered\" channels take no 'capacity_arg' or 'capacity_default'");
  if (a->buffer_hint && a->capacity == LL_CAP_ALWAYS_UNBUFFERED)
    return fail(c, ptr_key(c, epath, "buffer_hint"), "an always-unbuffered channel cannot be given a buffer");
  if (a->nforever && a->timeout_arg < 0)
    return fail(c, ptr_key(c, epath, "forever"), "'forever' needs 'timeout_arg'");
  if ((a->requires_arg >= 0) != (a->requires_arg_text != NULL))
    return fail(c, epath, "'requires_arg' and 'requires_arg_text' must be given together");
  if (a->requires_arg < LL_ARG_NONE)
    return fail(c, ptr_key(c, epath, "requires_arg"), "expected an integer >= 0");
  if (a->role == LL_ROLE_POOL_PUSH && a->data_arg < 0)
    return fail(c, ptr_key(c, epath, "data_arg"), "a pool_push entry needs the argument holding the item");
  if (a->role == LL_ROLE_TIMER_CREATE && a->timer_arg == LL_ARG_NONE)
    return fail(c, ptr_key(c, epath, "timer_arg"), "a timer_create entry needs a timer argument or \"result\"");
  if (a->match == LL_MATCH_FUNCTION &&
      (a->object_arg == LL_ARG_OBJECT || a->timer_arg == LL_ARG_OBJECT || a->handle_arg == LL_ARG_OBJECT))
    return fail(c, epath, "\"object\" refers to the implicit object of a member call; a function has none");
  int maxidx = -1;
  int idx[] = {a->entry_arg, a->data_arg, a->handle_arg, a->bundle_arg, a->object_arg, a->capacity_arg,
               a->timeout_arg, a->stop_token_arg, a->predicate_arg, a->timer_arg, a->requires_arg};
  for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
    if (idx[i] > maxidx) maxidx = idx[i];
  if (a->max_args >= 0 && maxidx >= a->max_args && a->match != LL_MATCH_BRACKET)
    return fail(c, epath, "argument index %d is out of range for max_args %d", maxidx, a->max_args);

  return 0;
}

static int parse_api(lctx *c, const cJSON *e, const char *epath) {
  if (!cJSON_IsObject(e)) return fail(c, epath, "expected an object (an API entry), got %s", json_kind(e));
  if (check_keys(c, e, epath, api_keys, N_API_KEYS, "an API entry")) return -1;

  ll_api a;
  memset(&a, 0, sizeof a);
  a.pack = c->library;
  a.pack_file = c->origin;
  a.entry_arg = a.data_arg = a.handle_arg = a.bundle_arg = LL_ARG_NONE;
  a.object_arg = a.capacity_arg = a.timeout_arg = LL_ARG_NONE;
  a.stop_token_arg = a.predicate_arg = a.timer_arg = a.requires_arg = LL_ARG_NONE;
  a.max_args = -1;

  /* role, match */
  const cJSON *v = item(e, "role");
  if (!v) return fail(c, epath, "missing required key 'role'");
  int role;
  if (get_enum(c, v, ptr_key(c, epath, "role"), role_names, LL_ROLE__COUNT, "role", &role)) return -1;
  a.role = (ll_role)role;
  int m = LL_MATCH_FUNCTION;
  if ((v = item(e, "match")) &&
      get_enum(c, v, ptr_key(c, epath, "match"), match_names, N_MATCH, "match kind", &m))
    return -1;
  a.match = (ll_match)m;

  for (size_t i = 0; i < sizeof key_roles / sizeof key_roles[0]; i++)
    if (item(e, key_roles[i].key) && !(key_roles[i].roles & ROLE(a.role)))
      return fail(c, ptr_key(c, epath, key_roles[i].key), "key '%s' does not apply to role '%s'",
                  key_roles[i].key, role_names[a.role]);

  /* defaults that depend on the role and match kind */
  if (a.match == LL_MATCH_METHOD || a.match == LL_MATCH_OPERATOR || a.match == LL_MATCH_RANGE_FOR) {
    if (OBJECT_ROLES & ROLE(a.role)) a.object_arg = LL_ARG_OBJECT;
  } else if (OBJECT_ROLES & ROLE(a.role)) {
    a.object_arg = 0;
  }
  if (a.role == LL_ROLE_CHAN_CREATE) a.object_arg = LL_ARG_RESULT;
  if (a.role == LL_ROLE_TIMER_CREATE) a.timer_arg = a.object_arg = LL_ARG_RESULT;
  if (a.role == LL_ROLE_SPAWN && a.match == LL_MATCH_CONSTRUCTOR) a.handle = LL_HANDLE_OBJECT;

  /* scalar keys */
  if ((v = item(e, "min_args"))) {
    long long x;
    if (get_ll(c, v, ptr_key(c, epath, "min_args"), 0, &x, "an integer >= 0")) return -1;
    a.min_args = (int)(x > 255 ? 255 : x);
  }
  if ((v = item(e, "max_args"))) {
    long long x;
    if (get_ll(c, v, ptr_key(c, epath, "max_args"), -1, &x, "an integer >= -1")) return -1;
    a.max_args = (int)(x > 255 ? 255 : x);
    if (a.max_args >= 0 && a.max_args < a.min_args)
      return fail(c, ptr_key(c, epath, "max_args"), "max_args %d is less than min_args %d",
                  a.max_args, a.min_args);
  }
  if ((v = item(e, "flags")) && parse_flags(c, v, ptr_key(c, epath, "flags"), &a.flags)) return -1;
  if ((v = item(e, "spellings")) &&
      parse_spellings(c, v, ptr_key(c, epath, "spellings"), &a.spellings))
    return -1;

  if (get_opt_arg(c, e, epath, "entry_arg", 0, &a.entry_arg) ||
      get_opt_arg(c, e, epath, "data_arg", SYM_REST, &a.data_arg) ||
      get_opt_arg(c, e, epath, "handle_arg", SYM_OBJECT, &a.handle_arg) ||
      get_opt_arg(c, e, epath, "bundle_arg", 0, &a.bundle_arg) ||
      get_opt_arg(c, e, epath, "object_arg", SYM_OBJECT | SYM_RESULT, &a.object_arg) ||
      get_opt_arg(c, e, epath, "capacity_arg", 0, &a.capacity_arg) ||
      get_opt_arg(c, e, epath, "timeout_arg", 0, &a.timeout_arg) ||
      get_opt_arg(c, e, epath, "stop_token_arg", 0, &a.stop_token_arg) ||
      get_opt_arg(c, e, epath, "predicate_arg", 0, &a.predicate_arg) ||
      get_opt_arg(c, e, epath, "timer_arg", SYM_RESULT | SYM_OBJECT, &a.timer_arg) ||
      get_opt_arg(c, e, epath, "requires_arg", 0, &a.requires_arg) ||
      get_opt_arg(c, e, epath, "data_param", 0, &a.data_param))
    return -1;

  if ((v = item(e, "handle"))) {
    int h;
    if (get_enum(c, v, ptr_key(c, epath, "handle"), handle_names, N_HANDLE, "handle kind", &h)) return -1;
    a.handle = (ll_handle_kind)h;
  }
  if ((v = item(e, "capacity"))) {
    int k;
    if (get_enum(c, v, ptr_key(c, epath, "capacity"), capacity_names, N_CAPACITY, "capacity kind", &k))
      return -1;
    a.capacity = (ll_capacity)k;
  }
  if ((v = item(e, "capacity_default")) &&
      get_ll(c, v, ptr_key(c, epath, "capacity_default"), 0, &a.capacity_default, "an integer >= 0"))
    return -1;
  if ((v = item(e, "forever")) && parse_forever(c, v, ptr_key(c, epath, "forever"), &a)) return -1;
  if ((v = item(e, "epilogue")) && get_string(c, v, ptr_key(c, epath, "epilogue"), &a.epilogue)) return -1;
  if ((v = item(e, "requires_arg_text")) &&
      get_string(c, v, ptr_key(c, epath, "requires_arg_text"), &a.requires_arg_text))
    return -1;
  if ((v = item(e, "hint")) && get_string(c, v, ptr_key(c, epath, "hint"), &a.hint)) return -1;
  if ((v = item(e, "buffer_hint")) && get_string(c, v, ptr_key(c, epath, "buffer_hint"), &a.buffer_hint))
    return -1;
  if ((v = item(e, "call_hint")) && get_string(c, v, ptr_key(c, epath, "call_hint"), &a.call_hint))
    return -1;
  if ((v = item(e, "note")) && !cJSON_IsString(v))
    return fail(c, ptr_key(c, epath, "note"), "expected a string, got %s", json_kind(v));

  if (check_api(c, e, epath, &a)) return -1;

  return add_names(c, e, epath, &a);
}

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
static int check_duplicates(lctx *c) {
  size_t need = 2 * (c->apis.n + c->r->apis.n) + 2, cap = 16;
  while (cap < need) cap <<= 1;
  slot_ent *t = ll_xcalloc(cap, sizeof *t);
  for (size_t j = 0; j < c->r->apis.n; j++) slot_put(t, cap - 1, c->r->apis.v[j], c->r->where.v[j], 1);
  int rc = 0;
  for (size_t i = 0; i < c->apis.n && !rc; i++) {
    const ll_api *a = c->apis.v[i];
    const slot_ent *m = slot_put(t, cap - 1, a, c->where.v[i], 0);
    if (m)
      rc = fail(c, c->where.v[i], m->loaded ? "duplicate entry: '%s' with role '%s' is already defined in %s"
                                             : "duplicate entry: '%s' with role '%s' is already defined at %s",
                a->name, role_names[a->role], m->where);
  }
  free(t);
  return rc;
}

static const char *const pack_keys[] = {"schema", "library", "description", "languages", "apis", "note",
                                        "facts", "hints"};



static int parse_pack(lctx *c, const cJSON *root) {
  if (!cJSON_IsObject(root)) return fail(c, "/", "expected an object (a rule pack), got %s", json_kind(root));
  if (check_keys(c, root, "/", pack_keys, sizeof pack_keys / sizeof pack_keys[0], "a rule pack"))
    return -1;
  const cJSON *v = item(root, "schema");
  if (!v) return fail(c, "/", "missing required key 'schema' (use %d)", LL_SCHEMA_VERSION);
  long long sv;
  if (get_ll(c, v, "/schema", 1, &sv, "an integer >= 1")) return -1;
  if (sv != LL_SCHEMA_VERSION)
    return fail(c, "/schema", "unsupported schema version %lld (this leaklint reads %d)", sv,
                LL_SCHEMA_VERSION);
  v = item(root, "library");
  if (!v) return fail(c, "/", "missing required key 'library'");
  if (get_string(c, v, "/library", &c->library)) return -1;
  for (const char *p = c->library; *p; p++)
    if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.' || *p == '+'))
      return fail(c, "/library", "library name '%s' may contain only letters, digits and -_.+",
                  c->library);
  for (size_t i = 0; i < c->r->packs.n; i++)
    if (strcmp(c->r->packs.v[i], c->library) == 0)
      return fail(c, "/library", "library '%s' is already loaded from %s", c->library,
                  c->r->pack_origin.v[i]);
  if ((v = item(root, "description")) && !cJSON_IsString(v))
    return fail(c, "/description", "expected a string, got %s", json_kind(v));
  if ((v = item(root, "note")) && !cJSON_IsString(v))
    return fail(c, "/note", "expected a string, got %s", json_kind(v));
  if ((v = item(root, "languages"))) {
    static const char *const langs[] = {"c", "c++"};
    if (!cJSON_IsArray(v)) return fail(c, "/languages", "expected an array of strings, got %s", json_kind(v));
    size_t i = 0;
    for (const cJSON *l = v->child; l; l = l->next, i++) {
      int k;
      if (get_enum(c, l, ptr_index(c, "/languages", i), langs, 2, "language", &k)) return -1;
    }
  }
  if (item(root, "facts") || item(root, "hints")) {
    char *fpath = NULL, *fmsg = NULL;
    c->facts = ll_packfacts_parse(item(root, "facts"), item(root, "hints"), &fpath, &fmsg);
    if (!c->facts) {
      fail(c, fpath, "%s", fmsg);
      free(fpath);
      free(fmsg);
      return -1;
    }
  }
  v = item(root, "apis");
  if (!v) return fail(c, "/", "missing required key 'apis'");
  if (!cJSON_IsArray(v)) return fail(c, "/apis", "expected an array of API entries, got %s", json_kind(v));
  size_t i = 0;
  for (const cJSON *e = v->child; e; e = e->next, i++)
    if (parse_api(c, e, ptr_index(c, "/apis", i))) return -1;
  return check_duplicates(c);
}

/* "unexpected X" for a cJSON failure position. */
static void syntax_error(lctx *c, const char *text, size_t len, const char *at, int is_file) {
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

static int load_text(ll_rules *r, const char *origin, const char *text, size_t len, int is_file,
                     char **err) {
  if (r->frozen) {
    *err = ll_xasprintf("%s: rule packs cannot be loaded after the set is frozen", origin);
    return -1;
  }
  lctx c;
  memset(&c, 0, sizeof c);
  c.r = r;
  c.A = ll_arena_new();
  c.origin = ll_arena_strdup(c.A, origin);
  c.origin_has_ptr = !is_file && strstr(origin, ": /") != NULL;
  int rc = -1;
  if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) { /* UTF-8 byte order mark */
    text += 3;
    len -= 3;
  }
  size_t nul = ll_json_nul_escape(text, len);
  if (nul != (size_t)-1) {
    *err = ll_xasprintf("%s: byte %zu: \\u0000 in a string: ids and names cannot contain a NUL character",
                        origin, nul);
    ll_arena_free(c.A);
    return -1;
  }
  size_t ws = strspn(text, " \t\r\n");
  if (strlen(text) != len) {
    fail(&c, "/", "the file contains a NUL byte");
  } else if (ws == len) {
    if (is_file) c.err = ll_xasprintf("%s:1:1: invalid JSON: the file is empty", c.origin);
    else fail(&c, "/", "the rule pack is empty");
  } else {
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
      syntax_error(&c, text, len, end, is_file);
    } else {
      rc = parse_pack(&c, root);
      cJSON_Delete(root);
    }
  }
  if (rc == 0) {
    LL_VEC_PUSH(&r->arenas, c.A);
    for (size_t i = 0; i < c.apis.n; i++) {
      LL_VEC_PUSH(&r->apis, c.apis.v[i]);
      LL_VEC_PUSH(&r->where, c.where.v[i]);
    }
    /* "FILE: /apis/N" for messages about later duplicates */
    for (size_t i = r->where.n - c.apis.n; i < r->where.n; i++) {
      const char *path = r->where.v[i];
      char *w = c.origin_has_ptr ? ll_xasprintf("%s%s", c.origin, path)
                                 : ll_xasprintf("%s: %s", c.origin, path);
      r->where.v[i] = ll_arena_strdup(c.A, w);
      free(w);
    }
    LL_VEC_PUSH(&r->packs, c.library);
    LL_VEC_PUSH(&r->pack_origin, c.origin);
    ll_packfacts_commit(r->facts, c.library, c.facts);
    c.facts = NULL;
    r->hash = ll_hash64(origin, strlen(origin) + 1, r->hash);
    r->hash = ll_hash64(text, len, r->hash);
    r->hash = ll_hash64("\0", 1, r->hash);
    ll_digest_chain(&r->digest, origin, strlen(origin) + 1, text, len);
  } else {
    ll_arena_free(c.A);
    if (!c.err) c.err = ll_xasprintf("%s: invalid rule pack", origin);
  }
  free(c.apis.v);
  free(c.where.v);
  ll_packfacts_pack_free(c.facts);
  if (rc) *err = c.err;
  else free(c.err);
  return rc;
}

int ll_rules_load_text(ll_rules *r, const char *origin, const char *json, char **err) {
  return load_text(r, origin, json, strlen(json), 0, err);
}

int ll_rules_load_file(ll_rules *r, const char *path, char **err) {
  char *text = NULL;
  size_t len = 0;
  int e = ll_read_bounded(path, LL_READ_CONFIG, &text, &len, NULL);
  if (e != 0) {
    *err = ll_xasprintf("%s: cannot read rule pack: %s", path, ll_read_strerror(e, LL_READ_CONFIG));
    return -1;
  }
  int rc = load_text(r, path, text, len, 1, err);
  free(text);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int ll_rules_load_dir(ll_rules *r, const char *dir, char **err) {
  DIR *d = opendir(dir);
  if (!d) {
    *err = ll_xasprintf("%s: cannot open rule pack directory: %s", dir, strerror(errno));
    return -1;
  }
  LL_VEC(char *) names = {0};
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    size_t n = strlen(de->d_name);
    if (de->d_name[0] == '.' || n < 6 || strcmp(de->d_name + n - 5, ".json") != 0) continue;
    LL_VEC_PUSH(&names, ll_xstrdup(de->d_name));
  }
  closedir(d);
  if (names.n) qsort(names.v, names.n, sizeof *names.v, cmp_str);

  /* all-or-nothing for the whole directory */
  size_t n_arenas = r->arenas.n, n_apis = r->apis.n, n_packs = r->packs.n;
  uint64_t hash = r->hash;
  ll_digest digest = r->digest;
  size_t dl = strlen(dir);
  int rc = 0;
  for (size_t i = 0; i < names.n && rc == 0; i++) {
    char *p = ll_xasprintf("%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names.v[i]);
    struct stat st;
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) rc = ll_rules_load_file(r, p, err);
    free(p);
  }
  if (rc) {
    for (size_t i = n_arenas; i < r->arenas.n; i++) ll_arena_free(r->arenas.v[i]);
    r->arenas.n = n_arenas;
    r->apis.n = r->where.n = n_apis;
    r->packs.n = r->pack_origin.n = n_packs;
    r->hash = hash;
    r->digest = digest;
  }
  for (size_t i = 0; i < names.n; i++) free(names.v[i]);
  free(names.v);
  return rc;
}

/* ---- index ---- */

static int cmp_idx(const void *pa, const void *pb) {
  const idx_ent *a = pa, *b = pb;
  int c = strcmp(a->key, b->key);
  if (c) return c;
  if (a->specific != b->specific) return b->specific - a->specific;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void ll_rules_freeze(ll_rules *r) {
  if (!r || r->frozen) return;
  r->index = ll_xcalloc(r->apis.n + 1, sizeof *r->index);
  r->rindex = ll_xcalloc(r->apis.n + 1, sizeof *r->rindex);
  for (size_t i = 0; i < r->apis.n; i++) {
    const ll_api *a = r->apis.v[i];
    idx_ent e = {a->callee, a, i, a->requires_arg_text != NULL};
    if (a->match == LL_MATCH_RANGE_FOR) r->rindex[r->nrindex++] = e;
    else r->index[r->nindex++] = e;
  }
  qsort(r->index, r->nindex, sizeof *r->index, cmp_idx);
  qsort(r->rindex, r->nrindex, sizeof *r->rindex, cmp_idx);
  r->frozen = 1;
}

static size_t lookup_in(const idx_ent *v, size_t n, const char *key, const ll_api **out, size_t max) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(v[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  size_t k = 0;
  for (size_t i = lo; i < n && strcmp(v[i].key, key) == 0; i++, k++)
    if (out && k < max) out[k] = v[i].api;
  return k;
}

/* Before freezing (tests, tools): a linear scan in load order. */
static size_t lookup_slow(const ll_rules *r, int range, const char *key, const ll_api **out,
                          size_t max) {
  size_t k = 0;
  for (int pass = 1; pass >= 0; pass--)
    for (size_t i = 0; i < r->apis.n; i++) {
      const ll_api *a = r->apis.v[i];
      if ((a->match == LL_MATCH_RANGE_FOR) != range || (a->requires_arg_text != NULL) != pass ||
          strcmp(a->callee, key) != 0)
        continue;
      if (out && k < max) out[k] = a;
      k++;
    }
  return k;
}

size_t ll_rules_lookup(const ll_rules *r, const char *callee, const ll_api **out, size_t max) {
  if (!r || !callee) return 0;
  if (!r->frozen) return lookup_slow(r, 0, callee, out, max);
  return lookup_in(r->index, r->nindex, callee, out, max);
}

size_t ll_rules_lookup_range(const ll_rules *r, const char *cls, const ll_api **out, size_t max) {
  if (!r || !cls) return 0;
  if (!r->frozen) return lookup_slow(r, 1, cls, out, max);
  return lookup_in(r->rindex, r->nrindex, cls, out, max);
}

int ll_rules_is_prologue(const ll_rules *r, const char *callee, const ll_api **api) {
  const ll_api *found[16];
  size_t n = ll_rules_lookup(r, callee, found, 16);
  if (n > 16) n = 16;
  for (size_t i = 0; i < n; i++)
    if (found[i]->match == LL_MATCH_BRACKET) {
      if (api) *api = found[i];
      return 1;
    }
  return 0;
}

size_t ll_rules_count(const ll_rules *r) { return r ? r->apis.n : 0; }

const ll_api *ll_rules_at(const ll_rules *r, size_t i) {
  return r && i < r->apis.n ? r->apis.v[i] : NULL;
}

size_t ll_rules_pack_count(const ll_rules *r) { return r ? r->packs.n : 0; }

const char *ll_rules_pack_name(const ll_rules *r, size_t i) {
  return r && i < r->packs.n ? r->packs.v[i] : NULL;
}

const char *ll_rules_pack_file(const ll_rules *r, size_t i) {
  return r && i < r->pack_origin.n ? r->pack_origin.v[i] : NULL;
}

void ll_rules_digest(const ll_rules *r, ll_digest *out) {
  memset(out, 0, sizeof *out);
  if (r) *out = r->digest;
}

unsigned long long ll_rules_hash(const ll_rules *r) {
  return r ? (unsigned long long)(r->hash ^ (uint64_t)r->apis.n) : 0;
}

const ll_packfacts *ll_rules_facts(const ll_rules *r) { return r ? r->facts : NULL; }

int ll_api_is_forever(const ll_api *a, int known, long long value) {
  if (!a) return 0;
  if (a->timeout_arg == LL_ARG_NONE)
    return (BLOCKING_ROLES & ROLE(a->role)) && !(a->flags & LL_API_NONBLOCKING);
  if (!known) return 0;
  for (int i = 0; i < a->nforever; i++)
    if (a->forever[i] == value) return 1;
  return 0;
}
