/* wait_without_cancel.c - wait-without-cancel.
 *
 * For every spawn (not already reported: it requires the channel leak
 * records and timer-per-iteration's task form) whose task
 * body we can see, the task's functions are lowered to small control-flow
 * graphs and asked one question: once the task is running, can it always
 * still reach its end? An end is a return from the entry function (or
 * co_return), the end of its body, a task-exit call (pthread_exit,
 * thrd_exit, g_thread_exit, taskexit), a throw, a call of a project
 * function that can end the task that way, a known-throwing library call (an
 * awaited Asio operation, Boost.Fiber value_pop), or a process exit.
 * Non-constant loop and if conditions are both ways feasible, so a stop
 * flag, a sentinel check or an error result that leaves the loop is an end.
 *
 * A node reachable from the entry from which no end is reachable means the
 * task can never finish once it gets there: a loop with no exit. When that
 * region (or a function it calls) waits (cond/semaphore/queue/future/join or
 * a channel operation), the wait is named; a timed wait inside such a loop
 * is still a task that never ends. Functions called by the task are
 * summarised once each (returns / can end the task / can get stuck), cycle
 * safe and depth bounded; what we cannot see (function pointers, external
 * functions) is assumed to return.
 *
 * External cancellation clears a finding when the project uses the handle:
 * pthread_cancel (when the stuck region has a cancellation point), libdill
 * hclose on the coroutine or its bundle, other pack cancels that stop a
 * running task; std::jthread / request_stop when the stuck region honours
 * the stop token (a stop-token wait or a stop_requested() check); an Asio
 * cancellation slot bound to the co_spawn completion token.
 *
 * The finding is at the spawn site; related locations are the wait and the
 * loop. The message says whether the task leaks (detached or never joined)
 * or makes its join hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgcache.h"
#include "checks.h"
#include "multiplicity.h"
#include "ptrmap.h"

#define MAX_DEPTH 8    /* call depth followed from the task entry */
#define SCAN_DEPTH 3   /* call depth searched for a wait to name */

/* ---------------------------------------------------------------- CFG */

/* Every call in a try body may throw into its handlers; a process exit
 * (the longer list, with GLib's and libuv's) may not run when it is one arm
 * of `c ? x : abort()`, so it also falls through. */
#define CFG_FLAGS (LL_CFG_CATCH_EDGES | LL_CFG_ABORT_FALLS_THROUGH | LL_CFG_LIB_EXITS)

/* The task ends at g: a return, throw or task exit, the end of the body, or
 * a jump we cannot follow (assumed to leave). */
static int ends_task(const ll_cfg_node *g) {
  return g->kind == LL_CFG_EXIT || g->kind == LL_CFG_UNKNOWN || (g->kind == LL_CFG_ABORT && g->task_exit);
}

/* g ends the process (abort, exit, a panic function), not only the task. */
static int is_abort(const ll_cfg_node *g) { return g->kind == LL_CFG_ABORT && !g->task_exit; }

/* ---------------------------------------------------------------- waits */

/* The blocking-wait entry of a call (wait, join, channel send/receive/select),
 * or NULL. *forever: it blocks with no time limit. */
static const ll_api *wait_api(const ll_node *call, int *forever) {
  if (!call || call->kind != LL_N_CALL) return NULL;
  const ll_api *best = NULL;
  int best_forever = 0;
  for (size_t i = 0; i < call->napis; i++) {
    const ll_api *a = call->apis[i];
    if (a->role != LL_ROLE_WAIT && a->role != LL_ROLE_JOIN && a->role != LL_ROLE_SEND &&
        a->role != LL_ROLE_RECV && a->role != LL_ROLE_SELECT)
      continue;
    if (a->flags & LL_API_NONBLOCKING) continue;
    int f = ll_call_waits_forever(call, a);
    if (!best || (f && !best_forever)) {
      best = a;
      best_forever = f;
    }
  }
  if (forever) *forever = best_forever;
  return best;
}

/* Library calls that end the task by throwing when what they wait on is
 * closed or cancelled (the packs' facts): a throws_on_close call, or an
 * awaited await_throws operation whose completion token throws (no argument
 * is a nothrow_token). */
static int throws_on_close(const ll_rules *rules, const ll_node *call) {
  if (ll_rules_fact(rules, LL_FACT_THROWS_ON_CLOSE, call->callee)) return 1;
  const char *last = call->callee ? strrchr(call->callee, ':') : NULL;
  last = last ? last + 1 : call->callee;
  if (call->in_coawait && ll_rules_fact(rules, LL_FACT_AWAIT_THROWS, last)) {
    for (size_t i = 0; i < call->nargs; i++) {
      const ll_value *a = call->args[i];
      if (a && ll_rules_fact(rules, LL_FACT_NOTHROW_TOKEN, a->text)) return 0;
    }
    return 1;
  }
  return 0;
}

/* ---------------------------------------------------------------- summaries */

typedef struct fsum {
  const ll_func *fn;
  int state;    /* 1 in progress, 2 done */
  int returns;  /* a normal return is reachable */
  int may_end;  /* a task exit / throw is reachable */
  int aborts;   /* a process exit (abort, exit, a panic) is reachable */
  int stuck;    /* some reachable node cannot reach any end */
  const ll_cfg *c;         /* borrowed from the CFG cache; NULL for unknown_sum */
  const ll_cfg_node *g;    /* c's nodes, borrowed from c */
  size_t n;                /* c's node count */
  char *reach, *live, *sink, *endcall, *abortcall;
} fsum;

typedef struct wctx {
  const ll_program *p;
  const ll_rules *rules;
  ll_cfgs *cfgs;
  ll_ptrmap *sums; /* fn -> fsum, made on first use */
} wctx;

static const fsum unknown_sum = {.state = 2, .returns = 1};

static const fsum *summarise(wctx *x, const ll_func *fn, int depth);

/* The project function a call node runs, when we follow it. */
static const ll_func *callee_of(wctx *x, const ll_node *call) {
  if (!call || call->kind != LL_N_CALL) return NULL;
  if (call->napis) return NULL; /* library semantics come from the pack */
  return ll_resolve_callee(x->p, call);
}

static const fsum *summarise(wctx *x, const ll_func *fn, int depth) {
  if (!fn || !fn->body || depth > MAX_DEPTH) return &unknown_sum;
  if (!x->sums) x->sums = ll_ptrmap_new();
  void **s = ll_ptrmap_slot(x->sums, fn);
  if (*s) {
    const fsum *done = *s;
    if (done->state == 1) return &unknown_sum; /* recursion: assume it returns */
    return done;
  }
  fsum *f = ll_xcalloc(1, sizeof(fsum));
  f->fn = fn;
  f->state = 1;
  *s = f; /* before the callees are summarised: the slot moves when the map grows */
  const ll_fcfg *fc = ll_cfgs_get(x->cfgs, fn, CFG_FLAGS);
  size_t n = fc->n;
  const ll_cfg_node *nodes = fc->g;
  int entry = fc->entry;
  f->c = fc->c;
  f->g = nodes;
  f->n = n;
  f->reach = ll_xcalloc(n, 1);
  f->live = ll_xcalloc(n, 1);
  f->sink = ll_xcalloc(n, 1);
  f->endcall = ll_xcalloc(n, 1);
  f->abortcall = ll_xcalloc(n, 1);
  /* classify calls */
  for (size_t i = 0; i < n; i++) {
    const ll_cfg_node *g = &nodes[i];
    if (g->kind != LL_CFG_STMT || g->n->kind != LL_N_CALL) continue;
    const ll_node *call = g->n;
    if (throws_on_close(x->rules, call)) f->endcall[i] = 1;
    const ll_func *cf = callee_of(x, call);
    if (!cf || cf == fn) continue;
    const fsum *cs = summarise(x, cf, depth + 1);
    if (cs->may_end) f->endcall[i] = 1;
    if (!cs->returns) {
      if (!cs->may_end && !cs->stuck && cs->aborts) f->abortcall[i] = 1; /* a panic function */
      else f->sink[i] = 1;
    }
  }
  /* forward reachability from the entry */
  int *st = ll_xmalloc((n ? n : 1) * sizeof(int));
  size_t sp = 0;
  if (entry >= 0) {
    f->reach[entry] = 1;
    st[sp++] = entry;
  }
  while (sp) {
    int v = st[--sp];
    if (f->sink[v] || f->abortcall[v]) continue;
    for (size_t k = 0; k < nodes[v].nsucc; k++) {
      int w = nodes[v].succ[k];
      if (!f->reach[w]) {
        f->reach[w] = 1;
        st[sp++] = w;
      }
    }
  }
  /* backward: which nodes can reach an end */
  size_t *pcount = ll_xcalloc(n + 1, sizeof(size_t));
  for (size_t v = 0; v < n; v++)
    if (!f->sink[v] && !f->abortcall[v])
      for (size_t k = 0; k < nodes[v].nsucc; k++) pcount[nodes[v].succ[k] + 1]++;
  for (size_t v = 0; v < n; v++) pcount[v + 1] += pcount[v];
  int *preds = ll_xmalloc((pcount[n] ? pcount[n] : 1) * sizeof(int));
  size_t *fill = ll_xcalloc(n ? n : 1, sizeof(size_t));
  for (size_t v = 0; v < n; v++)
    if (!f->sink[v] && !f->abortcall[v])
      for (size_t k = 0; k < nodes[v].nsucc; k++) {
        int w = nodes[v].succ[k];
        preds[pcount[w] + fill[w]++] = (int)v;
      }
  sp = 0;
  for (size_t v = 0; v < n; v++) {
    /* a process exit is not a way for the task to finish: a loop whose only
       way out is a panic still never ends */
    if (ends_task(&nodes[v]) || f->endcall[v]) {
      f->live[v] = 1;
      st[sp++] = (int)v;
    }
  }
  while (sp) {
    int v = st[--sp];
    for (size_t k = pcount[v]; k < pcount[v + 1]; k++) {
      int u = preds[k];
      if (!f->live[u]) {
        f->live[u] = 1;
        st[sp++] = u;
      }
    }
  }
  free(preds);
  free(fill);
  free(pcount);
  free(st);
  for (size_t v = 0; v < n; v++) {
    if (!f->reach[v]) continue;
    const ll_cfg_node *g = &nodes[v];
    if (ends_task(g) || is_abort(g)) {
      if (!g->n || g->n->kind == LL_N_RETURN) f->returns = 1;
      else if (is_abort(g)) f->aborts = 1;
      else f->may_end = 1;
    }
    if (f->endcall[v]) f->may_end = 1;
    if (f->abortcall[v]) f->aborts = 1;
    /* stuck: a loop that cannot reach an end, or a call into a function
       that never returns and gets stuck itself (paths that only lead to
       a process exit are not stuck) */
    if (!f->live[v] && (g->loop_head || f->sink[v])) f->stuck = 1;
  }
  f->state = 2;
  return f;
}

static void sums_free(wctx *x) {
  void *v;
  for (size_t pos = 0; x->sums && ll_ptrmap_next(x->sums, &pos, NULL, &v);) {
    fsum *f = v;
    free(f->reach);
    free(f->live);
    free(f->sink);
    free(f->endcall);
    free(f->abortcall);
    free(f);
  }
  ll_ptrmap_free(x->sums);
}

/* ---------------------------------------------------------------- the stuck region */

typedef struct stuck_info {
  const ll_func *fn;     /* function holding the loop with no exit */
  const ll_node *loop;   /* that loop (NULL: a goto cycle / unknown) */
  const ll_node *wait;   /* a wait the task can repeat or park in there */
  const ll_api *wait_api;
  int forever;
  const ll_node *sleep; /* a sleep there, when no wait is found */
  /* calls in the stuck region (and the functions they run), for the
     cancellation checks */
  LL_VEC(const ll_node *) calls;
} stuck_info;

static int node_in_stuck(const fsum *f, int v) { return f->reach[v] && !f->live[v]; }

static int stuck_loop_head(const fsum *f, const ll_node *loop) {
  for (size_t i = 0; i < f->n; i++)
    if (f->g[i].loop_head && f->g[i].n == loop) return node_in_stuck(f, (int)i);
  return 0;
}

static void consider_wait(stuck_info *si, const ll_node *call) {
  if (!si->sleep && ll_call_has_role(call, LL_ROLE_SLEEP)) si->sleep = call;
  int forever = 0;
  const ll_api *a = wait_api(call, &forever);
  if (!a) return;
  if (!si->wait || (forever && !si->forever)) {
    si->wait = call;
    si->wait_api = a;
    si->forever = forever;
  }
}

typedef struct scan_ctx {
  wctx *x;
  stuck_info *si;
  int depth;
  const ll_func **seen;
  size_t *nseen;
} scan_ctx;

static void scan_fn(wctx *x, stuck_info *si, const ll_func *fn, int depth, const ll_func **seen, size_t *nseen);

static int scan_cb(ll_node *n, void *d) {
  scan_ctx *s = d;
  if (n->kind != LL_N_CALL) return 0;
  LL_VEC_PUSH(&s->si->calls, n);
  consider_wait(s->si, n);
  const ll_func *cf = callee_of(s->x, n);
  if (cf) scan_fn(s->x, s->si, cf, s->depth + 1, s->seen, s->nseen);
  return 0;
}

/* Every call a function (and its callees, bounded) can make. */
static void scan_fn(wctx *x, stuck_info *si, const ll_func *fn, int depth, const ll_func **seen, size_t *nseen) {
  if (!fn || !fn->body || depth > SCAN_DEPTH || *nseen >= 64) return;
  for (size_t i = 0; i < *nseen; i++)
    if (seen[i] == fn) return;
  seen[(*nseen)++] = fn;
  scan_ctx s = {x, si, depth, seen, nseen};
  ll_visit(fn->body, scan_cb, &s);
}

/* Fills si from the stuck region of f (f->stuck is set). */
static void describe_region(wctx *x, const fsum *f, stuck_info *si, int depth) {
  const ll_cfg_node *nodes = f->g;
  const ll_func *seen[64];
  size_t nseen = 0;
  seen[nseen++] = f->fn;
  si->fn = f->fn;
  /* a call into a function that never returns: the loop is in there */
  for (size_t v = 0; v < f->n; v++) {
    if (!node_in_stuck(f, (int)v) || !f->sink[v]) continue;
    const ll_func *cf = callee_of(x, nodes[v].n);
    const fsum *cs = cf ? summarise(x, cf, depth + 1) : NULL;
    if (cs && cs->c && cs->stuck && depth < MAX_DEPTH) {
      LL_VEC_PUSH(&si->calls, nodes[v].n);
      describe_region(x, cs, si, depth + 1);
      return;
    }
  }
  for (size_t v = 0; v < f->n; v++) {
    if (!node_in_stuck(f, (int)v)) continue;
    const ll_cfg_node *g = &nodes[v];
    if (g->kind != LL_CFG_STMT || g->n->kind != LL_N_CALL) continue;
    LL_VEC_PUSH(&si->calls, g->n);
    consider_wait(si, g->n);
    const ll_func *cf = callee_of(x, g->n);
    if (cf) scan_fn(x, si, cf, 1, seen, &nseen);
  }
  /* the outermost loop with no exit around the wait (or the first one) */
  const ll_node *best = NULL;
  if (si->wait && si->wait->func == f->fn) {
    for (const ll_node *l = ll_enclosing_loop(si->wait); l; l = ll_enclosing_loop(l))
      if (stuck_loop_head(f, l)) best = l;
  }
  if (!best) {
    for (size_t v = 0; v < f->n; v++) {
      const ll_cfg_node *g = &nodes[v];
      if (!g->loop_head || !node_in_stuck(f, (int)v)) continue;
      const ll_node *l = g->n;
      const ll_node *outer = l;
      for (const ll_node *o = ll_enclosing_loop(l); o; o = ll_enclosing_loop(o))
        if (stuck_loop_head(f, o)) outer = o;
      if (!best || outer->loc.offset < best->loc.offset) best = outer;
    }
  }
  si->loop = best;
}

/* Finds a stuck region in fn or in a function it reaches. */
static int find_stuck(wctx *x, const ll_func *fn, int depth, stuck_info *si, const ll_func **seen, size_t *nseen) {
  if (depth > MAX_DEPTH || *nseen >= 256) return 0;
  for (size_t i = 0; i < *nseen; i++)
    if (seen[i] == fn) return 0;
  seen[(*nseen)++] = fn;
  const fsum *f = summarise(x, fn, depth);
  if (!f->c) return 0;
  if (f->stuck) {
    describe_region(x, f, si, depth);
    return 1;
  }
  for (size_t v = 0; v < f->n; v++) {
    if (!f->reach[v]) continue;
    const ll_cfg_node *g = &f->g[v];
    if (g->kind != LL_CFG_STMT || g->n->kind != LL_N_CALL) continue;
    const ll_func *cf = callee_of(x, g->n);
    if (cf && cf != fn && find_stuck(x, cf, depth + 1, si, seen, nseen)) return 1;
  }
  return 0;
}

/* ---------------------------------------------------------------- cancellation */

/* The stuck region honours a stop token: a stop-token wait, or a stop check
 * that is not a cancellation point (those are for a deferred cancel). */
static int honours_token(const stuck_info *si) {
  for (size_t i = 0; i < si->calls.n; i++) {
    const ll_node *k = si->calls.v[i];
    for (size_t j = 0; j < k->napis; j++) {
      const ll_api *a = k->apis[j];
      if (a->role == LL_ROLE_WAIT && (a->flags & LL_API_STOP_TOKEN)) return 1;
      if (a->role == LL_ROLE_STOP_CHECK && !(a->flags & LL_API_CANCEL_POINT)) return 1;
    }
  }
  return 0;
}

/* A deferred cancel can end the stuck region: it reaches a cancellation
 * point (a pack entry flagged as one, or a library call we know nothing
 * about and so cannot rule out, unless a not_cancel_point fact says so). */
static int has_cancel_point(wctx *x, const stuck_info *si) {
  for (size_t i = 0; i < si->calls.n; i++) {
    const ll_node *k = si->calls.v[i];
    if (!k->napis) {
      if (!callee_of(x, k) && k->callee && !ll_rules_fact(x->rules, LL_FACT_NOT_CANCEL_POINT, k->callee))
        return 1;
      continue;
    }
    for (size_t j = 0; j < k->napis; j++) {
      const ll_api *a = k->apis[j];
      if (a->flags & LL_API_CANCEL_POINT) return 1;
    }
  }
  return 0;
}

/* An argument of the spawn binds a cancellation slot (a cancel_slot fact of
 * the spawn's own pack). */
static int slot_bound(const ll_rules *rules, const ll_spawn *sp) {
  const ll_node *s = sp->site;
  for (size_t i = 0; i < s->nargs; i++) {
    const ll_value *a = s->args[i];
    if (a && ll_rules_pack_fact(rules, sp->api->pack, LL_FACT_CANCEL_SLOT, a->text)) return 1;
  }
  return 0;
}

static int cancelled(wctx *x, const ll_spawn *sp, const stuck_info *si) {
  if ((sp->api->flags & LL_API_STOP_TOKEN) && honours_token(si)) return 1;
  if (slot_bound(x->rules, sp)) return 1;
  if (!(sp->fate & LL_FATE_CANCELLED) || !sp->cancel_site) return 0;
  const ll_node *k = sp->cancel_site;
  for (size_t j = 0; j < k->napis; j++) {
    const ll_api *a = k->apis[j];
    if (a->role == LL_ROLE_STOP_REQUEST) {
      if (honours_token(si)) return 1;
    } else if (a->role == LL_ROLE_CANCEL) {
      if (a->flags & LL_API_DEFERRED_CANCEL) {
        if (has_cancel_point(x, si)) return 1;
      } else if (a->flags & LL_API_QUEUED_CANCEL) {
        /* it only removes work that has not started: not a running task */
      } else {
        return 1; /* hclose, dispatch_block_cancel, ... */
      }
    }
  }
  return 0;
}

/* ---------------------------------------------------------------- report */

static ll_span span_of(const ll_loc *l) {
  return ll_span_make(l->file ? l->file : "", l->line, l->col, l->end_line, l->end_col);
}

/* "std::condition_variable::wait" -> "condition_variable::wait"; functions as is;
 * a macro spelling (libmill chr) when the call was written as one. */
static char *api_display(const ll_node *call, const ll_api *a) {
  if (call && call->macro && call->macro[0]) return ll_xstrdup(call->macro);
  const char *q = call && call->callee ? call->callee : (a ? a->name : "?");
  if (a && a->match == LL_MATCH_CONSTRUCTOR && a->name) q = a->name;
  const char *last = NULL, *prev = NULL, *p = q;
  while ((p = strstr(p, "::"))) {
    prev = last;
    last = p;
    p += 2;
  }
  if (!last) return ll_xstrdup(q);
  if (a && a->match == LL_MATCH_CONSTRUCTOR) return ll_xstrdup(q);
  return ll_xstrdup(prev ? prev + 2 : q);
}

/* The spawn's pack hint for a loop that parks (wait) or only polls, else a
 * generic one. */
static const char *pack_hint(const ll_rules *rules, const ll_api *spawn, int waits) {
  const char *h = ll_rules_pack_hint(rules, spawn ? spawn->pack : NULL, waits ? LL_HINT_WAIT : LL_HINT_POLL);
  if (h) return h;
  return waits ? "give the loop an exit: check a stop flag that the owner sets (and wakes the task) before joining"
               : "give the loop an exit: check a stop flag that the owner sets before joining the task";
}

/* What the task's fate makes of a task that never finishes: a hanging join
 * (for a task that runs once per process, its stop path), a blocking
 * destructor, or a leak; a leak repeated per call or iteration says so. */
static char *consequence(const ll_spawn *sp, const char *spawn, const ll_mult_info *mi) {
  unsigned fate = sp->fate;
  if (fate & LL_FATE_JOINED) {
    char *j = sp->join_site ? api_display(sp->join_site, ll_call_api(sp->join_site, LL_ROLE_JOIN)) : NULL;
    const ll_func *jf = sp->join_site ? sp->join_site->func : NULL;
    char *c;
    if (mi->kind == LL_MULT_ONCE && jf && jf->name)
      c = ll_xasprintf("so stopping it hangs: it runs once per process and the %s in `%s` that waits for it never "
                       "returns",
                       j ? j : "join", jf->name);
    else
      c = ll_xasprintf("so the %s that joins it hangs forever", j ? j : "join");
    free(j);
    return c;
  }
  if ((fate & LL_FATE_JOIN_ON_DESTROY) && !(fate & LL_FATE_DETACHED))
    return ll_xasprintf("so destroying its %s handle blocks forever", spawn);
  const char *base = fate & LL_FATE_DETACHED ? "and it is detached, so" : "and it is never joined, so";
  char *again = ll_mult_phrase(mi, "a new task leaks");
  char *c = again ? ll_xasprintf("%s %s", base, again) : ll_xasprintf("%s it leaks for the life of the process", base);
  free(again);
  return c;
}

static void report(ll_pass_ctx *ctx, const ll_spawn *sp, const stuck_info *si, const ll_mult_info *mi) {
  const ll_node *site = sp->site;
  char *spawn = api_display(site, sp->api);
  char *wait = si->wait ? api_display(si->wait, si->wait_api) : NULL;
  char *cons = consequence(sp, spawn, mi);
  unsigned fate = sp->fate;
  char *msg;
  if (wait && si->forever)
    msg = ll_xasprintf("task started by %s never finishes: it waits in %s with no timeout inside a loop "
                       "with no exit, nothing cancels it, %s",
                       spawn, wait, cons);
  else if (wait)
    msg = ll_xasprintf("task started by %s never finishes: its timed %s only restarts a loop with no exit, "
                       "nothing cancels it, %s",
                       spawn, wait, cons);
  else
    msg = ll_xasprintf("task started by %s never finishes: it sleeps and polls in a loop with no exit, nothing "
                       "cancels it, %s",
                       spawn, cons);
  ll_finding f = ll_pass_finding(ctx, msg, span_of(&site->loc));
  f.confidence = wait && si->forever ? LL_CONF_HIGH : LL_CONF_MEDIUM;
  if (sp->spawner->name) f.function = ll_xstrdup(sp->spawner->name);
  if (si->wait)
    ll_finding_add_related(&f, span_of(&si->wait->loc),
                           si->forever ? "parks here with no timeout" : "waits here with a timeout, then loops again");
  else if (si->sleep)
    ll_finding_add_related(&f, span_of(&si->sleep->loc), "sleeps here, then loops again");
  if (si->loop) ll_finding_add_related(&f, span_of(&si->loop->loc), "this loop has no exit");
  if ((fate & LL_FATE_JOINED) && sp->join_site)
    ll_finding_add_related(&f, span_of(&sp->join_site->loc), "this join never returns");
  else if ((fate & LL_FATE_DETACHED) && sp->detach_site)
    ll_finding_add_related(&f, span_of(&sp->detach_site->loc), "detached here");
  if (!(fate & LL_FATE_JOINED)) ll_mult_add_related(&f, mi);
  const ll_rules *rules = ll_pass_packs(ctx);
  const char *h = si->wait_api && si->wait_api->hint ? si->wait_api->hint : pack_hint(rules, sp->api, si->wait != NULL);
  /* a wait with a stop-token form, used without a token by a task without one */
  const char *tok = NULL;
  if (si->wait_api && !(sp->api->flags & LL_API_STOP_TOKEN) && !(si->wait_api->flags & LL_API_STOP_TOKEN) &&
      ll_rules_pack_fact(rules, si->wait_api->pack, LL_FACT_STOP_TOKEN_FORM, si->wait_api->name))
    tok = ll_rules_pack_hint(rules, si->wait_api->pack, LL_HINT_STOP_TOKEN);
  char *extra = tok ? ll_xasprintf(" (%s)", tok) : ll_xstrdup("");
  f.hint = ll_xasprintf("%s%s; if the task is meant to run for the life of the process, say so on the spawn "
                        "line: // leaklint:ignore[%s] REASON",
                        h, extra, ll_rule_wait_without_cancel.id);
  free(extra);
  ll_pass_report(ctx, f);
  free(msg);
  free(cons);
  free(spawn);
  free(wait);
}

static void *run(ll_pass_ctx *ctx) {
  ll_tasks *tasks = ll_pass_result_of(ctx, &ll_tasks_pass);
  const ll_spawns *spawns = ll_tasks_spawns(tasks);
  const ll_chanleaks *leaks = ll_pass_result_of(ctx, &ll_chanleaks_pass);
  const ll_timer_tasks *timers = ll_pass_result_of(ctx, &ll_rule_timer_per_iteration);
  const ll_mult *mult = ll_pass_result_of(ctx, &ll_mult_pass);
  wctx x;
  memset(&x, 0, sizeof x);
  x.p = ll_pass_program(ctx);
  x.rules = ll_pass_packs(ctx);
  x.cfgs = ll_pass_result_of(ctx, &ll_cfgs_pass);
  for (size_t i = 0; i < spawns->n; i++) {
    /* a spawn another rule reported has its finding already */
    if (ll_chanleaks_at(leaks, i) || ll_timer_tasks_reported(timers, i)) continue;
    const ll_spawn *sp = &spawns->v[i];
    if (!sp->entry || !sp->entry->body || !sp->site || !sp->spawner) continue;
    stuck_info si;
    memset(&si, 0, sizeof si);
    const ll_func *seen[256];
    size_t nseen = 0;
    int st = find_stuck(&x, sp->entry, 0, &si, seen, &nseen);
    /* a loop that blocks only in calls we know nothing about makes no claim:
       we need a wait or a sleep from a pack to say it parks */
    if (st && (si.wait || si.sleep)) {
      /* who can still end the task: every copy of its handle counts */
      const ll_spawn *full = ll_tasks_complete(tasks, i);
      /* a task that runs once per process and that nothing waits for just
         lives until exit (the policy in multiplicity.h) */
      ll_mult_info mi = ll_multiplicity_at(mult, i);
      if (!cancelled(&x, full, &si) && ll_mult_should_report(&mi, full)) report(ctx, full, &si, &mi);
    }
    free(si.calls.v);
  }
  sums_free(&x);
  return NULL;
}

static const ll_pass *const requires[] = {&ll_tasks_pass, &ll_cfgs_pass, &ll_chanleaks_pass,
                                          &ll_rule_timer_per_iteration, &ll_mult_pass, NULL};

const ll_pass ll_rule_wait_without_cancel = {
    .id = "wait-without-cancel",
    .default_level = LL_LEVEL_WARNING,
    .is_rule = 1,
    .requires = requires,
    .run = run,
};
