/* C11 threads (glibc's thrd_create does not call the public pthread_create:
 * the library interposes thrd_create too). A detached consumer waits on
 * cnd_wait for items nobody produces, one per request: one leaked task
 * parked in cnd_wait (the program serves one request), created by
 * start_consumer. A joined thread's int result must come back
 * through thrd_join unchanged (exit 4 otherwise). */
#include <stdio.h>
#include <threads.h>

static mtx_t mu;
static cnd_t cv;
static int items;

static int consume(void *arg) {
  (void)arg;
  mtx_lock(&mu);
  for (;;) {
    while (items == 0) cnd_wait(&cv, &mu);
    items--;
  }
  return 0;
}

static int answer(void *arg) {
  (void)arg;
  return 42;
}

static int start_consumer(void) {
  thrd_t t;
  if (thrd_create(&t, consume, NULL) != thrd_success) return -1; // want: wait-without-cancel
  return thrd_detach(t);
}

int main(int argc, char **argv) {
  (void)argv;
  mtx_init(&mu, mtx_plain);
  cnd_init(&cv);
  int requests = argc; /* one: the program name */
  while (requests-- > 0)
    if (start_consumer() != 0) return 3;
  thrd_t t;
  int res = 0;
  if (thrd_create(&t, answer, NULL) != thrd_success || thrd_join(t, &res) != thrd_success ||
      res != 42)
    return 4;
  puts("done");
  return 0;
}
