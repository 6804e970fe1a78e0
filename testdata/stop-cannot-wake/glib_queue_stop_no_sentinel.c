/* Shape 1 (GLib): the consumer pops from a GAsyncQueue inside a
 * `while (!c->quit)` loop; the stop function sets quit and joins, but pushes
 * nothing, so the pop never returns. */
#include <glib.h>

typedef struct {
  GAsyncQueue *q;
  GThread *thread;
  volatile gint quit;
} consumer;

static gpointer consume(gpointer data) {
  consumer *c = data;
  while (!c->quit) {
    gpointer item = g_async_queue_pop(c->q);
    if (item != c) g_free(item);
  }
  return NULL;
}

void consumer_start(consumer *c) {
  c->q = g_async_queue_new();
  c->thread = g_thread_new("consumer", consume, c); // want: stop-cannot-wake
}

void consumer_stop(consumer *c) {
  c->quit = 1;
  g_thread_join(c->thread);
}
