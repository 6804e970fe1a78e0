/* The other program of multiprog.c: the same external name, a worker that
 * returns after one wait. Its spawn must not be reported for multiprog.c's
 * worker. */
#include <pthread.h>
#include <semaphore.h>

sem_t multiprog_sem2;

void *multiprog_worker(void *arg) {
  (void)arg;
  sem_wait(&multiprog_sem2);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, multiprog_worker, NULL);
  sem_post(&multiprog_sem2);
  pthread_join(t, NULL);
  return 0;
}
