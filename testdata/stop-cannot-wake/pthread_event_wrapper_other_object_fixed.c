/* Twin of pthread_event_wrapper_other_object.c: the stop path sets quit and
 * then wake too, so the parked worker wakes, sees quit and returns. */
#include <pthread.h>
#include <stddef.h>

struct event_fx {
  pthread_mutex_t m;
  pthread_cond_t c;
  int on;
};

static void event_set_fx(struct event_fx *e) {
  pthread_mutex_lock(&e->m);
  e->on = 1;
  pthread_cond_broadcast(&e->c);
  pthread_mutex_unlock(&e->m);
}

static int event_is_set_fx(struct event_fx *e) {
  pthread_mutex_lock(&e->m);
  int on = e->on;
  pthread_mutex_unlock(&e->m);
  return on;
}

static void event_wait_fx(struct event_fx *e) {
  pthread_mutex_lock(&e->m);
  while (!e->on)
    pthread_cond_wait(&e->c, &e->m);
  e->on = 0;
  pthread_mutex_unlock(&e->m);
}

struct writer_fx {
  struct event_fx wake;
  struct event_fx quit;
  pthread_t tid;
};

static void *writer_main_fx(void *arg) {
  struct writer_fx *w = arg;
  while (!event_is_set_fx(&w->quit))
    event_wait_fx(&w->wake);
  return NULL;
}

int writer_start_fx(struct writer_fx *w) {
  return pthread_create(&w->tid, NULL, writer_main_fx, w);
}

void writer_kick_fx(struct writer_fx *w) { event_set_fx(&w->wake); }

void writer_stop_fx(struct writer_fx *w) {
  event_set_fx(&w->quit);
  event_set_fx(&w->wake);
  pthread_join(w->tid, NULL);
}
