/* The fix of layers_init_table.c: the receive loop named by every table
 * entry leaves once lit_stop is set; the stopper sets it and broadcasts
 * before joining. */
#include <pthread.h>

struct litf_entry {
  const char *name;
  void *(*fn)(void *);
};

static pthread_mutex_t litf_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t litf_cv = PTHREAD_COND_INITIALIZER;
static int litf_pending, litf_stop;

static void *litf_rx(void *a) {
  (void)a;
  pthread_mutex_lock(&litf_mu);
  while (!litf_stop) {
    pthread_cond_wait(&litf_cv, &litf_mu);
    litf_pending--;
  }
  pthread_mutex_unlock(&litf_mu);
  return NULL;
}

static const struct litf_entry litf_tasks[] = {
    {"rx0", litf_rx},
    {"rx1", litf_rx},
};

void litf_run(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, litf_tasks[i].fn, NULL);
  pthread_mutex_lock(&litf_mu);
  litf_stop = 1;
  pthread_cond_broadcast(&litf_cv);
  pthread_mutex_unlock(&litf_mu);
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
}
