/* lv_out.h - a leaked task as the preload library reports it: frames resolved
 * to module, offset and function name, the ignore-list test, and the two report
 * forms (JSON lines for the driver, text for a person). Checker thread only. */
#ifndef LV_OUT_H
#define LV_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lv_tasks.h"

typedef struct lv_frame {
  uintptr_t pc;       /* as unwound (a return address, or the exact pc on top) */
  const char *module; /* absolute path of the mapped file, or "" */
  uintptr_t off;      /* the address to symbolise in module: link-time address
                         (ET_EXEC) or offset from the load base (ET_DYN), already
                         moved back into the call instruction for return addresses */
  const char *sym;    /* raw symbol name, or NULL */
  char *function;     /* demangled name (owned), or NULL */
  int system;         /* in a system library (/lib, /usr/lib) */
} lv_frame;

typedef struct lv_leak {
  pid_t tid;
  unsigned long seq;
  char state;          /* from /proc/self/task/TID/stat: S, R, D, T, ... */
  char name[32];       /* comm */
  char syscall[32];    /* blocking system call, "running", or "" */
  char fd[160];        /* what the fd argument of that call is (pipe:[..]), or "" */
  char wchan[64];      /* kernel wait channel, or "" */
  const char *sample;  /* "ok", "signal blocked", "no answer", "not started" */
  lv_frame stack[LV_MAX_FRAMES];
  int nstack;
  lv_frame created[LV_MAX_FRAMES];
  int ncreated;
  int creator;         /* index in created[] of the "created by" function, or -1 */
} lv_leak;

/* Resolves n unwound pcs into out (frames of this library are dropped; skip
 * more frames after them: the signal trampoline). Returns the frames kept. */
int lv_out_resolve(lv_frame *out, void *const *pcs, int n, int skip_after_own);
/* Sets leak->creator: the first created frame outside system and C++ standard
 * library code. */
void lv_out_find_creator(lv_leak *leak);
void lv_out_release(lv_leak *leak);
/* 1 when a comma-separated name in `ignore` names one of the task's frames
 * from the top down to its first frame in program code, or its creator. */
int lv_out_ignored(const lv_leak *leak, const char *ignore);
/* The check point's report: one JSON object per leaked task then an "end"
 * object, one per line (format in checker/verify/README.md). */
char *lv_out_json(const char *checkpoint, const lv_leak *v, size_t n, size_t ignored,
                  unsigned long untracked);
char *lv_out_text(const char *checkpoint, const lv_leak *v, size_t n, size_t ignored,
                  unsigned long untracked);

#endif
