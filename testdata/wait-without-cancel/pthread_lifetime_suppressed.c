/* A logger thread meant to live as long as the process: still a finding,
 * but the intent is written down with a suppression and a reason. */
#include <pthread.h>
#include <semaphore.h>

static sem_t log_ready;
static int log_lines;

static void *logger_main(void *arg) {
  (void)arg;
  for (;;) {
    sem_wait(&log_ready);
    log_lines++;
  }
  return NULL;
}

void logger_start(void) {
  pthread_t th;
  sem_init(&log_ready, 0, 0);
  // leaklint:ignore[wait-without-cancel] the logger runs for the whole process
  pthread_create(&th, NULL, logger_main, NULL);
  pthread_detach(th);
}
