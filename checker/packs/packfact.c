/* packfact.c - facts and pack hints (see packfact.h). A pattern is a name in
 * which '*' matches any run of characters; the lists are short (tens of
 * patterns), so a query is a scan. */
#include "packfact.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const fact_names[] = {
  [LL_FACT_PROCESS_EXIT] = "process_exit", [LL_FACT_PROCESS_EXIT_MORE] = "process_exit_more",
  [LL_FACT_PASS_THROUGH] = "pass_through", [LL_FACT_CONTAINER_STORE] = "container_store",
  [LL_FACT_CONTAINER_EMPLACE] = "container_emplace", [LL_FACT_NOT_CANCEL_POINT] = "not_cancel_point",
  [LL_FACT_THROWS_ON_CLOSE] = "throws_on_close", [LL_FACT_AWAIT_THROWS] = "await_throws",
  [LL_FACT_NOTHROW_TOKEN] = "nothrow_token", [LL_FACT_CANCEL_SLOT] = "cancel_slot",
  [LL_FACT_OBSERVABLE] = "observable", [LL_FACT_DETACH_ATTRIBUTE] = "detach_attribute",
  [LL_FACT_STOP_TOKEN_FORM] = "stop_token_form", [LL_FACT_LEADING_ARG_TYPE] = "leading_arg_type",
  [LL_FACT_SLEEP_SECONDS] = "sleep_seconds", [LL_FACT_SLEEP_MILLIS] = "sleep_millis",
  [LL_FACT_SLEEP_MICROS] = "sleep_micros", [LL_FACT_COARSE_DURATION] = "coarse_duration",
  [LL_FACT_KEEPS_RUNNING] = "keeps_running",
  [LL_FACT_FACTORY] = "factory",
  [LL_FACT_SELECT_WAIT] = "select_wait", [LL_FACT_BIND_CALL] = "bind_call",
  [LL_FACT_FOREIGN_RELEASE] = "foreign_release",
};

static const char *const hint_names[] = {
  [LL_HINT_WAIT] = "wait", [LL_HINT_POLL] = "poll", [LL_HINT_STOP_TOKEN] = "stop_token",
};

typedef struct fact_pat {
  const char *pack; /* borrowed library name */
  char *pat;
} fact_pat;

typedef struct pack_hints {
  const char *pack;
  char *text[LL_HINT__COUNT];
} pack_hints;

struct ll_packfacts {
  LL_VEC(fact_pat) facts[LL_FACT__COUNT];
  LL_VEC(pack_hints) hints;
};

struct ll_packfacts_pack {
  LL_VEC(char *) pats[LL_FACT__COUNT];
  char *hint[LL_HINT__COUNT];
};

ll_packfacts *ll_packfacts_new(void) { return ll_xcalloc(1, sizeof(ll_packfacts)); }

void ll_packfacts_free(ll_packfacts *pf) {
  if (!pf) return;
  for (size_t f = 0; f < LL_FACT__COUNT; f++) {
    for (size_t i = 0; i < pf->facts[f].n; i++) free(pf->facts[f].v[i].pat);
    free(pf->facts[f].v);
  }
  for (size_t i = 0; i < pf->hints.n; i++)
    for (size_t h = 0; h < LL_HINT__COUNT; h++) free(pf->hints.v[i].text[h]);
  free(pf->hints.v);
  free(pf);
}

void ll_packfacts_pack_free(ll_packfacts_pack *pp) {
  if (!pp) return;
  for (size_t f = 0; f < LL_FACT__COUNT; f++) {
    for (size_t i = 0; i < pp->pats[f].n; i++) free(pp->pats[f].v[i]);
    free(pp->pats[f].v);
  }
  for (size_t h = 0; h < LL_HINT__COUNT; h++) free(pp->hint[h]);
  free(pp);
}

/* The index of key in names[0..n), or -1. */
static int name_index(const char *const *names, size_t n, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (names[i] && strcmp(names[i], key) == 0) return (int)i;
  return -1;
}

static char *expected(const char *const *names, size_t n) {
  ll_buf b = {0};
  for (size_t i = 0; i < n; i++) ll_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
  return ll_buf_take(&b);
}

/* Fails with *path, *msg set; returns NULL for the caller's convenience. */
static ll_packfacts_pack *bad(ll_packfacts_pack *pp, char **path, char **msg, char *p, char *m) {
  ll_packfacts_pack_free(pp);
  *path = p;
  *msg = m;
  return NULL;
}

/* Fails for a key that names no fact or hint: what is "fact" or "hint". */
static ll_packfacts_pack *unknown(ll_packfacts_pack *pp, char **path, char **msg, char *p, const char *what,
                                  const char *key, const char *const *names, size_t n) {
  char *e = expected(names, n);
  char *m = ll_xasprintf("unknown %s '%s'; expected one of: %s", what, key, e);
  free(e);
  return bad(pp, path, msg, p, m);
}

static ll_packfacts_pack *parse_facts(ll_packfacts_pack *pp, const cJSON *v, char **path, char **msg) {
  size_t nf = sizeof fact_names / sizeof fact_names[0];
  if (!cJSON_IsObject(v)) return bad(pp, path, msg, ll_xstrdup("/facts"), ll_xstrdup("expected an object of fact lists"));
  for (const cJSON *l = v->child; l; l = l->next) {
    int f = name_index(fact_names, nf, l->string);
    char *p = ll_xasprintf("/facts/%s", l->string);
    if (f < 0) return unknown(pp, path, msg, p, "fact", l->string, fact_names, nf);
    if (!cJSON_IsArray(l)) return bad(pp, path, msg, p, ll_xstrdup("expected an array of name patterns"));
    size_t i = 0;
    for (const cJSON *e = l->child; e; e = e->next, i++) {
      if (!cJSON_IsString(e) || !e->valuestring || !e->valuestring[0]) {
        char *pi = ll_xasprintf("%s/%zu", p, i);
        free(p);
        return bad(pp, path, msg, pi, ll_xstrdup("expected a non-empty string"));
      }
      LL_VEC_PUSH(&pp->pats[f], ll_xstrdup(e->valuestring));
    }
    free(p);
  }
  return pp;
}

ll_packfacts_pack *ll_packfacts_parse(const cJSON *facts, const cJSON *hints, char **path, char **msg) {
  ll_packfacts_pack *pp = ll_xcalloc(1, sizeof *pp);
  if (facts && !(pp = parse_facts(pp, facts, path, msg))) return NULL;
  if (!hints) return pp;
  size_t nh = sizeof hint_names / sizeof hint_names[0];
  if (!cJSON_IsObject(hints)) return bad(pp, path, msg, ll_xstrdup("/hints"), ll_xstrdup("expected an object of hints"));
  for (const cJSON *e = hints->child; e; e = e->next) {
    int h = name_index(hint_names, nh, e->string);
    char *p = ll_xasprintf("/hints/%s", e->string);
    if (h < 0) return unknown(pp, path, msg, p, "hint", e->string, hint_names, nh);
    if (!cJSON_IsString(e) || !e->valuestring || !e->valuestring[0])
      return bad(pp, path, msg, p, ll_xstrdup("expected a non-empty string"));
    free(p);
    free(pp->hint[h]);
    pp->hint[h] = ll_xstrdup(e->valuestring);
  }
  return pp;
}

void ll_packfacts_commit(ll_packfacts *pf, const char *library, ll_packfacts_pack *pp) {
  if (!pp) return;
  for (size_t f = 0; f < LL_FACT__COUNT; f++)
    for (size_t i = 0; i < pp->pats[f].n; i++) {
      fact_pat fp = {library, pp->pats[f].v[i]};
      LL_VEC_PUSH(&pf->facts[f], fp);
    }
  pack_hints ph = {library, {0}};
  int any = 0;
  for (size_t h = 0; h < LL_HINT__COUNT; h++) {
    ph.text[h] = pp->hint[h];
    any |= ph.text[h] != NULL;
  }
  if (any) LL_VEC_PUSH(&pf->hints, ph);
  for (size_t f = 0; f < LL_FACT__COUNT; f++) free(pp->pats[f].v); /* the strings moved to pf */
  free(pp);
}

/* '*' matches any run of characters; everything else itself. */
static int glob_match(const char *p, const char *s) {
  const char *star = NULL, *resume = NULL;
  while (*s) {
    if (*p == '*') {
      star = p++;
      resume = s;
    } else if (*p == *s) {
      p++;
      s++;
    } else if (star) {
      p = star + 1;
      s = ++resume;
    } else {
      return 0;
    }
  }
  while (*p == '*') p++;
  return *p == 0;
}

int ll_packfacts_match(const ll_packfacts *pf, const char *pack, ll_fact f, const char *s) {
  if (!pf || !s || (unsigned)f >= LL_FACT__COUNT) return 0;
  for (size_t i = 0; i < pf->facts[f].n; i++) {
    const fact_pat *fp = &pf->facts[f].v[i];
    if (pack && strcmp(fp->pack, pack) != 0) continue;
    if (glob_match(fp->pat, s)) return 1;
  }
  return 0;
}

const char *ll_packfacts_hint(const ll_packfacts *pf, const char *pack, ll_pack_hint h) {
  if (!pf || !pack || (unsigned)h >= LL_HINT__COUNT) return NULL;
  for (size_t i = 0; i < pf->hints.n; i++)
    if (strcmp(pf->hints.v[i].pack, pack) == 0) return pf->hints.v[i].text[h];
  return NULL;
}

int ll_rules_fact(const ll_rules *r, ll_fact f, const char *s) {
  return ll_packfacts_match(ll_rules_facts(r), NULL, f, s);
}

int ll_rules_pack_fact(const ll_rules *r, const char *pack, ll_fact f, const char *s) {
  return pack ? ll_packfacts_match(ll_rules_facts(r), pack, f, s) : 0;
}

const char *ll_rules_pack_hint(const ll_rules *r, const char *pack, ll_pack_hint h) {
  return ll_packfacts_hint(ll_rules_facts(r), pack, h);
}
