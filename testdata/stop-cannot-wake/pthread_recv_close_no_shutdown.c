/* Shape 7: the reader thread honours `running` but is blocked in recv() on
 * the connection socket; the stop function clears the flag and close()s the
 * socket, which does not wake recv() on Linux, then joins. */
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn {
  int fd;
  volatile int running;
  pthread_t reader;
};

static void *read_loop(void *arg) {
  struct conn *c = arg;
  char buf[512];
  while (c->running) {
    if (recv(c->fd, buf, sizeof buf, 0) <= 0)
      break;
  }
  return NULL;
}

int conn_start(struct conn *c) {
  c->running = 1;
  return pthread_create(&c->reader, NULL, read_loop, c); // want: stop-cannot-wake "blocked in recv on c->fd"
}

void conn_stop(struct conn *c) {
  c->running = 0;
  close(c->fd);
  pthread_join(c->reader, NULL);
}
