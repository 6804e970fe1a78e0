/* A GThreadPool worker function that never returns: it pops a private
 * queue in a loop with no exit, so the pool's thread is lost for ever and
 * g_thread_pool_free(pool, FALSE, TRUE) would wait for it. */
#include <glib.h>

static GAsyncQueue *pool_results;

static void scan_file(gpointer item, gpointer user_data) {
  (void)item;
  (void)user_data;
  for (;;) {
    gpointer r = g_async_queue_pop(pool_results);
    g_free(r);
  }
}

void scan_all(char **paths, int n) {
  pool_results = g_async_queue_new();
  GThreadPool *pool = g_thread_pool_new(scan_file, NULL, 4, FALSE, NULL); // want: wait-without-cancel
  for (int i = 0; i < n; i++)
    g_thread_pool_push(pool, paths[i], NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
}
