/* Fixed twin of mc_idle_timeout_usleep.c.
 * Fix: memcached/memcached 2896cc6c49c2bcd064e00da8bdf0dcaf1a481e73
 * "idle_timeout: avoid long hangs during shutdown" (2020-11-12): sleep with
 * pthread_cond_timedwait on a condition the stop path signals (flag cleared
 * and signal sent under the same mutex). */
#include <pthread.h>
#include <sys/time.h>
#include <time.h>

static pthread_t idle_tid;
static int run_idle_thread;
static int idle_timeout_secs = 600;
static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle_cond = PTHREAD_COND_INITIALIZER;

static int scan_idle_connections(void) { return idle_timeout_secs; }

static void *idle_thread(void *arg) {
    (void)arg;
    pthread_mutex_lock(&idle_lock);
    while (run_idle_thread) {
        int next = scan_idle_connections();
        struct timeval now;
        struct timespec until;
        gettimeofday(&now, NULL);
        until.tv_sec = now.tv_sec + next;
        until.tv_nsec = 0;
        pthread_cond_timedwait(&idle_cond, &idle_lock, &until);
    }
    pthread_mutex_unlock(&idle_lock);
    return NULL;
}

int start_idle_thread(void) {
    run_idle_thread = 1;
    return pthread_create(&idle_tid, NULL, idle_thread, NULL);
}

int stop_idle_thread(void) {
    if (!run_idle_thread)
        return -1;
    pthread_mutex_lock(&idle_lock);
    run_idle_thread = 0;
    pthread_cond_signal(&idle_cond);
    pthread_mutex_unlock(&idle_lock);
    pthread_join(idle_tid, NULL);
    return 0;
}
