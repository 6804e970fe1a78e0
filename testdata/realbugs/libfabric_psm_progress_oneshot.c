/* Reduced from ofiwg/libfabric prov/psm/src/psmx_wait.c (psmx_wait_progress,
 * psmx_wait_start_progress, psmx_wait_stop_progress).
 * Fix: ofiwg/libfabric b610a889c29a24e20446b9a90dab99d64e432c0c
 * "prov/psm: fix a hanging in fi_wait" (2015-04-22, PR #928 merged e36fbb85).
 * Shape 4 (one-shot wait whose signal can come first): the detached progress
 * thread parks in pthread_cond_wait at the top of every round without testing
 * the `enabled` flag it is being woken for; start_progress() sets the flag and
 * signals (no mutex), possibly before the thread parks. The signal is lost, no
 * progress is made and the fi_wait() caller waits forever. */
#include <pthread.h>

static pthread_t wait_thread;
static pthread_mutex_t wait_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wait_cond = PTHREAD_COND_INITIALIZER;
static volatile int thread_ready, thread_enabled, thread_busy;

static void progress(void *domain) { (void)domain; }

static void *wait_progress(void *domain) {
    thread_ready = 1;
    for (;;) {
        pthread_mutex_lock(&wait_mutex);
        pthread_cond_wait(&wait_cond, &wait_mutex);   /* BUG: no predicate */
        pthread_mutex_unlock(&wait_mutex);
        thread_busy = 1;
        while (thread_enabled)
            progress(domain);
        thread_busy = 0;
    }
    return NULL;
}

void start_progress(void *domain) {
    if (!wait_thread) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_create(&wait_thread, &attr, wait_progress, domain); // want: lost-wakeup, wait-without-cancel
        pthread_attr_destroy(&attr);
        while (!thread_ready) {}
    }
    thread_enabled = 1;
    pthread_cond_signal(&wait_cond);
}

void stop_progress(void) {
    thread_enabled = 0;
    while (thread_busy) {}
}
