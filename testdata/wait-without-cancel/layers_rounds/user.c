/* A service started and parked only through the project's layer (nng's
 * tests call nng_thread_create and nng_cv_wait, never pthread_*): this
 * file names only the functions of mid.c, so the pre-parse
 * filter parses it in its third round. The worker waits in a loop with no
 * exit, so it never finishes. */
struct lpr_event;
void lpr_service_start(void *(*fn)(void *), void *arg);
void lpr_service_wait(struct lpr_event *e);

static void *lpru_worker(void *arg) {
  struct lpr_event *e = arg;
  for (;;) lpr_service_wait(e);
  return 0;
}

void lpru_start(struct lpr_event *e) {
  lpr_service_start(lpru_worker, e); // want: wait-without-cancel
}
