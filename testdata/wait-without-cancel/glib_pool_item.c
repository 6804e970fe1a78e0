/* A GThreadPool whose worker waits on something reached through its work
 * item: g_thread_pool_push(pool, &jobs[i], NULL) hands &jobs[i] to the
 * worker's first parameter (user_data, NULL here, is its second; see
 * --list-tasks "bound"). The worker pops the item's reply queue in a loop
 * with no exit, so g_thread_pool_free(pool, FALSE, TRUE) waits for ever. */
#include <glib.h>

struct gpi_job {
  GAsyncQueue *replies;
  int id;
};

static void gpi_run_job(gpointer data, gpointer user_data) {
  struct gpi_job *j = data;
  (void)user_data;
  for (;;) {
    gpointer r = g_async_queue_pop(j->replies);
    g_free(r);
  }
}

void gpi_run_all(struct gpi_job *jobs, int n) {
  GThreadPool *pool = g_thread_pool_new(gpi_run_job, NULL, 4, FALSE, NULL); // want: wait-without-cancel
  for (int i = 0; i < n; i++)
    g_thread_pool_push(pool, &jobs[i], NULL);
  g_thread_pool_free(pool, FALSE, TRUE);
}
