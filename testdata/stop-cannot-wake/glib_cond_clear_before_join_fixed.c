/* Twin of glib_cond_clear_before_join.c: g_thread_join() first, then clear. */
#include <glib.h>

typedef struct {
  GMutex lock;
  GCond cond;
  GThread *thread;
  gboolean done;
} waiter_fx;

static gpointer wait_done_fx(gpointer data) {
  waiter_fx *w = data;
  g_mutex_lock(&w->lock);
  while (!w->done)
    g_cond_wait(&w->cond, &w->lock);
  g_mutex_unlock(&w->lock);
  return NULL;
}

void waiter_start_fx(waiter_fx *w) {
  g_mutex_init(&w->lock);
  g_cond_init(&w->cond);
  w->thread = g_thread_new("waiter", wait_done_fx, w);
}

void waiter_finish_fx(waiter_fx *w) {
  g_mutex_lock(&w->lock);
  w->done = TRUE;
  g_cond_signal(&w->cond);
  g_mutex_unlock(&w->lock);
  g_thread_join(w->thread);
  g_cond_clear(&w->cond);
}
