/* GLib: a thread pops from an async queue forever and its GThread is
 * unreffed, so it can never be stopped. */
#include <glib.h>

static gpointer glib_consumer(gpointer data) {
  GAsyncQueue *q = data;
  for (;;) {
    gpointer item = g_async_queue_pop(q);
    g_free(item);
  }
  return NULL;
}

void glib_start(GAsyncQueue *q) {
  GThread *t = g_thread_new("consumer", glib_consumer, q); // want: wait-without-cancel
  g_thread_unref(t);
}
