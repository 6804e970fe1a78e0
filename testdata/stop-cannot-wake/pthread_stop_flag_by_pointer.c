/* Shape 1, the flag written through a pointer: the stop function passes the
 * address of the worker's stop flag to a setter (set_flag(&w->stop)) and
 * joins, but never signals the condition the worker sleeps on. */
#include <pthread.h>
#include <stddef.h>

struct pump {
  pthread_mutex_t mu;
  pthread_cond_t more;
  int pending;
  int stop;
  pthread_t tid;
};

static void set_flag(int *flag) {
  *flag = 1;
}

static void *pump_loop(void *arg) {
  struct pump *p = arg;
  pthread_mutex_lock(&p->mu);
  while (!p->stop) {
    while (p->pending == 0 && !p->stop)
      pthread_cond_wait(&p->more, &p->mu);
    p->pending = 0;
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

int pump_start(struct pump *p) {
  return pthread_create(&p->tid, NULL, pump_loop, p); // want: stop-cannot-wake "nothing on it wakes"
}

void pump_feed(struct pump *p) {
  pthread_mutex_lock(&p->mu);
  p->pending++;
  pthread_cond_signal(&p->more);
  pthread_mutex_unlock(&p->mu);
}

void pump_stop(struct pump *p) {
  pthread_mutex_lock(&p->mu);
  set_flag(&p->stop);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->tid, NULL);
}
