/* No finding: the task blocks in recv() on a descriptor only it can name (a
 * local returned by accept), and sleeps for a constant second; what could
 * interrupt them is not knowable, so nothing is said. */
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

struct listener {
  int lfd;
  volatile int running;
  pthread_t tid;
};

static void *serve(void *arg) {
  struct listener *l = arg;
  char buf[64];
  while (l->running) {
    int c = accept(l->lfd, NULL, NULL);
    if (c < 0) {
      sleep(1);
      continue;
    }
    while (recv(c, buf, sizeof buf, 0) > 0) {}
    close(c);
  }
  return NULL;
}

int listener_start(struct listener *l) { return pthread_create(&l->tid, NULL, serve, l); }

void listener_stop(struct listener *l) {
  l->running = 0;
  shutdown(l->lfd, SHUT_RDWR);
  pthread_join(l->tid, NULL);
}
