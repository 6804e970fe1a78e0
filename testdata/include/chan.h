/* chan.h - declaration-only stand-in for tylertreat/chan src/chan.h,
 * written for leaklint's fixtures. Plain functions; chan_send_int and
 * chan_recv_int are macros as in the real header. Not for linking. */
#ifndef chan_h
#define chan_h

#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef struct queue_t queue_t;

typedef struct chan_t {
  queue_t *queue;
  pthread_mutex_t r_mu;
  pthread_mutex_t w_mu;
  void *data;
  pthread_mutex_t m_mu;
  pthread_cond_t r_cond;
  pthread_cond_t w_cond;
  int closed;
  int r_waiting;
  int w_waiting;
} chan_t;

chan_t *chan_init(size_t capacity);
void chan_dispose(chan_t *chan);
int chan_close(chan_t *chan);
int chan_is_closed(chan_t *chan);
int chan_send(chan_t *chan, void *data);
int chan_recv(chan_t *chan, void **data);
int chan_size(chan_t *chan);
int chan_select(chan_t *recv_chans[], int recv_count, void **recv_out,
                chan_t *send_chans[], int send_count, void *send_msgs[]);

int chan_send_int32(chan_t *, int32_t);
int chan_send_int64(chan_t *, int64_t);
#if ULONG_MAX == 4294967295UL
#define chan_send_int(c, d) chan_send_int64(c, d)
#else
#define chan_send_int(c, d) chan_send_int32(c, d)
#endif
int chan_send_double(chan_t *, double);
int chan_send_buf(chan_t *, void *, size_t);
int chan_recv_int32(chan_t *, int32_t *);
int chan_recv_int64(chan_t *, int64_t *);
#if ULONG_MAX == 4294967295UL
#define chan_recv_int(c, d) chan_recv_int64(c, d)
#else
#define chan_recv_int(c, d) chan_recv_int32(c, d)
#endif
int chan_recv_double(chan_t *, double *);
int chan_recv_buf(chan_t *, void *, size_t);

#endif
