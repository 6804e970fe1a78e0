/* packctx.c - a pack's load context: error reporting with JSON pointers and
 * the typed getters of packctx.h. */
#include "packctx.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

static void failv(ll_pk_ctx *c, const char *path, const char *fmt, va_list ap) {
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

int ll_pk_fail(ll_pk_ctx *c, const char *path, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  failv(c, path, fmt, ap);
  va_end(ap);
  return -1;
}

char *ll_pk_key(ll_pk_ctx *c, const char *parent, const char *key) {
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

char *ll_pk_index(ll_pk_ctx *c, const char *parent, size_t i) {
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%zu", i);
  return ll_pk_key(c, parent, tmp);
}

const char *ll_json_kind(const cJSON *v) {
  if (cJSON_IsObject(v)) return "an object";
  if (cJSON_IsArray(v)) return "an array";
  if (cJSON_IsString(v)) return "a string";
  if (cJSON_IsNumber(v)) return "a number";
  if (cJSON_IsBool(v)) return "a boolean";
  if (cJSON_IsNull(v)) return "null";
  return "an invalid value";
}

int ll_pk_string(ll_pk_ctx *c, const cJSON *v, const char *path, const char **out) {
  if (!cJSON_IsString(v) || !v->valuestring)
    return ll_pk_fail(c, path, "expected a string, got %s", ll_json_kind(v));
  if (!v->valuestring[0]) return ll_pk_fail(c, path, "expected a non-empty string");
  *out = ll_arena_strdup(c->A, v->valuestring);
  return 0;
}

int ll_pk_int(ll_pk_ctx *c, const cJSON *v, const char *path, long long min, long long *out,
              const char *what) {
  *out = 0; /* defined on every path: -O3 cannot see that ll_pk_fail() is non-zero */
  if (!cJSON_IsNumber(v)) return ll_pk_fail(c, path, "expected %s, got %s", what, ll_json_kind(v));
  double d = v->valuedouble;
  if (d != floor(d) || d < -9007199254740992.0 || d > 9007199254740992.0 || d < (double)min)
    return ll_pk_fail(c, path, "expected %s", what);
  *out = (long long)d;
  return 0;
}

int ll_pk_arg(ll_pk_ctx *c, const cJSON *v, const char *path, unsigned syms, int *out) {
  char what[160];
  snprintf(what, sizeof what, "an integer >= -1%s%s%s", (syms & LL_SYM_OBJECT) ? " or \"object\"" : "",
           (syms & LL_SYM_RESULT) ? " or \"result\"" : "", (syms & LL_SYM_REST) ? " or \"rest\"" : "");
  if (cJSON_IsString(v) && v->valuestring) {
    const char *s = v->valuestring;
    if ((syms & LL_SYM_OBJECT) && strcmp(s, "object") == 0) *out = LL_ARG_OBJECT;
    else if ((syms & LL_SYM_RESULT) && strcmp(s, "result") == 0) *out = LL_ARG_RESULT;
    else if ((syms & LL_SYM_REST) && strcmp(s, "rest") == 0) *out = LL_ARG_REST;
    else if (strcmp(s, "none") == 0) *out = LL_ARG_NONE;
    else return ll_pk_fail(c, path, "expected %s, got \"%s\"", what, s);
    return 0;
  }
  long long x;
  if (ll_pk_int(c, v, path, -1, &x, what)) return -1;
  if (x > 255) return ll_pk_fail(c, path, "argument index %lld is out of range (at most 255)", x);
  *out = (int)x;
  return 0;
}

int ll_pk_enum(ll_pk_ctx *c, const cJSON *v, const char *path, const char *const *names,
               size_t count, const char *what, int *out) {
  *out = 0; /* as in ll_pk_int */
  if (!cJSON_IsString(v) || !v->valuestring)
    return ll_pk_fail(c, path, "expected %s name (a string), got %s", what, ll_json_kind(v));
  for (size_t i = 0; i < count; i++)
    if (names[i] && strcmp(names[i], v->valuestring) == 0) {
      *out = (int)i;
      return 0;
    }
  char sug[96];
  ll_buf b = {0};
  for (size_t i = 0; i < count; i++)
    if (names[i]) ll_buf_printf(&b, "%s%s", b.len ? ", " : "", names[i]);
  ll_pk_fail(c, path, "unknown %s '%s'%s; expected one of: %s", what, v->valuestring,
             ll_suggest(sug, sizeof sug, v->valuestring, names, count), b.data);
  ll_buf_free(&b);
  return -1;
}

int ll_pk_keys(ll_pk_ctx *c, const cJSON *obj, const char *path, const char *const *known,
               size_t nknown, const char *what) {
  for (const cJSON *k = obj->child; k; k = k->next) {
    const char *name = k->string ? k->string : "";
    int ok = 0;
    for (size_t i = 0; i < nknown && !ok; i++) ok = strcmp(known[i], name) == 0;
    if (!ok) {
      char sug[96];
      return ll_pk_fail(c, ll_pk_key(c, path, name), "unknown key '%s' in %s%s", name, what,
                        ll_suggest(sug, sizeof sug, name, known, nknown));
    }
    for (const cJSON *p = obj->child; p != k; p = p->next)
      if (p->string && strcmp(p->string, name) == 0)
        return ll_pk_fail(c, ll_pk_key(c, path, name), "duplicate key '%s'", name);
  }
  return 0;
}

const cJSON *ll_json_item(const cJSON *obj, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(obj, key);
}
