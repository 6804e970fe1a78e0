/* Fixed twin of libuv_condvar_test_oneshot.c.
 * Fix: libuv/libuv ca0b6578913f861ebeba19189cd6a1b46e320aae
 * "test: fix deadlocks in uv_cond_wait" (2016-02-18): wait in a
 * `while (posted == 0)` loop under the mutex. */
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
    uv_thread_create(&thread, worker, &wc); // want: stop-cannot-wake "result is not checked" (a second defect, in both twins: unchecked spawn before the ready-wait)
    uv_mutex_lock(&wc.mutex);
    uv_sleep(100);
    while (wc.posted == 0)
        uv_cond_wait(&wc.cond, &wc.mutex);
    uv_mutex_unlock(&wc.mutex);
    uv_thread_join(&thread);
    uv_mutex_destroy(&wc.mutex);
    uv_cond_destroy(&wc.cond);
    return 0;
}
