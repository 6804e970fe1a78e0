/* Twin of libtask_rendez_forever.c: the task exits when asked to quit. */
#include <stddef.h>
#include <task.h>

static Rendez wake2;
static int pending2, quit2;

static void sleeper2(void *arg) {
  (void)arg;
  for (;;) {
    while (pending2 == 0 && !quit2)
      tasksleep(&wake2);
    if (quit2)
      taskexit(0);
    pending2--;
  }
}

void sleeper2_start(void) { taskcreate(sleeper2, NULL, 32768); }
void sleeper2_stop(void) {
  quit2 = 1;
  taskwakeupall(&wake2);
}
