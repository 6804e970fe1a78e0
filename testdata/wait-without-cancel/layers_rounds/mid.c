/* The middle of the layer (nng's core/thread.c over its platform layer):
 * wrappers of the wrappers in lib.c. This file names no pack
 * API, so it is parsed in the pre-parse filter's second round, and what it
 * defines is inferred there. */
struct lpr_event;
void lpr_thread_start(void *(*fn)(void *), void *arg);
void lpr_event_wait(struct lpr_event *e);
int lpr_event_stopped(struct lpr_event *e);

void lpr_service_start(void *(*fn)(void *), void *arg) { lpr_thread_start(fn, arg); }

void lpr_service_wait(struct lpr_event *e) { lpr_event_wait(e); }

int lpr_service_stopped(struct lpr_event *e) { return lpr_event_stopped(e); }
