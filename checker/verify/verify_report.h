/* verify_report.h - the driver side of `leaklint verify`: reads the JSON lines
 * libleaklint-verify.so wrote, resolves frames of program code to file:line
 * (addr2line), decides each task's parked operation and rule, groups tasks by
 * parked stack and spawn site, and writes the text, JSON or SARIF report. */
#ifndef LL_VERIFY_REPORT_H
#define LL_VERIFY_REPORT_H

#include <stdio.h>

typedef struct ll_vreport ll_vreport;

/* How the program ended, for the report. */
typedef struct ll_vrun {
  char *const *argv; /* the program and its arguments */
  int exited;        /* 1: exit status below; 0: killed by signal `status` */
  int status;
} ll_vrun;

/* Reads the report file written by the process `pid` (records of other
 * processes are skipped). NULL with *err (caller frees) when it is unreadable. */
ll_vreport *ll_vreport_read(const char *path, long pid, char **err);
void ll_vreport_free(ll_vreport *r);
/* The library was loaded into the program (a "loaded" record). */
int ll_vreport_loaded(const ll_vreport *r);
/* The exit check point ran (an "end" record from checkpoint "exit"). */
int ll_vreport_reached_exit(const ll_vreport *r);
/* Distinct leaked tasks (a task seen at several check points counts once). */
size_t ll_vreport_leaked(const ll_vreport *r);
/* Resolves program frames and groups the tasks; call once before writing. */
void ll_vreport_analyse(ll_vreport *r);
/* Marks the groups that confirm a finding of the static report at path (a
 * leaklint SARIF log or JSON report): same rule and leaklint/v1 fingerprint,
 * i.e. the same rule at the same spawn line in the same function. Call after
 * ll_vreport_analyse. Returns how many groups confirm one, or -1 with *err. */
int ll_vreport_confirm(ll_vreport *r, const char *path, char **err);
/* format: "text", "json" or "sarif". 0, or -1 on a write error. */
int ll_vreport_write(FILE *out, const ll_vreport *r, const char *format, const ll_vrun *run);

#endif
