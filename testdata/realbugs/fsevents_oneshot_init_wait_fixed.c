/* Fixed twin of fsevents_oneshot_init_wait.c.
 * Fix: fsevents/fsevents 23a6c38ea1f67ebd3c9d2ad5c9a7b8bd4871dd81
 * "Fix random thread hanging due to incorrect pthread_cond_wait usage"
 * (2019-10-10): wait in a `while (!loop)` loop while holding the mutex, and
 * unlock only after the loop. */
#include <pthread.h>
#include <stddef.h>

static struct {
    pthread_mutex_t lock;
    pthread_cond_t init;
    pthread_t thread;
    void *loop;
} fse = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, NULL };

static int dummy_loop;

static void *fse_run_loop(void *arg) {
    (void)arg;
    pthread_mutex_lock(&fse.lock);
    fse.loop = &dummy_loop;
    pthread_cond_signal(&fse.init);
    pthread_mutex_unlock(&fse.lock);
    return NULL;
}

void fse_watch(void) {
    pthread_mutex_lock(&fse.lock);
    if (!fse.loop) {
        pthread_create(&fse.thread, NULL, fse_run_loop, NULL); // want: stop-cannot-wake "result is not checked" (a second defect, in both twins: unchecked spawn before the ready-wait)
        while (!fse.loop)
            pthread_cond_wait(&fse.init, &fse.lock);
        pthread_mutex_unlock(&fse.lock);
    }
}
