/* Fixed twin of rsyslog_imkafka_error_join.c.
 * Fix: rsyslog/rsyslog be933a2b7141d93ce3876da96fcb4f01b9f1fe20
 * "imkafka: stop workers on startup failure" (2026-06-04): a module-local
 * atomic stop flag, reset before the workers start, set by shutdown_workers()
 * before joining, and honoured by the workers alongside the global flag. */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

struct wrkr { pthread_t tid; int id; };
static struct wrkr workers[8];
static int active_workers;
static volatile int global_term_state;
static atomic_int stop_workers;

static void *kafka_wrkr(void *arg) {
    (void)arg;
    do {
        if (atomic_load(&stop_workers))
            break;
        usleep(100000);
    } while (global_term_state == 0);
    return NULL;
}

static void shutdown_workers(void) {
    atomic_store(&stop_workers, 1);
    for (int i = 0; i < active_workers; ++i)
        pthread_join(workers[i].tid, NULL);
}

int run_input(int n) {
    int i;
    atomic_store(&stop_workers, 0);
    for (i = 0; i < n; ++i) {
        workers[i].id = i;
        if (pthread_create(&workers[i].tid, NULL, kafka_wrkr, &workers[i]) != 0) {
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
