/* Twin of pthread_stop_no_broadcast.c: the stop function broadcasts after
 * setting the flag, under the mutex, then joins. */
#include <pthread.h>
#include <stddef.h>

struct worker_fx {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  void *head;
  int stop;
  pthread_t tid;
};

static void *work_loop_fx(void *arg) {
  struct worker_fx *w = arg;
  pthread_mutex_lock(&w->mu);
  while (!w->stop) {
    while (w->head == NULL && !w->stop)
      pthread_cond_wait(&w->cv, &w->mu);
    w->head = NULL;
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

int worker_start_fx(struct worker_fx *w) {
  return pthread_create(&w->tid, NULL, work_loop_fx, w);
}

void worker_submit_fx(struct worker_fx *w, void *item) {
  pthread_mutex_lock(&w->mu);
  w->head = item;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
}

void worker_stop_fx(struct worker_fx *w) {
  pthread_mutex_lock(&w->mu);
  w->stop = 1;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->tid, NULL);
}
