/* No finding: the stop path wakes the maintenance wait; inside a turn the
 * task waits for other threads' acknowledgement in a helper with its own
 * predicate loop (woken by those threads, not by the stop), and backs off
 * with a short variable sleep (reduced from memcached's assoc and slab
 * mover threads). */
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t maint_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t maint_cond = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t ack_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ack_cond = PTHREAD_COND_INITIALIZER;
static int acks, nworkers = 4, expanding;
static volatile int run_maint = 1;
static pthread_t maint_tid;

static void wait_for_acks(void) {
  pthread_mutex_lock(&ack_lock);
  while (acks < nworkers)
    pthread_cond_wait(&ack_cond, &ack_lock);
  acks = 0;
  pthread_mutex_unlock(&ack_lock);
}

void worker_ack(void) {
  pthread_mutex_lock(&ack_lock);
  acks++;
  pthread_cond_signal(&ack_cond);
  pthread_mutex_unlock(&ack_lock);
}

static void *maint_loop(void *arg) {
  useconds_t backoff = 1;
  (void)arg;
  pthread_mutex_lock(&maint_lock);
  while (run_maint) {
    if (!expanding) {
      pthread_cond_wait(&maint_cond, &maint_lock);
      continue;
    }
    wait_for_acks();
    usleep(backoff);
    backoff = backoff * 2 > 1000 ? 1000 : backoff * 2;
  }
  pthread_mutex_unlock(&maint_lock);
  return NULL;
}

int start_maint(void) { return pthread_create(&maint_tid, NULL, maint_loop, NULL); }

void stop_maint(void) {
  pthread_mutex_lock(&maint_lock);
  run_maint = 0;
  pthread_cond_signal(&maint_cond);
  pthread_mutex_unlock(&maint_lock);
  pthread_join(maint_tid, NULL);
}
