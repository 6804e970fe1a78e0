#!/usr/bin/env python3
"""tools/test_list_tasks.py - `leaklint --list-tasks` (text and JSON).

    tools/test_list_tasks.py LEAKLINT_BIN SRCDIR

Runs --list-tasks over the wrapper fixtures of testdata/wait-without-cancel
and checks: every spawn site is listed with its API, origin (pack or
inferred), status and entry or reason; a thread pool's worker is bound to
the pushed item and to user_data; a spawn written inside a macro's argument
is named by its call; a wrapper-started task resolves to the
function handed to the wrapper; the spawn inside the wrapper is "forwarded";
the inferred APIs are listed with why; the totals add up; the exit status is
0 even though the files have findings; text mode says the same. Exit 0 = pass.
"""
import json
import subprocess
import sys

BIN, SRC = sys.argv[1], sys.argv[2]
FILES = ["testdata/wait-without-cancel/layers_wrapper.c", "testdata/wait-without-cancel/layers_trampoline.c",
         "testdata/wait-without-cancel/layers_wait_wrapper.c", "testdata/wait-without-cancel/glib_pool_item.c",
         "testdata/wait-without-cancel/macro_arg_spawn.c"]
fails = 0


def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL:", what)


def run(*extra):
    p = subprocess.run([BIN, "--no-cache", "-q", "--list-tasks"] + list(extra) + FILES, cwd=SRC,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(p.returncode == 0, "exit 0 (got %d: %s)" % (p.returncode, p.stderr.strip()))
    return p.stdout


doc = json.loads(run("--format", "json"))
spawns = doc["spawns"]
by = {(s["location"]["file"].split("/")[-1], s["location"]["line"]): s for s in spawns}
for s in spawns:
    check(s["status"] in ("resolved", "forwarded", "unresolved"), "status of %r" % s)
    check(("entry" in s) == (s["status"] == "resolved"), "entry iff resolved: %r" % s)
    check(s["status"] == "resolved" or s.get("reason"), "a reason unless resolved: %r" % s)
    check(s["origin"] in ("pack", "inferred"), "origin of %r" % s)
w = by.get(("layers_wrapper.c", 33))
check(w and w["origin"] == "inferred" and w["api"] == "lw_create_worker" and w["entry"]["name"] == "lw_worker",
      "the wrapper call resolves to lw_worker: %r" % w)
inner = by.get(("layers_wrapper.c", 17))
check(inner and inner["status"] == "forwarded" and inner["origin"] == "pack", "pthread_create in the wrapper: forwarded")
t = by.get(("layers_trampoline.c", 43))
check(t and t["entry"]["name"] == "lt_consumer", "two wrappers and a field trampoline reach lt_consumer: %r" % t)
pool = by.get(("glib_pool_item.c", 23))
bound = {b["parameter"]: b["value"] for b in (pool or {}).get("bound", [])}
check(pool and pool["entry"]["name"] == "gpi_run_job" and bound == {0: "&jobs[i]", 1: "NULL"},
      "a pool's worker takes the pushed item first and user_data second: %r" % pool)
m = by.get(("macro_arg_spawn.c", 32))
check(m and m["api"] == "pthread_create", "a spawn inside a macro's argument is named by its call: %r" % m)
m = by.get(("macro_arg_spawn.c", 38))
check(m and m["api"] == "MAS_START", "a macro that makes the call is named as the macro: %r" % m)
names = {i["name"]: i for i in doc["inferred"]}
check("lt_thr_init" in names and names["lt_thr_init"]["role"] == "spawn" and names["lt_thr_init"]["entry"] == 1,
      "lt_thr_init inferred as a spawn of its parameter 1")
cw = names.get("lww_cond_wait")
check(cw and cw["role"] == "wait" and cw["timeout"] == 1 and cw["forever"] == [0], "lww_cond_wait: timeout 1, 0 = forever")
check(all(i["why"] for i in doc["inferred"]), "every inferred API says why")
tot = doc["totals"]
check(tot["sites"] == len(spawns) == tot["resolved"] + tot["forwarded"] + tot["unresolved"], "totals add up")
check(tot["unresolved"] == 0 and tot["percent"] == 100, "all resolved: %r" % tot)

text = run()
check("lw_create_worker [inferred from posix] -> lw_worker" in text, "text: the wrapper site")
check("forwarded: the entry is parameter 0 of lw_create_worker" in text, "text: the forwarded site")
check("spawn sites: %d:" % tot["sites"] in text, "text: the totals line")

if fails:
    print("%d failure(s)" % fails)
    sys.exit(1)
print("all passed")
