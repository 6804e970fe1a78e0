/* Reduced from memcached memcached.c (conn_timeout_thread / stop_conn_timeout_thread).
 * Fix: memcached/memcached 2896cc6c49c2bcd064e00da8bdf0dcaf1a481e73
 * "idle_timeout: avoid long hangs during shutdown" (2020-11-12).
 * Shape 7 (uninterruptible blocking in a stoppable task): the idle-connection
 * thread honours a run flag but sleeps with usleep() for a configurable,
 * possibly long time; the stop path clears the flag and joins, and nothing can
 * cut the sleep short, so shutdown hangs for up to idle_timeout seconds. */
#include <pthread.h>
#include <unistd.h>

static pthread_t idle_tid;
static volatile int run_idle_thread;
static int idle_timeout_secs = 600;       /* from the command line */

static int scan_idle_connections(void) { return idle_timeout_secs; }

static void *idle_thread(void *arg) {
    (void)arg;
    while (run_idle_thread) {
        int next = scan_idle_connections();
        usleep((useconds_t)next * 1000000);   /* cannot be interrupted */
    }
    return NULL;
}

int start_idle_thread(void) {
    run_idle_thread = 1;
    return pthread_create(&idle_tid, NULL, idle_thread, NULL); // want: stop-cannot-wake
}

int stop_idle_thread(void) {
    if (!run_idle_thread)
        return -1;
    run_idle_thread = 0;
    pthread_join(idle_tid, NULL);        /* waits out the whole sleep */
    return 0;
}
