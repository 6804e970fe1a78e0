/* The twin of mult_glib_callback.c: main starts the one consumer before the
 * loop runs and the timeout callback only feeds it; a single
 * process-lifetime consumer nobody joins is not a leak. */
#include <glib.h>

static gpointer one_consumer(gpointer data) {
  GAsyncQueue *q = data;
  for (;;) g_free(g_async_queue_pop(q));
  return NULL;
}

static gboolean feed_tick(gpointer data) {
  g_async_queue_push(data, g_strdup("tick"));
  return G_SOURCE_CONTINUE;
}

int main(void) {
  GAsyncQueue *q = g_async_queue_new();
  g_thread_unref(g_thread_new("consumer", one_consumer, q));
  g_timeout_add(1000, feed_tick, q);
  g_main_loop_run(g_main_loop_new(NULL, FALSE));
  return 0;
}
