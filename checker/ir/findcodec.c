/* findcodec.c - the findings codec (see findcodec.h). A string is written
 * as 0 for NULL, else its length + 1 and its bytes. */
#include "findcodec.h"

#include <stdlib.h>
#include <string.h>

#include "codec.h"

static void put_cstr(ll_buf *b, const char *s) {
  if (!s) {
    ll_put_u(b, 0);
    return;
  }
  size_t l = strlen(s);
  ll_put_u(b, l + 1);
  ll_buf_append(b, s, l);
}

static void put_span(ll_buf *b, const ll_span *sp) {
  put_cstr(b, sp->file);
  ll_put_u(b, sp->line);
  ll_put_u(b, sp->col);
  ll_put_u(b, sp->end_line);
  ll_put_u(b, sp->end_col);
}

static void put_fix(ll_buf *out, const ll_fix *fx) {
  put_cstr(out, fx->title);
  ll_put_u(out, (uint64_t)fx->safety);
  ll_put_u(out, fx->nedits);
  for (size_t e = 0; e < fx->nedits; e++) {
    put_span(out, &fx->edits[e].span);
    put_cstr(out, fx->edits[e].replacement);
  }
}

void ll_findings_serialize(const ll_findings *f, ll_buf *out) {
  ll_put_u(out, f->n);
  for (size_t i = 0; i < f->n; i++) {
    const ll_finding *x = &f->v[i];
    put_cstr(out, x->rule);
    ll_put_u(out, (uint64_t)x->level);
    ll_put_u(out, (uint64_t)x->confidence);
    put_cstr(out, x->message);
    put_span(out, &x->loc);
    ll_put_u(out, x->nrelated);
    for (size_t k = 0; k < x->nrelated; k++) {
      put_span(out, &x->related[k].span);
      put_cstr(out, x->related[k].message);
    }
    put_cstr(out, x->hint);
    ll_put_u(out, x->nfixes);
    for (size_t k = 0; k < x->nfixes; k++) put_fix(out, &x->fixes[k]);
    put_cstr(out, x->function);
  }
}

static char *get_cstr(ll_reader *r) { /* heap copy; NULL for NULL */
  size_t l = ll_get_count(r);
  if (r->bad || l == 0) return NULL;
  const unsigned char *s = ll_get_raw(r, l - 1);
  return s ? ll_xstrndup((const char *)s, l - 1) : NULL;
}

static void get_span(ll_reader *r, ll_span *sp) {
  sp->file = get_cstr(r);
  sp->line = ll_get_uint(r);
  sp->col = ll_get_uint(r);
  sp->end_line = ll_get_uint(r);
  sp->end_col = ll_get_uint(r);
}

static void get_fix(ll_reader *r, ll_fix *fx) {
  fx->title = get_cstr(r);
  uint64_t safety = ll_get_u(r);
  if (safety > LL_FIX_DISPLAY) r->bad = 1;
  fx->safety = (ll_fix_safety)safety;
  fx->nedits = ll_get_count(r);
  fx->edits = fx->nedits ? ll_xcalloc(fx->nedits, sizeof(ll_edit)) : NULL;
  for (size_t e = 0; e < fx->nedits && !r->bad; e++) {
    get_span(r, &fx->edits[e].span);
    fx->edits[e].replacement = get_cstr(r);
  }
}

/* One finding; what it holds is x's even when the data is bad (the caller
 * frees it with the rest). */
static void get_finding(ll_reader *r, ll_finding *x) {
  memset(x, 0, sizeof *x);
  x->rule = get_cstr(r);
  uint64_t level = ll_get_u(r), conf = ll_get_u(r);
  if (level > LL_LEVEL_ERROR || conf > LL_CONF_LOW) r->bad = 1;
  x->level = (ll_level)level;
  x->confidence = (ll_confidence)conf;
  x->message = get_cstr(r);
  get_span(r, &x->loc);
  x->nrelated = ll_get_count(r);
  x->related = x->nrelated ? ll_xcalloc(x->nrelated, sizeof(ll_related)) : NULL;
  for (size_t k = 0; k < x->nrelated && !r->bad; k++) {
    get_span(r, &x->related[k].span);
    x->related[k].message = get_cstr(r);
  }
  x->hint = get_cstr(r);
  x->nfixes = ll_get_count(r);
  x->fixes = x->nfixes ? ll_xcalloc(x->nfixes, sizeof(ll_fix)) : NULL;
  for (size_t k = 0; k < x->nfixes && !r->bad; k++) get_fix(r, &x->fixes[k]);
  x->function = get_cstr(r);
  if (!x->rule || !x->message || !x->loc.file) r->bad = 1;
}

int ll_findings_deserialize(const void *data, size_t len, ll_findings *out) {
  ll_reader r = ll_reader_of(data, len);
  ll_findings got = {0};
  size_t n = ll_get_count(&r);
  for (size_t i = 0; i < n && !r.bad; i++) {
    ll_finding x;
    get_finding(&r, &x);
    ll_findings_push(&got, x);
  }
  if (r.bad || r.p != r.end) {
    ll_findings_free(&got);
    return -1;
  }
  ll_findings_append(out, &got);
  ll_findings_free(&got);
  return 0;
}
