/* Reduced from libuv test/test-condvar.c (condvar_1, worker) before the fix.
 * Fix: libuv/libuv ca0b6578913f861ebeba19189cd6a1b46e320aae
 * "test: fix deadlocks in uv_cond_wait" (2016-02-18, PR #728).
 * Shape 4 (one-shot wait whose signal can come first): main starts the worker
 * with uv_thread_create, locks, sleeps, and calls uv_cond_wait once with no
 * predicate loop. If the worker locks first, sets `posted` and signals before
 * main parks, the signal is lost; main waits forever and uv_thread_join never
 * runs. */
#include <uv.h>

typedef struct { uv_mutex_t mutex; uv_cond_t cond; volatile int posted; } worker_config;

static void worker(void *arg) {
    worker_config *c = arg;
    uv_mutex_lock(&c->mutex);
    c->posted = 1;
    uv_cond_signal(&c->cond);
    uv_mutex_unlock(&c->mutex);
}

int condvar_1(void) {
    uv_thread_t thread;
    worker_config wc = { .posted = 0 };
    uv_cond_init(&wc.cond);
    uv_mutex_init(&wc.mutex);
    uv_thread_create(&thread, worker, &wc); // want: lost-wakeup, stop-cannot-wake "result is not checked" (a second defect, in both twins: unchecked spawn before the ready-wait)
    uv_mutex_lock(&wc.mutex);
    uv_sleep(100);
    uv_cond_wait(&wc.cond, &wc.mutex);       /* BUG: one-shot */
    uv_mutex_unlock(&wc.mutex);
    uv_thread_join(&thread);
    uv_mutex_destroy(&wc.mutex);
    uv_cond_destroy(&wc.cond);
    return 0;
}
