/* Shape 7 (GLib): the loop thread iterates its own GMainContext with
 * may_block = TRUE; the stop function sets quit and joins without
 * g_main_context_wakeup, so the iteration never returns. */
#include <glib.h>

typedef struct {
  GMainContext *ctx;
  GThread *thread;
  volatile gint quit;
} loop_thread;

static gpointer iterate(gpointer data) {
  loop_thread *lt = data;
  g_main_context_push_thread_default(lt->ctx);
  while (!lt->quit)
    g_main_context_iteration(lt->ctx, TRUE);
  g_main_context_pop_thread_default(lt->ctx);
  return NULL;
}

void loop_thread_start(loop_thread *lt) {
  lt->ctx = g_main_context_new();
  lt->thread = g_thread_new("loop", iterate, lt); // want: stop-cannot-wake
}

void loop_thread_stop(loop_thread *lt) {
  lt->quit = 1;
  g_thread_join(lt->thread);
  g_main_context_unref(lt->ctx);
}
