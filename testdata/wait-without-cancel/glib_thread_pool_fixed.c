/* Twin of glib_thread_pool.c: the worker handles one item and returns; the
 * pool is freed with wait = TRUE after the last push. */
#include <glib.h>

static GAsyncQueue *scan_results;

static void scan_one_file(gpointer item, gpointer user_data) {
  (void)user_data;
  g_async_queue_push(scan_results, g_strdup(item));
}

void scan_all_once(char **paths, int n) {
  scan_results = g_async_queue_new();
  GThreadPool *pool = g_thread_pool_new(scan_one_file, NULL, 4, FALSE, NULL);
  for (int i = 0; i < n; i++)
    g_thread_pool_push(pool, paths[i], NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
}
