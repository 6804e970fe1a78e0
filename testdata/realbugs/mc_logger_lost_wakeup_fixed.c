/* Fixed twin of mc_logger_lost_wakeup.c.
 * Fix: memcached/memcached 0e0b0c2d373c738b402f6725b36b5b22e935ca0c
 * "Race leads to deadlock during shutdown (sigterm/sigusr1)" (2022-08-10):
 * clear the flag and signal while holding stack_lock. NOTE: that alone still
 * leaves a window, because the logger tests keep_running outside stack_lock and
 * its one-shot wait does not re-test it; this twin therefore also re-tests the
 * flag under the lock before waiting (upstream fix + that re-test), so it is a
 * clean negative. */
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t stack_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stack_cond = PTHREAD_COND_INITIALIZER;
static volatile int keep_running = 1;
static int n_watchers;
static pthread_t log_tid;

static void drain_loggers(void) {}

static void *log_thread(void *arg) {
    (void)arg;
    while (keep_running) {
        usleep(1000);
        pthread_mutex_lock(&stack_lock);
        if (n_watchers == 0 && keep_running)
            pthread_cond_wait(&stack_cond, &stack_lock);
        drain_loggers();
        pthread_mutex_unlock(&stack_lock);
    }
    return NULL;
}

int log_start(void) {
    keep_running = 1;
    return pthread_create(&log_tid, NULL, log_thread, NULL);
}

void log_add_watcher(void) {
    pthread_mutex_lock(&stack_lock);
    n_watchers++;
    pthread_cond_signal(&stack_cond);
    pthread_mutex_unlock(&stack_lock);
}

int log_stop(void) {
    pthread_mutex_lock(&stack_lock);
    keep_running = 0;
    pthread_cond_signal(&stack_cond);
    pthread_mutex_unlock(&stack_lock);
    pthread_join(log_tid, NULL);
    return 0;
}
