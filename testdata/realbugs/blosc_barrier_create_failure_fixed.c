/* Fixed twin of blosc_barrier_create_failure.c.
 * Fix: Blosc/c-blosc 56ee0fbd11b54a44d9f7bd76d4b3ec4d48e5722f (PR #299
 * "propagate pthread_create errors back to the user", merged 38a5b628,
 * 2020-06-05): check init_threads() and set_nthreads() and return -1 before
 * reaching the barrier. */
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
        if (pthread_create(&c->th[t], NULL, worker, c) != 0)
            return -1;
    return 0;
}

static int set_nthreads(struct ctx *c) {
    if (init_threads(c) < 0)
        return -1;
    return c->nthreads;
}

int parallel_run(struct ctx *c) {
    if (set_nthreads(c) < 0)
        return -1;
    pthread_barrier_wait(&c->barr_init);
    return 0;
}

void release_threadpool(struct ctx *c) {   /* blosc_release_threadpool */
    c->giveup = 1;
    pthread_barrier_wait(&c->barr_init);
    for (int t = 0; t < c->nthreads; ++t)
        pthread_join(c->th[t], NULL);
    pthread_barrier_destroy(&c->barr_init);
}
