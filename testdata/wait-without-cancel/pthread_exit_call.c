/* Twin of pthread_poll_sleep.c: the loop ends the thread with pthread_exit
 * when the device reports an error. */
#include <pthread.h>
#include <unistd.h>

extern int poll_device(void);

static void *poller(void *arg) {
  (void)arg;
  while (1) {
    if (poll_device() < 0)
      pthread_exit(NULL);
    usleep(1000);
  }
  return NULL;
}

void poller_start(void) {
  pthread_t th;
  pthread_create(&th, NULL, poller, NULL);
  pthread_detach(th);
}
