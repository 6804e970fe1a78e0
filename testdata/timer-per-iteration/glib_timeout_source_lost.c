/* A GSource timeout attached in every iteration and never destroyed. */
#include <glib.h>

static gboolean tick(gpointer data) {
  (void)data;
  return TRUE;
}

void attach_ticks(GMainContext *ctx, int n) {
  for (int i = 0; i < n; i++) {
    GSource *src = g_timeout_source_new(250); // want: timer-per-iteration
    g_source_set_callback(src, tick, NULL, NULL);
    g_source_attach(src, ctx);
  }
}

void attach_seconds(GMainContext *ctx, int n) {
  int i = 0;
  do {
    GSource *src = g_timeout_source_new_seconds(1); // want: timer-per-iteration
    g_source_set_callback(src, tick, NULL, NULL);
    g_source_attach(src, ctx);
  } while (++i < n);
}
