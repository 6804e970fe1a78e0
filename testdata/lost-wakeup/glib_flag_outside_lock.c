/* GLib GCond, shape 2 (waiter side): the thread tests `stopping` without
 * the GMutex, then locks and waits once; a stop that lands between the test
 * and g_cond_wait is lost (even though the stopper holds the mutex). */
#include <glib.h>

static GMutex mu;
static GCond cv;
static gboolean stopping;
static int pending;
static GThread *th;

static gpointer flusher(gpointer data) {
  while (!stopping) {
    g_mutex_lock(&mu);
    if (pending == 0)
      g_cond_wait(&cv, &mu);
    pending = 0;
    g_mutex_unlock(&mu);
  }
  return data;
}

void flusher_start(void) { th = g_thread_new("flush", flusher, NULL); } // want: lost-wakeup

void flusher_stop(void) {
  g_mutex_lock(&mu);
  stopping = TRUE;
  g_cond_signal(&cv);
  g_mutex_unlock(&mu);
  g_thread_join(th);
}
