/* libtask: a task sleeps on a Rendez in a loop with no exit; libtask tasks
 * cannot be cancelled. */
#include <stddef.h>
#include <task.h>

static Rendez wake;
static int pending;

static void sleeper(void *arg) {
  (void)arg;
  for (;;) {
    while (pending == 0)
      tasksleep(&wake);
    pending--;
  }
}

void sleeper_start(void) {
  taskcreate(sleeper, NULL, 32768); // want: wait-without-cancel
}
