/* dispatch/dispatch.h - declaration-only stand-in for Apple GCD /
 * swift-corelibs-libdispatch <dispatch/dispatch.h>, written for leaklint's
 * fixtures (Debian ships no libdispatch-dev). It declares what the real
 * headers (base.h, object.h, time.h, queue.h, group.h, semaphore.h,
 * source.h, block.h) declare for the APIs leaklint's GCD pack knows, with
 * the same types and the same macro expansions:
 *   DISPATCH_TIME_NOW (0ull), DISPATCH_TIME_FOREVER (~0ull),
 *   DISPATCH_SOURCE_TYPE_TIMER (&_dispatch_source_type_timer), NSEC_PER_*.
 * Object types follow object.h: in C dispatch_object_t is a transparent
 * union, in C++ a base struct every dispatch_*_s derives from. Block-taking
 * APIs are declared only under __BLOCKS__ (compile with -fblocks), exactly
 * like the real headers. Not for linking. */
#ifndef __DISPATCH_PUBLIC__
#define __DISPATCH_PUBLIC__

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <sys/types.h>

#define DISPATCH_API_VERSION 20181008

#ifdef __cplusplus
#define DISPATCH_DECLS_BEGIN extern "C" {
#define DISPATCH_DECLS_END }
#else
#define DISPATCH_DECLS_BEGIN
#define DISPATCH_DECLS_END
#endif

#define DISPATCH_EXPORT extern
#define DISPATCH_NOTHROW __attribute__((__nothrow__))
#define DISPATCH_NONNULL_ALL __attribute__((__nonnull__))
#define DISPATCH_WARN_RESULT __attribute__((__warn_unused_result__))
#define DISPATCH_MALLOC __attribute__((__malloc__))
#define DISPATCH_TRANSPARENT_UNION __attribute__((__transparent_union__))

/* base.h: DISPATCH_ASSUME_NONNULL_BEGIN (pointers are non-null unless marked) */
#if defined(__has_feature)
#if __has_feature(assume_nonnull)
#define DISPATCH_ASSUME_NONNULL_BEGIN _Pragma("clang assume_nonnull begin")
#define DISPATCH_ASSUME_NONNULL_END _Pragma("clang assume_nonnull end")
#endif
#endif
#ifndef DISPATCH_ASSUME_NONNULL_BEGIN
#define DISPATCH_ASSUME_NONNULL_BEGIN
#define DISPATCH_ASSUME_NONNULL_END
#endif
#if !defined(__clang__)
#define _Nullable
#define _Nonnull
#endif

DISPATCH_ASSUME_NONNULL_BEGIN

/* ---- object.h ---- */
#if defined(__cplusplus)
typedef struct dispatch_object_s {
private:
  dispatch_object_s();
  ~dispatch_object_s();
  dispatch_object_s(const dispatch_object_s &);
  void operator=(const dispatch_object_s &);
} *dispatch_object_t;
#define DISPATCH_DECL(name) typedef struct name##_s : public dispatch_object_s {} *name##_t
#define DISPATCH_GLOBAL_OBJECT(type, object) (static_cast<type>(&(object)))
#else
typedef union {
  struct _os_object_s *_os_obj;
  struct dispatch_object_s *_do;
  struct dispatch_queue_s *_dq;
  struct dispatch_queue_attr_s *_dqa;
  struct dispatch_group_s *_dg;
  struct dispatch_source_s *_ds;
  struct dispatch_mach_s *_dm;
  struct dispatch_mach_msg_s *_dmsg;
  struct dispatch_semaphore_s *_dsema;
  struct dispatch_data_s *_ddata;
  struct dispatch_io_s *_dchannel;
} dispatch_object_t DISPATCH_TRANSPARENT_UNION;
#define DISPATCH_DECL(name) typedef struct name##_s *name##_t
#define DISPATCH_GLOBAL_OBJECT(type, object) ((type)&(object))
#endif

typedef void (*dispatch_function_t)(void *_Nullable);

#ifdef __BLOCKS__
typedef void (^dispatch_block_t)(void);
#endif

DISPATCH_DECLS_BEGIN

DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void dispatch_retain(dispatch_object_t object);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void dispatch_release(dispatch_object_t object);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void *_Nullable dispatch_get_context(dispatch_object_t object);
DISPATCH_EXPORT DISPATCH_NOTHROW void dispatch_set_context(dispatch_object_t object, void *_Nullable context);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void dispatch_activate(dispatch_object_t object);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void dispatch_suspend(dispatch_object_t object);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void dispatch_resume(dispatch_object_t object);

DISPATCH_DECLS_END

/* ---- time.h ---- */
#define NSEC_PER_SEC 1000000000ull
#define NSEC_PER_MSEC 1000000ull
#define USEC_PER_SEC 1000000ull
#define NSEC_PER_USEC 1000ull

DISPATCH_DECLS_BEGIN

struct timespec;
typedef uint64_t dispatch_time_t;

enum {
  DISPATCH_WALLTIME_NOW = ~1ull,
};

#define DISPATCH_TIME_NOW (0ull)
#define DISPATCH_TIME_FOREVER (~0ull)

DISPATCH_EXPORT DISPATCH_WARN_RESULT DISPATCH_NOTHROW dispatch_time_t
dispatch_time(dispatch_time_t when, int64_t delta);
DISPATCH_EXPORT DISPATCH_WARN_RESULT DISPATCH_NOTHROW dispatch_time_t
dispatch_walltime(const struct timespec *_Nullable when, int64_t delta);

DISPATCH_DECLS_END

/* ---- queue.h ---- */
DISPATCH_DECL(dispatch_queue);
DISPATCH_DECL(dispatch_queue_attr);

DISPATCH_DECLS_BEGIN

#ifdef __BLOCKS__
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void
dispatch_async(dispatch_queue_t queue, dispatch_block_t block);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void
dispatch_sync(dispatch_queue_t queue, dispatch_block_t block);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void
dispatch_after(dispatch_time_t when, dispatch_queue_t queue, dispatch_block_t block);
#endif
DISPATCH_EXPORT DISPATCH_NOTHROW void
dispatch_async_f(dispatch_queue_t queue, void *_Nullable context, dispatch_function_t work);
DISPATCH_EXPORT DISPATCH_NOTHROW void
dispatch_sync_f(dispatch_queue_t queue, void *_Nullable context, dispatch_function_t work);
DISPATCH_EXPORT DISPATCH_NOTHROW void
dispatch_after_f(dispatch_time_t when, dispatch_queue_t queue, void *_Nullable context,
                 dispatch_function_t work);

/* The real header defines dispatch_get_main_queue() as an always-inline
 * function returning &_dispatch_main_q; a call looks the same in the AST. */
DISPATCH_EXPORT struct dispatch_queue_s _dispatch_main_q;
DISPATCH_EXPORT DISPATCH_NOTHROW dispatch_queue_t dispatch_get_main_queue(void);

#define DISPATCH_QUEUE_PRIORITY_HIGH 2
#define DISPATCH_QUEUE_PRIORITY_DEFAULT 0
#define DISPATCH_QUEUE_PRIORITY_LOW (-2)
#define DISPATCH_QUEUE_PRIORITY_BACKGROUND INT16_MIN
DISPATCH_EXPORT DISPATCH_NOTHROW dispatch_queue_t
dispatch_get_global_queue(intptr_t identifier, uintptr_t flags);

#define DISPATCH_QUEUE_SERIAL NULL
#define DISPATCH_QUEUE_CONCURRENT \
  DISPATCH_GLOBAL_OBJECT(dispatch_queue_attr_t, _dispatch_queue_attr_concurrent)
DISPATCH_EXPORT struct dispatch_queue_attr_s _dispatch_queue_attr_concurrent;

DISPATCH_EXPORT DISPATCH_MALLOC DISPATCH_WARN_RESULT DISPATCH_NOTHROW dispatch_queue_t
dispatch_queue_create(const char *_Nullable label, dispatch_queue_attr_t _Nullable attr);

DISPATCH_EXPORT DISPATCH_NOTHROW void dispatch_main(void) __attribute__((__noreturn__));

DISPATCH_DECLS_END

/* ---- group.h ---- */
DISPATCH_DECL(dispatch_group);

DISPATCH_DECLS_BEGIN

DISPATCH_EXPORT DISPATCH_MALLOC DISPATCH_WARN_RESULT DISPATCH_NOTHROW dispatch_group_t
dispatch_group_create(void);
#ifdef __BLOCKS__
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void
dispatch_group_async(dispatch_group_t group, dispatch_queue_t queue, dispatch_block_t block);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void
dispatch_group_notify(dispatch_group_t group, dispatch_queue_t queue, dispatch_block_t block);
#endif
DISPATCH_EXPORT DISPATCH_NOTHROW void
dispatch_group_async_f(dispatch_group_t group, dispatch_queue_t queue, void *_Nullable context,
                       dispatch_function_t work);
DISPATCH_EXPORT DISPATCH_NOTHROW intptr_t
dispatch_group_wait(dispatch_group_t group, dispatch_time_t timeout);
DISPATCH_EXPORT DISPATCH_NOTHROW void
dispatch_group_notify_f(dispatch_group_t group, dispatch_queue_t queue, void *_Nullable context,
                        dispatch_function_t work);
DISPATCH_EXPORT DISPATCH_NOTHROW void dispatch_group_enter(dispatch_group_t group);
DISPATCH_EXPORT DISPATCH_NOTHROW void dispatch_group_leave(dispatch_group_t group);

DISPATCH_DECLS_END

/* ---- semaphore.h ---- */
DISPATCH_DECL(dispatch_semaphore);

DISPATCH_DECLS_BEGIN

DISPATCH_EXPORT DISPATCH_MALLOC DISPATCH_WARN_RESULT DISPATCH_NOTHROW dispatch_semaphore_t
dispatch_semaphore_create(intptr_t value);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW intptr_t
dispatch_semaphore_wait(dispatch_semaphore_t dsema, dispatch_time_t timeout);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW intptr_t
dispatch_semaphore_signal(dispatch_semaphore_t dsema);

DISPATCH_DECLS_END

/* ---- source.h ---- */
DISPATCH_DECL(dispatch_source);

DISPATCH_DECLS_BEGIN

typedef const struct dispatch_source_type_s *dispatch_source_type_t;

#define DISPATCH_SOURCE_TYPE_DECL(name) \
  DISPATCH_EXPORT const struct dispatch_source_type_s _dispatch_source_type_##name

#define DISPATCH_SOURCE_TYPE_DATA_ADD (&_dispatch_source_type_data_add)
DISPATCH_SOURCE_TYPE_DECL(data_add);
#define DISPATCH_SOURCE_TYPE_DATA_OR (&_dispatch_source_type_data_or)
DISPATCH_SOURCE_TYPE_DECL(data_or);
#define DISPATCH_SOURCE_TYPE_DATA_REPLACE (&_dispatch_source_type_data_replace)
DISPATCH_SOURCE_TYPE_DECL(data_replace);
#define DISPATCH_SOURCE_TYPE_READ (&_dispatch_source_type_read)
DISPATCH_SOURCE_TYPE_DECL(read);
#define DISPATCH_SOURCE_TYPE_SIGNAL (&_dispatch_source_type_signal)
DISPATCH_SOURCE_TYPE_DECL(signal);
#define DISPATCH_SOURCE_TYPE_TIMER (&_dispatch_source_type_timer)
DISPATCH_SOURCE_TYPE_DECL(timer);
#define DISPATCH_SOURCE_TYPE_WRITE (&_dispatch_source_type_write)
DISPATCH_SOURCE_TYPE_DECL(write);

#define DISPATCH_TIMER_STRICT 0x1
typedef unsigned long dispatch_source_timer_flags_t;

DISPATCH_EXPORT DISPATCH_MALLOC DISPATCH_WARN_RESULT DISPATCH_NOTHROW dispatch_source_t
dispatch_source_create(dispatch_source_type_t type, uintptr_t handle, unsigned long mask,
                       dispatch_queue_t _Nullable queue);
#ifdef __BLOCKS__
DISPATCH_EXPORT DISPATCH_NOTHROW void
dispatch_source_set_event_handler(dispatch_source_t source, dispatch_block_t _Nullable handler);
DISPATCH_EXPORT DISPATCH_NOTHROW void
dispatch_source_set_cancel_handler(dispatch_source_t source, dispatch_block_t _Nullable handler);
#endif
DISPATCH_EXPORT DISPATCH_NOTHROW void
dispatch_source_set_event_handler_f(dispatch_source_t source,
                                    dispatch_function_t _Nullable handler);
DISPATCH_EXPORT DISPATCH_NOTHROW void
dispatch_source_set_cancel_handler_f(dispatch_source_t source,
                                     dispatch_function_t _Nullable handler);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void
dispatch_source_cancel(dispatch_source_t source);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_WARN_RESULT DISPATCH_NOTHROW intptr_t
dispatch_source_testcancel(dispatch_source_t source);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW void
dispatch_source_set_timer(dispatch_source_t source, dispatch_time_t start, uint64_t interval,
                          uint64_t leeway);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW uintptr_t
dispatch_source_get_handle(dispatch_source_t source);
DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_NOTHROW uintptr_t
dispatch_source_get_data(dispatch_source_t source);

DISPATCH_DECLS_END

/* ---- block.h ---- */
#ifdef __BLOCKS__
DISPATCH_DECLS_BEGIN

typedef unsigned long dispatch_block_flags_t;
enum {
  DISPATCH_BLOCK_BARRIER = 0x1,
  DISPATCH_BLOCK_DETACHED = 0x2,
  DISPATCH_BLOCK_ASSIGN_CURRENT = 0x4,
  DISPATCH_BLOCK_NO_QOS_CLASS = 0x8,
  DISPATCH_BLOCK_INHERIT_QOS_CLASS = 0x10,
  DISPATCH_BLOCK_ENFORCE_QOS_CLASS = 0x20,
};

DISPATCH_EXPORT DISPATCH_NONNULL_ALL DISPATCH_WARN_RESULT DISPATCH_NOTHROW dispatch_block_t
dispatch_block_create(dispatch_block_flags_t flags, dispatch_block_t block);
DISPATCH_EXPORT DISPATCH_NOTHROW DISPATCH_NONNULL_ALL intptr_t
dispatch_block_wait(dispatch_block_t block, dispatch_time_t timeout);
DISPATCH_EXPORT DISPATCH_NOTHROW DISPATCH_NONNULL_ALL void
dispatch_block_notify(dispatch_block_t block, dispatch_queue_t queue,
                      dispatch_block_t notification_block);
DISPATCH_EXPORT DISPATCH_NOTHROW DISPATCH_NONNULL_ALL void dispatch_block_cancel(dispatch_block_t block);
DISPATCH_EXPORT DISPATCH_NOTHROW DISPATCH_NONNULL_ALL DISPATCH_WARN_RESULT intptr_t
dispatch_block_testcancel(dispatch_block_t block);

DISPATCH_DECLS_END
#endif /* __BLOCKS__ */

DISPATCH_ASSUME_NONNULL_END

#endif /* __DISPATCH_PUBLIC__ */
