/* packapi.c - the API entries of a rule pack (packapi.h): the JSON spelling
 * of every role, match kind, capacity kind, handle kind and flag, the keys an
 * entry may have and which roles they apply to, the defaults that depend on
 * the role, and the constraints between the keys. */
#include "packapi.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- names ---- */

static int valid_name(ll_pk_ctx *c, const char *name, ll_match m, const char *path) {
  size_t n = strlen(name);
  for (size_t i = 0; i < n; i++)
    if (isspace((unsigned char)name[i]))
      return ll_pk_fail(c, path, "name '%s' contains white space", name);
  if (name[0] == ':' || (n >= 1 && name[n - 1] == ':'))
    return ll_pk_fail(c, path, "name '%s' must not start or end with ':'", name);
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
    ll_pk_fail(c, path, "template arguments are never part of a name: write '%s'", b.data ? b.data : "");
    ll_buf_free(&b);
    return -1;
  }
  if (strchr(name, '(') || strchr(name, ')') || strchr(name, ','))
    if (!is_op) return ll_pk_fail(c, path, "name '%s' must be a plain (qualified) identifier", name);
  switch (m) {
  case LL_MATCH_METHOD:
    if (last == name)
      return ll_pk_fail(c, path, "a method name must be qualified with its class: 'ns::Cls::%s'", name);
    break;
  case LL_MATCH_OPERATOR:
    if (!is_op) return ll_pk_fail(c, path, "an operator name must end in 'operator<op>', got '%s'", name);
    break;
  case LL_MATCH_CONSTRUCTOR:
  case LL_MATCH_RANGE_FOR:
    if (is_op) return ll_pk_fail(c, path, "expected a class name, got '%s'", name);
    break;
  default:
    if (is_op) return ll_pk_fail(c, path, "operator '%s' needs \"match\": \"operator\"", name);
    break;
  }
  return 0;
}

static const char *callee_of(ll_pk_ctx *c, const char *name, ll_match m) {
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

static int parse_flags(ll_pk_ctx *c, const cJSON *v, const char *path, unsigned *out) {
  if (!cJSON_IsArray(v))
    return ll_pk_fail(c, path, "expected an array of flag names, got %s", ll_json_kind(v));
  const char *names[N_FLAGS];
  for (size_t i = 0; i < N_FLAGS; i++) names[i] = flag_names[i].name;
  size_t i = 0;
  for (const cJSON *f = v->child; f; f = f->next, i++) {
    int k;
    if (ll_pk_enum(c, f, ll_pk_index(c, path, i), names, N_FLAGS, "flag", &k)) return -1;
    if (*out & flag_names[k].bit)
      return ll_pk_fail(c, ll_pk_index(c, path, i), "flag '%s' is listed twice", names[k]);
    *out |= flag_names[k].bit;
  }
  return 0;
}

static int parse_spellings(ll_pk_ctx *c, const cJSON *v, const char *path, const char *const **out) {
  if (cJSON_IsString(v)) {
    const char **a = ll_arena_alloc(c->A, 2 * sizeof *a);
    if (ll_pk_string(c, v, path, &a[0])) return -1;
    *out = a;
    return 0;
  }
  if (!cJSON_IsArray(v))
    return ll_pk_fail(c, path, "expected a string or an array of strings, got %s", ll_json_kind(v));
  int n = cJSON_GetArraySize(v);
  const char **a = ll_arena_alloc(c->A, (size_t)(n + 1) * sizeof *a);
  int i = 0;
  for (const cJSON *s = v->child; s; s = s->next, i++)
    if (ll_pk_string(c, s, ll_pk_index(c, path, (size_t)i), &a[i])) return -1;
  *out = a;
  return 0;
}

static int parse_forever(ll_pk_ctx *c, const cJSON *v, const char *path, ll_api *a) {
  if (cJSON_IsNumber(v)) {
    a->nforever = 1;
    return ll_pk_int(c, v, path, LLONG_MIN, &a->forever[0], "an integer");
  }
  if (!cJSON_IsArray(v))
    return ll_pk_fail(c, path, "expected an integer or an array of integers, got %s", ll_json_kind(v));
  int n = cJSON_GetArraySize(v);
  if (n < 1 || n > LL_MAX_FOREVER)
    return ll_pk_fail(c, path, "expected 1 to %d values, got %d", LL_MAX_FOREVER, n);
  int i = 0;
  for (const cJSON *x = v->child; x; x = x->next, i++)
    if (ll_pk_int(c, x, ll_pk_index(c, path, (size_t)i), LLONG_MIN, &a->forever[i], "an integer")) return -1;
  a->nforever = n;
  return 0;
}

static int get_opt_arg(ll_pk_ctx *c, const cJSON *e, const char *epath, const char *key, unsigned syms,
                       int *out) {
  const cJSON *v = ll_json_item(e, key);
  if (!v) return 0;
  return ll_pk_arg(c, v, ll_pk_key(c, epath, key), syms, out);
}

static int get_opt_string(ll_pk_ctx *c, const cJSON *e, const char *epath, const char *key,
                          const char **out) {
  const cJSON *v = ll_json_item(e, key);
  if (!v) return 0;
  return ll_pk_string(c, v, ll_pk_key(c, epath, key), out);
}

/* One entry per name of e (a string or an array of aliases), each a copy of a. */
static int add_names(ll_pk_ctx *c, const cJSON *e, const char *epath, const ll_api *a) {
  const cJSON *v = ll_json_item(e, "name");
  if (!v) return ll_pk_fail(c, epath, "missing required key 'name'");
  const char *npath = ll_pk_key(c, epath, "name");
  const cJSON *first = v;
  int nnames = 1;
  if (cJSON_IsArray(v)) {
    nnames = cJSON_GetArraySize(v);
    if (nnames == 0) return ll_pk_fail(c, npath, "expected at least one name");
    first = v->child;
  } else if (!cJSON_IsString(v)) {
    return ll_pk_fail(c, npath, "expected a string or an array of strings, got %s", ll_json_kind(v));
  }
  int i = 0;
  for (const cJSON *n = first; n && i < nnames; n = n->next, i++) {
    const char *p = cJSON_IsArray(v) ? ll_pk_index(c, npath, (size_t)i) : npath;
    const char *name;
    if (ll_pk_string(c, n, p, &name) || valid_name(c, name, a->match, p)) return -1;
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
static int check_api(ll_pk_ctx *c, const cJSON *e, const char *epath, const ll_api *a) {
  if (a->role == LL_ROLE_SPAWN && a->match != LL_MATCH_BRACKET && !ll_json_item(e, "entry_arg"))
    return ll_pk_fail(c, epath, "missing required key 'entry_arg' (role 'spawn')");
  if (a->role == LL_ROLE_SPAWN && a->match != LL_MATCH_BRACKET && a->entry_arg < 0)
    return ll_pk_fail(c, ll_pk_key(c, epath, "entry_arg"), "a spawn needs an entry argument >= 0");
  if (a->role == LL_ROLE_CALLBACK && a->entry_arg < 0)
    return ll_pk_fail(c, epath, "missing required key 'entry_arg' (role 'callback'): the callback argument");
  if (a->handle == LL_HANDLE_OUT_ARG && a->handle_arg < 0 && a->handle_arg != LL_ARG_OBJECT)
    return ll_pk_fail(c, epath, "\"handle\": \"out_arg\" needs 'handle_arg'");
  if (a->handle != LL_HANDLE_OUT_ARG && ll_json_item(e, "handle_arg"))
    return ll_pk_fail(c, ll_pk_key(c, epath, "handle_arg"), "'handle_arg' needs \"handle\": \"out_arg\"");
  if (a->handle == LL_HANDLE_OBJECT && a->match != LL_MATCH_CONSTRUCTOR)
    return ll_pk_fail(c, ll_pk_key(c, epath, "handle"),
                      "\"handle\": \"object\" needs \"match\": \"constructor\"");
  if (a->match == LL_MATCH_BRACKET) {
    if (a->role != LL_ROLE_SPAWN)
      return ll_pk_fail(c, ll_pk_key(c, epath, "match"),
                        "\"match\": \"bracket\" is only valid for role 'spawn'");
    if (!a->epilogue) return ll_pk_fail(c, epath, "missing required key 'epilogue' (\"match\": \"bracket\")");
  } else if (a->epilogue) {
    return ll_pk_fail(c, ll_pk_key(c, epath, "epilogue"), "'epilogue' needs \"match\": \"bracket\"");
  } else if (a->bundle_arg != LL_ARG_NONE) {
    return ll_pk_fail(c, ll_pk_key(c, epath, "bundle_arg"), "'bundle_arg' needs \"match\": \"bracket\"");
  }
  if (a->match == LL_MATCH_RANGE_FOR && a->role != LL_ROLE_RECV)
    return ll_pk_fail(c, ll_pk_key(c, epath, "match"),
                      "\"match\": \"range_for\" is only valid for role 'recv'");
  if (a->role == LL_ROLE_CHAN_CREATE && a->capacity == LL_CAP_NONE)
    return ll_pk_fail(c, epath, "missing required key 'capacity' (role 'chan_create')");
  if (a->capacity == LL_CAP_ALWAYS_UNBUFFERED &&
      (ll_json_item(e, "capacity_arg") || ll_json_item(e, "capacity_default")))
    return ll_pk_fail(c, ll_pk_key(c, epath, "capacity"),
                      "\"always_unbuffered\" channels take no 'capacity_arg' or 'capacity_default'");
  if (a->buffer_hint && a->capacity == LL_CAP_ALWAYS_UNBUFFERED)
    return ll_pk_fail(c, ll_pk_key(c, epath, "buffer_hint"),
                      "an always-unbuffered channel cannot be given a buffer");
  if (a->nforever && a->timeout_arg < 0)
    return ll_pk_fail(c, ll_pk_key(c, epath, "forever"), "'forever' needs 'timeout_arg'");
  if ((a->requires_arg >= 0) != (a->requires_arg_text != NULL))
    return ll_pk_fail(c, epath, "'requires_arg' and 'requires_arg_text' must be given together");
  if (a->requires_arg < LL_ARG_NONE)
    return ll_pk_fail(c, ll_pk_key(c, epath, "requires_arg"), "expected an integer >= 0");
  if (a->role == LL_ROLE_POOL_PUSH && a->data_arg < 0)
    return ll_pk_fail(c, ll_pk_key(c, epath, "data_arg"), "a pool_push entry needs the argument holding the item");
  if (a->role == LL_ROLE_TIMER_CREATE && a->timer_arg == LL_ARG_NONE)
    return ll_pk_fail(c, ll_pk_key(c, epath, "timer_arg"),
                      "a timer_create entry needs a timer argument or \"result\"");
  if (a->match == LL_MATCH_FUNCTION &&
      (a->object_arg == LL_ARG_OBJECT || a->timer_arg == LL_ARG_OBJECT || a->handle_arg == LL_ARG_OBJECT))
    return ll_pk_fail(c, epath,
                      "\"object\" refers to the implicit object of a member call; a function has none");
  int maxidx = -1;
  int idx[] = {a->entry_arg, a->data_arg, a->handle_arg, a->bundle_arg, a->object_arg, a->capacity_arg,
               a->timeout_arg, a->stop_token_arg, a->predicate_arg, a->timer_arg, a->requires_arg};
  for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++)
    if (idx[i] > maxidx) maxidx = idx[i];
  if (a->max_args >= 0 && maxidx >= a->max_args && a->match != LL_MATCH_BRACKET)
    return ll_pk_fail(c, epath, "argument index %d is out of range for max_args %d", maxidx, a->max_args);

  return 0;
}

/* An entry with every argument absent and no overload filter. */
static void api_init(ll_pk_ctx *c, ll_api *a) {
  memset(a, 0, sizeof *a);
  a->pack = c->library;
  a->pack_file = c->origin;
  a->entry_arg = a->data_arg = a->handle_arg = a->bundle_arg = LL_ARG_NONE;
  a->object_arg = a->capacity_arg = a->timeout_arg = LL_ARG_NONE;
  a->stop_token_arg = a->predicate_arg = a->timer_arg = a->requires_arg = LL_ARG_NONE;
  a->max_args = -1;
}

/* "role" and "match", the keys the role rules out, and the defaults that
 * depend on the role and match kind (read before the keys that override them). */
static int api_role(ll_pk_ctx *c, const cJSON *e, const char *epath, ll_api *a) {
  const cJSON *v = ll_json_item(e, "role");
  if (!v) return ll_pk_fail(c, epath, "missing required key 'role'");
  int role;
  if (ll_pk_enum(c, v, ll_pk_key(c, epath, "role"), role_names, LL_ROLE__COUNT, "role", &role)) return -1;
  a->role = (ll_role)role;
  int m = LL_MATCH_FUNCTION;
  if ((v = ll_json_item(e, "match")) &&
      ll_pk_enum(c, v, ll_pk_key(c, epath, "match"), match_names, N_MATCH, "match kind", &m))
    return -1;
  a->match = (ll_match)m;

  for (size_t i = 0; i < sizeof key_roles / sizeof key_roles[0]; i++)
    if (ll_json_item(e, key_roles[i].key) && !(key_roles[i].roles & ROLE(a->role)))
      return ll_pk_fail(c, ll_pk_key(c, epath, key_roles[i].key), "key '%s' does not apply to role '%s'",
                        key_roles[i].key, role_names[a->role]);

  if (a->match == LL_MATCH_METHOD || a->match == LL_MATCH_OPERATOR || a->match == LL_MATCH_RANGE_FOR) {
    if (OBJECT_ROLES & ROLE(a->role)) a->object_arg = LL_ARG_OBJECT;
  } else if (OBJECT_ROLES & ROLE(a->role)) {
    a->object_arg = 0;
  }
  if (a->role == LL_ROLE_CHAN_CREATE) a->object_arg = LL_ARG_RESULT;
  if (a->role == LL_ROLE_TIMER_CREATE) a->timer_arg = a->object_arg = LL_ARG_RESULT;
  if (a->role == LL_ROLE_SPAWN && a->match == LL_MATCH_CONSTRUCTOR) a->handle = LL_HANDLE_OBJECT;
  return 0;
}

/* The overload filter, the flags, the spellings and the argument indexes. */
static int api_args(ll_pk_ctx *c, const cJSON *e, const char *epath, ll_api *a) {
  const cJSON *v;
  if ((v = ll_json_item(e, "min_args"))) {
    long long x;
    if (ll_pk_int(c, v, ll_pk_key(c, epath, "min_args"), 0, &x, "an integer >= 0")) return -1;
    a->min_args = (int)(x > 255 ? 255 : x);
  }
  if ((v = ll_json_item(e, "max_args"))) {
    long long x;
    if (ll_pk_int(c, v, ll_pk_key(c, epath, "max_args"), -1, &x, "an integer >= -1")) return -1;
    a->max_args = (int)(x > 255 ? 255 : x);
    if (a->max_args >= 0 && a->max_args < a->min_args)
      return ll_pk_fail(c, ll_pk_key(c, epath, "max_args"), "max_args %d is less than min_args %d",
                        a->max_args, a->min_args);
  }
  if ((v = ll_json_item(e, "flags")) && parse_flags(c, v, ll_pk_key(c, epath, "flags"), &a->flags)) return -1;
  if ((v = ll_json_item(e, "spellings")) &&
      parse_spellings(c, v, ll_pk_key(c, epath, "spellings"), &a->spellings))
    return -1;

  if (get_opt_arg(c, e, epath, "entry_arg", 0, &a->entry_arg) ||
      get_opt_arg(c, e, epath, "data_arg", LL_SYM_REST, &a->data_arg) ||
      get_opt_arg(c, e, epath, "handle_arg", LL_SYM_OBJECT, &a->handle_arg) ||
      get_opt_arg(c, e, epath, "bundle_arg", 0, &a->bundle_arg) ||
      get_opt_arg(c, e, epath, "object_arg", LL_SYM_OBJECT | LL_SYM_RESULT, &a->object_arg) ||
      get_opt_arg(c, e, epath, "capacity_arg", 0, &a->capacity_arg) ||
      get_opt_arg(c, e, epath, "timeout_arg", 0, &a->timeout_arg) ||
      get_opt_arg(c, e, epath, "stop_token_arg", 0, &a->stop_token_arg) ||
      get_opt_arg(c, e, epath, "predicate_arg", 0, &a->predicate_arg) ||
      get_opt_arg(c, e, epath, "timer_arg", LL_SYM_RESULT | LL_SYM_OBJECT, &a->timer_arg) ||
      get_opt_arg(c, e, epath, "requires_arg", 0, &a->requires_arg) ||
      get_opt_arg(c, e, epath, "data_param", 0, &a->data_param))
    return -1;
  return 0;
}

/* The handle and capacity kinds, the channel and timeout values, the
 * texts (epilogue, requires_arg_text, hints) and the free-form note. */
static int api_values(ll_pk_ctx *c, const cJSON *e, const char *epath, ll_api *a) {
  const cJSON *v;
  if ((v = ll_json_item(e, "handle"))) {
    int h;
    if (ll_pk_enum(c, v, ll_pk_key(c, epath, "handle"), handle_names, N_HANDLE, "handle kind", &h)) return -1;
    a->handle = (ll_handle_kind)h;
  }
  if ((v = ll_json_item(e, "capacity"))) {
    int k;
    if (ll_pk_enum(c, v, ll_pk_key(c, epath, "capacity"), capacity_names, N_CAPACITY, "capacity kind", &k))
      return -1;
    a->capacity = (ll_capacity)k;
  }
  if ((v = ll_json_item(e, "capacity_default")) &&
      ll_pk_int(c, v, ll_pk_key(c, epath, "capacity_default"), 0, &a->capacity_default, "an integer >= 0"))
    return -1;
  if ((v = ll_json_item(e, "forever")) && parse_forever(c, v, ll_pk_key(c, epath, "forever"), a)) return -1;
  if (get_opt_string(c, e, epath, "epilogue", &a->epilogue) ||
      get_opt_string(c, e, epath, "requires_arg_text", &a->requires_arg_text) ||
      get_opt_string(c, e, epath, "hint", &a->hint) ||
      get_opt_string(c, e, epath, "buffer_hint", &a->buffer_hint) ||
      get_opt_string(c, e, epath, "call_hint", &a->call_hint))
    return -1;
  if ((v = ll_json_item(e, "note")) && !cJSON_IsString(v))
    return ll_pk_fail(c, ll_pk_key(c, epath, "note"), "expected a string, got %s", ll_json_kind(v));
  return 0;
}

int ll_packapi_parse(ll_pk_ctx *c, const cJSON *e, const char *epath) {
  if (!cJSON_IsObject(e))
    return ll_pk_fail(c, epath, "expected an object (an API entry), got %s", ll_json_kind(e));
  if (ll_pk_keys(c, e, epath, api_keys, N_API_KEYS, "an API entry")) return -1;
  ll_api a;
  api_init(c, &a);
  if (api_role(c, e, epath, &a) || api_args(c, e, epath, &a) || api_values(c, e, epath, &a) ||
      check_api(c, e, epath, &a))
    return -1;
  return add_names(c, e, epath, &a);
}

int ll_api_is_forever(const ll_api *a, int known, long long value) {
  if (!a) return 0;
  if (a->timeout_arg == LL_ARG_NONE)
    return (BLOCKING_ROLES & ROLE(a->role)) && !(a->flags & LL_API_NONBLOCKING);
  if (!known) return 0;
  for (int i = 0; i < a->nforever; i++)
    if (a->forever[i] == value) return 1;
  return 0;
}
