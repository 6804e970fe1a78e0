/* libdill.h - declaration-only stand-in for sustrik/libdill 2.x <libdill.h>,
 * written for leaklint's fixtures. Macros expand the way the real header's
 * do: go() is a GNU statement expression around dill_prologue ... the task
 * call ... dill_epilogue, and the public names are object-like macros for
 * the dill_* functions. Not for linking. */
#ifndef LIBDILL_H_INCLUDED
#define LIBDILL_H_INCLUDED

#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#if defined __linux__
#include <alloca.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

int dill_fdclean(int fd);
int dill_fdin(int fd, int64_t deadline);
int dill_fdout(int fd, int64_t deadline);
int64_t dill_now(void);
int dill_msleep(int64_t deadline);
#define fdclean dill_fdclean
#define fdin dill_fdin
#define fdout dill_fdout
#define now dill_now
#define msleep dill_msleep

int dill_hown(int h);
int dill_hclose(int h);
#define hown dill_hown
#define hclose dill_hclose

#define dill_coroutine __attribute__((noinline))
extern volatile void *dill_unoptimisable;
__attribute__((noinline)) int dill_prologue(sigjmp_buf **ctx, void **ptr, size_t len,
                                            int bndl, const char *file, int line);
__attribute__((noinline)) void dill_epilogue(void);

#if defined(__x86_64__)
/* Same shape as the real header: a statement expression around an asm
 * statement that saves the registers into ctx. */
#define dill_setjmp(ctx) __extension__ ({\
    int ret;\
    asm("xor %%rax, %%rax\n\t" : "=a" (ret) : "d" (ctx) : "memory", "rcx", "cc");\
    ret;\
})
#define dill_setsp(x) \
    asm(""::"r"(alloca(sizeof(size_t))));\
    asm volatile("leaq (%%rax), %%rsp"::"rax"(x));
#else
#define dill_setjmp(ctx) sigsetjmp(ctx, 0)
#define dill_setsp(x) \
    dill_unoptimisable = alloca((char*)alloca(sizeof(size_t)) - (char*)(x));
#endif

#define dill_go_(fn, ptr, len, bndl) \
    __extension__ ({\
        sigjmp_buf *dill_ctx__;\
        void *dill_stk__ = (ptr);\
        int dill_handle__ = dill_prologue(&dill_ctx__, &dill_stk__, (len),\
            (bndl), __FILE__, __LINE__);\
        if(dill_handle__ >= 0) {\
            if(!dill_setjmp(*dill_ctx__)) {\
                dill_setsp(dill_stk__);\
                fn;\
                dill_epilogue();\
            }\
        }\
        dill_handle__;\
    })

#define dill_go(fn) dill_go_(fn, NULL, 0, -1)
#define dill_go_mem(fn, ptr, len) dill_go_(fn, ptr, len, -1)
#define dill_bundle_go(bndl, fn) dill_go_(fn, NULL, 0, bndl)
#define dill_bundle_go_mem(bndl, fn, ptr, len) dill_go_(fn, ptr, len, bndl)

struct dill_bundle_storage { char _[64]; };
int dill_bundle(void);
int dill_bundle_mem(struct dill_bundle_storage *mem);
int dill_bundle_wait(int h, int64_t deadline);
int dill_yield(void);

#define coroutine dill_coroutine
#define go dill_go
#define go_mem dill_go_mem
#define bundle_go dill_bundle_go
#define bundle_go_mem dill_bundle_go_mem
#define bundle_storage dill_bundle_storage
#define bundle dill_bundle
#define bundle_mem dill_bundle_mem
#define bundle_wait dill_bundle_wait
#define yield dill_yield

#define DILL_CHSEND 1
#define DILL_CHRECV 2
struct dill_chclause { int op; int ch; void *val; size_t len; };
struct dill_chstorage { char _[144]; };
int dill_chmake(int chv[2]);
int dill_chmake_mem(struct dill_chstorage *mem, int chv[2]);
int dill_chsend(int ch, const void *val, size_t len, int64_t deadline);
int dill_chrecv(int ch, void *val, size_t len, int64_t deadline);
int dill_chdone(int ch);
int dill_choose(struct dill_chclause *clauses, int nclauses, int64_t deadline);

#define CHSEND DILL_CHSEND
#define CHRECV DILL_CHRECV
#define chclause dill_chclause
#define chstorage dill_chstorage
#define chmake dill_chmake
#define chmake_mem dill_chmake_mem
#define chsend dill_chsend
#define chrecv dill_chrecv
#define chdone dill_chdone
#define choose dill_choose

#ifdef __cplusplus
}
#endif
#endif
