/* Reduced from fsevents/fsevents src/rawfsevents.c (fse_watch, fse_run_loop).
 * Fix: fsevents/fsevents 23a6c38ea1f67ebd3c9d2ad5c9a7b8bd4871dd81
 * "Fix random thread hanging due to incorrect pthread_cond_wait usage"
 * (2019-10-10, PR #290 merged f95c1ac2).
 * Shape 4 (one-shot wait whose signal can come first): the creator starts the
 * run-loop thread, UNLOCKS the mutex, then calls pthread_cond_wait once with no
 * predicate loop. The new thread publishes `loop` and signals `init`; if it
 * does so before the creator parks, the signal is lost and fse_watch hangs
 * (also: waiting on a mutex the caller no longer holds). */
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
    /* CFRunLoopRun() ... */
    return NULL;
}

void fse_watch(void) {
    pthread_mutex_lock(&fse.lock);
    if (!fse.loop) {
        pthread_create(&fse.thread, NULL, fse_run_loop, NULL); // want: lost-wakeup, stop-cannot-wake "result is not checked" (a second defect, in both twins: unchecked spawn before the ready-wait)
        pthread_mutex_unlock(&fse.lock);
        pthread_cond_wait(&fse.init, &fse.lock);   /* BUG: one-shot, mutex not held */
    }
    /* ... register the watcher with fse.loop ... */
}
