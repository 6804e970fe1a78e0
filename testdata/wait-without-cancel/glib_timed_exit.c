/* GLib: a timed pop in a loop that leaves on a cancellation flag. */
#include <glib.h>

typedef struct {
  GAsyncQueue *q;
  gint cancelled;
} GTimed;

static gpointer gtimed_main(gpointer data) {
  GTimed *t = data;
  while (!g_atomic_int_get(&t->cancelled)) {
    gpointer item = g_async_queue_timeout_pop(t->q, 100000);
    g_free(item);
  }
  return NULL;
}

void gtimed_run(GTimed *t) {
  GThread *th = g_thread_new("timed", gtimed_main, t);
  g_atomic_int_set(&t->cancelled, 1);
  g_thread_join(th);
}
