/* An infinite loop that only sleeps and polls never ends either. */
#include <pthread.h>
#include <unistd.h>

extern int poll_device(void);

static void *poller(void *arg) {
  (void)arg;
  while (1) {
    poll_device();
    usleep(1000);
  }
  return NULL;
}

void poller_start(void) {
  pthread_t th;
  pthread_create(&th, NULL, poller, NULL); // want: wait-without-cancel
  pthread_detach(th);
}
