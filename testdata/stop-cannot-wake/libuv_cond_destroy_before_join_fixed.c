/* Twin of libuv_cond_destroy_before_join.c: join first, then destroy. */
#include <uv.h>

struct ticker_fx {
  uv_mutex_t mu;
  uv_cond_t cv;
  uv_thread_t thread;
  int quit;
  int ticks;
};

static void tick_loop_fx(void *arg) {
  struct ticker_fx *t = arg;
  uv_mutex_lock(&t->mu);
  while (!t->quit) {
    uv_cond_wait(&t->cv, &t->mu);
    t->ticks++;
  }
  uv_mutex_unlock(&t->mu);
}

int ticker_start_fx(struct ticker_fx *t) {
  uv_mutex_init(&t->mu);
  uv_cond_init(&t->cv);
  return uv_thread_create(&t->thread, tick_loop_fx, t);
}

void ticker_stop_fx(struct ticker_fx *t) {
  uv_mutex_lock(&t->mu);
  t->quit = 1;
  uv_cond_signal(&t->cv);
  uv_mutex_unlock(&t->mu);
  uv_thread_join(&t->thread);
  uv_cond_destroy(&t->cv);
  uv_mutex_destroy(&t->mu);
}
