/* Fixed twin of ostree_curl_timer_source.c.
 * Fix: ostreedev/ostree 8717608c7e2edc998f370bac8912837a9f15c4b3
 * "lib/fetch-curl: Unref timeout source" (2020-10-27): the one-shot timer
 * callback releases the kept source with destroy+unref (the main context holds
 * its own reference while dispatching). */
#include <glib.h>

typedef struct { GMainContext *mainctx; GSource *timer_event; } Fetcher;

static void destroy_and_unref_source(GSource *s) { g_source_destroy(s); g_source_unref(s); }
static void socket_action_timeout(Fetcher *f) { (void)f; }

static gboolean timer_cb(gpointer data) {
    Fetcher *f = data;
    g_clear_pointer(&f->timer_event, destroy_and_unref_source);
    socket_action_timeout(f);
    return G_SOURCE_REMOVE;
}

int update_timeout_cb(void *multi, long timeout_ms, void *userp) {
    Fetcher *f = userp;
    (void)multi;
    g_clear_pointer(&f->timer_event, destroy_and_unref_source);
    if (timeout_ms != -1) {
        f->timer_event = g_timeout_source_new((guint)timeout_ms);
        g_source_set_callback(f->timer_event, timer_cb, f, NULL);
        g_source_attach(f->timer_event, f->mainctx);
    }
    return 0;
}
