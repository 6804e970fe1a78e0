/* Twin of pthread_recv_close_no_shutdown.c: shutdown(fd, SHUT_RDWR) before
 * close() makes the blocked recv() return 0, and the loop ends. */
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn_fx {
  int fd;
  volatile int running;
  pthread_t reader;
};

static void *read_loop_fx(void *arg) {
  struct conn_fx *c = arg;
  char buf[512];
  while (c->running) {
    if (recv(c->fd, buf, sizeof buf, 0) <= 0)
      break;
  }
  return NULL;
}

int conn_start_fx(struct conn_fx *c) {
  c->running = 1;
  return pthread_create(&c->reader, NULL, read_loop_fx, c);
}

void conn_stop_fx(struct conn_fx *c) {
  c->running = 0;
  shutdown(c->fd, SHUT_RDWR);
  close(c->fd);
  pthread_join(c->reader, NULL);
}
