/* The fix of glib_pool_item.c: the worker pops the item's reply queue with
 * a timeout and returns once the owner sets the item's stop flag, so
 * g_thread_pool_free(pool, FALSE, TRUE) returns. */
#include <glib.h>

struct gpif_job {
  GAsyncQueue *replies;
  gint stop;
};

static void gpif_run_job(gpointer data, gpointer user_data) {
  struct gpif_job *j = data;
  (void)user_data;
  while (!g_atomic_int_get(&j->stop)) {
    gpointer r = g_async_queue_timeout_pop(j->replies, 100000);
    g_free(r);
  }
}

void gpif_run_all(struct gpif_job *jobs, int n) {
  GThreadPool *pool = g_thread_pool_new(gpif_run_job, NULL, 4, FALSE, NULL);
  for (int i = 0; i < n; i++)
    g_thread_pool_push(pool, &jobs[i], NULL);
  for (int i = 0; i < n; i++)
    g_atomic_int_set(&jobs[i].stop, 1);
  g_thread_pool_free(pool, FALSE, TRUE);
}
