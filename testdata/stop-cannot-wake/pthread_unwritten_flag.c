/* A stop flag nobody writes: the pollers loop until `shutting_down` is set,
 * but no code sets it, so the join in stop_pollers() waits forever. */
#include <pthread.h>
#include <unistd.h>

static volatile int shutting_down;
static struct { pthread_t tid; } pollers[4];

static void *poll_loop(void *arg) {
  (void)arg;
  while (!shutting_down)
    usleep(1000);
  return NULL;
}

int start_pollers(void) {
  for (int i = 0; i < 4; i++)
    if (pthread_create(&pollers[i].tid, NULL, poll_loop, NULL) != 0) // want: stop-cannot-wake "no code writes"
      return -1;
  return 0;
}

void stop_pollers(void) {
  for (int i = 0; i < 4; i++)
    pthread_join(pollers[i].tid, NULL);
}
