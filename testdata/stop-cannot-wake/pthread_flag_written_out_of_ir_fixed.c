/* Flags that are written, by forms the IR does not record as writes (an
 * increment, a C11 atomic_store, an address kept in a file-scope pointer):
 * "no code writes the flag" must not be said of any of them. A guard for
 * the writer analysis behind that finding (see stop_cannot_wake.c). */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

static volatile int stop_count;
static atomic_int stop_atomic;
static volatile int stop_by_pointer;
static volatile int *const stop_handle = &stop_by_pointer;
static pthread_t t1, t2, t3;

static void *poll_count(void *arg) {
  (void)arg;
  while (!stop_count)
    usleep(1000);
  return NULL;
}

static void *poll_atomic(void *arg) {
  (void)arg;
  while (!stop_atomic)
    usleep(1000);
  return NULL;
}

static void *poll_pointer(void *arg) {
  (void)arg;
  while (!stop_by_pointer)
    usleep(1000);
  return NULL;
}

int start_pollers(void) {
  if (pthread_create(&t1, NULL, poll_count, NULL) != 0) return -1;
  if (pthread_create(&t2, NULL, poll_atomic, NULL) != 0) return -1;
  return pthread_create(&t3, NULL, poll_pointer, NULL);
}

void stop_pollers(void) {
  stop_count++;
  atomic_store(&stop_atomic, 1);
  *stop_handle = 1;
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  pthread_join(t3, NULL);
}
