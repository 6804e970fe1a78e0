/* Fixed twin of libfabric_psm_progress_oneshot.c (libfabric psmx_wait.c).
 * Fix: ofiwg/libfabric b610a889c29a24e20446b9a90dab99d64e432c0c
 * "prov/psm: fix a hanging in fi_wait" (2015-04-22): test `enabled` under the
 * mutex before waiting. NOTE: upstream adds only the `if`; because
 * start_progress() still sets the flag and signals without the mutex a window
 * remains, so this twin also sets+signals under the mutex and waits in a loop
 * (a clean negative). The progress thread is a detached, process-lifetime
 * thread in both versions. */
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
        while (!thread_enabled)
            pthread_cond_wait(&wait_cond, &wait_mutex);
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
        pthread_create(&wait_thread, &attr, wait_progress, domain); // want: wait-without-cancel
        pthread_attr_destroy(&attr);
        while (!thread_ready) {}
    }
    pthread_mutex_lock(&wait_mutex);
    thread_enabled = 1;
    pthread_cond_signal(&wait_cond);
    pthread_mutex_unlock(&wait_mutex);
}

void stop_progress(void) {
    thread_enabled = 0;
    while (thread_busy) {}
}
