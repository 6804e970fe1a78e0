/* A header reached through two spellings of its path (dotdot_a.cpp includes
 * "dotdot_inc/dotdot_worker.h", dotdot_b.cpp "dotdot_inc/../dotdot_inc/
 * dotdot_worker.h"): its one leaking spawn is one finding (libgo's
 * watchdog was reported three times). */
#include <pthread.h>
#include <semaphore.h>

static sem_t dotdot_sem;

static void *dotdot_loop(void *a) {
  (void)a;
  for (;;) sem_wait(&dotdot_sem);
  return NULL;
}

static inline void dotdot_start(void) {
  pthread_t t;
  pthread_create(&t, NULL, dotdot_loop, NULL); // want: wait-without-cancel
  pthread_detach(t);
}
