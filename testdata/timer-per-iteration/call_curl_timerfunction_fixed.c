/* Fixed twin of call_curl_timerfunction.c: the source's reference is dropped
 * after attaching it; the timerfd is created once and re-armed. */
#include <curl/curl.h>
#include <glib.h>
#include <sys/timerfd.h>

typedef struct { GMainContext *ctx; CURLM *multi; } FixedFetch;

static int fixed_curl_tfd = -1;

static gboolean on_timeout_fixed(gpointer data) {
  (void)data;
  return G_SOURCE_REMOVE;
}

static int update_timeout_fixed(CURLM *multi, long timeout_ms, void *userp) {
  FixedFetch *f = userp;
  (void)multi;
  if (timeout_ms < 0)
    return 0;
  GSource *src = g_timeout_source_new((guint)timeout_ms);
  g_source_set_callback(src, on_timeout_fixed, f, NULL);
  g_source_attach(src, f->ctx);
  g_source_unref(src);
  return 0;
}

static int update_timerfd_fixed(CURLM *multi, long timeout_ms, void *userp) {
  (void)multi;
  (void)userp;
  if (fixed_curl_tfd < 0)
    fixed_curl_tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct itimerspec its = {{0, 0}, {timeout_ms / 1000, (timeout_ms % 1000) * 1000000}};
  return timerfd_settime(fixed_curl_tfd, 0, &its, NULL);
}

void fetch_init_fixed(FixedFetch *f, CURLM *other) {
  curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, update_timeout_fixed);
  curl_multi_setopt(other, CURLMOPT_TIMERFUNCTION, update_timerfd_fixed);
}
