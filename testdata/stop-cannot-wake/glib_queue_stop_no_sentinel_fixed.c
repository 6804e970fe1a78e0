/* Twin of glib_queue_stop_no_sentinel.c: the stop function pushes a sentinel
 * (the consumer itself) after setting quit, so the pop returns. */
#include <glib.h>

typedef struct {
  GAsyncQueue *q;
  GThread *thread;
  volatile gint quit;
} consumer_fx;

static gpointer consume_fx(gpointer data) {
  consumer_fx *c = data;
  while (!c->quit) {
    gpointer item = g_async_queue_pop(c->q);
    if (item != c) g_free(item);
  }
  return NULL;
}

void consumer_start_fx(consumer_fx *c) {
  c->q = g_async_queue_new();
  c->thread = g_thread_new("consumer", consume_fx, c);
}

void consumer_stop_fx(consumer_fx *c) {
  c->quit = 1;
  g_async_queue_push(c->q, c);
  g_thread_join(c->thread);
}
