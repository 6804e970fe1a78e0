/* Multiplicity, pthreads: handle_request starts a detached helper per
 * request and the helper waits for work forever, so every request served
 * by the accept loop leaves one more parked thread behind. */
#include <pthread.h>
#include <stdlib.h>

int accept_request(void);

struct helper {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int pending;
};

static void *helper_main(void *arg) {
  struct helper *h = arg;
  pthread_mutex_lock(&h->mu);
  for (;;) {
    while (h->pending == 0) pthread_cond_wait(&h->cv, &h->mu);
    h->pending--;
  }
  return NULL;
}

static void handle_request(int fd) {
  struct helper *h = calloc(1, sizeof *h);
  pthread_mutex_init(&h->mu, NULL);
  pthread_cond_init(&h->cv, NULL);
  h->pending = fd > 0;
  pthread_t t;
  pthread_create(&t, NULL, helper_main, h); // want: wait-without-cancel "a new task leaks on every call of `handle_request`"
  pthread_detach(t);
}

int main(void) {
  int fd;
  while ((fd = accept_request()) >= 0) handle_request(fd);
  return 0;
}
