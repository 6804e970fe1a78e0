/* A table of tasks: a global array of structs, positional initialisers
 * `{name, fn}`, started in a loop as tbl[i].fn. Every entry names the same
 * receive loop (one per queue), which waits on a condition variable with
 * no exit; the threads are joined, so the join never returns. */
#include <pthread.h>

struct lit_entry {
  const char *name;
  void *(*fn)(void *);
};

static pthread_mutex_t lit_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t lit_cv = PTHREAD_COND_INITIALIZER;
static int lit_pending;

static void *lit_rx(void *a) {
  (void)a;
  pthread_mutex_lock(&lit_mu);
  for (;;) {
    pthread_cond_wait(&lit_cv, &lit_mu);
    lit_pending--;
  }
  return NULL;
}

static const struct lit_entry lit_tasks[] = {
    {"rx0", lit_rx},
    {"rx1", lit_rx},
};

void lit_run(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], NULL, lit_tasks[i].fn, NULL); // want: wait-without-cancel
  for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
}
