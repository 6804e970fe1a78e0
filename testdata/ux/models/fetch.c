#include <pthread.h>
#include "mychan.h"

static void *producer(void *arg) {
  mychan *c = arg;
  mychan_send(c, 42);
  return NULL;
}

int fetch(int fail) {
  mychan *c = mychan_new(0);
  pthread_t t;
  pthread_create(&t, NULL, producer, c); // want: unbuffered-send
  pthread_detach(t);
  if (fail) return -1;
  return mychan_recv(c);
}
