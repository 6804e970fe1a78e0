/* Two programs in one tree (tests/, examples/ with one main per file), each
 * defining its own external `multiprog_worker`: this program's worker parks
 * forever; multiprog_fixed.c's returns. Each spawn must resolve to the
 * worker of its own file (libmill's tutorial/step7.c resolved to step6.c's). */
#include <pthread.h>
#include <semaphore.h>

sem_t multiprog_sem;

void *multiprog_worker(void *arg) {
  (void)arg;
  for (;;) sem_wait(&multiprog_sem);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, multiprog_worker, NULL); // want: wait-without-cancel
  pthread_join(t, NULL);
  return 0;
}
