/* The channel travels in the pthread argument struct: the field the
 * spawner writes and the field the thread reads are one channel. */
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

static int submit(struct job *j, int fail) {
  j->results = chan_init(0);
  pthread_t t;
  pthread_create(&t, NULL, run_job, j);
  pthread_detach(t);
  if (fail) return -1;
  int32_t v = 0;
  chan_recv_int32(j->results, &v);
  return v;
}

static int submit_local(int input, int fail) {
  struct job j;
  j.input = input;
  j.results = chan_init(0);
  pthread_t t;
  pthread_create(&t, NULL, run_job, &j); // want: unbuffered-send
  if (fail) return -1;
  int32_t v = 0;
  chan_recv_int32(j.results, &v);
  pthread_join(t, NULL);
  return v;
}
