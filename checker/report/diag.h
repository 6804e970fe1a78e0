/* diag.h - findings (what rules report) and notifications (what the tool
 * reports about its own run: parse errors, skipped files, config notes).
 *
 * Ownership: every string inside an ll_finding is heap-allocated and owned by
 * the finding; ll_findings_free releases all of them. */
#ifndef LL_DIAG_H
#define LL_DIAG_H

#include <stddef.h>

typedef enum { LL_LEVEL_NOTE = 0, LL_LEVEL_WARNING = 1, LL_LEVEL_ERROR = 2 } ll_level;
const char *ll_level_name(ll_level l); /* "note", "warning", "error" */
/* A format's word for a level: note, warning or error by l (warning when l
 * is out of range), so that every reporter maps levels the same way. */
const char *ll_level_pick(ll_level l, const char *note, const char *warning, const char *error);

/* A source range. Lines and columns are 1-based; columns count bytes.
 * end_line/end_col is the position just past the range (0 = unknown). */
typedef struct ll_span {
  char *file; /* display path (see ll_path_display) */
  unsigned line, col, end_line, end_col;
} ll_span;

typedef struct ll_related {
  ll_span span;
  char *message;
} ll_related;

/* Replace the text in span with replacement (insert when span is empty). */
typedef struct ll_edit {
  ll_span span;
  char *replacement;
} ll_edit;

typedef enum { LL_FIX_SAFE = 0, LL_FIX_UNSAFE = 1, LL_FIX_DISPLAY = 2 } ll_fix_safety;

typedef struct ll_fix {
  char *title; /* verb phrase: "Give the channel a buffer of 4" */
  ll_fix_safety safety;
  ll_edit *edits;
  size_t nedits;
} ll_fix;

typedef enum { LL_CONF_HIGH = 0, LL_CONF_MEDIUM = 1, LL_CONF_LOW = 2 } ll_confidence;
const char *ll_confidence_name(ll_confidence c); /* "high", "medium", "low" */

typedef struct ll_finding {
  char *rule;    /* rule id, e.g. "timer-per-iteration" */
  ll_level level;
  ll_confidence confidence;
  char *message; /* one lowercase sentence, no trailing period */
  ll_span loc;   /* primary location */
  ll_related *related;
  size_t nrelated;
  char *hint;     /* fix hint text (may be NULL) */
  ll_fix *fixes;  /* machine-applicable edits (may be empty) */
  size_t nfixes;
  char *function; /* enclosing function name, for baseline fingerprints */
  char *fingerprint;     /* filled by ll_findings_fingerprint */
  int suppressed;        /* 1 when an inline suppression applies */
  char *suppress_reason; /* reason given in the suppression */
} ll_finding;

typedef struct ll_findings {
  ll_finding *v;
  size_t n, cap;
} ll_findings;

/* Span helper: copies file. */
ll_span ll_span_make(const char *file, unsigned line, unsigned col,
                     unsigned end_line, unsigned end_col);
ll_span ll_span_copy(const ll_span *s);

/* Starts a finding: copies rule and message; takes ownership of loc (like
 * ll_finding_add_related takes its span). */
ll_finding ll_finding_make(const char *rule, ll_level level, const char *message,
                           ll_span loc);
void ll_finding_add_related(ll_finding *f, ll_span span, const char *message); /* takes span */
/* Adds a fix; takes ownership of edits[] (and their strings) and copies title. */
void ll_finding_add_fix(ll_finding *f, const char *title, ll_fix_safety safety,
                        ll_edit *edits, size_t nedits);
void ll_finding_free(ll_finding *f);

void ll_findings_push(ll_findings *list, ll_finding f); /* takes ownership */
void ll_findings_append(ll_findings *dst, ll_findings *src); /* moves all, empties src */
/* Sorts by (file, line, column, rule, message) and removes exact duplicates. */
void ll_findings_sort_dedup(ll_findings *list);
void ll_findings_free(ll_findings *list);

/* A notification about the run itself. */
typedef struct ll_notification {
  ll_level level;
  char *file; /* may be NULL */
  unsigned line, col;
  char *message;
} ll_notification;

typedef struct ll_notifications {
  ll_notification *v;
  size_t n, cap;
} ll_notifications;

void ll_notify(ll_notifications *list, ll_level level, const char *file,
               unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void ll_notifications_append(ll_notifications *dst, ll_notifications *src);
void ll_notifications_sort(ll_notifications *list);
void ll_notifications_free(ll_notifications *list);

#endif
