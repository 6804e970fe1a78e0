/* GLib: a thread waits on a GCond with no stop flag; the owner joins it,
 * and that join hangs forever. */
#include <glib.h>

typedef struct {
  GMutex mu;
  GCond cv;
  int jobs;
  GThread *thread;
} GWorker;

static gpointer gworker_main(gpointer data) {
  GWorker *w = data;
  g_mutex_lock(&w->mu);
  while (TRUE) {
    while (w->jobs == 0)
      g_cond_wait(&w->cv, &w->mu);
    w->jobs--;
  }
  g_mutex_unlock(&w->mu);
  return NULL;
}

void gworker_start(GWorker *w) {
  w->thread = g_thread_new("worker", gworker_main, w); // want: wait-without-cancel
}

void gworker_stop(GWorker *w) { g_thread_join(w->thread); }
