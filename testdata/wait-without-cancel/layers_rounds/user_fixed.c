/* The fix of user.c: the worker leaves its loop once the
 * owner stops the event (lpr_event_stop sets the flag and broadcasts). */
struct lpr_event;
void lpr_service_start(void *(*fn)(void *), void *arg);
void lpr_service_wait(struct lpr_event *e);
int lpr_service_stopped(struct lpr_event *e);

static void *lpruf_worker(void *arg) {
  struct lpr_event *e = arg;
  while (!lpr_service_stopped(e)) lpr_service_wait(e);
  return 0;
}

void lpruf_start(struct lpr_event *e) {
  lpr_service_start(lpruf_worker, e);
}
