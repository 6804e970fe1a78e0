/* The fix of layers_init_designated.c: the task named by the descriptor's
 * initialiser returns once the owner sets stop (and posts the semaphore to
 * wake it). */
#include <pthread.h>
#include <semaphore.h>

struct lidf_task {
  const char *name;
  void *(*fn)(void *);
  void *arg;
};

struct lidf_ctx {
  sem_t sem;
  volatile int stop;
};

static struct lidf_ctx lidf_ctx;

static void *lidf_rx_loop(void *a) {
  struct lidf_ctx *c = a;
  while (!c->stop) sem_wait(&c->sem);
  return NULL;
}

static struct lidf_task lidf_rx = {.name = "rx", .fn = lidf_rx_loop, .arg = &lidf_ctx};

int lidf_start(pthread_t *t) {
  return pthread_create(t, NULL, lidf_rx.fn, lidf_rx.arg);
}
