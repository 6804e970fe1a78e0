/* Precision: a table whose entries name two different workers, started by
 * a runtime index. Which one runs at the spawn cannot be known, and only
 * one of them parks forever: the field resolution says nothing rather than
 * pick one. */
#include <pthread.h>
#include <semaphore.h>

struct lta_entry {
  const char *name;
  void *(*fn)(void *);
};

static sem_t lta_sem;

static void *lta_forever(void *a) {
  (void)a;
  for (;;) sem_wait(&lta_sem);
  return NULL;
}

static void *lta_once(void *a) {
  (void)a;
  sem_wait(&lta_sem);
  return NULL;
}

static const struct lta_entry lta_tasks[] = {
    {"forever", lta_forever},
    {"once", lta_once},
};

void lta_run(pthread_t *t, int i) {
  pthread_create(t, NULL, lta_tasks[i].fn, NULL);
}
