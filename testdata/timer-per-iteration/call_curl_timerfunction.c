/* Timers per call, curl + GLib: the CURLMOPT_TIMERFUNCTION callback runs
 * whenever curl wants a new timeout (many times per transfer); each call
 * makes a new GLib timeout source and drops it unreleased, and a second
 * callback overwrites the one kept timerfd. (Same shape as ostree's
 * fetcher-curl, docs/real-bugs.md RB09.) */
#include <curl/curl.h>
#include <glib.h>
#include <sys/timerfd.h>

typedef struct { GMainContext *ctx; CURLM *multi; } Fetch;

static int curl_tfd = -1;

static gboolean on_timeout(gpointer data) {
  (void)data;
  return G_SOURCE_REMOVE;
}

static int update_timeout(CURLM *multi, long timeout_ms, void *userp) {
  Fetch *f = userp;
  (void)multi;
  if (timeout_ms < 0)
    return 0;
  GSource *src = g_timeout_source_new((guint)timeout_ms); // want: timer-per-iteration
  g_source_set_callback(src, on_timeout, f, NULL);
  g_source_attach(src, f->ctx);
  return 0;
}

static int update_timerfd(CURLM *multi, long timeout_ms, void *userp) {
  (void)multi;
  (void)userp;
  curl_tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK); // want: timer-per-iteration
  struct itimerspec its = {{0, 0}, {timeout_ms / 1000, (timeout_ms % 1000) * 1000000}};
  return timerfd_settime(curl_tfd, 0, &its, NULL);
}

void fetch_init(Fetch *f, CURLM *other) {
  curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, update_timeout);
  curl_multi_setopt(other, CURLMOPT_TIMERFUNCTION, update_timerfd);
}
