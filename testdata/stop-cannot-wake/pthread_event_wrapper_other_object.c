/* Shape 1 through a C wrapper: the worker parks in event_wait(&w->wake), and
 * the stop path sets w->quit, another event of the same kind, whose
 * event_set() broadcasts quit's own condition, not wake's; the join hangs
 * (the shape of sems' AmCondition in RB20, docs/real-bugs.md, in C). */
#include <pthread.h>
#include <stddef.h>

struct event {
  pthread_mutex_t m;
  pthread_cond_t c;
  int on;
};

static void event_set(struct event *e) {
  pthread_mutex_lock(&e->m);
  e->on = 1;
  pthread_cond_broadcast(&e->c);
  pthread_mutex_unlock(&e->m);
}

static int event_is_set(struct event *e) {
  pthread_mutex_lock(&e->m);
  int on = e->on;
  pthread_mutex_unlock(&e->m);
  return on;
}

static void event_wait(struct event *e) {
  pthread_mutex_lock(&e->m);
  while (!e->on)
    pthread_cond_wait(&e->c, &e->m);
  e->on = 0;
  pthread_mutex_unlock(&e->m);
}

struct writer {
  struct event wake;
  struct event quit;
  pthread_t tid;
};

static void *writer_main(void *arg) {
  struct writer *w = arg;
  while (!event_is_set(&w->quit))
    event_wait(&w->wake);
  return NULL;
}

int writer_start(struct writer *w) {
  return pthread_create(&w->tid, NULL, writer_main, w); // want: stop-cannot-wake "wake"
}

void writer_kick(struct writer *w) { event_set(&w->wake); }

void writer_stop(struct writer *w) {
  event_set(&w->quit);
  pthread_join(w->tid, NULL);
}
