/* Shape 1: the stop function sets the worker's stop flag under the mutex and
 * joins, but never broadcasts the condition the worker sleeps on. */
#include <pthread.h>
#include <stddef.h>

struct worker {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  void *head;
  int stop;
  pthread_t tid;
};

static void *work_loop(void *arg) {
  struct worker *w = arg;
  pthread_mutex_lock(&w->mu);
  while (!w->stop) {
    while (w->head == NULL && !w->stop)
      pthread_cond_wait(&w->cv, &w->mu);
    w->head = NULL;
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

int worker_start(struct worker *w) {
  return pthread_create(&w->tid, NULL, work_loop, w); // want: stop-cannot-wake "nothing on it wakes"
}

void worker_submit(struct worker *w, void *item) {
  pthread_mutex_lock(&w->mu);
  w->head = item;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
}

void worker_stop(struct worker *w) {
  pthread_mutex_lock(&w->mu);
  w->stop = 1;
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->tid, NULL);
}
