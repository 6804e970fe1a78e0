/* Twin of pthread_stop_flag_by_pointer.c: the stop function also broadcasts
 * the condition after setting the flag through the pointer, so the worker
 * wakes, sees the flag and returns. */
#include <pthread.h>
#include <stddef.h>

struct pump_fx {
  pthread_mutex_t mu;
  pthread_cond_t more;
  int pending;
  int stop;
  pthread_t tid;
};

static void set_flag(int *flag) {
  *flag = 1;
}

static void *pump_loop_fx(void *arg) {
  struct pump_fx *p = arg;
  pthread_mutex_lock(&p->mu);
  while (!p->stop) {
    while (p->pending == 0 && !p->stop)
      pthread_cond_wait(&p->more, &p->mu);
    p->pending = 0;
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

int pump_start_fx(struct pump_fx *p) {
  return pthread_create(&p->tid, NULL, pump_loop_fx, p);
}

void pump_feed_fx(struct pump_fx *p) {
  pthread_mutex_lock(&p->mu);
  p->pending++;
  pthread_cond_signal(&p->more);
  pthread_mutex_unlock(&p->mu);
}

void pump_stop_fx(struct pump_fx *p) {
  pthread_mutex_lock(&p->mu);
  set_flag(&p->stop);
  pthread_cond_broadcast(&p->more);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->tid, NULL);
}
