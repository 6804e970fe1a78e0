/* g_timeout_add in a loop whose callback never stops: every iteration adds
 * a source to the main context that nothing can remove. */
#include <glib.h>

struct item {
  guint timer_id;
  int value;
};

static gboolean refresh(gpointer data) {
  struct item *it = data;
  it->value++;
  return G_SOURCE_CONTINUE;
}

void watch_items(struct item *items, int n) {
  for (int i = 0; i < n; i++) {
    g_timeout_add(1000, refresh, &items[i]); // want: timer-per-iteration
  }
}

void watch_seconds(GPtrArray *items) {
  for (guint i = 0; i < items->len; i++)
    g_timeout_add_seconds(5, refresh, g_ptr_array_index(items, i)); // want: timer-per-iteration
}

/* The id is kept in a local that dies with the iteration. */
void watch_local(struct item *items, int n) {
  for (int i = 0; i < n; i++) {
    guint id = g_timeout_add(100, refresh, &items[i]); // want: timer-per-iteration
    (void)id;
  }
}

/* The destroy notify (a library function) cannot stop the source. */
void watch_full(struct item *items, int n) {
  for (int i = 0; i < n; i++)
    g_timeout_add_full(G_PRIORITY_DEFAULT, 1000, refresh, &items[i], NULL); // want: timer-per-iteration
}

/* Discarded explicitly is still discarded. */
void watch_void(struct item *items, int n) {
  for (int i = 0; i < n; i++) (void)g_timeout_add(1000, refresh, &items[i]); // want: timer-per-iteration
}

void watch_seconds_full(struct item *items, int n) {
  for (int i = 0; i < n; i++)
    g_timeout_add_seconds_full(G_PRIORITY_LOW, 2, refresh, &items[i], NULL); // want: timer-per-iteration
}

/* The callback passes its user data (not the source) to project code: it
 * still cannot remove the source, and always asks to be called again. */
void item_changed(struct item *it);

static gboolean notify(gpointer data) {
  item_changed(data);
  return TRUE;
}

void notify_all(struct item *items, int n) {
  for (int i = 0; i < n; i++) g_timeout_add(500, notify, &items[i]); // want: timer-per-iteration
}
