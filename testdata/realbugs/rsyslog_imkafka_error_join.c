/* Reduced from rsyslog plugins/imkafka/imkafka.c (runInput, shutdownKafkaWorkers,
 * imkafkawrkr).
 * Fix: rsyslog/rsyslog be933a2b7141d93ce3876da96fcb4f01b9f1fe20
 * "imkafka: stop workers on startup failure" (2026-06-04).
 * Shape 6 (error path skips the release): workers poll until the global input
 * termination flag is set. When pthread_create fails for worker i, runInput()
 * joins workers 0..i-1 right away, but the only stop they honour is the global
 * flag, which nobody sets on this path: the error path blocks forever. */
#include <pthread.h>
#include <unistd.h>

struct wrkr { pthread_t tid; int id; };
static struct wrkr workers[8];
static int active_workers;
static volatile int global_term_state;

static void *kafka_wrkr(void *arg) {
    (void)arg;
    do {
        usleep(100000);                      /* consume / poll */
    } while (global_term_state == 0);
    return NULL;
}

static void shutdown_workers(void) {
    for (int i = 0; i < active_workers; ++i)
        pthread_join(workers[i].tid, NULL);  /* BUG on the error path: no stop signal */
}

int run_input(int n) {
    int i;
    for (i = 0; i < n; ++i) {
        workers[i].id = i;
        if (pthread_create(&workers[i].tid, NULL, kafka_wrkr, &workers[i]) != 0) { // want: stop-cannot-wake
            active_workers = i;
            shutdown_workers();
            return -1;
        }
    }
    active_workers = i;
    while (global_term_state == 0)
        usleep(100000);
    shutdown_workers();
    return 0;
}
