#!/usr/bin/env python3
"""A small grammar-based generator of odd C and C++ programs for the whole
pipeline (parse, IR, cache codec, every rule): loops, gotos, switch with
fall-through, deep nesting, macros, lambdas, spawns (pthread, std::thread),
joins, detaches, waits, channels and sleeps, mixed at random. Deterministic:
a seed gives the same programs.

  gen_c.py check BIN SRC [N] [SEED]   generate N programs (default 40) and
      run BIN over them: no crash, no hang, no sanitizer report, exit 0/1/2,
      and a warm cache run reports exactly what the cold run did
  gen_c.py write DIR [N] [SEED]       only write the programs into DIR
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

SANITIZER = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:")


class Gen:
    def __init__(self, rnd, cxx):
        self.r = rnd
        self.cxx = cxx
        self.labels = 0
        self.depth_limit = rnd.choice([4, 8, 8, 12, 60])
        # a statement budget per program: branching blocks grow exponentially
        # with depth (a 51k-line function took the task analysis minutes)
        self.budget = 400

    def expr(self, d=0):
        r = self.r
        if d > 3 or r.random() < 0.4:
            return r.choice(["x", "n", "1", "0", "stop", "(x + n)", "g_flag", "M_ONE"])
        op = r.choice(["+", "-", "*", "<", "==", "&&", "||", "&"])
        return "(%s %s %s)" % (self.expr(d + 1), op, self.expr(d + 1))

    def wait(self):
        return self.r.choice([
            "pthread_mutex_lock(&mu);", "pthread_mutex_unlock(&mu);",
            "pthread_cond_wait(&cv, &mu);", "pthread_cond_signal(&cv);",
            "sleep(1);", "usleep(10);", "sem_wait(&sem);", "sem_post(&sem);",
            "read(fd, buf, sizeof buf);", "chan_recv_int32(ch, &v);", "chan_send_int32(ch, 1);",
            "chan_close(ch);", "WAIT_MACRO();", "pthread_join(t_global, NULL);",
        ])

    def stmt(self, d, in_loop, in_switch):
        r = self.r
        self.budget -= 1
        if d >= self.depth_limit or self.budget <= 0:
            return [self.wait() if r.random() < 0.5 else "x++;"]
        k = r.randrange(14)
        ind = "  " * (d + 1)
        if k == 0:
            return ["for (int i%d = 0; i%d < %s; i%d++) {" % (d, d, self.expr(), d)] + \
                self.block(d + 1, True, in_switch) + ["}"]
        if k == 1:
            return ["while (%s) {" % self.expr()] + self.block(d + 1, True, in_switch) + ["}"]
        if k == 2:
            return ["do {"] + self.block(d + 1, True, in_switch) + ["} while (%s);" % self.expr()]
        if k == 3:
            out = ["if (%s) {" % self.expr()] + self.block(d + 1, in_loop, in_switch)
            if r.random() < 0.5:
                out += ["} else {"] + self.block(d + 1, in_loop, in_switch)
            return out + ["}"]
        if k == 4:
            out = ["switch (%s) {" % self.expr()]
            for c in range(r.randrange(1, 4)):
                out += ["case %d:" % c] + self.block(d + 1, in_loop, True)
                if r.random() < 0.6:
                    out.append("break;")
            return out + ["default: break;", "}"]
        if k == 5:
            self.labels += 1
            lab = "L%d" % self.labels
            return ["goto %s;" % lab, "x++;", "%s: ;" % lab] if r.random() < 0.5 else \
                ["%s: x++;" % lab, "if (x < 3) goto %s;" % lab]
        if k == 6 and in_loop:
            return [r.choice(["break;", "continue;"])]
        if k == 7:
            return ["return %s;" % ("NULL" if r.random() < 0.5 else "0")] if r.random() < 0.2 else ["x--;"]
        if k == 8:
            return ["{"] + self.block(d + 1, in_loop, in_switch) + ["}"]
        if k == 9:
            return ["SPAWN(worker%d);" % r.randrange(3)]
        if k == 10 and self.cxx:
            body = " ".join(self.block(d + 1, False, False))
            return ["std::thread([&] { %s }).%s();" % (body, r.choice(["detach", "join"]))]
        if k == 11:
            return ["if (stop) return NULL;"] if r.random() < 0.5 else ["stop = 1;"]
        return [self.wait()]

    def block(self, d, in_loop, in_switch):
        out = []
        for _ in range(self.r.randrange(1, 4) if d < 3 and self.budget > 0 else 1):
            out += self.stmt(d, in_loop, in_switch)
        return out

    def worker(self, i):
        ret = "void *"
        lines = ["static %sworker%d(void *arg) {" % (ret, i), "int x = 0, n = 3, v = 0; int fd = 0;",
                 "char buf[8]; (void)arg; (void)v; (void)buf;"]
        lines += self.block(0, False, False)
        return lines + ["return NULL;", "}"]

    def program(self):
        r = self.r
        head = ["#include <pthread.h>", "#include <semaphore.h>", "#include <stddef.h>",
                "#include <unistd.h>", '#include "chan.h"']
        if self.cxx:
            head += ["#include <thread>"]
        head += ["static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;",
                 "static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;",
                 "static sem_t sem; static chan_t *ch; static int stop, g_flag; static pthread_t t_global;",
                 "#define M_ONE 1",
                 "#define WAIT_MACRO() do { pthread_mutex_lock(&mu); while (!stop) pthread_cond_wait(&cv, &mu); "
                 "pthread_mutex_unlock(&mu); } while (0)",
                 "#define SPAWN(f) do { pthread_t t_; pthread_create(&t_, NULL, f, NULL); %s } while (0)"
                 % r.choice(["pthread_detach(t_);", "pthread_join(t_, NULL);", "", "t_global = t_;"])]
        protos = ["static void *worker%d(void *arg);" % i for i in range(3)]
        body = []
        for i in range(3):
            body += self.worker(i)
        main = ["int run_all(int n) {", "int x = 0; pthread_t t;",
                "pthread_create(&t, NULL, worker0, NULL);"]
        main += [r.choice(["pthread_join(t, NULL);", "pthread_detach(t);", "", "if (n) return -1;"])]
        main += ["(void)x; return 0;", "}"]
        return "\n".join(head + protos + body + main) + "\n"


def write(dirname, n, seed):
    rnd = random.Random(seed)
    names = []
    for i in range(n):
        cxx = rnd.random() < 0.3
        name = "gen%03d.%s" % (i, "cpp" if cxx else "c")
        with open(os.path.join(dirname, name), "w") as f:
            f.write(Gen(rnd, cxx).program())
        names.append(name)
    return names


def run(cmd, cwd, what, fails):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           errors="replace", timeout=600)
    except subprocess.TimeoutExpired:
        fails.append(what + ": timed out")
        return None, {}
    if p.returncode not in (0, 1, 2) or SANITIZER.search(p.stderr):
        fails.append("%s: exit %d %s" % (what, p.returncode, p.stderr[-3000:]))
    try:
        return p.returncode, json.loads(p.stdout)
    except ValueError:
        fails.append(what + ": no JSON report")
        return p.returncode, {}


def check(bin_, src, n, seed):
    fails = []
    tmp = tempfile.mkdtemp(prefix="ll-gen-")
    try:
        names = write(tmp, n, seed)
        flags = ["--", "-I" + os.path.join(src, "testdata", "include"), "-std=c++17"]
        base = [bin_, "--format", "json", "-q", "-j2", "--no-prefilter", "--allow-parse-errors"]
        # -std=c++17 is an error for a C file: C and C++ programs run apart
        for lang, files, fl in (("C", [x for x in names if x.endswith(".c")], flags[:2]),
                                ("C++", [x for x in names if x.endswith(".cpp")], flags)):
            if not files:
                continue
            cache = ["--cache-dir", os.path.join(tmp, "cache-" + lang)]
            rc0, fresh = run(base + ["--no-cache"] + files + fl, tmp, lang + " fresh", fails)
            rc1, cold = run(base + cache + files + fl, tmp, lang + " cold cache", fails)
            rc2, warm = run(base + cache + files + fl, tmp, lang + " warm cache", fails)
            key = lambda d: sorted((f["file"], f["line"], f["rule"]) for f in d.get("findings", []))
            if not (key(fresh) == key(cold) == key(warm) and rc0 == rc1 == rc2):
                fails.append("%s: fresh, cold and warm runs differ: %s / %s / %s" %
                             (lang, key(fresh)[:5], key(cold)[:5], key(warm)[:5]))
            print("%s: %d programs, %d findings, exit %s" % (lang, len(files), len(key(fresh)), rc0))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in fails:
        print("FAIL " + f)
    print("grammar fuzz: %s" % ("%d failures" % len(fails) if fails else "all checks passed"))
    return 1 if fails else 0


def main():
    a = sys.argv[1:]
    if len(a) >= 3 and a[0] == "check":
        return check(os.path.abspath(a[1]), os.path.abspath(a[2]), int(a[3]) if len(a) > 3 else 40,
                     int(a[4]) if len(a) > 4 else 1)
    if len(a) >= 2 and a[0] == "write":
        os.makedirs(a[1], exist_ok=True)
        write(a[1], int(a[2]) if len(a) > 2 else 40, int(a[3]) if len(a) > 3 else 1)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
