/* packctx.h - the load context of one rule pack and its typed JSON readers.
 *
 * Private to checker/packs: the pack loader (packload.c) and the API-entry
 * parser (packapi.c) read a pack's JSON through these, so that every defect
 * is reported one way, as "ORIGIN: JSON-POINTER: what is wrong" (the first
 * one only; later calls are no-ops once an error is set). Everything a
 * context allocates lives in its arena, which rulepack.c keeps when the
 * whole pack validated and drops otherwise.
 * Owner module: packctx.c. */
#ifndef LL_PACKCTX_H
#define LL_PACKCTX_H

#include <cjson/cJSON.h>

#include "packfact.h"
#include "rulepack.h"
#include "util.h"

typedef struct ll_pk_ctx {
  const ll_rules *r;   /* the packs loaded before this one (duplicates, library names) */
  ll_arena *A;
  const char *origin;  /* file path, or text origin */
  int origin_has_ptr;  /* origin already ends in a JSON pointer ("CFG: /models") */
  char *err;           /* first error (owned) */
  LL_VEC(ll_api *) apis;      /* this pack's entries, in order */
  LL_VEC(const char *) where; /* parallel to apis: the JSON pointer of each */
  const char *library;
  ll_packfacts_pack *facts; /* this pack's facts and hints, committed on success */
} ll_pk_ctx;

/* Records the first error at JSON pointer path; returns -1. */
int ll_pk_fail(ll_pk_ctx *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* JSON pointer of a child: parent + "/" + key (with ~ and / escaped), or
 * parent + "/" + index; in the context's arena. */
char *ll_pk_key(ll_pk_ctx *c, const char *parent, const char *key);
char *ll_pk_index(ll_pk_ctx *c, const char *parent, size_t i);

/* "an object", "a string", ... for messages. */
const char *ll_json_kind(const cJSON *v);
/* The member key of obj, or NULL (case-sensitive). */
const cJSON *ll_json_item(const cJSON *obj, const char *key);

/* Typed getters: 0 and *out set, or -1 with the error recorded. */
int ll_pk_string(ll_pk_ctx *c, const cJSON *v, const char *path, const char **out); /* non-empty */
/* An integer >= min; what names the expectation in the message. */
int ll_pk_int(ll_pk_ctx *c, const cJSON *v, const char *path, long long min, long long *out,
               const char *what);

/* Symbolic argument names accepted by ll_pk_arg. */
enum { LL_SYM_OBJECT = 1, LL_SYM_RESULT = 2, LL_SYM_REST = 4 };
/* An argument index: an integer >= -1 (at most 255), "none" (-1) or one of
 * the symbolic names allowed by syms. */
int ll_pk_arg(ll_pk_ctx *c, const cJSON *v, const char *path, unsigned syms, int *out);
/* A string naming one of names[0..count) (NULL entries skipped): its index. */
int ll_pk_enum(ll_pk_ctx *c, const cJSON *v, const char *path, const char *const *names,
                 size_t count, const char *what, int *out);
/* Rejects keys of obj that are not in known[] and duplicated keys. */
int ll_pk_keys(ll_pk_ctx *c, const cJSON *obj, const char *path, const char *const *known,
                 size_t nknown, const char *what);

/* Where entry i of the loaded set was defined ("FILE: /apis/N"); rulepack.c. */
const char *ll_rules_where(const ll_rules *r, size_t i);

#endif
