/* Fixed twin of call_glib_signal_source_lost.c: each handler drops its own
 * reference after attaching (the context keeps the source alive until it
 * is removed), or keeps one source and re-arms it. */
#include <glib-object.h>

typedef struct { GMainContext *ctx; int pending; GSource *hover; } FixedButton;

static gboolean debounce_done(gpointer data) {
  FixedButton *b = data;
  b->pending = 0;
  return G_SOURCE_REMOVE;
}

static void on_clicked(GObject *obj, gpointer data) {
  FixedButton *b = data;
  (void)obj;
  b->pending = 1;
  GSource *src = g_timeout_source_new(300);
  g_source_set_callback(src, debounce_done, b, NULL);
  g_source_attach(src, b->ctx);
  g_source_unref(src);
}

static void on_hovered(GObject *obj, gpointer data) {
  FixedButton *b = data;
  (void)obj;
  if (b->hover) {
    g_source_set_ready_time(b->hover, g_get_monotonic_time() + 100000);
    return;
  }
  b->hover = g_idle_source_new();
  g_source_set_callback(b->hover, debounce_done, b, NULL);
  g_source_attach(b->hover, b->ctx);
}

void button_free(FixedButton *b) {
  if (b->hover) {
    g_source_destroy(b->hover);
    g_clear_pointer(&b->hover, g_source_unref);
  }
}

void fixed_button_init(GObject *widget, FixedButton *b) {
  g_signal_connect(widget, "clicked", G_CALLBACK(on_clicked), b);
  g_signal_connect(widget, "enter", G_CALLBACK(on_hovered), b);
}
