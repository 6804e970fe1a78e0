/* pool.h - run n jobs on `workers` threads (explicit large stacks; clang
 * recurses deeply). Each worker calls init once, then job(i) for the job
 * indices it takes, then fini. Always on threads of a 64 MiB stack, one when
 * workers <= 1, whatever -j is, so deep input behaves the same at every -j.
 * Jobs are independent: each writes only its own slot. */
#ifndef LL_POOL_H
#define LL_POOL_H

#include <stddef.h>

typedef void *(*ll_pool_init_fn)(void *shared);              /* returns per-worker state */
typedef void (*ll_pool_job_fn)(void *shared, void *worker, size_t i);
typedef void (*ll_pool_fini_fn)(void *shared, void *worker);

/* Returns 0, or -1 when no thread could be started (then runs inline). */
int ll_pool_run(size_t n, int workers, void *shared, ll_pool_init_fn init, ll_pool_job_fn job,
                ll_pool_fini_fn fini);

#endif
