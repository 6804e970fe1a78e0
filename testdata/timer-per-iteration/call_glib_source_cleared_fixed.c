/* Fixed twin of call_glib_source_cleared.c: the reference is dropped with
 * g_source_unref when the pointer is cleared. */
#include <glib.h>

typedef struct { GMainContext *ctx; GSource *retry; GSource *flush; int dirty; } FixedConn;

static gboolean retry_fire(gpointer data) {
  FixedConn *c = data;
  g_clear_pointer(&c->retry, g_source_unref);
  return G_SOURCE_REMOVE;
}

static gboolean flush_fire(gpointer data) {
  FixedConn *c = data;
  c->dirty = 0;
  return G_SOURCE_REMOVE;
}

static void schedule_retry(FixedConn *c, guint ms) {
  if (c->retry)
    return;
  c->retry = g_timeout_source_new(ms);
  g_source_set_callback(c->retry, retry_fire, c, NULL);
  g_source_attach(c->retry, c->ctx);
}

static void schedule_flush(FixedConn *c) {
  if (c->flush) {
    g_source_destroy(c->flush);
    g_source_unref(c->flush);
    c->flush = NULL;
  }
  c->flush = g_timeout_source_new_seconds(1);
  g_source_set_callback(c->flush, flush_fire, c, NULL);
  g_source_attach(c->flush, c->ctx);
}

void fixed_conn_on_error(FixedConn *c) { schedule_retry(c, 500); }

void fixed_conn_write_all(FixedConn *c, int n) {
  for (int i = 0; i < n; i++) {
    c->dirty = 1;
    schedule_flush(c);
  }
}

void fixed_conn_close(FixedConn *c) {
  g_source_destroy(c->flush);
  g_source_unref(c->flush);
  c->flush = NULL;
}

/* A source id whose callback returns FALSE: GLib destroys the source when
 * the callback returns, so clearing the id there releases nothing. */
typedef struct { guint blink_id; int on; } FixedCursor;

static gboolean blink_done(gpointer data) {
  FixedCursor *c = data;
  c->on = !c->on;
  c->blink_id = 0;
  return G_SOURCE_REMOVE;
}

static void fixed_cursor_moved(FixedCursor *c) {
  if (c->blink_id)
    return;
  c->blink_id = g_timeout_add(500, blink_done, c);
}

void fixed_cursor_track(FixedCursor *c, int moves) {
  for (int i = 0; i < moves; i++)
    fixed_cursor_moved(c);
}
