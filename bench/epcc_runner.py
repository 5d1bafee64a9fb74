#!/usr/bin/env python3
"""This file handles the interleaved runs of the EPCC-style benchmark.

It starts the three executables (epcc-weft, epcc-libgomp, epcc-libomp) one
block of repetitions at a time, alternating them (A B C A B C ...) for each
thread count so that drift of a shared machine hits all three alike,
collects their raw per-repetition CSV, takes medians per row and
implementation, and writes bench/results/<machine>-epcc.md (table and
machine description) and <machine>-epcc.csv (every raw figure).
Standard library only.
"""
import argparse
import datetime
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

IMPLS = ("libgomp", "libomp", "weft")
PEERS = ("libgomp", "libomp")
# Environment variables that change how a runtime waits, binds or sizes its
# team. They are removed for every run so the three start from the same
# defaults; --proc-bind and --env put chosen values back, equally.
SCRUB = re.compile(r"^(OMP_|GOMP_|KMP_|WEFT_|LIBOMP_)")
# Overheads below this (us) are within timer and delay noise: a ratio
# against them says nothing, so the table shows "-".
RATIO_FLOOR_US = 0.05


# What the synchronisation and task rows time, for the Method section
# (bench/epcc_omp.c has the code of each row).
ROW_NOTES = {
    "single": "SINGLE: `single` constructs (with their barrier) inside one "
              "region, one delay per construct in the thread that gets it; "
              "reference: one delay per construct.",
    "critical": "CRITICAL: innerreps unnamed `critical` sections in all, "
                "the threads taking turns, one delay inside each; "
                "reference: one delay per section.",
    "lock": "LOCK: as CRITICAL with omp_set_lock/omp_unset_lock.",
    "atomic": "ATOMIC: every thread runs a delay then `atomic` += 1.0 on "
              "one shared double, innerreps times.",
    "task_parallel": "TASK PARALLEL: every thread creates innerreps tasks "
                     "of one delay each; the region's barrier waits for "
                     "them.",
    "task_flat": "TASK FLAT: one thread creates innerreps x threads tasks "
                 "of one delay each in a `single`, then `taskwait`; the "
                 "team runs them.",
    "task_fib": "TASK FIB: fib(FIB_N) with two tasks per call down to depth "
                "FIB_CUTOFF (FIB_SPAWNS tasks per tree) and a serial fib "
                "below, trees one after the other in a `single`; overhead "
                "per task = (time per tree x threads - serial fib time) / "
                "tasks per tree.",
}


def parse_args():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(
        description="Interleaved EPCC-style overheads: weft vs libgomp vs libomp")
    p.add_argument("--bin-dir", required=True,
                   help="folder holding epcc-weft, epcc-libgomp, epcc-libomp")
    p.add_argument("--impls", default=",".join(IMPLS),
                   help="comma list among %s (default: all found)" % ",".join(IMPLS))
    p.add_argument("--threads", default=None,
                   help="comma list of team sizes (default: 1,2,<cpus>)")
    p.add_argument("--reps", type=int, default=20,
                   help="measured repetitions per row, implementation and "
                        "thread count (default 20)")
    p.add_argument("--block-reps", type=int, default=5,
                   help="repetitions per process; blocks alternate (default 5)")
    p.add_argument("--delay-us", type=float, default=None)
    p.add_argument("--iters-per-thread", type=int, default=None)
    p.add_argument("--target-us", type=float, default=None)
    p.add_argument("--rows", default=None, help="comma list of row ids")
    p.add_argument("--proc-bind", default=None,
                   help="set OMP_PROC_BIND to this value for all three "
                        "(default: unset for all)")
    p.add_argument("--env", action="append", default=[],
                   metavar="[IMPL:]VAR=VALUE",
                   help="extra environment for all runs, or for one "
                        "implementation (e.g. weft:WEFT_SPIN_US=50)")
    p.add_argument("--machine", default=None,
                   help="name used in the result file names "
                        "(default: from the CPU model and count)")
    p.add_argument("--out-dir", default=os.path.join(here, "results"))
    p.add_argument("--quiet-idle", type=float, default=0.0,
                   help="before each block, wait until this fraction of the "
                        "CPUs is idle over 0.5 s (e.g. 0.9; default 0: "
                        "do not wait); for hosts shared with other work")
    p.add_argument("--quiet-max-wait", type=float, default=60,
                   help="seconds to wait for --quiet-idle before running "
                        "anyway (default 60)")
    p.add_argument("--nice", type=int, default=None,
                   help="run the benchmark processes at this nice value, "
                        "equally for all three (negative values need "
                        "privileges); on a host shared with builds, a high "
                        "priority keeps other work from preempting teams")
    p.add_argument("--fifo", action="store_true",
                   help="run the benchmark processes under SCHED_FIFO "
                        "priority 1 (all three alike; needs privileges): on "
                        "a host shared with other work this measures what a "
                        "dedicated machine would show. Implies a pause "
                        "after each process (--pause-ratio 1) so the other "
                        "work keeps at least half of the machine")
    p.add_argument("--pause-ratio", type=float, default=None,
                   help="after each process, sleep this many times its run "
                        "time (default 0, or 1 with --fifo)")
    p.add_argument("--notes", default=None,
                   help="Markdown file appended to the results file as its "
                        "Notes section (analysis of the figures)")
    p.add_argument("--no-write", action="store_true",
                   help="print the table only")
    p.add_argument("--timeout", type=float, default=600,
                   help="seconds allowed to one process (default 600)")
    a = p.parse_args()
    if a.reps < 1 or a.block_reps < 1:
        p.error("--reps and --block-reps must be >= 1")
    return a


def cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def cpu_times():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return idle, sum(v[:8])


def idle_fraction(seconds=0.5):
    """Fraction of all CPUs' time spent idle over the next `seconds`."""
    try:
        i0, t0 = cpu_times()
        time.sleep(seconds)
        i1, t1 = cpu_times()
    except (OSError, ValueError, IndexError):
        return 1.0
    return (i1 - i0) / (t1 - t0) if t1 > t0 else 1.0


def wait_quiet(args, stats):
    """Waits until the host is idle enough, up to --quiet-max-wait seconds;
    counts in stats how often it waited and how often it gave up."""
    if args.quiet_idle <= 0:
        return
    deadline = time.monotonic() + args.quiet_max_wait
    waited = False
    while idle_fraction() < args.quiet_idle:
        waited = True
        if time.monotonic() >= deadline:
            stats["gave_up"] += 1
            return
    stats["waited"] += waited


def set_priority(args):
    """Runs in the child before exec; threads the runtimes create inherit
    what it sets. --nice: with autogroup scheduling (Linux's default on many
    hosts) a nice value only weighs threads against their own session, so
    the child starts a session of its own and gives that autogroup the same
    nice value. --fifo: real-time FIFO priority 1, above all ordinary work;
    the kernel's RT throttling still leaves others a share of each second."""
    if args.nice is not None:
        os.setsid()
        try:
            with open("/proc/self/autogroup", "w") as f:
                f.write(str(args.nice))
        except OSError:
            pass
        os.setpriority(os.PRIO_PROCESS, 0, args.nice)
    if args.fifo:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))


def build_settings(bin_dir):
    """Build type and sanitizer options of the CMake build that made the
    executables (bin_dir is <build>/bench), or None when not found."""
    cache = os.path.join(os.path.dirname(os.path.abspath(bin_dir)),
                         "CMakeCache.txt")
    found = {}
    try:
        with open(cache) as f:
            for line in f:
                m = re.match(r"^(CMAKE_BUILD_TYPE|WEFT_ENABLE_[A-Z]+):[A-Z]+=(.*)$",
                             line.strip())
                if m:
                    found[m.group(1)] = m.group(2)
    except OSError:
        return None
    return found


def source_revision():
    """Commit of the weft checkout holding this script, with a note when the
    working tree differs from it (read-only git queries)."""
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rev = first_line(["git", "-C", top, "rev-parse", "--short", "HEAD"])
    if rev == "?":
        return None
    try:
        dirty = subprocess.run(["git", "-C", top, "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True,
                               text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        dirty = ""
    return rev + (" with uncommitted changes" if dirty else "")


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return out.stdout.splitlines()[0].strip() if out.stdout else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def default_machine():
    slug = re.sub(r"[^a-z0-9]+", "-", cpu_model().lower()).strip("-")
    slug = re.sub(r"-(processor|cpu)$", "", slug)[:40] or "host"
    return "%s-%dc" % (slug, cpu_count())


def parse_env(items, impls):
    common, per = {}, {i: {} for i in impls}
    for item in items:
        target = None
        head, sep, _ = item.partition("=")
        if not sep:
            sys.exit("epcc_runner: --env wants [IMPL:]VAR=VALUE, not %r" % item)
        if ":" in head:
            target, item = item.split(":", 1)
            if target not in per:
                sys.exit("epcc_runner: --env names unknown implementation %r"
                         % target)
        var, _, val = item.partition("=")
        (per[target] if target else common)[var] = val
    return common, per


def run_block(exe, impl, threads, block, reps, args, env, header):
    cmd = [exe, "--threads", str(threads), "--reps", str(reps),
           "--block", str(block)]
    if args.delay_us is not None:
        cmd += ["--delay-us", str(args.delay_us)]
    if args.iters_per_thread is not None:
        cmd += ["--iters-per-thread", str(args.iters_per_thread)]
    if args.target_us is not None:
        cmd += ["--target-us", str(args.target_us)]
    if args.rows:
        cmd += ["--rows", args.rows]
    t0 = time.monotonic()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, env=env,
                             timeout=args.timeout,
                             preexec_fn=lambda: set_priority(args))
    except subprocess.TimeoutExpired:
        sys.exit("epcc_runner: %s timed out after %.0f s" % (" ".join(cmd),
                                                             args.timeout))
    except (OSError, subprocess.SubprocessError) as e:
        sys.exit("epcc_runner: cannot start %s (%s)%s" % (
            exe, e, "; --nice below 0 and --fifo need privileges"
            if args.fifo or (args.nice or 0) < 0 else ""))
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        sys.exit("epcc_runner: %s failed with status %d" % (" ".join(cmd),
                                                            out.returncode))
    pause = args.pause_ratio
    if pause is None:
        pause = 1.0 if args.fifo else 0.0
    if pause > 0:
        time.sleep(pause * (time.monotonic() - t0))
    meta, rows = None, []
    for line in out.stdout.splitlines():
        if line.startswith("# "):
            meta = dict(kv.split("=", 1) for kv in line[2:].split(" ")
                        if "=" in kv)
            meta["compiler"] = line.split("compiler=", 1)[1]
        elif line.startswith("impl,"):
            if header is not None and not header:
                header.append(line)
        elif line:
            f = line.split(",")
            if len(f) != 9 or f[0] != impl:
                sys.exit("epcc_runner: unexpected line from %s: %r" % (exe, line))
            rows.append(line)
    return meta, rows


def fmt(x):
    if x is None:
        return "-"
    if abs(x) >= 100:
        return "%.0f" % x
    if abs(x) >= 10:
        return "%.1f" % x
    return "%.2f" % x


def ratio(a, b):
    if a is None or b is None or b < RATIO_FLOOR_US:
        return None
    return a / b


def main():
    args = parse_args()
    wanted = [i for i in args.impls.split(",") if i]
    for i in wanted:
        if i not in IMPLS:
            sys.exit("epcc_runner: unknown implementation %r" % i)
    impls, exes = [], {}
    for i in wanted:
        exe = os.path.join(args.bin_dir, "epcc-" + i)
        if os.access(exe, os.X_OK):
            impls.append(i)
            exes[i] = exe
        else:
            print("epcc_runner: %s not built (%s missing); skipped" % (i, exe),
                  file=sys.stderr)
    if not impls:
        sys.exit("epcc_runner: no executable found in %s" % args.bin_dir)
    ncpu = cpu_count()
    if args.threads:
        threads = [int(t) for t in args.threads.split(",") if t]
    else:
        threads = sorted({1, 2, ncpu})
    if any(t < 1 for t in threads):
        sys.exit("epcc_runner: thread counts must be >= 1")
    common_env, impl_env = parse_env(args.env, impls)

    base = {k: v for k, v in os.environ.items() if not SCRUB.match(k)}
    if args.proc_bind:
        base["OMP_PROC_BIND"] = args.proc_bind
    base.update(common_env)

    rows_order = []
    listing = subprocess.run([exes[impls[0]], "--list-rows"],
                             capture_output=True, text=True, check=True)
    labels = {}
    for line in listing.stdout.splitlines():
        rid, label, kind = line.split(",")
        rows_order.append(rid)
        labels[rid] = label
    if args.rows:
        keep = set(args.rows.split(","))
        rows_order = [r for r in rows_order if r in keep]

    build = build_settings(args.bin_dir)
    sanitized = sorted(k[len("WEFT_ENABLE_"):] for k, v in (build or {}).items()
                       if k.startswith("WEFT_ENABLE_") and v.upper() in
                       ("ON", "1", "TRUE", "YES"))
    if sanitized:
        print("epcc_runner: warning: libweft built with %s sanitizer(s); its "
              "figures are not comparable" % ",".join(sanitized), file=sys.stderr)

    nblocks = math.ceil(args.reps / args.block_reps)
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = loadavg()
    raw, header, metas = [], [], {}
    quiet = {"waited": 0, "gave_up": 0}
    for t in threads:
        done = 0
        for b in range(nblocks):
            k = min(args.block_reps, args.reps - done)
            wait_quiet(args, quiet)
            for impl in impls:
                env = dict(base)
                env["OMP_NUM_THREADS"] = str(t)
                env.update(impl_env[impl])
                meta, lines = run_block(exes[impl], impl, t, b, k, args, env,
                                        header)
                metas.setdefault((impl, t), meta)
                raw.extend(lines)
            done += k
        print("epcc_runner: %d threads done" % t, file=sys.stderr)
    load_after = loadavg()

    # (threads, row, impl) -> list of overhead figures, in run order.
    data = {}
    for line in raw:
        impl, t, _, rid, _, _, _, _, over = line.split(",")
        data.setdefault((int(t), rid, impl), []).append(float(over))

    def stat(t, rid, impl):
        v = data.get((t, rid, impl))
        if not v:
            return None
        q = statistics.quantiles(v, n=4) if len(v) > 1 else [v[0]] * 3
        return statistics.median(v), min(v), max(v), len(v), q[0], q[2]

    def overlap(a, b):
        """True when the interquartile ranges of two cells overlap: the
        difference of their medians is then within the run's noise."""
        return a is not None and b is not None and a[4] <= b[5] and b[4] <= a[5]

    table = []
    for t in threads:
        for rid in rows_order:
            st = {i: stat(t, rid, i) for i in impls}
            med = {i: (st[i][0] if st[i] else None) for i in impls}
            peers = [med[p] for p in PEERS if p in med and med[p] is not None]
            best = min(peers) if peers else None
            w = med.get("weft")
            best_impl = next((p for p in PEERS if p in med and
                              med[p] is not None and med[p] == best), None)
            noisy = {p: overlap(st.get("weft"), st.get(p)) for p in PEERS}
            noisy["best"] = noisy.get(best_impl, False)
            table.append((t, rid, st, med,
                          (ratio(w, med.get("libgomp")), noisy.get("libgomp")),
                          (ratio(w, med.get("libomp")), noisy.get("libomp")),
                          (ratio(w, best), noisy["best"])))

    md = []
    cols = [i for i in IMPLS if i in impls]
    head = ["threads", "row"] + ["%s us" % i for i in cols]
    if "weft" in impls:
        head += ["weft/libgomp", "weft/libomp", "weft/best"]
    md.append("| " + " | ".join(head) + " |")
    md.append("|" + "|".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + "|")
    for t, rid, st, med, rg, ro, rb in table:
        cells = [str(t), labels[rid]]
        for i in cols:
            s = st[i]
            cells.append("-" if not s else
                         "%s [%s, %s]" % (fmt(s[0]), fmt(s[1]), fmt(s[2])))
        if "weft" in impls:
            cells += ["-" if r is None else "%.2f%s" % (r, " ~" if n else "")
                      for r, n in (rg, ro, rb)]
        md.append("| " + " | ".join(cells) + " |")
    table_text = "\n".join(md)
    print(table_text)

    if args.no_write:
        return 0
    machine = args.machine or default_machine()
    os.makedirs(args.out_dir, exist_ok=True)
    csv_path = os.path.join(args.out_dir, machine + "-epcc.csv")
    md_path = os.path.join(args.out_dir, machine + "-epcc.md")
    with open(csv_path, "w") as f:
        f.write((header[0] if header else
                 "impl,threads,block,row,rep,innerreps,construct_us,ref_us,"
                 "overhead_us") + "\n")
        f.write("\n".join(raw) + "\n")

    def meta_of(impl, key):
        for t in threads:
            m = metas.get((impl, t))
            if m and key in m:
                return m[key]
        return "?"

    cc_lines = {
        "libgomp": first_line([shutil.which("gcc") or "gcc", "--version"]),
        "libomp": first_line([shutil.which("clang") or "clang", "--version"]),
    }
    extra_env = ", ".join("%s=%s" % kv for kv in sorted(common_env.items()))
    per_env = "; ".join("%s: %s" % (i, ", ".join("%s=%s" % kv for kv in
                                                  sorted(e.items())))
                        for i, e in impl_env.items() if e)
    text = []
    text.append("# EPCC-style overheads on %s\n" % machine)
    text.append("Generated by `bench/run-epcc.sh` (bench/epcc_runner.py) on %s."
                % started.strftime("%Y-%m-%d %H:%M UTC"))
    text.append("")
    text.append("## Machine and software")
    text.append("")
    text.append("- CPUs usable: %d (`nproc`); CPU model: %s" % (ncpu, cpu_model()))
    text.append("- Kernel: %s %s (%s)" % (platform.system(), platform.release(),
                                          platform.machine()))
    text.append("- Load average (1/5/15 min) before: %s; after: %s"
                % (load_before, load_after))
    rev = source_revision()
    if rev:
        text.append("- weft source: commit %s" % rev)
    if build is not None:
        text.append("- weft build: CMAKE_BUILD_TYPE=%s%s (libweft as built "
                    "by the project; the benchmark programs at -O2)"
                    % (build.get("CMAKE_BUILD_TYPE") or "(none)",
                       ("; sanitizers: " + ",".join(sanitized)) if sanitized
                       else ""))
    for i in cols:
        text.append("- %s: `%s`, compiled by %s%s" % (
            i, meta_of(i, "lib"), meta_of(i, "compiler"),
            (" (`%s`)" % cc_lines[i]) if i in cc_lines else ""))
    text.append("- Environment: OMP_*/GOMP_*/KMP_*/WEFT_* removed for all runs; "
                "OMP_NUM_THREADS set per run; OMP_PROC_BIND %s; "
                "OMP_WAIT_POLICY unset%s%s"
                % (("=" + args.proc_bind) if args.proc_bind else "unset",
                   ("; also " + extra_env) if extra_env else "",
                   ("; per implementation: " + per_env) if per_env else ""))
    if args.nice is not None:
        text.append("- Benchmark processes ran at nice %d, each in its own "
                    "session and autogroup of the same nice value (all three "
                    "alike), so that other work on the shared host preempts "
                    "team threads less" % args.nice)
    if args.nice is None and not args.fifo:
        text.append("- Benchmark processes ran with ordinary scheduling (no "
                    "--nice, no --fifo), competing with any other work")
    if args.fifo:
        text.append("- Benchmark processes ran under SCHED_FIFO priority 1 "
                    "(all three alike), each followed by a pause as long as "
                    "itself: other work on the shared host cannot preempt "
                    "team threads, as on a dedicated machine")
    if args.quiet_idle > 0:
        text.append("- Shared host: before each block of %d processes the runner "
                    "waited until %.0f%% of the CPU time was idle (waited %d "
                    "times, ran anyway after %.0f s %d times)"
                    % (len(impls), 100 * args.quiet_idle, quiet["waited"],
                       args.quiet_max_wait, quiet["gave_up"]))
    text.append("")
    text.append("## Method")
    text.append("")
    text.append(
        "EPCC syncbench/schedbench method, our own code (bench/epcc.c, "
        "bench/epcc_omp.c, bench/epcc_weft.c). Each repetition times "
        "`innerreps` back-to-back executions of the construct, each thread "
        "running a busy delay of %s us per iteration (SYNC rows: one "
        "iteration per thread; schedule rows: %s iterations per thread, "
        "inside one parallel region); innerreps is calibrated in each "
        "process so one repetition takes about %s us. Overhead = time per "
        "construct minus the serial time of the same delays (one thread's "
        "share), timed right after each repetition, in microseconds. %d repetitions per row, implementation and thread "
        "count, run in blocks of %d, one process per block, the "
        "implementations alternating block by block (%s). Cells: median "
        "[min, max]. Ratios are of medians (below 1: weft is faster); `-` "
        "where the peer's overhead is under %.2f us (noise); `~` where the "
        "two cells' interquartile ranges overlap (difference within the "
        "noise of this run)."
        % (meta_of(impls[0], "delay_us"), meta_of(impls[0], "iters_per_thread"),
           meta_of(impls[0], "target_us"), args.reps, args.block_reps,
           " ".join(impls), RATIO_FLOOR_US))
    extra = [r for r in rows_order if r in ROW_NOTES]
    if extra:
        text.append("")
        text.append(" ".join(ROW_NOTES[r] for r in extra).replace(
            "FIB_N", meta_of(impls[0], "fib_n")).replace(
            "FIB_CUTOFF", meta_of(impls[0], "fib_cutoff")).replace(
            "FIB_SPAWNS", meta_of(impls[0], "fib_spawns")))
    text.append("")
    text.append("## Overheads (us)")
    text.append("")
    text.append(table_text)
    text.append("")
    text.append("Raw figures: `%s`." % os.path.basename(csv_path))
    if args.notes:
        with open(args.notes) as f:
            text.append("")
            text.append("## Notes")
            text.append("")
            text.append(f.read().rstrip())
    with open(md_path, "w") as f:
        f.write("\n".join(text) + "\n")
    print("epcc_runner: wrote %s and %s" % (md_path, csv_path), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
