/* Reduced from meetecho/janus-gateway ice.c (janus_ice_cb_new_selected_pair,
 * janus_ice_component_free) and dtls.c (janus_dtls_retry).
 * Fix: meetecho/janus-gateway b00bf6e1a7a0fa9705195105b15f2b117872b7ec
 * "fix leak of component (timeout) source" (2015-12-16, PR #426).
 * Shape 8 (timer per invocation, released with the wrong API): each time a
 * component's ICE pair is selected (a libnice signal callback) a 100 ms
 * g_timeout_source_new is created, attached and kept; teardown and the retry
 * callback "release" it with `if (G_IS_OBJECT(src)) g_object_unref(src)`. A
 * GSource is not a GObject, so the test fails and the ref is never dropped. */
#include <glib-object.h>

typedef struct { GSource *source; GMainContext *ctx; void *dtls; } Component;

static gboolean dtls_retry(gpointer data) {
    Component *c = data;
    if (c->source != NULL) {
        g_source_destroy(c->source);
        if (G_IS_OBJECT(c->source))          /* BUG: never true for a GSource */
            g_object_unref(c->source);
        c->source = NULL; // want: timer-per-iteration
    }
    return G_SOURCE_REMOVE;
}

void on_new_selected_pair(Component *c) {       /* runs once per selected pair */
    if (c->dtls != NULL)                       /* once per component */
        return;
    c->dtls = c;                               /* DTLS context created */
    c->source = g_timeout_source_new(100);
    g_source_set_callback(c->source, dtls_retry, c, NULL);
    g_source_attach(c->source, c->ctx);
}

void component_free(Component *c) {
    if (c->source != NULL) {
        g_source_destroy(c->source);
        if (G_IS_OBJECT(c->source))          /* BUG */
            g_object_unref(c->source);
        c->source = NULL; // want: timer-per-iteration
    }
}

void agent_setup(GObject *agent, Component *c) {  /* janus_ice_setup_local */
    g_signal_connect(agent, "new-selected-pair", G_CALLBACK(on_new_selected_pair), c);
}
