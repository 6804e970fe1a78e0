/* Reduced from rsyslog runtime/tcpsrv.c (wrkr, stopWorkerPool) and the
 * global input-termination state (glbl.GetGlobalInputTermState()).
 * Fix: rsyslog/rsyslog 3e418b148b861fed52e5b833a88187834ba42880
 * "core/tcpsrv: fix potential hang on shutdown" (2017-11-09).
 * Shape 2 (lost wakeup): each worker waits while (no work && term_state == 0);
 * the termination flag is set elsewhere (through an accessor, without
 * wrkrMut) and stopWorkerPool() signals each worker's condvar without holding
 * wrkrMut, then joins: the signal can fall between a worker's predicate check
 * and its wait. The pool then destroys the condvar. */
#include <pthread.h>
#include <stddef.h>

#define NWRKR 4
struct wrkr_info { pthread_t tid; pthread_cond_t run; void *work; };
static struct wrkr_info wrkr[NWRKR];
static pthread_mutex_t wrkr_mut = PTHREAD_MUTEX_INITIALIZER;
static volatile int input_term_state;

static int get_input_term_state(void) { return input_term_state; }
void set_input_term_state(void) { input_term_state = 1; }   /* no wrkr_mut */

static void *wrkr_main(void *arg) {
    struct wrkr_info *me = arg;
    pthread_mutex_lock(&wrkr_mut);
    for (;;) {
        while (me->work == NULL && get_input_term_state() == 0)
            pthread_cond_wait(&me->run, &wrkr_mut);
        if (me->work == NULL)
            break;
        me->work = NULL;
    }
    pthread_mutex_unlock(&wrkr_mut);
    return NULL;
}

void start_pool(void) {
    for (int i = 0; i < NWRKR; ++i) {
        pthread_cond_init(&wrkr[i].run, NULL);
        pthread_create(&wrkr[i].tid, NULL, wrkr_main, &wrkr[i]); // want: lost-wakeup
    }
}

void stop_pool(void) {
    for (int i = 0; i < NWRKR; ++i) {
        pthread_cond_signal(&wrkr[i].run);       /* BUG: wrkr_mut not held */
        pthread_join(wrkr[i].tid, NULL);
        pthread_cond_destroy(&wrkr[i].run);
    }
}
