/* Reduced from memcached logger.c (logger thread + stop_logger_thread).
 * Fix: memcached/memcached 0e0b0c2d373c738b402f6725b36b5b22e935ca0c
 * "Race leads to deadlock during shutdown (sigterm/sigusr1)" (2022-08-10).
 * Shape 2 (lost wakeup): the stop path clears the run flag and signals the
 * condition without holding the mutex the logger holds between its check of
 * the flag and its (one-shot, "no watchers") wait; the signal can fall in
 * that gap and pthread_join hangs. Code written for leaklint, not copied. */
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
        if (n_watchers == 0)              /* one-shot wait, no stop check */
            pthread_cond_wait(&stack_cond, &stack_lock);
        drain_loggers();
        pthread_mutex_unlock(&stack_lock);
    }
    return NULL;
}

int log_start(void) {
    keep_running = 1;
    return pthread_create(&log_tid, NULL, log_thread, NULL); // want: lost-wakeup
}

void log_add_watcher(void) {
    pthread_mutex_lock(&stack_lock);
    n_watchers++;
    pthread_cond_signal(&stack_cond);
    pthread_mutex_unlock(&stack_lock);
}

int log_stop(void) {
    keep_running = 0;                     /* BUG: not under stack_lock */
    pthread_cond_signal(&stack_cond);
    pthread_join(log_tid, NULL);          /* can hang */
    return 0;
}
