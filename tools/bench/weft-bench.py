#!/usr/bin/env python3
# This file handles weft-bench: it builds one C program several ways (serial,
# weft, and gcc/clang -fopenmp where present), times every variant at every
# thread count in interleaved rounds, checks that all variants print what the
# serial build prints, and reports speed-up, efficiency and an Amdahl estimate
# as a table, a JSON file and an SVG plot. Python 3 standard library only.
"""weft-bench: build a C program serial, with weftcc and with -fopenmp, time
every variant per thread count, check outputs and report speed-ups.

usage: weft-bench [options] prog.c [more.c ...] [-- program arguments]

Exit status: 0 success; 1 a run of the program failed (non-zero exit,
signal or timeout); 2 usage or setup error (missing file, no compiler, the
serial build failed); 3 a variant printed something else than the serial
build (reported after the table); 4 a non-serial variant failed to build
(the others were measured and reported).
"""

import argparse
import datetime
import difflib
import hashlib
import json
import math
import os
import platform
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_USAGE = 2
EXIT_MISMATCH = 3
EXIT_BUILD_FAILED = 4

ALL_VARIANTS = ("serial", "weft", "gcc-openmp", "clang-openmp")

# A doubling of the thread count that is predicted to gain less than this
# fraction of speed is not worth it ("adding threads stops paying").
DOUBLING_GAIN_THRESHOLD = 0.05

# The tiny program used to find out whether a compiler's OpenMP runtime
# (libgomp, libomp) is installed: it must compile, link and run.
OPENMP_PROBE = r"""
#include <omp.h>
#include <stdio.h>
int main(void) {
    long s = 0;
#pragma omp parallel for reduction(+ : s)
    for (long i = 0; i < 1000; i++)
        s += i;
    printf("%ld %d\n", s, omp_get_max_threads() > 0);
    return s == 499500 ? 0 : 1;
}
"""


class BenchError(Exception):
    """An error that ends weft-bench with a message and an exit status."""

    def __init__(self, message, status=EXIT_USAGE):
        super().__init__(message)
        self.status = status


class Progress:
    """Prints progress and notes on stderr unless --quiet."""

    def __init__(self, quiet):
        self.quiet = quiet

    def note(self, text):
        if not self.quiet:
            print("weft-bench: " + text, file=sys.stderr, flush=True)

    def step(self, text):
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


def error(text):
    """Errors are printed even under --quiet."""
    print("weft-bench: error: " + text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- arguments

def split_program_args(argv):
    """Everything after the first "--" belongs to the benchmarked program."""
    if "--" in argv:
        i = argv.index("--")
        return argv[:i], argv[i + 1:]
    return argv, []


def glue_flag_values(argv):
    """'--cflags -O3' would make argparse take -O3 for an option of its
    own; gluing the value on ('--cflags=-O3') keeps it a value."""
    out, i = [], 0
    while i < len(argv):
        a = argv[i]
        if (a in ("--cflags", "--ldflags", "--weft-flags", "--check")
                and i + 1 < len(argv)):
            out.append(a + "=" + argv[i + 1])
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def parse_int_list(text, what):
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise BenchError("%s: expected a comma-separated list of integers, "
                         "got '%s'" % (what, text))
    if not values or any(v < 1 for v in values):
        raise BenchError("%s: every value must be >= 1, got '%s'"
                         % (what, text))
    return sorted(set(values))


def parse_args(argv):
    own, prog_args = split_program_args(argv)
    own = glue_flag_values(own)
    p = argparse.ArgumentParser(
        prog="weft-bench",
        usage="weft-bench [options] prog.c [more.c ...] "
              "[-- program arguments]",
        description="Build a C program serial, with weftcc and with "
                    "gcc/clang -fopenmp; time each variant per thread count "
                    "in interleaved rounds; check that all print the same "
                    "output; report speed-up, efficiency and an Amdahl "
                    "estimate.",
        epilog="Exit status: 0 ok, 1 a run failed, 2 usage/setup error or "
               "serial build failure, 3 outputs differ from the serial "
               "build, 4 a non-serial variant failed to build.")
    p.add_argument("sources", nargs="+", metavar="prog.c",
                   help="C sources of the program (all are compiled "
                        "together)")
    p.add_argument("--variants", default=",".join(ALL_VARIANTS),
                   help="comma-separated subset of %s (default: all, "
                        "and those whose compiler or OpenMP runtime is "
                        "missing are skipped with a note; a variant named "
                        "here that cannot be built is a failure)"
                        % ",".join(ALL_VARIANTS))
    p.add_argument("--threads", default=None,
                   help="comma-separated thread counts (default: 1, 2, "
                        "4, ... up to the core count, and the core count)")
    p.add_argument("--runs", type=int, default=5,
                   help="counted runs per variant and thread count "
                        "(default 5)")
    p.add_argument("--warmup", type=int, default=1,
                   help="uncounted warm-up rounds before the counted ones "
                        "(default 1); every run's output is checked")
    p.add_argument("--cflags", default="",
                   help="extra compiler flags for every variant, one "
                        "string split as a shell would")
    p.add_argument("--ldflags", default="",
                   help="extra link flags for every variant (e.g. -lm)")
    p.add_argument("--weft-flags", default="",
                   help="extra compile and link flags for the weft build "
                        "only (e.g. the -fsanitize flags that a sanitizer "
                        "build of libweft needs)")
    p.add_argument("--check", default=None, metavar="CMD",
                   help="compare outputs with CMD REFERENCE CANDIDATE "
                        "(exit 0 = same) instead of byte equality")
    p.add_argument("--json", default=None, metavar="FILE",
                   help="write the results as JSON to FILE")
    p.add_argument("--plot", default=None, metavar="FILE.svg",
                   help="write an SVG plot of speed-up vs threads")
    p.add_argument("--timeout", type=float, default=600.0,
                   help="seconds one run may take before it is killed "
                        "(default 600)")
    p.add_argument("--weftcc", default=None,
                   help="weftcc to use (default: next to weft-bench, "
                        "then PATH)")
    p.add_argument("--keep", action="store_true",
                   help="keep the build directory and print its path")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress lines")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show compiler commands, and pass the program's "
                        "stderr through")
    args = p.parse_args(own)
    args.program_args = prog_args
    # A variant named on the command line that cannot be built is a
    # failure; one that is only part of the default set is skipped.
    args.variants_explicit = any(a == "--variants" or
                                 a.startswith("--variants=") for a in own)
    if args.runs < 1:
        raise BenchError("--runs must be >= 1")
    if args.warmup < 0:
        raise BenchError("--warmup must be >= 0")
    if args.timeout <= 0:
        raise BenchError("--timeout must be > 0")
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    for v in variants:
        if v not in ALL_VARIANTS:
            raise BenchError("--variants: unknown variant '%s' (known: %s)"
                             % (v, ", ".join(ALL_VARIANTS)))
    if "serial" not in variants:
        # The serial build is the reference for outputs and speed-ups.
        variants.insert(0, "serial")
    args.variants = [v for v in ALL_VARIANTS if v in variants]
    args.thread_counts = (parse_int_list(args.threads, "--threads")
                          if args.threads else default_thread_counts())
    return args


# ------------------------------------------------------------------ machine

def available_cpus():
    """Logical CPUs this process may run on (affinity mask, cgroup-aware
    through the kernel), which is also what an OpenMP runtime uses."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_thread_counts():
    n = available_cpus()
    counts = []
    p = 1
    while p < n:
        counts.append(p)
        p *= 2
    counts.append(n)
    return counts


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def physical_cores():
    """Distinct (package, core) pairs in sysfs, or None when unknown."""
    seen = set()
    base = "/sys/devices/system/cpu"
    try:
        names = os.listdir(base)
    except OSError:
        return None
    for name in names:
        if not (name.startswith("cpu") and name[3:].isdigit()):
            continue
        topo = os.path.join(base, name, "topology")
        pkg = read_text(os.path.join(topo, "physical_package_id"))
        core = read_text(os.path.join(topo, "core_id"))
        if pkg is not None and core is not None:
            seen.add((pkg.strip(), core.strip()))
    return len(seen) or None


def numa_nodes():
    try:
        return len([d for d in os.listdir("/sys/devices/system/node")
                    if d.startswith("node") and d[4:].isdigit()]) or None
    except OSError:
        return None


def cpu_model():
    info = read_text("/proc/cpuinfo") or ""
    for line in info.splitlines():
        if line.startswith("model name") and ":" in line:
            return line.split(":", 1)[1].strip()
    return platform.processor() or None


def load_average():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def compiler_version(cmd):
    try:
        r = subprocess.run(cmd + ["--version"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    first = r.stdout.strip().splitlines()
    return first[0] if r.returncode == 0 and first else None


def machine_info(compilers):
    return {
        "hostname": socket.gethostname(),
        "os": platform.platform(),
        "cpu_model": cpu_model(),
        "logical_cpus": os.cpu_count(),
        "available_cpus": available_cpus(),
        "physical_cores": physical_cores(),
        "numa_nodes": numa_nodes(),
        "load_average_start": load_average(),
        "python": platform.python_version(),
        "compilers": compilers,
        "date_utc": datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


# ---------------------------------------------------------------- compilers

def find_weftcc(explicit):
    """weftcc next to this script first (build/bin or an install prefix's
    bin), then PATH. Returns an absolute path or None."""
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise BenchError("--weftcc: '%s' is not an executable" % explicit)
        return os.path.abspath(found)
    here = os.path.dirname(os.path.realpath(sys.argv[0]))
    beside = os.path.join(here, "weftcc")
    if os.path.isfile(beside) and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("weftcc")
    return os.path.abspath(found) if found else None


def run_compiler(cmd, cwd, verbose, progress, env=None):
    if verbose:
        progress.step("  $ " + " ".join(shlex.quote(c) for c in cmd))
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True,
                           stdin=subprocess.DEVNULL, timeout=600, env=env)
    except FileNotFoundError:
        return False, "%s: command not found" % cmd[0]
    except OSError as e:
        return False, "%s: %s" % (cmd[0], e)
    except subprocess.TimeoutExpired:
        return False, "%s: still compiling after 600 s; killed" % cmd[0]
    return r.returncode == 0, r.stdout


def openmp_probe(cc, workdir, verbose, progress):
    """Builds and runs OPENMP_PROBE with 'cc -fopenmp'. Returns None when it
    works, else the reason."""
    src = os.path.join(workdir, "probe.c")
    exe = os.path.join(workdir, "probe-" + os.path.basename(cc))
    with open(src, "w") as f:
        f.write(OPENMP_PROBE)
    ok, out = run_compiler([cc, "-fopenmp", "-o", exe, src], workdir,
                           verbose, progress)
    if not ok:
        tail = "\n".join(out.strip().splitlines()[-3:])
        return "'%s -fopenmp' cannot build a tiny OpenMP program:\n%s" % (
            cc, indent(tail))
    try:
        r = subprocess.run([exe], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=30,
                           stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "the '%s -fopenmp' probe does not run: %s" % (cc, e)
    if r.returncode != 0:
        return "the '%s -fopenmp' probe exits with %d: %s" % (
            cc, r.returncode, r.stdout.strip())
    return None


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.splitlines())


def variant_compiler(variant, args, workdir, progress):
    """The command prefix that builds 'variant', or (None, reason) when the
    variant cannot be built on this machine."""
    if variant == "serial":
        cc = shlex.split(os.environ.get("CC", "") or "cc")
        if not cc or shutil.which(cc[0]) is None:
            raise BenchError("no C compiler: '%s' not found (set CC)"
                             % " ".join(cc))
        return cc, None
    if variant == "weft":
        weftcc = find_weftcc(args.weftcc)
        if weftcc is None:
            return None, ("weftcc not found next to weft-bench (%s) nor on "
                          "PATH" % os.path.dirname(
                              os.path.realpath(sys.argv[0])))
        return [weftcc], None
    name = "gcc" if variant == "gcc-openmp" else "clang"
    if shutil.which(name) is None:
        return None, "%s not found on PATH" % name
    why = openmp_probe(name, workdir, args.verbose, progress)
    if why:
        return None, why
    return [name, "-fopenmp"], None


def build_variants(args, workdir, progress):
    """Builds every requested variant. Returns (executables, compilers,
    skipped, failures): executables maps variant -> path; skipped and
    failures map variant -> reason / compiler output."""
    executables, compilers, skipped, failures = {}, {}, {}, {}
    cflags = shlex.split(args.cflags)
    ldflags = shlex.split(args.ldflags)
    weft_flags = shlex.split(args.weft_flags)
    sources = [os.path.abspath(s) for s in args.sources]
    # weftcc compiles its output with WEFT_CC (default cc). When CC names
    # the serial compiler, weft gets the same back end so that the two
    # builds differ only by the parallel loops.
    weft_env = None
    cc_env = shlex.split(os.environ.get("CC", ""))
    if len(cc_env) == 1 and "WEFT_CC" not in os.environ:
        weft_env = dict(os.environ, WEFT_CC=cc_env[0])
    for variant in args.variants:
        cc, why = variant_compiler(variant, args, workdir, progress)
        if cc is None and args.variants_explicit:
            failures[variant] = why
            error("%s cannot be built: %s" % (variant, why))
            continue
        if cc is None:
            skipped[variant] = why
            progress.note("skipping %s: %s" % (variant, why))
            continue
        compilers[variant] = {"command": " ".join(cc),
                              "version": compiler_version(cc[:1])}
        if variant == "weft":
            compilers[variant]["back_end"] = (
                weft_env or os.environ).get("WEFT_CC", "cc")
        exe = os.path.join(workdir, "prog-" + variant)
        own_flags = weft_flags if variant == "weft" else []
        cmd = (cc + ["-O2"] + cflags + own_flags + ["-o", exe] + sources +
               ldflags)
        progress.step("[build] %s: %s" % (
            variant, " ".join(shlex.quote(c) for c in cmd)))
        ok, out = run_compiler(cmd, os.getcwd(), args.verbose, progress,
                               weft_env if variant == "weft" else None)
        if ok:
            executables[variant] = exe
            continue
        failures[variant] = out
        msg = "%s build failed:\n  $ %s\n%s" % (
            variant, " ".join(shlex.quote(c) for c in cmd),
            indent(out.rstrip() or "(no compiler output)"))
        if variant == "serial":
            raise BenchError(msg + "\nthe serial build is required: it is "
                             "the reference for outputs and speed-ups")
        error(msg)
    return executables, compilers, skipped, failures


# ------------------------------------------------------------------ running

class Config:
    """One (variant, thread count) pair: its executable, its times, the
    distinct stdouts its runs printed, and whether it has failed."""

    def __init__(self, variant, threads, exe):
        self.variant = variant
        self.threads = threads
        self.exe = exe
        self.times = []
        # sha256 of a stdout -> (file holding it, run label), in the order
        # first seen; a deterministic program has exactly one entry.
        self.outputs = {}
        self.failure = None
        self.output_match = None

    def label(self):
        return "%s t=%d" % (self.variant, self.threads)


def make_configs(executables, thread_counts):
    """Serial runs once per round (as threads=1); every other variant once
    per thread count. Serial comes first, so round 0 gives the reference
    output before anything else runs."""
    configs = []
    for variant in ALL_VARIANTS:
        if variant not in executables:
            continue
        counts = [1] if variant == "serial" else thread_counts
        for t in counts:
            configs.append(Config(variant, t, executables[variant]))
    return configs


def stderr_tail(data, lines=15):
    text = data.decode("utf-8", errors="replace") if data else ""
    tail = text.rstrip().splitlines()[-lines:]
    return "\n".join(tail) if tail else "(nothing on stderr)"


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run_once(cfg, args, outdir, run_label):
    """Runs cfg once; returns wall seconds, or None after recording the
    failure in cfg.failure. Stdout goes to a file so that outputs of any
    size can be compared; a file is kept only when its content is new for
    this config, so every run is checked (a race that shows once in five
    runs is caught) at the cost of one file per distinct output."""
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = str(cfg.threads)
    out_path = os.path.join(outdir, "last-run.out")
    with open(out_path, "wb") as out:
        err = None if args.verbose else subprocess.PIPE
        start = time.perf_counter()
        try:
            proc = subprocess.Popen([cfg.exe] + args.program_args,
                                    stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=err, env=env)
        except OSError as e:
            cfg.failure = "cannot start %s: %s" % (cfg.exe, e)
            return None
        try:
            _, err_data = proc.communicate(timeout=args.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err_data = proc.communicate()
            cfg.failure = "killed after --timeout %g s\n%s" % (
                args.timeout, indent(stderr_tail(err_data)))
            return None
        elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        if proc.returncode < 0:
            how = "killed by signal %d" % -proc.returncode
        else:
            how = "exit status %d" % proc.returncode
        cfg.failure = "%s; stderr tail:\n%s" % (
            how, indent(stderr_tail(err_data)) if err_data is not None
            else "    (passed through above, --verbose)")
        return None
    digest = file_digest(out_path)
    if digest not in cfg.outputs:
        keep = os.path.join(outdir, "%s-t%d-%d.out" % (
            cfg.variant, cfg.threads, len(cfg.outputs)))
        os.replace(out_path, keep)
        cfg.outputs[digest] = (keep, run_label)
    return elapsed


def run_rounds(configs, args, outdir, progress):
    """Warm-up rounds, then args.runs counted rounds. Every round runs each
    live config once; the order rotates by one each round so that a slow
    phase of a shared machine spreads over all configs instead of hitting
    one. A failing serial run ends everything (nothing to compare with); a
    failing other config is dropped and reported."""
    rounds = args.warmup + args.runs
    total = rounds * len(configs)
    step = 0
    for r in range(rounds):
        shift = r % len(configs)
        order = configs[shift:] + configs[:shift]
        counted = r >= args.warmup
        for cfg in order:
            step += 1
            if cfg.failure:
                continue
            what = ("run %d/%d" % (r - args.warmup + 1, args.runs)
                    if counted else
                    "warm-up %d/%d" % (r + 1, args.warmup))
            progress.step("[%d/%d] %s %s ..." % (step, total, cfg.label(),
                                                 what))
            elapsed = run_once(cfg, args, outdir, what)
            if elapsed is None:
                error("%s (%s) failed: %s" % (cfg.label(), cfg.exe,
                                              cfg.failure))
                if cfg.variant == "serial":
                    raise BenchError("the serial build must run cleanly",
                                     EXIT_RUN_FAILED)
                continue
            if counted:
                cfg.times.append(elapsed)


# ------------------------------------------------------------------- checks

def outputs_agree(args, ref_path, path):
    """Byte equality, or --check CMD REF CANDIDATE exiting 0. Returns
    (same, what the check command printed)."""
    if not args.check:
        return file_digest(ref_path) == file_digest(path), ""
    cmd = shlex.split(args.check) + [ref_path, path]
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True,
                           stdin=subprocess.DEVNULL, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise BenchError("--check '%s' cannot run: %s" % (args.check, e))
    return r.returncode == 0, r.stdout


def compare_outputs(configs, args):
    """Checks every distinct output of every config (the serial one's
    later runs included) against the serial build's first output; sets
    cfg.output_match on each config that ran. Returns (label, excerpt)
    for each output that does not agree."""
    ref = next(c for c in configs if c.variant == "serial")
    ref_path = next(iter(ref.outputs.values()))[0]
    mismatches = []
    for cfg in configs:
        if cfg.failure or not cfg.outputs:
            continue
        cfg.output_match = True
        for path, run_label in cfg.outputs.values():
            if path == ref_path:
                continue
            same, said = outputs_agree(args, ref_path, path)
            if same:
                continue
            cfg.output_match = False
            label = "%s (%s)" % (cfg.label(), run_label)
            excerpt = said if said.strip() else diff_excerpt(
                ref_path, path, "serial", label)
            mismatches.append((label, excerpt))
    if ref.output_match is False and not args.check:
        mismatches.append(("serial", "the serial build itself printed "
                           "different outputs in different runs; use "
                           "--check CMD to compare them loosely"))
    return mismatches


def diff_excerpt(ref_path, other_path, ref_name, other_name, limit=30):
    def lines(path):
        with open(path, "rb") as f:
            return f.read().decode("utf-8", errors="replace").splitlines()
    diff = list(difflib.unified_diff(lines(ref_path), lines(other_path),
                                     fromfile=ref_name + " stdout",
                                     tofile=other_name + " stdout",
                                     lineterm="", n=2))
    if not diff:
        # Same lines, different bytes: trailing newline or encoding.
        return "(the outputs differ only in line endings or final newline)"
    if len(diff) > limit:
        diff = diff[:limit] + ["... (%d more diff lines)"
                               % (len(diff) - limit)]
    return "\n".join(diff)


# ------------------------------------------------------------------ figures

def summarize(configs):
    """Median/min/max per config, speed-up against the serial median and
    efficiency; returns result dicts in table order."""
    serial = next(c for c in configs if c.variant == "serial")
    serial_median = statistics.median(serial.times)
    gcc = {c.threads: statistics.median(c.times) for c in configs
           if c.variant == "gcc-openmp" and c.times}
    results = []
    for cfg in configs:
        if not cfg.times:
            results.append({"variant": cfg.variant, "threads": cfg.threads,
                            "failed": cfg.failure or "no counted runs",
                            "output_match": cfg.output_match})
            continue
        median = statistics.median(cfg.times)
        speedup = serial_median / median if median > 0 else None
        res = {
            "variant": cfg.variant,
            "threads": cfg.threads,
            "median_s": median,
            "min_s": min(cfg.times),
            "max_s": max(cfg.times),
            "speedup": speedup,
            "efficiency": (speedup / cfg.threads
                           if speedup is not None else None),
            "vs_gcc_openmp": (gcc[cfg.threads] / median
                              if cfg.variant != "serial"
                              and cfg.threads in gcc and median > 0
                              else None),
            "times_s": cfg.times,
            "output_match": cfg.output_match,
            "distinct_outputs": len(cfg.outputs),
        }
        results.append(res)
    return results


def amdahl_fit(points):
    """Fits T(p) = T1*(f + (1-f)/p), i.e. T(p) = a + b/p with a = T1*f and
    b = T1*(1-f), to (p, T) points by least squares on relative residuals
    (weights 1/T^2), so the slow one-thread point does not outweigh the
    rest. Returns (T1, f) with f clamped to [0, 1], or None when fewer than
    two distinct thread counts are given."""
    pts = [(float(p), float(t)) for p, t in points if t > 0]
    if len({p for p, _ in pts}) < 2:
        return None
    # Normal equations of min sum w*(a + b*x - t)^2 with x = 1/p.
    sw = swx = swxx = swt = swxt = 0.0
    for p, t in pts:
        w, x = 1.0 / (t * t), 1.0 / p
        sw += w
        swx += w * x
        swxx += w * x * x
        swt += w * t
        swxt += w * x * t
    det = sw * swxx - swx * swx
    if det <= 0:
        return None
    a = (swt * swxx - swx * swxt) / det
    b = (sw * swxt - swx * swt) / det
    # A negative part means the data are outside the model (superlinear
    # speed-up, or time growing with threads); clamp to the nearest model.
    if b <= 0:
        t1 = sum(t for _, t in pts) / len(pts)
        return t1, 1.0
    if a < 0:
        a = 0.0
    t1 = a + b
    return t1, a / t1


def predicted_limit(f):
    """The thread count beyond which doubling is predicted to gain less
    than DOUBLING_GAIN_THRESHOLD (g). With x = (1-f)/p, doubling p gains
    (f + x)/(f + x/2) - 1, which is < g  <=>  x*(1-g)/2 < g*f  <=>
    p > (1-f)*(1-g) / (2*g*f); for g = 5% that is p > 9.5*(1-f)/f.
    None when f == 0 (the model predicts no limit)."""
    g = DOUBLING_GAIN_THRESHOLD
    if f <= 0:
        return None
    if f >= 1:
        return 1
    p_min = (1 - f) * (1 - g) / (2 * g * f)
    return max(1, math.ceil(p_min))


def amdahl_summary(results):
    """Amdahl estimate over the weft medians, plus where adding threads
    stops paying: the smaller of the model's limit and the last thread
    count before a measured drop of the weft speed-up."""
    weft = sorted((r["threads"], r["median_s"], r["speedup"])
                  for r in results
                  if r["variant"] == "weft" and "median_s" in r)
    out = {"serial_fraction": None, "max_useful_threads": None,
           "t1_s": None, "predicted_limit": None, "measured_drop_after": None,
           "basis": "weft medians"}
    if not weft:
        out["basis"] = "no weft results"
        return out
    fit = amdahl_fit([(p, t) for p, t, _ in weft])
    if fit is not None:
        out["t1_s"], out["serial_fraction"] = fit
        out["predicted_limit"] = predicted_limit(fit[1])
    for (p0, _, s0), (_, _, s1) in zip(weft, weft[1:]):
        if s1 is not None and s0 is not None and s1 < s0:
            out["measured_drop_after"] = p0
            break
    limits = [x for x in (out["predicted_limit"],
                          out["measured_drop_after"]) if x is not None]
    out["max_useful_threads"] = min(limits) if limits else None
    return out


# ------------------------------------------------------------------- report

def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def print_table(results, amdahl, mismatched, out=sys.stdout):
    head = ("variant", "threads", "median s", "min s", "max s", "speed-up",
            "effic.", "vs gcc", "output")
    rows = []
    for r in results:
        if "failed" in r:
            rows.append((r["variant"], str(r["threads"]), "FAILED", "", "",
                         "", "", "", ""))
            continue
        match = {True: "same", False: "DIFFERS", None: "-"}[r["output_match"]]
        rows.append((r["variant"], str(r["threads"]),
                     fmt(r["median_s"], ".4f"), fmt(r["min_s"], ".4f"),
                     fmt(r["max_s"], ".4f"), fmt(r["speedup"], ".2f"),
                     fmt(r["efficiency"], ".2f")
                     if r["variant"] != "serial" else "-",
                     fmt(r["vs_gcc_openmp"], ".2f"), match))
    widths = [max(len(h), *(len(row[i]) for row in rows))
              for i, h in enumerate(head)]

    def line(cells):
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(head), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print(line(row), file=out)
    print("speed-up = serial median / median; effic. = speed-up / threads; "
          "vs gcc = gcc-openmp median / median at the same threads "
          "(> 1: faster than gcc -fopenmp)", file=out)
    f = amdahl["serial_fraction"]
    if f is None:
        print("Amdahl: no estimate (%s)" % (
            "needs weft results at two or more thread counts"
            if amdahl["basis"] == "weft medians" else amdahl["basis"]),
            file=out)
    else:
        print("Amdahl fit over weft medians: serial fraction f = %.4f "
              "(T1 = %.4f s, max speed-up 1/f = %s)" % (
                  f, amdahl["t1_s"],
                  "unbounded" if f == 0 else "%.1f" % (1 / f)), file=out)
        n = amdahl["max_useful_threads"]
        if n is None:
            print("adding threads keeps paying: no limit predicted or "
                  "measured", file=out)
        else:
            why = []
            if amdahl["predicted_limit"] == n:
                why.append("doubling is predicted to gain < %d%%"
                           % round(DOUBLING_GAIN_THRESHOLD * 100))
            if amdahl["measured_drop_after"] == n:
                why.append("the measured speed-up drops after it")
            print("adding threads stops paying beyond ~%d (%s)"
                  % (n, "; ".join(why)), file=out)
    if mismatched:
        print("outputs: %d output(s) DIFFER from the serial build's "
              "(diff below)" % len(mismatched), file=out)
    else:
        print("outputs: every variant prints what the serial build prints",
              file=out)


# --------------------------------------------------------------------- plot

PLOT_COLORS = {"serial": "#555555", "weft": "#d62728",
               "gcc-openmp": "#1f77b4", "clang-openmp": "#2ca02c"}


def xml_escape(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def nice_step(span, target=6):
    """A 1/2/5 x 10^k tick step giving about 'target' ticks over span."""
    raw = span / max(1, target)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def write_plot(path, results, title):
    """Speed-up against threads, one polyline per parallel variant with
    min/max whiskers, the ideal speed-up line, the serial level, axes,
    ticks, labels and a legend. The x axis is log2 when the thread counts
    span 16x or more, linear otherwise."""
    W, H = 760, 480
    L, R, T, B = 70, 190, 50, 60
    pw, ph = W - L - R, H - T - B
    series = {}
    serial_med = None
    for r in results:
        if "failed" in r:
            continue
        if r["variant"] == "serial":
            serial_med = r["median_s"]
            continue
        series.setdefault(r["variant"], []).append(r)
    threads = sorted({r["threads"] for rs in series.values() for r in rs}
                     | {1})
    tmin, tmax = threads[0], max(threads[-1], 2)
    log_x = tmax / tmin >= 16

    # A small inset keeps the first and last points off the axes.
    inset = 0.04 * pw

    def sx(p):
        if log_x:
            frac = (math.log2(p) - math.log2(tmin)) / (
                math.log2(tmax) - math.log2(tmin))
        else:
            frac = (p - tmin) / (tmax - tmin)
        return L + inset + (pw - 2 * inset) * frac
    ymax_data = [tmax]
    for rs in series.values():
        for r in rs:
            if serial_med and r["min_s"] > 0:
                ymax_data.append(serial_med / r["min_s"])
    ymax = max(ymax_data) * 1.08
    ystep = nice_step(ymax)
    ymax = math.ceil(ymax / ystep) * ystep

    def sy(s):
        return T + ph * (1 - s / ymax)
    o = []
    o.append('<?xml version="1.0" encoding="UTF-8"?>')
    o.append('<svg xmlns="http://www.w3.org/2000/svg" width="%d" '
             'height="%d" viewBox="0 0 %d %d" font-family="sans-serif" '
             'font-size="12">' % (W, H, W, H))
    o.append('<title>%s</title>' % xml_escape(title))
    o.append('<rect x="0" y="0" width="%d" height="%d" fill="white"/>'
             % (W, H))
    o.append('<text x="%d" y="28" font-size="16" text-anchor="middle">%s'
             '</text>' % (L + pw // 2, xml_escape(title)))
    # Grid and ticks.
    y = 0.0
    while y <= ymax + 1e-9:
        py = sy(y)
        o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e5e5e5"'
                 '/>' % (L, py, L + pw, py))
        o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="black"'
                 '/>' % (L - 5, py, L, py))
        o.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>'
                 % (L - 8, py + 4, ("%g" % round(y, 6))))
        y += ystep
    for p in threads:
        px = sx(p)
        o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e5e5e5"'
                 '/>' % (px, T, px, T + ph))
        o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="black"'
                 '/>' % (px, T + ph, px, T + ph + 5))
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>'
                 % (px, T + ph + 19, p))
    # Axes and labels.
    o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'
             % (L, T + ph, L + pw, T + ph))
    o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'
             % (L, T, L, T + ph))
    o.append('<text x="%d" y="%d" text-anchor="middle">threads%s</text>'
             % (L + pw // 2, H - 15, " (log scale)" if log_x else ""))
    o.append('<text x="18" y="%d" text-anchor="middle" '
             'transform="rotate(-90 18 %d)">speed-up over serial</text>'
             % (T + ph // 2, T + ph // 2))
    # Ideal line: speed-up = threads, through every integer on a linear
    # axis (a straight line) and through powers of two on a log axis.
    ideal = [p for p in range(tmin, tmax + 1)
             if not log_x or p in threads or (p & (p - 1)) == 0]
    o.append('<polyline fill="none" stroke="#999999" stroke-dasharray="6 4" '
             'points="%s"/>' % " ".join("%.1f,%.1f" % (sx(p), sy(p))
                                        for p in ideal if p <= ymax))
    o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" '
             'stroke-dasharray="2 3"/>' % (L, sy(1), L + pw, sy(1),
                                           PLOT_COLORS["serial"]))
    legend = [("ideal", "#999999", "6 4"),
              ("serial", PLOT_COLORS["serial"], "2 3")]
    drawn = [v for v in ALL_VARIANTS if series.get(v)]
    for k, variant in enumerate(drawn):
        rs = sorted(series[variant], key=lambda r: r["threads"])
        if serial_med is None:
            continue
        color = PLOT_COLORS[variant]
        # Variants at the same thread count are spread by a few pixels so
        # that equal speed-ups do not hide each other's markers.
        dodge = 5 * (k - (len(drawn) - 1) / 2)
        pts = [(sx(r["threads"]) + dodge, sy(r["speedup"])) for r in rs]
        o.append('<polyline fill="none" stroke="%s" stroke-width="2" '
                 'points="%s"/>' % (color, " ".join("%.1f,%.1f" % pt
                                                    for pt in pts)))
        for r, (px, py) in zip(rs, pts):
            lo = serial_med / r["max_s"]
            hi = serial_med / r["min_s"]
            o.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" '
                     'stroke="%s"/>' % (px, sy(lo), px, sy(hi), color))
            o.append('<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s">'
                     '<title>%s t=%d: speed-up %.2f (median %.4f s)</title>'
                     '</circle>' % (px, py, color, variant, r["threads"],
                                    r["speedup"], r["median_s"]))
        legend.append((variant, color, None))
    lx, ly = L + pw + 20, T + 10
    o.append('<rect x="%d" y="%d" width="%d" height="%d" fill="white" '
             'stroke="#bbbbbb"/>' % (lx - 8, ly - 14, R - 25,
                                     22 * len(legend) + 8))
    for i, (name, color, dash) in enumerate(legend):
        yy = ly + 22 * i
        o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" '
                 'stroke-width="2"%s/>' % (
                     lx, yy, lx + 24, yy, color,
                     ' stroke-dasharray="%s"' % dash if dash else ""))
        o.append('<text x="%d" y="%d">%s</text>' % (lx + 30, yy + 4,
                                                    xml_escape(name)))
    o.append('<text x="%d" y="%d" font-size="10" fill="#555555">bars: '
             'fastest to slowest run</text>' % (lx - 4, ly + 22 * len(legend)
                                                + 12))
    o.append('</svg>')
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(o) + "\n")


# --------------------------------------------------------------------- main

def main(argv):
    args = parse_args(argv)
    progress = Progress(args.quiet)
    for src in args.sources:
        if not os.path.isfile(src):
            raise BenchError("%s: no such file" % src)
    for out_file, opt in ((args.json, "--json"), (args.plot, "--plot")):
        if out_file and not os.path.isdir(os.path.dirname(
                os.path.abspath(out_file))):
            raise BenchError("%s %s: directory does not exist"
                             % (opt, out_file))
    workdir = tempfile.mkdtemp(prefix="weft-bench-")
    try:
        return bench(args, workdir, progress)
    finally:
        if args.keep:
            progress.note("build directory kept: " + workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def bench(args, workdir, progress):
    executables, compilers, skipped, failures = build_variants(
        args, workdir, progress)
    configs = make_configs(executables, args.thread_counts)
    machine = machine_info(compilers)
    outdir = os.path.join(workdir, "out")
    os.mkdir(outdir)
    run_rounds(configs, args, outdir, progress)
    mismatches = compare_outputs(configs, args)
    results = summarize(configs)
    amdahl = amdahl_summary(results)
    machine["load_average_end"] = load_average()

    print("weft-bench: %s%s, %d counted run(s) after %d warm-up, "
          "threads %s, %d logical CPU(s)" % (
              " ".join(args.sources),
              (" -- " + " ".join(args.program_args))
              if args.program_args else "",
              args.runs, args.warmup,
              ",".join(map(str, args.thread_counts)),
              machine["available_cpus"]))
    for v, why in skipped.items():
        print("skipped %s: %s" % (v, why.splitlines()[0]))
    for v in failures:
        print("build FAILED: %s (details on stderr)" % v)
    print_table(results, amdahl, mismatches)
    sys.stdout.flush()

    outputs_match = not mismatches
    if args.json:
        doc = {
            "program": args.sources[0],
            "sources": args.sources,
            "args": args.program_args,
            "outputs_match": outputs_match,
            "machine": machine,
            "settings": {"runs": args.runs, "warmup": args.warmup,
                         "threads": args.thread_counts,
                         "variants": args.variants,
                         "cflags": args.cflags, "ldflags": args.ldflags,
                         "weft_flags": args.weft_flags,
                         "check": args.check},
            "skipped": skipped,
            "build_failures": failures,
            "results": results,
            "amdahl": amdahl,
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        progress.note("wrote " + args.json)
    if args.plot:
        write_plot(args.plot, results,
                   "weft-bench: " + os.path.basename(args.sources[0]))
        progress.note("wrote " + args.plot)

    run_failed = [c for c in configs if c.failure]
    for label, excerpt in mismatches:
        print("\noutput of %s differs from the serial build:\n%s"
              % (label, excerpt), file=sys.stderr)
    if run_failed:
        error("%d variant/thread pair(s) failed to run: %s" % (
            len(run_failed), ", ".join(c.label() for c in run_failed)))
    # A wrong answer matters more than a crash or a failed build.
    if mismatches:
        return EXIT_MISMATCH
    if run_failed:
        return EXIT_RUN_FAILED
    if failures:
        return EXIT_BUILD_FAILED
    return EXIT_OK


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchError as e:
        error(str(e))
        sys.exit(e.status)
    except KeyboardInterrupt:
        sys.exit(130)
