/* No finding: the worker waits with a timeout and re-tests the flag, so the
 * stop function's join returns within a period even without a broadcast;
 * and a second worker is cancelled (sem_wait is a cancellation point). */
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

struct timed {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  sem_t sem;
  int stop;
  pthread_t tid, tid2;
};

static void *timed_loop(void *arg) {
  struct timed *t = arg;
  pthread_mutex_lock(&t->mu);
  while (!t->stop) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 1;
    pthread_cond_timedwait(&t->cv, &t->mu, &ts);
  }
  pthread_mutex_unlock(&t->mu);
  return NULL;
}

static void *sem_loop(void *arg) {
  struct timed *t = arg;
  while (!t->stop)
    sem_wait(&t->sem);
  return NULL;
}

void timed_start(struct timed *t) {
  pthread_create(&t->tid, NULL, timed_loop, t);
  pthread_create(&t->tid2, NULL, sem_loop, t);
}

void timed_stop(struct timed *t) {
  t->stop = 1;
  pthread_join(t->tid, NULL);
  pthread_cancel(t->tid2);
  pthread_join(t->tid2, NULL);
}
