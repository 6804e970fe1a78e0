/* Reduced from ostreedev/ostree src/libostree/ostree-async-progress.c
 * (ensure_callback_locked, idle_invoke_async_progress).
 * Fix: ostreedev/ostree 899b0bfad29643c3b215aa922a6d2e5ae94edd8c
 * "lib/progress: Fix leak of GSource" (2018-09-28, issue #1738).
 * Shape 8 (source per invocation; fired source's pointer cleared without
 * unref): every progress update from any thread creates a g_idle_source_new
 * (if none is pending), attaches it and keeps the pointer; the idle callback
 * sets the pointer to NULL without g_source_unref, so one GSource leaks per
 * batch of updates for the whole pull. */
#include <glib.h>

typedef struct { GMutex lock; GMainContext *maincontext; GSource *idle_source; } Progress;

static void emit_changed(Progress *p) { (void)p; }

static gboolean idle_invoke(gpointer data) {
    Progress *p = data;
    g_mutex_lock(&p->lock);
    p->idle_source = NULL;                   /* BUG: no g_source_unref */ // want: timer-per-iteration
    g_mutex_unlock(&p->lock);
    emit_changed(p);
    return FALSE;
}

static void ensure_callback_locked(Progress *p) {
    if (p->idle_source)
        return;
    p->idle_source = g_idle_source_new();
    g_source_set_callback(p->idle_source, idle_invoke, p, NULL);
    g_source_attach(p->idle_source, p->maincontext);
}

void progress_set_uint(Progress *p, guint v) {      /* called per object fetched */
    (void)v;
    g_mutex_lock(&p->lock);
    ensure_callback_locked(p);
    g_mutex_unlock(&p->lock);
}
