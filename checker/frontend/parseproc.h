/* parseproc.h - parses in worker processes, so that one bad file fails
 * alone.
 *
 * A stack overflow or a SIGSEGV inside libclang (deep nesting, huge macro
 * expansions) kills the process it happens in; a header reached through a
 * computed include that is a FIFO blocks it forever. So the parse runs in a
 * worker process and its IR comes back through the IR codec (cache.h) over a
 * socket; a worker that dies costs the one file it was parsing.
 *
 * The workers are forked by a small fork server, itself forked by
 * ll_pproc_start while the run is still single-threaded (forking a process
 * whose other threads hold locks is not safe). Each pool thread asks it for
 * one long-lived worker and gets a new one only after a crash. */
#ifndef LL_PARSEPROC_H
#define LL_PARSEPROC_H

#include "diag.h"
#include "ir.h"
#include "rulepack.h"

typedef struct ll_pproc ll_pproc;
/* Starts the fork server (call with no other thread running: before the
 * parse pool). NULL when fork fails: then parse in-process. */
ll_pproc *ll_pproc_start(const ll_rules *rules);
/* Stops it (the workers exit when their thread's connection closes). */
void ll_pproc_stop(ll_pproc *pp);

typedef struct ll_pworker ll_pworker;
/* A connection to a new worker process; NULL when none can be started.
 * Thread-safe. */
ll_pworker *ll_pworker_new(ll_pproc *pp);
void ll_pworker_free(ll_pworker *w); /* accepts NULL; the worker exits */

/* ll_facts_parse (facts.h) in the worker: the IR with its file contents and
 * dependencies, clang's notifications appended to notes. When the worker
 * dies (a crash in libclang) or stops a parse that reads a special file,
 * returns NULL with an error notification naming file, and *dead = 1: free
 * this worker and take a new one for the next file. */
ll_tu *ll_pworker_parse(ll_pworker *w, const char *file, const char *const *args, int nargs,
                        const char *workdir, const ll_rules *rules, ll_notifications *notes,
                        int *dead);

#endif
