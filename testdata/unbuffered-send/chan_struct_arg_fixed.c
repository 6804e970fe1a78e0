/* Fixed twin: the channel is closed on the early-return path. */
#include <chan.h>
#include <pthread.h>

struct job {
  chan_t *results;
  int input;
};

static void *run_job(void *arg) {
  struct job *j = arg;
  chan_send_int32(j->results, j->input * 2);
  return NULL;
}

static int submit_local(int input, int fail) {
  struct job j;
  j.input = input;
  j.results = chan_init(0);
  pthread_t t;
  pthread_create(&t, NULL, run_job, &j);
  if (fail) {
    chan_close(j.results);
    pthread_join(t, NULL);
    return -1;
  }
  int32_t v = 0;
  chan_recv_int32(j.results, &v);
  pthread_join(t, NULL);
  return v;
}
