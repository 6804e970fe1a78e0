/* Twin of glib_queue_forever.c: the consumer breaks on a sentinel item and
 * the owner pushes it, then joins. */
#include <glib.h>

static int stop_marker;
#define STOP_ITEM ((gpointer)&stop_marker)

static gpointer glib_sentinel_consumer(gpointer data) {
  GAsyncQueue *q = data;
  for (;;) {
    gpointer item = g_async_queue_pop(q);
    if (item == STOP_ITEM)
      break;
    g_free(item);
  }
  return NULL;
}

void glib_sentinel_run(GAsyncQueue *q) {
  GThread *t = g_thread_new("consumer", glib_sentinel_consumer, q);
  g_async_queue_push(q, STOP_ITEM);
  g_thread_join(t);
}
