/* Fixed: the source id is stored per item, or removed, or the callback
 * removes its source. */
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

static gboolean refresh_once(gpointer data) {
  struct item *it = data;
  it->value++;
  return G_SOURCE_REMOVE;
}

static gboolean refresh_until(gpointer data) {
  struct item *it = data;
  if (++it->value > 10) return G_SOURCE_REMOVE;
  return G_SOURCE_CONTINUE;
}

void watch_items(struct item *items, int n) {
  for (int i = 0; i < n; i++) {
    struct item *item = &items[i];
    item->timer_id = g_timeout_add(1000, refresh, item);
  }
}

void watch_and_remove(struct item *items, int n) {
  for (int i = 0; i < n; i++) {
    guint id = g_timeout_add(1000, refresh, &items[i]);
    if (items[i].value < 0) g_source_remove(id);
    else g_source_remove(id);
  }
}

void fire_once(struct item *items, int n) {
  for (int i = 0; i < n; i++) g_timeout_add(10, refresh_once, &items[i]);
}

void fire_a_few(struct item *items, int n) {
  for (int i = 0; i < n; i++) g_timeout_add(10, refresh_until, &items[i]);
}

void keep_ids(GArray *ids, struct item *items, int n) {
  for (int i = 0; i < n; i++) {
    guint id = g_timeout_add(1000, refresh, &items[i]);
    g_array_append_val(ids, id);
  }
}

/* Removed before the next one is added (g_clear_handle_id keeps a pointer
 * to the id and removes the source it names). */
void rearm_by_clearing(struct item *it, int rounds) {
  guint id = 0;
  for (int i = 0; i < rounds; i++) {
    g_clear_handle_id(&id, g_source_remove);
    id = g_timeout_add(1000, refresh, it);
  }
  g_clear_handle_id(&id, g_source_remove);
}

/* Kept in a hash table. */
void index_ids(GHashTable *by_index, struct item *items, int n) {
  for (int i = 0; i < n; i++) {
    guint id = g_timeout_add(1000, refresh, &items[i]);
    g_hash_table_insert(by_index, GINT_TO_POINTER(i), GUINT_TO_POINTER(id));
  }
}

/* g_timeout_add_once: one-shot, the source frees itself after it fires. */
static void bump(gpointer data) { ((struct item *)data)->value++; }

void bump_all_once(struct item *items, int n) {
  for (int i = 0; i < n; i++) g_timeout_add_once(10, bump, &items[i]);
}
