/* registry.c - the rules by id, and the order the analyses run in. */
#include "registry.h"

#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "task.h"

static const ll_rule_info rules[] = {
    {"timer-per-iteration", "a timer is created in every loop iteration and lost",
     "A timer (timerfd, POSIX timer, libuv timer, GLib timeout source, dispatch timer source, or a "
     "spawned task that only sleeps and signals) is created inside a loop and neither released in "
     "the same iteration nor stored anywhere that outlives it, so every iteration leaks a timer "
     "that nothing can stop or free.",
     LL_LEVEL_WARNING},
    {"unbuffered-recv", "a task can block forever receiving on a channel nobody sends to or closes",
     "A spawned task receives from an unbuffered channel (often in a loop until the channel is "
     "closed), and on some path the spawner returns without sending or closing it, so the task "
     "blocks forever and leaks its stack and everything it references.",
     LL_LEVEL_WARNING},
    {"unbuffered-send", "a task can block forever sending on a channel the spawner stops receiving from",
     "A spawned task sends on an unbuffered channel, and on some path (an early return, a timeout, "
     "a first-answer-wins receive, a second send) the spawner stops receiving, so the task blocks "
     "forever in the send and leaks.",
     LL_LEVEL_WARNING},
    {"wait-without-cancel", "a task waits with no timeout, no stop path and no handle anyone can cancel",
     "A spawned task parks on a condition variable, semaphore, future, queue pop, join or "
     "infinite-deadline channel operation inside a loop it can never leave, and nothing can cancel "
     "it: detached, it leaks for the life of the process; joined, the join hangs forever.",
     LL_LEVEL_WARNING},
};

size_t ll_registry_count(void) { return sizeof rules / sizeof rules[0]; }

const ll_rule_info *ll_registry_at(size_t i) {
  return i < ll_registry_count() ? &rules[i] : NULL;
}

int ll_registry_find(const char *id) {
  for (size_t i = 0; i < ll_registry_count(); i++)
    if (strcmp(rules[i].id, id) == 0) return (int)i;
  return -1;
}

void ll_registry_run(const ll_program *prog, const ll_rules *packs, ll_findings *out) {
  ll_check_timer(prog, packs, out);
  ll_spawns spawns = {0};
  ll_spawns_find_rules(prog, packs, &spawns);
  unsigned char *reported = ll_xcalloc(spawns.n ? spawns.n : 1, 1);
  ll_check_chan(prog, packs, &spawns, reported, out);
  ll_check_wait(prog, packs, &spawns, reported, out);
  free(reported);
  ll_spawns_free(&spawns);
}
