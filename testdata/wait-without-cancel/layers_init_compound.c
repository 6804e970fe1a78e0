/* A job passed as a compound literal `&(struct lic_job){.fn = ..., .arg =
 * ...}` to a trampoline that calls j->fn(j->arg): the only function ever
 * stored in that field is lic_drain, which parks on a semaphore forever. */
#include <pthread.h>
#include <semaphore.h>

struct lic_job {
  void (*fn)(void *);
  void *arg;
};

static void *lic_tramp(void *a) {
  struct lic_job *j = a;
  j->fn(j->arg);
  return NULL;
}

static void lic_drain(void *a) {
  sem_t *s = a;
  for (;;) sem_wait(s);
}

void lic_run(sem_t *s) {
  pthread_t t;
  pthread_create(&t, NULL, lic_tramp, &(struct lic_job){.fn = lic_drain, .arg = s}); // want: wait-without-cancel
  pthread_join(t, NULL);
}
