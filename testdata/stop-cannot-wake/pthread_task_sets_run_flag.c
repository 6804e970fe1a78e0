/* The task overwrites its own stop: the worker sets w->running = 1 when it
 * starts; a stop that clears the flag (and broadcasts) before the worker has
 * run that far is lost, the worker parks in its wait, and the join hangs
 * (the shape of SuperCollider's scheduler thread, RB25 in docs/real-bugs.md). */
#include <pthread.h>
#include <stddef.h>

struct loop {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int running;
  int events;
  pthread_t tid;
};

static void *loop_main(void *arg) {
  struct loop *l = arg;
  pthread_mutex_lock(&l->mu);
  l->running = 1;
  while (l->running) {
    while (l->events == 0 && l->running)
      pthread_cond_wait(&l->cv, &l->mu);
    l->events = 0;
  }
  pthread_mutex_unlock(&l->mu);
  return NULL;
}

int loop_start(struct loop *l) {
  return pthread_create(&l->tid, NULL, loop_main, l); // want: stop-cannot-wake "overwritten"
}

void loop_stop(struct loop *l) {
  pthread_mutex_lock(&l->mu);
  l->running = 0;
  pthread_cond_broadcast(&l->cv);
  pthread_mutex_unlock(&l->mu);
  pthread_join(l->tid, NULL);
}
