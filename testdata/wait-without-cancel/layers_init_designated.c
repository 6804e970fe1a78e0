/* A task reached only through a designated struct initialiser: the global
 * descriptor lid_rx names its entry (.fn = lid_rx_loop) and lid_start hands
 * the descriptor's fields to pthread_create. The only function ever stored
 * in that field is lid_rx_loop, which parks on a semaphore forever. */
#include <pthread.h>
#include <semaphore.h>

struct lid_task {
  const char *name;
  void *(*fn)(void *);
  void *arg;
};

static sem_t lid_sem;

static void *lid_rx_loop(void *a) {
  sem_t *s = a;
  for (;;) sem_wait(s);
  return NULL;
}

static struct lid_task lid_rx = {.name = "rx", .fn = lid_rx_loop, .arg = &lid_sem};

int lid_start(pthread_t *t) {
  return pthread_create(t, NULL, lid_rx.fn, lid_rx.arg); // want: wait-without-cancel
}
