/* libmill.h - declaration-only stand-in for sustrik/libmill <libmill.h>,
 * written for leaklint's fixtures. Macros expand the way the real header's
 * do: go() is a do/while around mill_prologue_ ... the task call ...
 * mill_epilogue_; chs/chr/chdone wrap mill_chs_/mill_chr_/mill_chdone_;
 * choose/in/out/deadline/otherwise/end build the goto-and-label block around
 * mill_choose_init_ ... mill_choose_wait_. Not for linking. */
#ifndef LIBMILL_H_INCLUDED
#define LIBMILL_H_INCLUDED

#include <errno.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define mill_string2_(x) #x
#define mill_string1_(x) mill_string2_(x)
#define MILL_HERE_ (__FILE__ ":" mill_string1_(__LINE__))
#define mill_concat_(x,y) x##y

int64_t mill_now_(void);
pid_t mill_mfork_(void);
#define now mill_now_
#define mfork mill_mfork_

extern volatile int mill_unoptimisable1_;
extern volatile void *mill_unoptimisable2_;
typedef sigjmp_buf *mill_ctx;
mill_ctx mill_getctx_(void);
__attribute__((noinline)) void *mill_prologue_(const char *created);
__attribute__((noinline)) void mill_epilogue_(void);
void mill_goprepare_(int count, size_t stack_size, size_t val_size);
void mill_yield_(const char *current);
void mill_msleep_(int64_t deadline, const char *current);
int mill_fdwait_(int fd, int events, int64_t deadline, const char *current);
void mill_fdclean_(int fd);

#define mill_setjmp_(ctx) sigsetjmp(*ctx, 0)

#define mill_go_(fn) \
    do {\
        void *mill_sp;\
        mill_ctx ctx = mill_getctx_();\
        if(!mill_setjmp_(ctx)) {\
            mill_sp = mill_prologue_(MILL_HERE_);\
            int mill_anchor[mill_unoptimisable1_];\
            mill_unoptimisable2_ = &mill_anchor;\
            char mill_filler[(char*)&mill_anchor - (char*)(mill_sp)];\
            mill_unoptimisable2_ = &mill_filler;\
            fn;\
            mill_epilogue_();\
        }\
    } while(0)

#define FDW_IN 1
#define FDW_OUT 2
#define FDW_ERR 4
#define coroutine __attribute__((noinline))
#define go(fn) mill_go_(fn)
#define goprepare mill_goprepare_
#define yield() mill_yield_(MILL_HERE_)
#define msleep(deadline) mill_msleep_((deadline), MILL_HERE_)
#define fdwait(fd, ev, dd) mill_fdwait_((fd), (ev), (dd), MILL_HERE_)
#define fdclean mill_fdclean_

struct mill_chan_;
typedef struct { void *f1; void *f2; void *f3; void *f4;
    void *f5; void *f6; int f7; int f8; int f9; } mill_clause_;
#define MILL_CLAUSELEN_ (sizeof(mill_clause_))

struct mill_chan_ *mill_chmake_(size_t sz, size_t bufsz, const char *created);
struct mill_chan_ *mill_chdup_(struct mill_chan_ *ch, const char *created);
void mill_chclose_(struct mill_chan_ *ch, const char *current);
void mill_chs_(struct mill_chan_ *ch, void *val, size_t sz, const char *current);
void *mill_chr_(struct mill_chan_ *ch, size_t sz, const char *current);
void mill_chdone_(struct mill_chan_ *ch, void *val, size_t sz, const char *current);
void mill_choose_init_(const char *current);
void mill_choose_in_(void *clause, struct mill_chan_ *ch, size_t sz, int idx);
void mill_choose_out_(void *clause, struct mill_chan_ *ch, void *val, size_t sz, int idx);
void mill_choose_deadline_(int64_t deadline);
void mill_choose_otherwise_(void);
int mill_choose_wait_(void);
void *mill_choose_val_(size_t sz);

#define mill_chs__(channel, type, value) \
    do {\
        type mill_val = (value);\
        mill_chs_((channel), &mill_val, sizeof(type), MILL_HERE_);\
    } while(0)
#define mill_chr__(channel, type) \
    (*(type*)mill_chr_((channel), sizeof(type), MILL_HERE_))
#define mill_chdone__(channel, type, value) \
    do {\
        type mill_val = (value);\
        mill_chdone_((channel), &mill_val, sizeof(type), MILL_HERE_);\
    } while(0)

#define mill_choose_init__ \
    {\
        mill_choose_init_(MILL_HERE_);\
        int mill_idx = -2;\
        while(1) {\
            if(mill_idx != -2) {\
                if(0)

#define mill_choose_in__(chan, type, name, idx) \
                    break;\
                }\
                goto mill_concat_(mill_label, idx);\
            }\
            char mill_concat_(mill_clause, idx)[MILL_CLAUSELEN_];\
            mill_choose_in_(\
                &mill_concat_(mill_clause, idx)[0],\
                (chan),\
                sizeof(type),\
                idx);\
            if(0) {\
                type name;\
                mill_concat_(mill_label, idx):\
                if(mill_idx == idx) {\
                    name = *(type*)mill_choose_val_(sizeof(type));\
                    goto mill_concat_(mill_dummylabel, idx);\
                    mill_concat_(mill_dummylabel, idx)

#define mill_choose_out__(chan, type, val, idx) \
                    break;\
                }\
                goto mill_concat_(mill_label, idx);\
            }\
            char mill_concat_(mill_clause, idx)[MILL_CLAUSELEN_];\
            type mill_concat_(mill_val, idx) = (val);\
            mill_choose_out_(\
                &mill_concat_(mill_clause, idx)[0],\
                (chan),\
                &mill_concat_(mill_val, idx),\
                sizeof(type),\
                idx);\
            if(0) {\
                mill_concat_(mill_label, idx):\
                if(mill_idx == idx) {\
                    goto mill_concat_(mill_dummylabel, idx);\
                    mill_concat_(mill_dummylabel, idx)

#define mill_choose_deadline__(ddline, idx) \
                    break;\
                }\
                goto mill_concat_(mill_label, idx);\
            }\
            mill_choose_deadline_(ddline);\
            if(0) {\
                mill_concat_(mill_label, idx):\
                if(mill_idx == -1) {\
                    goto mill_concat_(mill_dummylabel, idx);\
                    mill_concat_(mill_dummylabel, idx)

#define mill_choose_otherwise__(idx) \
                    break;\
                }\
                goto mill_concat_(mill_label, idx);\
            }\
            mill_choose_otherwise_();\
            if(0) {\
                mill_concat_(mill_label, idx):\
                if(mill_idx == -1) {\
                    goto mill_concat_(mill_dummylabel, idx);\
                    mill_concat_(mill_dummylabel, idx)

#define mill_choose_end__ \
                    break;\
                }\
            }\
            mill_idx = mill_choose_wait_();\
        }

typedef struct mill_chan_ *chan;
#define chmake(tp, sz) mill_chmake_(sizeof(tp), sz, MILL_HERE_)
#define chdup(ch) mill_chdup_((ch), MILL_HERE_)
#define chclose(ch) mill_chclose_((ch), MILL_HERE_)
#define chs(ch, tp, val) mill_chs__((ch), tp, (val))
#define chr(ch, tp) mill_chr__((ch), tp)
#define chdone(ch, tp, val) mill_chdone__((ch), tp, (val))
#define choose mill_choose_init__
#define in(ch, tp, nm) mill_choose_in__((ch), tp, nm, __COUNTER__)
#define out(ch, tp, val) mill_choose_out__((ch), tp, (val), __COUNTER__)
#define deadline(dd) mill_choose_deadline__(dd, __COUNTER__)
#define otherwise mill_choose_otherwise__(__COUNTER__)
#define end mill_choose_end__

#ifdef __cplusplus
}
#endif
#endif
