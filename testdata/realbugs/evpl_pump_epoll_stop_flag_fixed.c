/* Fixed twin of evpl_pump_epoll_stop_flag.c.
 * Fix: chimera-nas/libevpl 5b27403ae812c0b6954d908a1dc86447c56290f3
 * "rpc2/tests/multifrag: use evpl_run/evpl_stop for pump-thread shutdown (#51)"
 * (2026-05-19): evpl_stop() writes the loop's eventfd doorbell, which is in the
 * epoll set, so epoll_wait returns and the loop sees the stop. */
#include <pthread.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct server_ctx { int epfd; int doorbell; volatile int ready; volatile int stop; };

static void loop_once(int epfd) {
    struct epoll_event ev[16];
    epoll_wait(epfd, ev, 16, -1);
}

static void *server_pump(void *arg) {
    struct server_ctx *ctx = arg;
    ctx->ready = 1;
    while (!ctx->stop)
        loop_once(ctx->epfd);
    return NULL;
}

static void loop_stop(struct server_ctx *ctx) {
    uint64_t one = 1;
    ctx->stop = 1;
    (void)write(ctx->doorbell, &one, sizeof one);
}

int run_test(void) {
    struct server_ctx ctx = { epoll_create1(0), eventfd(0, EFD_NONBLOCK), 0, 0 };
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = ctx.doorbell };
    epoll_ctl(ctx.epfd, EPOLL_CTL_ADD, ctx.doorbell, &ev);
    pthread_t pump;
    pthread_create(&pump, NULL, server_pump, &ctx);
    while (!ctx.ready) {}
    loop_stop(&ctx);
    pthread_join(pump, NULL);
    return 0;
}
