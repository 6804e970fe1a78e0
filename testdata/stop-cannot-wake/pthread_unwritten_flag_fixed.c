/* Twin of pthread_unwritten_flag.c: stop_pollers_fx() sets the flag first. */
#include <pthread.h>
#include <unistd.h>

static volatile int shutting_down_fx;
static struct { pthread_t tid; } pollers_fx[4];

static void *poll_loop_fx(void *arg) {
  (void)arg;
  while (!shutting_down_fx)
    usleep(1000);
  return NULL;
}

int start_pollers_fx(void) {
  for (int i = 0; i < 4; i++)
    if (pthread_create(&pollers_fx[i].tid, NULL, poll_loop_fx, NULL) != 0)
      return -1;
  return 0;
}

void stop_pollers_fx(void) {
  shutting_down_fx = 1;
  for (int i = 0; i < 4; i++)
    pthread_join(pollers_fx[i].tid, NULL);
}
