/* Shape 5 (libuv): the stop function signals, then destroys the condition
 * before joining: the worker may not have woken yet (or may wait again), and
 * it is then parked on a destroyed condition. */
#include <uv.h>

struct ticker {
  uv_mutex_t mu;
  uv_cond_t cv;
  uv_thread_t thread;
  int quit;
  int ticks;
};

static void tick_loop(void *arg) {
  struct ticker *t = arg;
  uv_mutex_lock(&t->mu);
  while (!t->quit) {
    uv_cond_wait(&t->cv, &t->mu);
    t->ticks++;
  }
  uv_mutex_unlock(&t->mu);
}

int ticker_start(struct ticker *t) {
  uv_mutex_init(&t->mu);
  uv_cond_init(&t->cv);
  return uv_thread_create(&t->thread, tick_loop, t); // want: stop-cannot-wake "uv_cond_destroy destroys"
}

void ticker_stop(struct ticker *t) {
  uv_mutex_lock(&t->mu);
  t->quit = 1;
  uv_cond_signal(&t->cv);
  uv_mutex_unlock(&t->mu);
  uv_cond_destroy(&t->cv);
  uv_thread_join(&t->thread);
  uv_mutex_destroy(&t->mu);
}
