/* Reduced from chimera-nas/libevpl src/rpc2/tests/multifrag.c (server_pump,
 * main); evpl_continue() is one epoll_wait(-1) round of the event loop.
 * Fix: chimera-nas/libevpl 5b27403ae812c0b6954d908a1dc86447c56290f3
 * "rpc2/tests/multifrag: use evpl_run/evpl_stop for pump-thread shutdown (#51)"
 * (2026-05-19).
 * Shape 7 (+1): the pump thread loops `while (!stop)` around a blocking
 * epoll_wait with no timeout; main sets stop and joins, but nothing is written
 * to any fd in the epoll set, so the pump never returns to test the flag. */
#include <pthread.h>
#include <sys/epoll.h>

struct server_ctx { int epfd; volatile int ready; volatile int stop; };

static void loop_once(int epfd) {
    struct epoll_event ev[16];
    epoll_wait(epfd, ev, 16, -1);            /* blocks with no I/O */
}

static void *server_pump(void *arg) {
    struct server_ctx *ctx = arg;
    ctx->ready = 1;
    while (!ctx->stop)
        loop_once(ctx->epfd);
    return NULL;
}

int run_test(void) {
    struct server_ctx ctx = { epoll_create1(0), 0, 0 };
    pthread_t pump;
    pthread_create(&pump, NULL, server_pump, &ctx); // want: stop-cannot-wake
    while (!ctx.ready) {}
    /* ... sub-tests ... */
    ctx.stop = 1;                            /* BUG: no waker for epoll_wait */
    pthread_join(pump, NULL);
    return 0;
}
