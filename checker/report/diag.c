/* diag.c - findings and notifications: construction, ownership, ordering. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *ll_level_pick(ll_level l, const char *note, const char *warning, const char *error) {
  switch (l) {
  case LL_LEVEL_NOTE: return note;
  case LL_LEVEL_WARNING: return warning;
  case LL_LEVEL_ERROR: return error;
  }
  return warning;
}

const char *ll_level_name(ll_level l) { return ll_level_pick(l, "note", "warning", "error"); }

const char *ll_confidence_name(ll_confidence c) {
  switch (c) {
  case LL_CONF_HIGH: return "high";
  case LL_CONF_MEDIUM: return "medium";
  case LL_CONF_LOW: return "low";
  }
  return "high";
}

static char *dup_or_null(const char *s) { return s ? ll_xstrdup(s) : NULL; }

ll_span ll_span_make(const char *file, unsigned line, unsigned col,
                     unsigned end_line, unsigned end_col) {
  ll_span s;
  s.file = dup_or_null(file);
  s.line = line;
  s.col = col;
  s.end_line = end_line;
  s.end_col = end_col;
  return s;
}

ll_span ll_span_copy(const ll_span *s) {
  return ll_span_make(s->file, s->line, s->col, s->end_line, s->end_col);
}

ll_finding ll_finding_make(const char *rule, ll_level level, const char *message,
                           ll_span loc) {
  ll_finding f;
  memset(&f, 0, sizeof f);
  f.rule = dup_or_null(rule);
  f.level = level;
  f.confidence = LL_CONF_HIGH;
  f.message = dup_or_null(message);
  f.loc = loc; /* takes ownership */
  return f;
}

void ll_finding_add_related(ll_finding *f, ll_span span, const char *message) {
  f->related = ll_xrealloc(f->related, (f->nrelated + 1) * sizeof *f->related);
  f->related[f->nrelated].span = span; /* takes ownership */
  f->related[f->nrelated].message = dup_or_null(message);
  f->nrelated++;
}

void ll_finding_add_fix(ll_finding *f, const char *title, ll_fix_safety safety,
                        ll_edit *edits, size_t nedits) {
  f->fixes = ll_xrealloc(f->fixes, (f->nfixes + 1) * sizeof *f->fixes);
  ll_fix *x = &f->fixes[f->nfixes++];
  x->title = dup_or_null(title);
  x->safety = safety;
  x->edits = edits;
  x->nedits = nedits;
}

static void span_free(ll_span *s) {
  free(s->file);
  s->file = NULL;
}

void ll_finding_free(ll_finding *f) {
  if (!f) return;
  free(f->rule);
  free(f->message);
  span_free(&f->loc);
  for (size_t i = 0; i < f->nrelated; i++) {
    span_free(&f->related[i].span);
    free(f->related[i].message);
  }
  free(f->related);
  free(f->hint);
  for (size_t i = 0; i < f->nfixes; i++) {
    ll_fix *x = &f->fixes[i];
    free(x->title);
    for (size_t j = 0; j < x->nedits; j++) {
      span_free(&x->edits[j].span);
      free(x->edits[j].replacement);
    }
    free(x->edits);
  }
  free(f->fixes);
  free(f->function);
  free(f->fingerprint);
  free(f->suppress_reason);
  memset(f, 0, sizeof *f);
}

/* Moves every element of the vector src (v, n, cap) to the end of dst, a
 * vector of the same type, and leaves src empty. */
#define VEC_MOVE_APPEND(dst, src)                                       \
  do {                                                                  \
    for (size_t i_ = 0; i_ < (src)->n; i_++) LL_VEC_PUSH(dst, (src)->v[i_]); \
    free((src)->v);                                                     \
    (src)->v = NULL;                                                    \
    (src)->n = (src)->cap = 0;                                          \
  } while (0)

void ll_findings_push(ll_findings *list, ll_finding f) { LL_VEC_PUSH(list, f); }

void ll_findings_append(ll_findings *dst, ll_findings *src) { VEC_MOVE_APPEND(dst, src); }

/* NULL sorts before any string. */
static int strcmp_null(const char *a, const char *b) {
  if (a == b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  return strcmp(a, b);
}

static int ucmp(unsigned a, unsigned b) { return a < b ? -1 : a > b; }

static int span_cmp(const ll_span *a, const ll_span *b) {
  int c;
  if ((c = strcmp_null(a->file, b->file))) return c;
  if ((c = ucmp(a->line, b->line))) return c;
  if ((c = ucmp(a->col, b->col))) return c;
  if ((c = ucmp(a->end_line, b->end_line))) return c;
  return ucmp(a->end_col, b->end_col);
}

/* Total order over everything a finding carries, so that the sorted list does
 * not depend on the order findings were produced in (-j independence) and
 * "exact duplicate" means "compares equal". */
static int finding_cmp(const void *pa, const void *pb) {
  const ll_finding *a = pa, *b = pb;
  int c;
  /* Primary keys, as documented: file, line, column, rule, message. */
  if ((c = strcmp_null(a->loc.file, b->loc.file))) return c;
  if ((c = ucmp(a->loc.line, b->loc.line))) return c;
  if ((c = ucmp(a->loc.col, b->loc.col))) return c;
  if ((c = strcmp_null(a->rule, b->rule))) return c;
  if ((c = strcmp_null(a->message, b->message))) return c;
  /* Tie-breakers. */
  if ((c = ucmp(a->loc.end_line, b->loc.end_line))) return c;
  if ((c = ucmp(a->loc.end_col, b->loc.end_col))) return c;
  if ((c = ucmp((unsigned)a->level, (unsigned)b->level))) return c;
  if ((c = ucmp((unsigned)a->confidence, (unsigned)b->confidence))) return c;
  if ((c = ucmp((unsigned)a->nrelated, (unsigned)b->nrelated))) return c;
  for (size_t i = 0; i < a->nrelated; i++) {
    if ((c = span_cmp(&a->related[i].span, &b->related[i].span))) return c;
    if ((c = strcmp_null(a->related[i].message, b->related[i].message))) return c;
  }
  if ((c = strcmp_null(a->hint, b->hint))) return c;
  if ((c = strcmp_null(a->function, b->function))) return c;
  if ((c = ucmp((unsigned)a->nfixes, (unsigned)b->nfixes))) return c;
  for (size_t i = 0; i < a->nfixes; i++) {
    const ll_fix *x = &a->fixes[i], *y = &b->fixes[i];
    if ((c = strcmp_null(x->title, y->title))) return c;
    if ((c = ucmp((unsigned)x->safety, (unsigned)y->safety))) return c;
    if ((c = ucmp((unsigned)x->nedits, (unsigned)y->nedits))) return c;
    for (size_t j = 0; j < x->nedits; j++) {
      if ((c = span_cmp(&x->edits[j].span, &y->edits[j].span))) return c;
      if ((c = strcmp_null(x->edits[j].replacement, y->edits[j].replacement))) return c;
    }
  }
  if ((c = ucmp((unsigned)a->suppressed, (unsigned)b->suppressed))) return c;
  if ((c = strcmp_null(a->suppress_reason, b->suppress_reason))) return c;
  return strcmp_null(a->fingerprint, b->fingerprint);
}

void ll_findings_sort_dedup(ll_findings *list) {
  if (list->n < 2) return;
  qsort(list->v, list->n, sizeof *list->v, finding_cmp);
  size_t w = 1;
  for (size_t r = 1; r < list->n; r++) {
    if (finding_cmp(&list->v[w - 1], &list->v[r]) == 0)
      ll_finding_free(&list->v[r]);
    else
      list->v[w++] = list->v[r];
  }
  list->n = w;
}

void ll_findings_free(ll_findings *list) {
  if (!list) return;
  for (size_t i = 0; i < list->n; i++) ll_finding_free(&list->v[i]);
  free(list->v);
  list->v = NULL;
  list->n = list->cap = 0;
}

static void notes_push(ll_notifications *list, ll_notification n) { LL_VEC_PUSH(list, n); }

void ll_notify(ll_notifications *list, ll_level level, const char *file,
               unsigned line, unsigned col, const char *fmt, ...) {
  ll_notification n;
  ll_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  ll_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  n.level = level;
  n.file = dup_or_null(file);
  n.line = line;
  n.col = col;
  n.message = b.data ? ll_buf_take(&b) : ll_xstrdup("");
  notes_push(list, n);
}

void ll_notifications_append(ll_notifications *dst, ll_notifications *src) {
  VEC_MOVE_APPEND(dst, src);
}

/* Run-wide notes (no file) first, then by file, line, column; the level and
 * message make the order total. */
static int note_cmp(const void *pa, const void *pb) {
  const ll_notification *a = pa, *b = pb;
  int c;
  if ((c = strcmp_null(a->file, b->file))) return c;
  if ((c = ucmp(a->line, b->line))) return c;
  if ((c = ucmp(a->col, b->col))) return c;
  if ((c = ucmp((unsigned)b->level, (unsigned)a->level))) return c; /* errors first */
  return strcmp_null(a->message, b->message);
}

void ll_notifications_sort(ll_notifications *list) {
  if (list->n > 1) qsort(list->v, list->n, sizeof *list->v, note_cmp);
}

void ll_notifications_free(ll_notifications *list) {
  if (!list) return;
  for (size_t i = 0; i < list->n; i++) {
    free(list->v[i].file);
    free(list->v[i].message);
  }
  free(list->v);
  list->v = NULL;
  list->n = list->cap = 0;
}
