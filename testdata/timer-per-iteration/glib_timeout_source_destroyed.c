/* Fixed: the source is destroyed in the iteration, or kept in a list. */
#include <glib.h>

static gboolean tick(gpointer data) {
  (void)data;
  return TRUE;
}

void attach_ticks(GMainContext *ctx, int n) {
  for (int i = 0; i < n; i++) {
    GSource *src = g_timeout_source_new(250);
    g_source_set_callback(src, tick, NULL, NULL);
    g_source_attach(src, ctx);
    g_main_context_iteration(ctx, TRUE);
    g_source_destroy(src);
    g_source_unref(src);
  }
}

GList *attach_kept(GMainContext *ctx, int n) {
  GList *sources = NULL;
  for (int i = 0; i < n; i++) {
    GSource *src = g_timeout_source_new(250);
    g_source_set_callback(src, tick, NULL, NULL);
    g_source_attach(src, ctx);
    sources = g_list_prepend(sources, src);
  }
  return sources;
}
