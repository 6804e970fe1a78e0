/* Shape 5 (GLib): g_cond_clear() before g_thread_join() of the thread that
 * waits on the condition. */
#include <glib.h>

typedef struct {
  GMutex lock;
  GCond cond;
  GThread *thread;
  gboolean done;
} waiter;

static gpointer wait_done(gpointer data) {
  waiter *w = data;
  g_mutex_lock(&w->lock);
  while (!w->done)
    g_cond_wait(&w->cond, &w->lock);
  g_mutex_unlock(&w->lock);
  return NULL;
}

void waiter_start(waiter *w) {
  g_mutex_init(&w->lock);
  g_cond_init(&w->cond);
  w->thread = g_thread_new("waiter", wait_done, w); // want: stop-cannot-wake
}

void waiter_finish(waiter *w) {
  g_mutex_lock(&w->lock);
  w->done = TRUE;
  g_cond_signal(&w->cond);
  g_mutex_unlock(&w->lock);
  g_cond_clear(&w->cond);
  g_thread_join(w->thread);
}
