/* Twin of pthread_task_sets_run_flag.c: the starter sets the run flag before
 * it creates the worker, and the worker only tests it, so a stop that comes
 * first is seen. */
#include <pthread.h>
#include <stddef.h>

struct loop_fx {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int running;
  int events;
  pthread_t tid;
};

static void *loop_main_fx(void *arg) {
  struct loop_fx *l = arg;
  pthread_mutex_lock(&l->mu);
  while (l->running) {
    while (l->events == 0 && l->running)
      pthread_cond_wait(&l->cv, &l->mu);
    l->events = 0;
  }
  pthread_mutex_unlock(&l->mu);
  return NULL;
}

int loop_start_fx(struct loop_fx *l) {
  l->running = 1;
  return pthread_create(&l->tid, NULL, loop_main_fx, l);
}

void loop_stop_fx(struct loop_fx *l) {
  pthread_mutex_lock(&l->mu);
  l->running = 0;
  pthread_cond_broadcast(&l->cv);
  pthread_mutex_unlock(&l->mu);
  pthread_join(l->tid, NULL);
}
