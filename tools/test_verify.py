#!/usr/bin/env python3
"""Tests `leaklint verify` and libleaklint-verify.so (issue 15).

usage: test_verify.py BIN SRC BUILD MODE

MODE
  programs  the test programs of testdata/verify/ (built into BUILD/verify):
            exactly the leaky ones are reported, with the right count, parked
            operation, rule, creating function and spawn line (from the
            source), exit codes 1/0/2; text, JSON and SARIF; the SARIF
            fingerprint equals the static finding's; ignore lists; the grace
            period; a static program and a missing one exit 2.
  none_c    a plain C test calling leaklint_verify_none() (linked directly).
  gtest     a GoogleTest fixture whose TearDown calls LEAKLINT_VERIFY_NONE()
            (exit 77 = skipped when libgtest was not found at configure time).
  real      real programs from Debian: /usr/bin/python3 leaving a daemon
            thread parked on threading.Event().wait() (77 when absent), and
            coreutils sort --parallel=2 (threads joined: nothing leaked).

Temporary files stay in BUILD/verify-tmp (TMPDIR of every run).
"""
import json
import os
import re
import subprocess
import sys

failures = 0
checks = 0


def check(cond, what, detail=""):
    global failures, checks
    checks += 1
    if cond:
        print("ok   " + what)
    else:
        failures += 1
        print("FAIL " + what + ("\n" + detail if detail else ""))


BIN, SRC, BUILD, MODE = sys.argv[1:5]
PROGS = os.path.join(BUILD, "verify")
TMP = os.path.join(BUILD, "verify-tmp")
os.makedirs(TMP, exist_ok=True)
ENV = dict(os.environ, TMPDIR=TMP)
for k in list(ENV):
    if k.startswith("LEAKLINT_VERIFY") or k == "LD_PRELOAD":
        del ENV[k]


def run(args, env=None, cwd=SRC, timeout=120):
    return subprocess.run(args, cwd=cwd, env=env or ENV, capture_output=True, text=True,
                          timeout=timeout)


def verify(prog_args, *opts, env=None):
    """leaklint verify --format json OPTS -- PROG...; returns (proc, doc or None)."""
    p = run([BIN, "verify", "--format", "json", *opts, "--", *prog_args], env=env)
    try:
        doc = json.loads(p.stdout) if p.stdout.strip() else None
    except ValueError:
        doc = None
    return p, doc


def prog(name):
    return os.path.join(PROGS, name)


def spawn_range(src, needle):
    """Lines (first, last) of the statement of testdata/verify/SRC that starts on
    the first line containing needle (a multi-line spawn is attributed by the
    compiler to one of its lines)."""
    with open(os.path.join(SRC, "testdata", "verify", src)) as f:
        lines = f.read().split("\n")
    for i, line in enumerate(lines):
        if needle in line:
            j, depth = i, 0
            while True:
                code = lines[j].split("//")[0]
                depth += code.count("{") - code.count("}")
                if depth == 0 and code.rstrip().endswith(";"):
                    return i + 1, j + 1
                j += 1
    raise SystemExit("no %r in %s" % (needle, src))


def spawn_line(src, needle):
    return spawn_range(src, needle)[0]


def short(fn):
    return (fn or "").split("(")[0]


def frames_have(frames, function, file_suffix=None):
    for f in frames:
        if short(f.get("function")) == function and (
                file_suffix is None or f.get("file", "").endswith(file_suffix)):
            return True
    return False


# (program, source, leaked groups: [(count, operation, rule, creator, spawn needle, parked-under)])
LEAKY = [
    ("cond_leak", "cond_leak.c",
     [(1, "pthread_cond_wait", "wait-without-cancel", "start_worker", "pthread_create(", "worker_main")]),
    ("c11_leak", "c11_leak.c",
     [(1, "cnd_wait", "wait-without-cancel", "start_consumer", "thrd_create(&t, consume", "consume")]),
    ("pipe_leak", "pipe_leak.c",
     [(3, "read", "unbuffered-recv", "serve_request", "pthread_create(", "await_reply")]),
    ("future_leak", "future_leak.cpp",
     [(1, "std::future::get", "wait-without-cancel", "start_waiter", "std::thread waiter(", None)]),
    ("sleep_leak", "sleep_leak.c",
     [(2, "sleep", "timer-per-iteration", "poll_all", "pthread_create(", "expire_after")]),
]
CLEAN = ["cond_ok", "pipe_ok", "future_ok", "late_ok"]


def test_leaky():
    for name, src, groups in LEAKY:
        p, doc = verify([prog(name)])
        check(p.returncode == 1, "%s: exit 1 (leaked)" % name, p.stderr)
        if not doc:
            check(False, "%s: JSON report" % name, p.stdout + p.stderr)
            continue
        want_total = sum(g[0] for g in groups)
        check(doc["leaked"] == want_total and len(doc["groups"]) == len(groups),
              "%s: %d leaked task(s) in %d group(s)" % (name, want_total, len(groups)),
              json.dumps(doc, indent=1)[:3000])
        check(doc["exit_status"] == 0 and doc["reached_exit_check"],
              "%s: the program exited 0 through the exit check point" % name)
        for g, (count, op, rule, creator, needle, under) in zip(doc["groups"], groups):
            check(g["count"] == count and len(g["tids"]) == count,
                  "%s: group of %d task(s)" % (name, count), json.dumps(g)[:2000])
            check(g["operation"] == op, "%s: parked in %s" % (name, op), g["operation"])
            check(g["rule"] == rule, "%s: rule %s" % (name, rule), g["rule"])
            check(g["state"] == "S", "%s: state S (sleeping in the kernel)" % name, g["state"])
            cb = (g["created_by"] or [{}])[0]
            first, last = spawn_range(src, needle)
            check(short(cb.get("function")) == creator and first <= cb.get("line", 0) <= last
                  and cb.get("file", "").endswith("testdata/verify/" + src),
                  "%s: created by %s at %s:%d-%d" % (name, creator, src, first, last),
                  json.dumps(cb))
            if under:
                check(frames_have(g["stack"], under, src),
                      "%s: parked stack has %s in %s" % (name, under, src),
                      json.dumps(g["stack"])[:2000])
            check(g["sample"] == "ok", "%s: stack sampled" % name, g["sample"])
        if name == "pipe_leak":
            check(doc["groups"][0]["fd"].startswith("pipe:"), "pipe_leak: the fd is a pipe",
                  doc["groups"][0]["fd"])
            check(doc["groups"][0]["syscall"] == "read", "pipe_leak: in the read system call")
        if name in ("cond_leak", "future_leak"):
            check(doc["groups"][0]["syscall"] == "futex", "%s: in a futex wait" % name)


def test_clean():
    for name in CLEAN + ["verify_none_test"]:
        if name == "verify_none_test":
            continue
        p, doc = verify([prog(name)])
        check(p.returncode == 0 and doc and doc["leaked"] == 0 and doc["groups"] == [],
              "%s: exit 0, nothing leaked" % name, p.stdout[:2000] + p.stderr)


def test_text_and_output():
    p = run([BIN, "verify", "--", prog("pipe_leak")])
    check(p.returncode == 1, "text: exit 1")
    line = spawn_line("pipe_leak.c", "pthread_create(")
    check(re.search(r"testdata/verify/pipe_leak\.c:%d: leak: 3 tasks started here by "
                    r"serve_request were still alive at exit, parked in read in await_reply "
                    r"on a pipe \[unbuffered-recv\]" % line, p.stdout) is not None,
          "text: one line per group at the spawn site, count, operation, rule", p.stdout)
    check("leaklint verify: 3 leaked tasks in 1 group" in p.stdout, "text: summary line", p.stdout)
    check("3 requests failed" in p.stdout, "text: the program's stdout is kept", p.stdout)
    p = run([BIN, "verify", "--format", "json", "--", prog("cond_leak")])
    check(p.returncode == 1 and json.loads(p.stdout)["leaked"] == 1 and "done" in p.stderr,
          "json on stdout: the program's stdout moves to stderr", p.stdout[:500] + p.stderr)
    out = os.path.join(TMP, "out.json")
    if os.path.exists(out):
        os.unlink(out)
    p = run([BIN, "verify", "--format", "json", "-o", out, "--", prog("cond_leak")])
    with open(out) as f:
        doc = json.load(f)
    check(p.returncode == 1 and doc["leaked"] == 1 and "done" in p.stdout,
          "-o FILE: the report in FILE, the program's output on stdout", p.stdout + p.stderr)


def test_sarif():
    p = run([BIN, "verify", "--format", "sarif", "--", prog("cond_leak")])
    check(p.returncode == 1, "sarif: exit 1", p.stderr)
    doc = json.loads(p.stdout)
    run0 = doc["runs"][0]
    res = run0["results"]
    check(len(res) == 1 and res[0]["ruleId"] == "wait-without-cancel",
          "sarif: one result, rule wait-without-cancel", json.dumps(res)[:2000])
    r = res[0]
    loc = r["locations"][0]["physicalLocation"]
    line = spawn_line("cond_leak.c", "pthread_create(")
    check(loc["artifactLocation"].get("uri") == "testdata/verify/cond_leak.c"
          and loc["artifactLocation"].get("uriBaseId") == "%SRCROOT%"
          and loc["region"]["startLine"] == line,
          "sarif: primary location = the spawn site, relative to %SRCROOT%", json.dumps(loc))
    rules = [x["id"] for x in run0["tool"]["driver"]["rules"]]
    check(r.get("ruleIndex") is not None and rules[r["ruleIndex"]] == "wait-without-cancel",
          "sarif: ruleIndex points at the static rule's descriptor")
    flow = r["codeFlows"][0]["threadFlows"][0]["locations"]
    texts = [x["location"]["message"]["text"] for x in flow]
    check(texts and "(parked here)" in texts[-1] and any(t.startswith("worker_main") for t in texts)
          and any(t.startswith("pthread_cond_wait") for t in texts),
          "sarif: the parked stack is a thread flow, outermost first, parked frame last", str(texts))
    wm = [x for x in flow if x["location"]["message"]["text"].startswith("worker_main")][0]
    check(wm["location"]["physicalLocation"]["region"]["startLine"]
          == spawn_line("cond_leak.c", "pthread_cond_wait(&cv"),
          "sarif: program frames carry their line")
    # the static finding at the same spawn site has the same fingerprint
    st = run([BIN, "--format", "sarif", "--no-cache", "-q", "testdata/verify/cond_leak.c"])
    sres = json.loads(st.stdout)["runs"][0]["results"]
    fps = {(x["ruleId"], x["partialFingerprints"]["leaklint/v1"]) for x in sres}
    check((r["ruleId"], r["partialFingerprints"]["leaklint/v1"]) in fps,
          "sarif: fingerprint equals the static wait-without-cancel finding's (same rule, site)",
          "static: %s\nruntime: %s" % (fps, r["partialFingerprints"]))
    check(r["properties"]["leaklintVerify"]["count"] == 1, "sarif: group details in properties")


def test_sarif_multitool():
    """The SARIF logs pass the Microsoft SARIF Multitool's Sarif;Gh rules with
    no error-level result, when reporters_sarif_validate has already installed
    it into BUILD/sarif-tools (not installed from here: no network in this test)."""
    exe = os.path.join(BUILD, "sarif-tools", "node_modules", "@microsoft",
                       "sarif-multitool-linux", "Sarif.Multitool")
    if not os.access(exe, os.X_OK):
        print("skip: the SARIF Multitool is not installed in %s (run reporters_sarif_validate)" % BUILD)
        return
    for name in ("pipe_leak", "future_leak", "cond_ok"):
        log = os.path.join(TMP, name + ".sarif")
        run([BIN, "verify", "--format", "sarif", "-o", log, "--", prog(name)])
        out = os.path.join(TMP, name + ".validation.sarif")
        r = run([exe, "validate", log, "--rule-kind", "Sarif;Gh", "-o", out, "--log", "ForceOverwrite"])
        errors = []
        if r.returncode == 0 and os.path.exists(out):
            with open(out) as f:
                val = json.load(f)
            errors = [x for run_ in val.get("runs", []) for x in run_.get("results", [])
                      if x.get("level") == "error"]
        check(r.returncode == 0 and not errors, "sarif (%s): Multitool Sarif;Gh, no errors" % name,
              r.stdout[-1500:] + r.stderr[-1500:] + json.dumps(errors)[:1500])


def test_confirm():
    """--confirm STATIC: the runtime groups at a static finding's rule and site
    say so; the others do not."""
    static = os.path.join(TMP, "static.sarif")
    st = run([BIN, "--format", "sarif", "--no-cache", "-q", "--exit-zero", "-o", static,
              "testdata/verify"])
    check(st.returncode == 0, "static run on testdata/verify", st.stderr)
    sjson = os.path.join(TMP, "static.json")
    run([BIN, "--format", "json", "--no-cache", "-q", "--exit-zero", "-o", sjson, "testdata/verify"])
    for rep in (static, sjson):
        kind = "SARIF" if rep.endswith(".sarif") else "JSON"
        for name, want in (("cond_leak", True), ("sleep_leak", True), ("pipe_leak", False)):
            p, doc = verify([prog(name)], "--confirm", rep)
            g = doc["groups"][0] if doc and doc["groups"] else {}
            check(p.returncode == 1 and g.get("confirms_static") is want
                  and ("confirms the static finding" in g.get("message", "")) is want,
                  "--confirm %s: %s %s the static finding" % (kind, name,
                                                               "confirms" if want else "does not confirm"),
                  json.dumps(g)[:1500])
    p = run([BIN, "verify", "--confirm", os.path.join(SRC, "README.md"), "--", prog("cond_leak")])
    check(p.returncode == 2 and "not a leaklint SARIF log or JSON report" in p.stderr,
          "--confirm with a foreign file: exit 2", p.stderr)


def test_ignore_grace():
    for how, opts, env in (
            ("--ignore worker_main (top program frame)", ["--ignore", "worker_main"], None),
            ("--ignore pthread_cond_wait (parked operation)", ["--ignore", "pthread_cond_wait"], None),
            ("--ignore start_worker (created by)", ["--ignore", "nothing,start_worker"], None),
            ("LEAKLINT_VERIFY_IGNORE=start_worker", [], dict(ENV, LEAKLINT_VERIFY_IGNORE="start_worker"))):
        p, doc = verify([prog("cond_leak")], *opts, env=env)
        check(p.returncode == 0 and doc["leaked"] == 0 and doc["ignored"] == 1,
              "ignore: %s -> exit 0, 1 ignored" % how, p.stdout[:1500] + p.stderr)
    p, doc = verify([prog("cond_leak")], "--ignore", "main_worker")
    check(p.returncode == 1 and doc["leaked"] == 1, "ignore: a name of no frame ignores nothing")
    p, doc = verify([prog("late_ok")], "--grace-ms", "0")
    # (parked in nanosleep, or not even started yet: no stack to require)
    check(p.returncode == 1 and doc["leaked"] == 1,
          "grace: --grace-ms 0 reports the task still finishing", p.stdout[:1500])
    p, doc = verify([prog("late_ok")], env=dict(ENV, LEAKLINT_VERIFY_GRACE_MS="2000"))
    check(p.returncode == 0 and doc["leaked"] == 0, "grace: LEAKLINT_VERIFY_GRACE_MS is honoured")


def test_errors():
    p = run([BIN, "verify", "--", prog("does-not-exist")])
    check(p.returncode == 2 and "cannot run" in p.stderr, "missing program: exit 2", p.stderr)
    if os.path.exists(prog("static_ok")):
        p = run([BIN, "verify", "--", prog("static_ok")])
        check(p.returncode == 2 and "did not load" in p.stderr,
              "static program (LD_PRELOAD ignored): exit 2, nothing checked", p.stderr)
    p = run([BIN, "verify"])
    check(p.returncode == 2 and "needs a program" in p.stderr, "no program: usage error 2")
    p = run([BIN, "verify", "--format", "xml", "--", prog("cond_ok")])
    check(p.returncode == 2 and "unknown verify format" in p.stderr, "bad format: usage error 2")
    p = run([BIN, "verify", "--", "/bin/sh", "-c", "kill -9 $$"])
    check(p.returncode == 2 and "without reaching the exit check point" in p.stderr,
          "killed program: exit 2, nothing checked at exit", p.stderr)
    p = run([BIN, "verify", "--timeout", "1", "--", "/bin/sh", "-c", "exec sleep 30"])
    check(p.returncode == 2 and "did not exit within 1 s" in p.stderr,
          "--timeout: a program still running is killed, exit 2", p.stderr)
    p = run([BIN, "verify", "--timeout", "soon", "--", prog("cond_ok")])
    check(p.returncode == 2 and "--timeout needs a number" in p.stderr, "--timeout: bad value")
    p = run([BIN, "verify", "--timeout", "30", "--", prog("cond_leak")])
    check(p.returncode == 1, "--timeout: a program that exits in time is checked as usual")
    p = run([BIN, "verify", "--help"])
    check(p.returncode == 0 and "usage: leaklint verify" in p.stdout, "--help")


def test_installed():
    """An install tree (and a relocated one) finds its library in <prefix>/<libdir>."""
    import shutil
    prefix = os.path.join(TMP, "inst")
    moved = os.path.join(TMP, "inst-moved")
    for d in (prefix, moved):
        shutil.rmtree(d, ignore_errors=True)
    p = run(["cmake", "--install", BUILD, "--prefix", prefix])
    check(p.returncode == 0, "cmake --install", p.stdout[-1500:] + p.stderr[-1500:])
    libs = [os.path.join(dp, f) for dp, _, fs in os.walk(prefix) for f in fs
            if f == "libleaklint-verify.so"]
    check(len(libs) == 1 and os.path.exists(os.path.join(prefix, "include", "leaklint_verify.h")),
          "the library and leaklint_verify.h are installed", str(libs))
    shutil.move(prefix, moved)
    q = run([os.path.join(moved, "bin", "leaklint"), "verify", "--format", "json", "--",
             prog("cond_leak")])
    check(q.returncode == 1 and json.loads(q.stdout)["leaked"] == 1,
          "a relocated install tree runs verify with its own library", q.stderr)


def mode_programs():
    test_leaky()
    test_clean()
    test_text_and_output()
    test_sarif()
    test_sarif_multitool()
    test_confirm()
    test_ignore_grace()
    test_errors()
    test_installed()


def mode_none_c():
    p = run([prog("verify_none_test")])
    check(p.returncode == 0 and p.stdout.strip() == "ok",
          "leaklint_verify_none(): 0 within the grace period, 0 after pthread_exit/cancel, "
          "1 for the parked thread, 0 once it is exempted by leaklint_verify_ignore_current(), "
          "1 for a new one", p.stdout + p.stderr)
    check(p.stderr.count("found 1 unexpected task") == 2 and "parks_forever" in p.stderr
          and "created by main" in p.stderr,
          "the text report on stderr names the parked function and the creator", p.stderr)
    check(p.stderr.count("no leaked tasks") == 3, "three clean check points reported as such",
          p.stderr)


def mode_gtest():
    g = prog("gtest_verify")
    if not os.path.exists(g):
        print("skip: gtest_verify not built (libgtest not found)")
        sys.exit(77)
    p = run([g])
    check(p.returncode == 0, "gtest without the library: weak reference, tests pass", p.stdout)
    p, doc = verify([g])
    out = p.stderr  # the program's stdout moved to stderr (JSON on stdout)
    check(p.returncode == 1, "gtest under leaklint verify: exit 1", out[-2000:])
    check("[       OK ] NoLeakedThreads.Clean" in out and "[  FAILED  ] NoLeakedThreads.Leaky" in out,
          "TearDown check point: Leaky fails, Clean passes", out[-3000:])
    if doc:
        check(doc["leaked"] == 1 and doc["exit_status"] == 1, "one leaked task, gtest exit 1")
        gr = doc["groups"][0]
        cb = (gr["created_by"] or [{}])[0]
        first, last = spawn_range("gtest_verify.cpp", "std::thread([]")
        check(short(cb.get("function")) == "start_listener" and first <= cb.get("line", 0) <= last,
              "created by start_listener at its line", json.dumps(cb))
        check(frames_have(gr["created"], "NoLeakedThreads_Leaky_Test::TestBody"),
              "the creation stack names the leaking test")
        check(gr["checkpoint"] == "leaklint_verify_none" and gr["operation"] == "std::condition_variable::wait",
              "seen first at the TearDown check point, parked in std::condition_variable::wait",
              json.dumps(gr)[:1500])
    p, doc = verify([g, "--gtest_filter=NoLeakedThreads.Clean"])
    check(p.returncode == 0 and doc and doc["leaked"] == 0, "only Clean: exit 0", p.stderr[-1500:])


def mode_real():
    py = "/usr/bin/python3"
    if not os.path.exists(py):
        print("skip: no /usr/bin/python3")
        sys.exit(77)
    code = ("import threading\n"
            "e = threading.Event()\n"
            "threading.Thread(target=e.wait, name='waiter', daemon=True).start()\n"
            "print('started')\n")
    p, doc = verify([py, "-c", code])
    print(p.stderr)
    check(p.returncode == 1 and doc and doc["leaked"] == 1,
          "python3: the daemon thread parked on Event.wait is reported", p.stdout[:3000])
    if doc:
        gr = doc["groups"][0]
        cb = (gr["created_by"] or [{}])[0]
        print("real program: %s" % gr["message"])
        check(gr["rule"] == "wait-without-cancel" and gr["syscall"] == "futex" and gr["state"] == "S",
              "python3: a futex wait -> wait-without-cancel", json.dumps(gr)[:2000])
        check(short(cb.get("function")) == "PyThread_start_new_thread",
              "python3: created by PyThread_start_new_thread", json.dumps(cb))
        check(frames_have(gr["stack"], "PyThread_acquire_lock_timed"),
              "python3: parked under PyThread_acquire_lock_timed (the lock behind Event.wait)")
    p, doc = verify([py, "-c", "import threading; t = threading.Thread(target=print); t.start(); t.join()"])
    check(p.returncode == 0 and doc and doc["leaked"] == 0, "python3: a joined thread is not reported",
          p.stdout[:2000] + p.stderr)
    # coreutils sort with worker threads: they are all joined; its atexit
    # close_stdout closes stderr before the exit check point runs
    sort = "/usr/bin/sort"
    if os.path.exists(sort):
        nums = os.path.join(TMP, "nums.txt")
        with open(nums, "w") as f:
            f.write("".join("%d\n" % ((i * 7919) % 200003) for i in range(200000)))
        args = [sort, "--parallel=2", "-S", "50M", "-o", os.path.join(TMP, "sorted.txt"), nums]
        p, doc = verify(args)
        check(p.returncode == 0 and doc and doc["leaked"] == 0 and doc["started"] >= 1,
              "sort --parallel=2: its worker threads were seen and none leaked",
              (p.stdout + p.stderr)[:2000])
        if doc:
            print("real program: sort --parallel=2 started %d thread(s), %d leaked"
                  % (doc["started"], doc["leaked"]))
        lib = os.path.join(BUILD, "libleaklint-verify.so")
        q = run(args, env=dict(ENV, LD_PRELOAD=lib, LEAKLINT_VERIFY="exit"))
        check(q.returncode == 0 and "leaklint verify (exit): no leaked tasks" in q.stderr,
              "LD_PRELOAD without the driver: the text report reaches stderr even after the "
              "program closed it", q.stderr)


{"programs": mode_programs, "none_c": mode_none_c, "gtest": mode_gtest, "real": mode_real}[MODE]()
print("%d checks, %d failures" % (checks, failures))
sys.exit(1 if failures else 0)
