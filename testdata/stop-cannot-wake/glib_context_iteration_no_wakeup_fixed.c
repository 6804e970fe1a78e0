/* Twin of glib_context_iteration_no_wakeup.c: g_main_context_wakeup after
 * setting quit makes the blocked iteration return. */
#include <glib.h>

typedef struct {
  GMainContext *ctx;
  GThread *thread;
  volatile gint quit;
} loop_thread_fx;

static gpointer iterate_fx(gpointer data) {
  loop_thread_fx *lt = data;
  g_main_context_push_thread_default(lt->ctx);
  while (!lt->quit)
    g_main_context_iteration(lt->ctx, TRUE);
  g_main_context_pop_thread_default(lt->ctx);
  return NULL;
}

void loop_thread_start_fx(loop_thread_fx *lt) {
  lt->ctx = g_main_context_new();
  lt->thread = g_thread_new("loop", iterate_fx, lt);
}

void loop_thread_stop_fx(loop_thread_fx *lt) {
  lt->quit = 1;
  g_main_context_wakeup(lt->ctx);
  g_thread_join(lt->thread);
  g_main_context_unref(lt->ctx);
}
