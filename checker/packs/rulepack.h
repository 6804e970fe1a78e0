/* rulepack.h - declarative library knowledge loaded from the JSON files in rules/.
 *
 * A pack describes, by role, the APIs of one concurrency library: what
 * spawns a task, creates a channel (and with which capacity), sends,
 * receives, closes, selects, waits (and which argument is the timeout and
 * which values of it mean "forever"), cancels, and creates/re-arms/releases
 * timers. Packs are loaded and validated on the main thread before any
 * worker starts; after ll_rules_freeze the set is immutable and may be read
 * from any thread without locks. The schema is documented in rules/README.md.
 * Facts (ll_fact) and pack hints are library knowledge the rules read by
 * name, next to the API entries. Owner modules: rulepack.c (the set and its
 * index), packload.c and packapi.c (parsing, private), packfact.c (facts). */
#ifndef LL_RULEPACK_H
#define LL_RULEPACK_H

#include <stddef.h>
#include "digest.h"

typedef enum {
  LL_ROLE_SPAWN,          /* starts a task */
  LL_ROLE_JOIN,           /* waits for a task (also a blocking wait) */
  LL_ROLE_DETACH,         /* gives up the handle of a task */
  LL_ROLE_CANCEL,         /* cancels a task or everything blocked in it */
  LL_ROLE_CHAN_CREATE,    /* creates a channel/queue */
  LL_ROLE_CHAN_DUP,       /* returns another reference to the same channel */
  LL_ROLE_SEND,           /* sends on a channel (may block) */
  LL_ROLE_RECV,           /* receives from a channel (may block) */
  LL_ROLE_CLOSE,          /* closes/done-marks a channel: wakes blocked peers */
  LL_ROLE_SELECT,         /* waits on several channel clauses at once */
  LL_ROLE_SELECT_BEGIN,   /* starts a select block built from clause calls */
  LL_ROLE_SELECT_SEND,    /* a send clause of a select block */
  LL_ROLE_SELECT_RECV,    /* a receive clause of a select block */
  LL_ROLE_SELECT_DEADLINE,/* a deadline clause of a select block */
  LL_ROLE_SELECT_DEFAULT, /* a non-blocking (otherwise/default) clause */
  LL_ROLE_WAIT,           /* blocks on a cv, semaphore, future, queue, ... */
  LL_ROLE_SIGNAL,         /* wakes waiters: notify, post, broadcast, push */
  LL_ROLE_TIMER_CREATE,   /* creates a timer object / source */
  LL_ROLE_TIMER_REARM,    /* re-arms an existing timer */
  LL_ROLE_TIMER_RELEASE,  /* stops and/or frees a timer */
  LL_ROLE_SLEEP,          /* sleeps for a while */
  LL_ROLE_TASK_EXIT,      /* ends the current task (pthread_exit, ...) */
  LL_ROLE_STOP_CHECK,     /* asks whether a stop was requested */
  LL_ROLE_STOP_REQUEST,   /* requests a stop (request_stop, ...) */
  LL_ROLE_DESTROY,        /* destroys a wait object (sem_destroy, pthread_cond_destroy, ...) */
  LL_ROLE_BLOCKING_IO,    /* blocks until a descriptor or event loop has work (accept, epoll_wait) */
  LL_ROLE_INTERRUPT,      /* makes a blocking_io call (or a sleep) return (shutdown, eventfd write) */
  LL_ROLE_LOCK,           /* takes a mutex (a constructor with "raii": held to the end of the scope) */
  LL_ROLE_UNLOCK,         /* releases a mutex (or the lock a guard object holds) */
  LL_ROLE_CALLBACK,       /* registers a callback (entry_arg) the library invokes repeatedly:
                             a signal handler, an I/O or timer event, a request handler */
  LL_ROLE_POOL_PUSH,      /* hands a work item (data_arg) to the tasks of a pool (object_arg) a
                             spawn entry started: g_thread_pool_push */
  LL_ROLE__COUNT
} ll_role;

const char *ll_role_name(ll_role r); /* the JSON spelling, e.g. "chan_create" */

typedef enum {
  LL_MATCH_FUNCTION,    /* a (possibly qualified) function: "pthread_create", "std::async" */
  LL_MATCH_METHOD,      /* a member function: "std::condition_variable::wait" */
  LL_MATCH_CONSTRUCTOR, /* a class: "std::thread" (matches its constructors) */
  LL_MATCH_BRACKET,     /* a macro-expanded spawn: a call to `name` (prologue) ...
                           task call ... a call to `epilogue` (libdill, libmill) */
  LL_MATCH_RANGE_FOR,   /* a range-for over an object of class `name` */
  LL_MATCH_OPERATOR     /* an overloaded operator on class `name` ("operator<<") */
} ll_match;

/* How a channel's capacity argument is read. */
typedef enum {
  LL_CAP_NONE = 0,          /* not a channel */
  LL_CAP_COUNT,             /* n = items it can hold; 0 = unbuffered */
  LL_CAP_RING,              /* holds n - 1 items (Boost.Fiber buffered_channel) */
  LL_CAP_ALWAYS_UNBUFFERED, /* no capacity: always a rendezvous (libdill) */
  LL_CAP_ZERO_UNBOUNDED     /* 0 = unbounded, n = bounded (cpp-channel) */
} ll_capacity;

/* Where a spawned task's handle goes. */
typedef enum {
  LL_HANDLE_NONE = 0,   /* no handle exists (libmill go, dispatch_async) */
  LL_HANDLE_RETURN,     /* the call's return value (g_thread_new, libdill go) */
  LL_HANDLE_OUT_ARG,    /* written through an argument (pthread_create arg 0) */
  LL_HANDLE_OBJECT      /* the constructed object (std::thread) */
} ll_handle_kind;

/* Flags on an API entry. */
enum {
  LL_API_CANCEL_POINT = 1u << 0,   /* a pthread cancellation point */
  LL_API_DETACHED = 1u << 1,       /* spawn: the task is detached by design */
  LL_API_JOINS_ON_DESTROY = 1u << 2,/* spawn: destroying the handle joins (jthread, std::async future) */
  LL_API_STOP_TOKEN = 1u << 3,     /* spawn passes a stop token / wait honours one */
  LL_API_NONBLOCKING = 1u << 4,    /* never blocks (try_pop, channb*) */
  LL_API_ONESHOT = 1u << 5,        /* timer: fires once and frees itself */
  LL_API_RAII = 1u << 6,           /* object is released by its destructor */
  LL_API_ALL_HANDLES = 1u << 7,    /* cancel/close: applies to every task in a group */
  LL_API_DEFERRED_CANCEL = 1u << 8,/* cancel: acts only when the task reaches a cancellation point */
  LL_API_QUEUED_CANCEL = 1u << 9,  /* cancel: only removes work that has not started running */
  LL_API_HANDLE_ESCAPES = 1u << 10, /* spawn: the handle is kept where the caller cannot see it (an
                                      inferred wrapper storing it in a global); no JSON spelling */
  LL_API_BARRIER = 1u << 11,       /* wait: also releases the other parties (a barrier) */
  LL_API_FAILS_BY_RESULT = 1u << 12, /* spawn: reports a failure to start only through its result */
  LL_API_WHILE_TRUE = 1u << 13,    /* callback: invoked again only while it returns non-zero */
  LL_API_CALLER_REF = 1u << 14     /* timer: the creator holds a reference that only a release
                                      drops; the timer ending itself does not free it (GSource) */
};

/* Facts about calls that are not API entries: a pack lists them under
 * "facts" as name patterns ('*' matches any run of characters). They are
 * never matched to IR calls and the prefilter does not read them, so a fact
 * changes what a rule concludes about a call, never which files are parsed
 * or which calls carry pack APIs. The JSON spelling is in quotes. */
typedef enum {
  LL_FACT_PROCESS_EXIT,      /* "process_exit": callee ends the process (exit, abort) */
  LL_FACT_PROCESS_EXIT_MORE, /* "process_exit_more": ends it too, but only graphs built with
                                LL_CFG_LIB_EXITS (wait-without-cancel) treat it so */
  LL_FACT_PASS_THROUGH,      /* "pass_through": a one-argument call whose value is its argument */
  LL_FACT_CONTAINER_STORE,   /* "container_store": method storing its argument in the object */
  LL_FACT_CONTAINER_EMPLACE, /* "container_emplace": method constructing an element in place */
  LL_FACT_NOT_CANCEL_POINT,  /* "not_cancel_point": an unmodelled call that never acts on a
                                deferred cancel */
  LL_FACT_THROWS_ON_CLOSE,   /* "throws_on_close": throws when what it waits on is closed */
  LL_FACT_AWAIT_THROWS,      /* "await_throws": the last name component of an awaited call
                                that throws when cancelled or closed (unless a nothrow token) */
  LL_FACT_NOTHROW_TOKEN,     /* "nothrow_token": argument text of a completion token that
                                reports errors instead of throwing */
  LL_FACT_CANCEL_SLOT,       /* "cancel_slot": argument text, on a spawn of the same pack, that
                                binds a cancellation slot the owner can emit */
  LL_FACT_OBSERVABLE,        /* "observable": callee others can observe (a store, a notify) */
  LL_FACT_DETACH_ATTRIBUTE,  /* "detach_attribute": sets the detach state of a thread attribute
                                object (argument 0) to argument 1 */
  LL_FACT_STOP_TOKEN_FORM,   /* "stop_token_form": wait entry names with a stop-token overload
                                (the pack's "stop_token" hint suggests it) */
  LL_FACT_LEADING_ARG_TYPE,  /* "leading_arg_type": type text of an argument that comes before
                                a spawn's entry (a launch policy) and shifts it one right */
  LL_FACT_SLEEP_SECONDS,     /* "sleep_seconds": a sleep whose duration argument counts seconds */
  LL_FACT_SLEEP_MILLIS,      /* "sleep_millis": ... milliseconds */
  LL_FACT_SLEEP_MICROS,      /* "sleep_micros": ... microseconds */
  LL_FACT_COARSE_DURATION,   /* "coarse_duration": type text of a duration argument counted in
                                seconds or coarser units */
  LL_FACT_FACTORY,           /* "factory": a function template that constructs its first template
                                argument from its call arguments (std::make_unique): matched
                                against that class's constructor entries */
  LL_FACT_SELECT_WAIT,       /* "select_wait": the call that blocks for a select block built from
                                clause calls; forever when the block has no otherwise clause and
                                no finite deadline clause */
  LL_FACT_BIND_CALL,         /* "bind_call": a call whose value calls its argument 0 with the
                                later arguments (std::bind): a task made of it runs argument 0 */
  LL_FACT_KEEPS_RUNNING,     /* "keeps_running": callee that keeps the event loop in its argument
                                running while its result lives (a work guard) */
  LL_FACT_FOREIGN_RELEASE,   /* "foreign_release": a call that looks like a release but does not
                                drop the creator's reference to a timer (g_object_unref on a
                                GSource, which is no GObject; g_source_destroy only detaches it) */
  LL_FACT__COUNT
} ll_fact;

/* Pack-level hints ("hints": {"wait": ..., "poll": ..., "stop_token": ...}). */
typedef enum {
  LL_HINT_WAIT,       /* "wait": a task of this pack's spawn parks forever in a loop */
  LL_HINT_POLL,       /* "poll": it only sleeps and polls in a loop with no exit */
  LL_HINT_STOP_TOKEN, /* "stop_token": appended when a stop_token_form wait has no token */
  LL_HINT__COUNT
} ll_pack_hint;

#define LL_MAX_FOREVER 4
#define LL_ARG_NONE (-1)
#define LL_ARG_OBJECT (-2)   /* the implicit object of a member call */
#define LL_ARG_RESULT (-3)   /* the call's result */
#define LL_ARG_REST (-4)     /* data_arg: every argument after the entry (std::thread) */

typedef struct ll_api {
  const char *pack;       /* pack library name, e.g. "libdill" */
  const char *pack_file;  /* file the pack came from */
  const char *name;       /* match name (qualified, template args removed) */
  const char *callee;     /* the callee spelling the IR uses for this entry:
                             function/method: == name; constructor: "Cls::Cls"
                             (last component repeated); bracket: prologue name */
  const char *epilogue;   /* LL_MATCH_BRACKET: the epilogue function */
  const char *const *spellings; /* source spellings (macro names), NULL-terminated; for docs and prefilter */
  ll_match match;
  ll_role role;
  unsigned flags;
  int min_args, max_args; /* overload filter; max_args -1 = any */

  /* spawn */
  int entry_arg;          /* argument holding the task entry; for BRACKET: index
                             of the task call among the prologue...epilogue stmts is implied */
  int data_arg;           /* argument passed to the entry's first parameter, or LL_ARG_REST */
  ll_handle_kind handle;
  int handle_arg;         /* LL_HANDLE_OUT_ARG: which argument */
  int bundle_arg;         /* BRACKET (libdill): prologue argument with the bundle handle, -1 none */

  /* channel / queue / wait object: which argument is the object operated on
     (LL_ARG_OBJECT for methods, LL_ARG_RESULT for a creator's result) */
  int object_arg;

  /* chan_create */
  ll_capacity capacity;
  int capacity_arg;       /* -1 = none (default capacity_default) */
  long long capacity_default;

  /* blocking: send, recv, select, wait, join, select_deadline */
  int timeout_arg;        /* -1: no timeout parameter (blocks until woken) */
  long long forever[LL_MAX_FOREVER]; /* timeout values meaning "no limit" */
  int nforever;
  int stop_token_arg;     /* wait: argument holding a stop token, -1 none */
  int predicate_arg;      /* wait: argument holding a predicate, -1 none */

  /* timer_create: where the timer handle goes */
  int timer_arg;          /* argument receiving the handle, or LL_ARG_RESULT */
  const char *requires_arg_text; /* only matches when argument requires_arg's
                                    source text contains this (DISPATCH_SOURCE_TYPE_TIMER) */
  int requires_arg;

  /* fix hints; may contain {n}, {chan}, {api}, {task} placeholders */
  const char *hint;
  const char *buffer_hint; /* chan_create: how to size a buffer ("chmake(int, {n})") */
  const char *call_hint;   /* timer_create: the fix when a function that runs repeatedly
                              creates the timer ("keep the source and g_source_unref() it") */

  /* inferred summaries (summary.h): the USR of the field of object_arg the
     wrapped primitive is (`wake_all(p)` signals p->cv), NULL when it is the
     argument itself; the argument alone does not name the primitive */
  const char *object_field;

  /* spawn, pool_push: the entry parameter data_arg binds (0: the first;
     g_thread_pool_new's user_data is the worker's second) */
  int data_param;
} ll_api;

typedef struct ll_rules ll_rules; /* opaque */

ll_rules *ll_rules_new(void);
void ll_rules_free(ll_rules *r); /* accepts NULL */

/* Loaders. On failure return -1 and set *err (caller frees) to
 * "FILE: JSON-PATH: what is wrong"; nothing is added on failure. */
int ll_rules_load_file(ll_rules *r, const char *path, char **err);
int ll_rules_load_dir(ll_rules *r, const char *dir, char **err); /* every *.json, sorted by name */
/* origin names the source in messages (a config file path + JSON path). */
int ll_rules_load_text(ll_rules *r, const char *origin, const char *json, char **err);

/* Builds the lookup index. No loads after this. */
void ll_rules_freeze(ll_rules *r);

/* All entries whose callee spelling equals `callee` (match kinds FUNCTION,
 * METHOD, CONSTRUCTOR, BRACKET, OPERATOR). Writes up to max pointers to out,
 * returns how many matched in total. */
size_t ll_rules_lookup(const ll_rules *r, const char *callee, const ll_api **out, size_t max);
/* Entries of kind RANGE_FOR for a class name. */
size_t ll_rules_lookup_range(const ll_rules *r, const char *cls, const ll_api **out, size_t max);
/* True when some BRACKET entry has this prologue name; sets *api. */
int ll_rules_is_prologue(const ll_rules *r, const char *callee, const ll_api **api);

size_t ll_rules_count(const ll_rules *r);
const ll_api *ll_rules_at(const ll_rules *r, size_t i);
/* Library names of loaded packs, in load order. */
size_t ll_rules_pack_count(const ll_rules *r);
const char *ll_rules_pack_name(const ll_rules *r, size_t i);
/* The file (or text origin) pack i was loaded from. */
const char *ll_rules_pack_file(const ll_rules *r, size_t i);
/* A stable hash of everything loaded (for the result cache). */
unsigned long long ll_rules_hash(const ll_rules *r);
/* SHA-256 identity of every pack loaded (origin and text, in order). */
void ll_rules_digest(const ll_rules *r, ll_digest *out);

/* s matches a pattern of fact f in any pack (s may be NULL: no). */
int ll_rules_fact(const ll_rules *r, ll_fact f, const char *s);
/* The same, for the patterns of the pack named `pack` only. */
int ll_rules_pack_fact(const ll_rules *r, const char *pack, ll_fact f, const char *s);
/* The hint of the pack named `pack`, or NULL. */
const char *ll_rules_pack_hint(const ll_rules *r, const char *pack, ll_pack_hint h);

/* True when the API's timeout argument value means "wait forever".
 * known==0 means the value is not a compile-time constant (then: finite).
 * A blocking entry (join, send, recv, select, select_deadline, wait, sleep)
 * without a timeout argument (timeout_arg -1) blocks without limit: 1
 * whatever the value, unless it is flagged LL_API_NONBLOCKING. */
int ll_api_is_forever(const ll_api *a, int known, long long value);

#endif
