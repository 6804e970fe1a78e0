/* Reduced from Blosc/c-blosc blosc/blosc.c (init_threads, blosc_set_nthreads_,
 * parallel_blosc, t_blosc; WAIT_INIT = pthread_barrier_wait).
 * Fix: Blosc/c-blosc 56ee0fbd11b54a44d9f7bd76d4b3ec4d48e5722f (PR #299
 * "propagate pthread_create errors back to the user", merged 38a5b628,
 * 2020-06-05).
 * Shape 6 (creator ignores pthread_create's failure, then waits for "ready"):
 * init_threads() sizes the init barrier for nthreads+1 and returns -1 when a
 * pthread_create fails, but its caller ignores the result and parallel work
 * then waits at the barrier for threads that were never started. */
#include <pthread.h>

struct ctx { int nthreads; pthread_t th[16]; pthread_barrier_t barr_init; volatile int giveup; };

static void *worker(void *arg) {
    struct ctx *c = arg;
    for (;;) {
        pthread_barrier_wait(&c->barr_init);
        if (c->giveup)
            break;
        /* ... compress one block ... */
    }
    return NULL;
}

static int init_threads(struct ctx *c) {
    pthread_barrier_init(&c->barr_init, NULL, (unsigned)c->nthreads + 1);
    for (int t = 0; t < c->nthreads; ++t)
        if (pthread_create(&c->th[t], NULL, worker, c) != 0) // want: stop-cannot-wake
            return -1;
    return 0;
}

static int set_nthreads(struct ctx *c) {
    init_threads(c);                     /* BUG: result ignored */
    return c->nthreads;
}

int parallel_run(struct ctx *c) {
    set_nthreads(c);                     /* BUG: result ignored */
    pthread_barrier_wait(&c->barr_init); /* waits for missing threads forever */
    return 0;
}

void release_threadpool(struct ctx *c) {   /* blosc_release_threadpool */
    c->giveup = 1;
    pthread_barrier_wait(&c->barr_init);
    for (int t = 0; t < c->nthreads; ++t)
        pthread_join(c->th[t], NULL);
    pthread_barrier_destroy(&c->barr_init);
}
