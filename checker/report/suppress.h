/* suppress.h - inline suppressions:
 *   // leaklint:ignore[RULE,...] REASON      on the finding's line or the line above
 *   // leaklint:ignore-file[RULE,...] REASON anywhere in the file
 * A suppression without a reason does not apply; a notification says why. */
#ifndef LL_SUPPRESS_H
#define LL_SUPPRESS_H

#include "diag.h"

/* One parsed directive. */
typedef struct ll_directive {
  int file_wide;
  char **rules;   /* rule ids; nrules == 0 means "all rules" */
  size_t nrules;
  char *reason;   /* NULL when missing */
  unsigned line, col; /* where the comment starts (0 when parsed from bare text) */
  unsigned end_line;  /* the comment's last line (block comments span several) */
} ll_directive;

/* Parses the directive in one comment text (starting at "//" or a C block comment opener).
 * Returns 1 and fills *d (free with ll_directive_free) when the comment is a
 * leaklint directive, 0 when it is not, -1 when malformed (*err says why,
 * caller frees). Never reads past len. */
int ll_directive_parse(const char *text, size_t len, ll_directive *d, char **err);
void ll_directive_free(ll_directive *d);

/* One comment of a source text that holds a leaklint directive, as found by
 * ll_suppress_scan. */
typedef struct ll_scanned {
  ll_directive d; /* valid when status == 1 */
  int status;     /* 1 directive, -1 malformed (err says why) */
  char *err;
} ll_scanned;

/* Lexes C/C++ source text (strings, char literals, raw strings, line and
 * block comments, CRLF or CR line ends) and returns every comment that is a
 * leaklint directive, in order, with line/col/end_line set. Caller frees
 * with ll_scanned_free. Never reads past len; NUL bytes are ordinary bytes. */
size_t ll_suppress_scan(const char *text, size_t len, ll_scanned **out);
void ll_scanned_free(ll_scanned *v, size_t n);

/* Marks findings covered by a suppression in their file (f->suppressed,
 * f->suppress_reason). Malformed or reason-less directives become warnings
 * in notes. With report_unused, directives that suppressed nothing become
 * findings-free warnings in notes ("unused suppression"). */
void ll_suppress_apply(ll_findings *findings, ll_notifications *notes, int report_unused,
                       const char *const *files, size_t nfiles);

#endif
