/* Detached through the attributes; the thread receives from a message queue
 * forever. */
#include <mqueue.h>
#include <pthread.h>

static void *listener(void *arg) {
  mqd_t mq = *(mqd_t *)arg;
  char buf[128];
  for (;;) {
    ssize_t n = mq_receive(mq, buf, sizeof buf, NULL);
    (void)n;
  }
  return NULL;
}

int listen_start(mqd_t *mq) {
  pthread_attr_t attr;
  pthread_t th;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&th, &attr, listener, mq); // want: wait-without-cancel
  pthread_attr_destroy(&attr);
  return rc;
}
