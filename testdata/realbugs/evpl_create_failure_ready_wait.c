/* Reduced from chimera-nas/libevpl src/core/thread/thread.c (evpl_thread_create,
 * evpl_thread_function).
 * Fix: chimera-nas/libevpl 99401330ca5fb069a1cef821e3b6f3ba61cf4621
 * "core: never ignore pthread_create failure; retry transient EAGAIN"
 * (2026-06-11, PR #100 merged accf1777).
 * Shape 6: the creator ignores pthread_create's return value and then waits,
 * with a predicate loop, for a `ready` flag only the new thread sets; under
 * EAGAIN the thread does not exist and the caller blocks forever. Spawn path:
 * in-house wrapper evpl_thread_create() (called from a pool spawner). */
#include <pthread.h>
#include <stdlib.h>

struct evpl_thread {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int ready;
    int run;
};

static void *evpl_thread_function(void *arg) {
    struct evpl_thread *t = arg;
    pthread_mutex_lock(&t->lock);
    t->ready = 1;
    pthread_cond_signal(&t->cond);
    pthread_mutex_unlock(&t->lock);
    while (__atomic_load_n(&t->run, __ATOMIC_ACQUIRE)) { /* event loop */ }
    return NULL;
}

struct evpl_thread *evpl_thread_create(void) {
    struct evpl_thread *t = calloc(1, sizeof *t);
    t->run = 1;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->cond, NULL);
    pthread_create(&t->thread, NULL, evpl_thread_function, t);   /* BUG: unchecked */ // want: stop-cannot-wake
    pthread_mutex_lock(&t->lock);
    while (!t->ready)
        pthread_cond_wait(&t->cond, &t->lock);
    pthread_mutex_unlock(&t->lock);
    return t;
}

void evpl_thread_destroy(struct evpl_thread *t) {
    __atomic_store_n(&t->run, 0, __ATOMIC_RELEASE);
    pthread_join(t->thread, NULL);
    free(t);
}
