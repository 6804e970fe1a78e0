/* Reduced from ostreedev/ostree src/libostree/ostree-fetcher-curl.c
 * (update_timeout_cb = CURLMOPT_TIMERFUNCTION, timer_cb).
 * Fix: ostreedev/ostree 8717608c7e2edc998f370bac8912837a9f15c4b3
 * "lib/fetch-curl: Unref timeout source" (2020-10-27, PR #2225).
 * Shape 8 (timer per invocation; fired source's pointer cleared without
 * unref): curl calls update_timeout_cb many times per transfer; each call
 * replaces the kept source (destroy+unref) and creates a new
 * g_timeout_source_new. When the timer fires, timer_cb just NULLs
 * fetcher->timer_event, dropping the reference update_timeout_cb kept: one
 * GSource leaks per fired timeout. */
#include <glib.h>

typedef struct { GMainContext *mainctx; GSource *timer_event; } Fetcher;

static void destroy_and_unref_source(GSource *s) { g_source_destroy(s); g_source_unref(s); }
static void socket_action_timeout(Fetcher *f) { (void)f; }

static gboolean timer_cb(gpointer data) {
    Fetcher *f = data;
    GSource *orig = f->timer_event;
    socket_action_timeout(f);
    if (f->timer_event == orig)
        f->timer_event = NULL;               /* BUG: reference dropped, no unref */ // want: timer-per-iteration
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
