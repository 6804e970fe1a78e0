/* Timers per call: a GLib signal handler runs on every emission and each
 * call creates a timeout source, attaches it and drops the creator's
 * reference: g_source_attach does not take it over, and a source returning
 * G_SOURCE_REMOVE only drops the context's reference. */
#include <glib-object.h>

typedef struct { GMainContext *ctx; int pending; } Button;

static gboolean debounce_done(gpointer data) {
  Button *b = data;
  b->pending = 0;
  return G_SOURCE_REMOVE;
}

static void on_clicked(GObject *obj, gpointer data) {
  Button *b = data;
  (void)obj;
  b->pending = 1;
  GSource *src = g_timeout_source_new(300); // want: timer-per-iteration
  g_source_set_callback(src, debounce_done, b, NULL);
  g_source_attach(src, b->ctx);
}

static void on_hovered(GObject *obj, gpointer data) {
  Button *b = data;
  (void)obj;
  GSource *src = g_idle_source_new(); // want: timer-per-iteration
  g_source_set_callback(src, debounce_done, b, NULL);
  g_source_attach(src, b->ctx);
  if (G_IS_OBJECT(src))
    g_object_unref(src);
}

void button_init(GObject *widget, Button *b) {
  g_signal_connect(widget, "clicked", G_CALLBACK(on_clicked), b);
  g_signal_connect(widget, "enter", G_CALLBACK(on_hovered), b);
}
