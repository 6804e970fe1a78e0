/* libuv uv_cond, fixed: wait while the flag is unset, holding the mutex. */
#include <uv.h>

typedef struct { uv_mutex_t mu; uv_cond_t cv; int ready; uv_thread_t th; } svc;

static void svc_main(void *arg) {
  svc *s = arg;
  uv_mutex_lock(&s->mu);
  s->ready = 1;
  uv_cond_signal(&s->cv);
  uv_mutex_unlock(&s->mu);
}

int svc_start(svc *s) {
  uv_mutex_init(&s->mu);
  uv_cond_init(&s->cv);
  if (uv_thread_create(&s->th, svc_main, s)) return -1;
  uv_mutex_lock(&s->mu);
  while (!s->ready)
    uv_cond_wait(&s->cv, &s->mu);
  uv_mutex_unlock(&s->mu);
  return uv_thread_join(&s->th);
}
