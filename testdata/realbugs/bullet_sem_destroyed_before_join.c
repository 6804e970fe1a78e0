/* Reduced from bulletphysics/bullet3 src/LinearMath/TaskScheduler/
 * btThreadSupportPosix.cpp (threadFunction, stopThreads), in C.
 * Fix: bulletphysics/bullet3 50dca7cf0ee2b15ea5c9d406d99a73f33bc77711
 * "Destroy semaphore after join" (2019-05-27, PR #2270 merged 5ec8339b).
 * Shape 5 (primitive destroyed under a parked task): stopThreads() posts each
 * worker's start semaphore, waits on the SHARED main semaphore (which another
 * worker's post can satisfy), then sem_destroy()s the start semaphore before
 * pthread_join; the worker may still be parked in sem_wait on it, and the
 * process hangs at exit. */
#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>

struct status { pthread_t thread; sem_t start; sem_t *main_sem; void *user; };

static void *thread_function(void *arg) {
    struct status *s = arg;
    for (;;) {
        sem_wait(&s->start);
        if (s->user == NULL) {           /* exit request */
            sem_post(s->main_sem);
            break;
        }
        /* run task */
        sem_post(s->main_sem);
    }
    return NULL;
}

void start_threads(struct status *st, int n, sem_t *main_sem) {
    for (int i = 0; i < n; ++i) {
        sem_init(&st[i].start, 0, 0);
        st[i].main_sem = main_sem;
        pthread_create(&st[i].thread, NULL, thread_function, &st[i]); // want: stop-cannot-wake
    }
}

void stop_threads(struct status *st, int n, sem_t *main_sem) {
    for (int i = 0; i < n; ++i) {
        st[i].user = NULL;
        sem_post(&st[i].start);
        sem_wait(main_sem);
        sem_destroy(&st[i].start);       /* BUG: worker may still wait on it */
        pthread_join(st[i].thread, NULL);
    }
    sem_destroy(main_sem);
}
