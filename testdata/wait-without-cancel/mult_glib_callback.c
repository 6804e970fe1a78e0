/* Multiplicity, GLib: on_tick is a timeout callback of the main loop and
 * starts a consumer thread on every tick; each consumer pops forever and
 * its GThread is unreffed, so a new thread leaks on every tick. */
#include <glib.h>

static gpointer tick_consumer(gpointer data) {
  GAsyncQueue *q = data;
  for (;;) g_free(g_async_queue_pop(q));
  return NULL;
}

static gboolean on_tick(gpointer data) {
  GThread *t = g_thread_new("tick", tick_consumer, data); // want: wait-without-cancel "a new task leaks on every call of `on_tick`"
  g_thread_unref(t);
  return G_SOURCE_CONTINUE;
}

int main(void) {
  GAsyncQueue *q = g_async_queue_new();
  g_timeout_add(1000, on_tick, q);
  g_main_loop_run(g_main_loop_new(NULL, FALSE));
  return 0;
}
