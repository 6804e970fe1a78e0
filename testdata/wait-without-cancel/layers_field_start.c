/* A start function that takes the entry from a field: st_init stores the
 * worker in the thread object and st_start passes t->fn to pthread_create
 * later. The only function ever stored in that field is st_loop, which parks
 * on a semaphore forever. */
#include <pthread.h>
#include <semaphore.h>

struct st_thr {
  void *(*fn)(void *);
  void *arg;
  pthread_t tid;
};

static void st_init(struct st_thr *t, void *(*fn)(void *), void *arg) {
  t->fn = fn;
  t->arg = arg;
}

static int st_start(struct st_thr *t) {
  return pthread_create(&t->tid, NULL, t->fn, t->arg); // want: wait-without-cancel
}

static void *st_loop(void *a) {
  sem_t *s = a;
  for (;;) sem_wait(s);
  return NULL;
}

void st_main(struct st_thr *t, sem_t *s) {
  st_init(t, st_loop, s);
  st_start(t);
}
