/* Fixed twin of janus_gsource_object_unref.c.
 * Fix: meetecho/janus-gateway b00bf6e1a7a0fa9705195105b15f2b117872b7ec
 * "fix leak of component (timeout) source" (2015-12-16): g_source_destroy()
 * then g_source_unref() on the kept source. */
#include <glib-object.h>

typedef struct { GSource *source; GMainContext *ctx; void *dtls; } Component;

static gboolean dtls_retry(gpointer data) {
    Component *c = data;
    if (c->source != NULL) {
        g_source_destroy(c->source);
        g_source_unref(c->source);
        c->source = NULL;
    }
    return G_SOURCE_REMOVE;
}

void on_new_selected_pair(Component *c) {
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
        g_source_unref(c->source);
        c->source = NULL;
    }
}

void agent_setup(GObject *agent, Component *c) {  /* janus_ice_setup_local */
    g_signal_connect(agent, "new-selected-pair", G_CALLBACK(on_new_selected_pair), c);
}
