/* GLib GCond, fixed: the flag is re-tested under the mutex by the wait's
 * own loop. */
#include <glib.h>

static GMutex mu;
static GCond cv;
static gboolean stopping;
static int pending;
static GThread *th;

static gpointer flusher(gpointer data) {
  g_mutex_lock(&mu);
  while (!stopping) {
    while (pending == 0 && !stopping)
      g_cond_wait(&cv, &mu);
    pending = 0;
  }
  g_mutex_unlock(&mu);
  return data;
}

void flusher_start(void) { th = g_thread_new("flush", flusher, NULL); }

void flusher_stop(void) {
  g_mutex_lock(&mu);
  stopping = TRUE;
  g_cond_signal(&cv);
  g_mutex_unlock(&mu);
  g_thread_join(th);
}
