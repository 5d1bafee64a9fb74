#!/usr/bin/env python3
# This file handles the weft-bench tests: each case runs the weft-bench from
# the build tree on a tiny program in a temporary directory and checks its
# exit status, messages, JSON and SVG. One CTest test per case (see
# CMakeLists.txt); exit 0 passes, 77 skips (with a printed reason).
import argparse
import importlib.machinery
import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SKIP = 77
SVG_NS = "{http://www.w3.org/2000/svg}"


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


class Ctx:
    def __init__(self, opts, tmp):
        self.bench = opts.bench
        self.weftcc = opts.weftcc
        self.src = opts.srcdir
        self.tmp = tmp

    def have_weftcc(self):
        return os.path.isfile(self.weftcc) and os.access(self.weftcc, os.X_OK)

    def source(self, name):
        return os.path.join(self.src, name)

    def run(self, *args, bench=None, env=None, timeout=150):
        cmd = [bench or self.bench]
        # A sanitizer build of libweft links only into programs built with
        # the same -fsanitize flags: CMake passes them for the weft build.
        if os.environ.get("WEFT_BENCH_WEFT_FLAGS"):
            cmd.append("--weft-flags=" + os.environ["WEFT_BENCH_WEFT_FLAGS"])
        cmd += list(args)
        print("$ " + " ".join(cmd), flush=True)
        r = subprocess.run(cmd, cwd=self.tmp, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=timeout,
                           env=env)
        print("--- exit %d; stdout:\n%s--- stderr:\n%s---" % (
            r.returncode, r.stdout, r.stderr), flush=True)
        return r

    def load_json(self, name):
        with open(os.path.join(self.tmp, name)) as f:
            return json.load(f)


def load_bench_module(path):
    """weft-bench as a module (its file name has no .py in build/bin)."""
    loader = importlib.machinery.SourceFileLoader("weft_bench", path)
    spec = importlib.util.spec_from_loader("weft_bench", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def check_result_entries(doc):
    results = doc["results"]
    check(isinstance(results, list) and results, "results is a list")
    serial = [r for r in results if r["variant"] == "serial"]
    check(len(serial) == 1, "exactly one serial result")
    ser = serial[0]
    check(ser["threads"] == 1, "serial runs as threads=1")
    for r in results:
        for key in ("variant", "threads", "median_s", "min_s", "max_s",
                    "speedup", "efficiency"):
            check(key in r, "result %s has key %s" % (r, key))
        check(r["variant"] in ("serial", "weft", "gcc-openmp",
                               "clang-openmp"), "known variant name")
        check(isinstance(r["threads"], int) and r["threads"] >= 1,
              "threads is a positive integer")
        check(0 < r["min_s"] <= r["median_s"] <= r["max_s"],
              "0 < min <= median <= max for %s" % r)
        check(len(r["times_s"]) == doc["settings"]["runs"],
              "one time per counted run")
        check(close(r["speedup"], ser["median_s"] / r["median_s"]),
              "speedup = serial median / median for %s" % r)
        check(close(r["efficiency"], r["speedup"] / r["threads"]),
              "efficiency = speedup / threads for %s" % r)
    return results


def case_json(ctx):
    """--json schema and values on the reduction sum, every variant."""
    if not ctx.have_weftcc():
        print("SKIP: %s is not built yet; this test measures the real "
              "weftcc" % ctx.weftcc)
        return SKIP
    r = ctx.run("--runs", "3", "--threads", "1,2", "--json", "out.json",
                "--variants", "serial,weft,gcc-openmp,clang-openmp",
                ctx.source("sum.c"),
                "--", "200000")
    check(r.returncode == 0, "exit status 0")
    check("[1/" in r.stderr and "weft t=2 run 3/3" in r.stderr,
          "progress lines on stderr")
    check("n=200000 sum=" not in r.stdout, "program stdout is captured")
    doc = ctx.load_json("out.json")
    for key in ("program", "args", "outputs_match", "machine", "results",
                "amdahl"):
        check(key in doc, "top-level key %s" % key)
    check(doc["program"].endswith("sum.c"), "program names the source")
    check(doc["args"] == ["200000"], "program arguments recorded")
    check(doc["outputs_match"] is True, "outputs_match is true")
    check(doc["machine"]["available_cpus"] >= 1, "machine cpu count")
    # weft-bench found the real weftcc next to itself in build/bin.
    check(os.path.realpath(doc["machine"]["compilers"]["weft"]["command"])
          == os.path.realpath(ctx.weftcc), "weft built by %s" % ctx.weftcc)
    results = check_result_entries(doc)
    got = {(r["variant"], r["threads"]) for r in results}
    expect = {("serial", 1), ("weft", 1), ("weft", 2), ("gcc-openmp", 1),
              ("gcc-openmp", 2)}
    if "clang-openmp" not in doc["skipped"]:
        expect |= {("clang-openmp", 1), ("clang-openmp", 2)}
    else:
        print("note: clang-openmp skipped: %s"
              % doc["skipped"]["clang-openmp"])
    check(got == expect, "results cover %s (got %s)" % (sorted(expect),
                                                        sorted(got)))
    for res in results:
        check(res["output_match"] is True, "every output matches")
        if res["variant"] != "serial":
            gcc = [g for g in results if g["variant"] == "gcc-openmp"
                   and g["threads"] == res["threads"]][0]
            check(close(res["vs_gcc_openmp"],
                        gcc["median_s"] / res["median_s"]),
                  "vs_gcc_openmp = gcc median / median")
    am = doc["amdahl"]
    check("serial_fraction" in am and "max_useful_threads" in am,
          "amdahl keys")
    f = am["serial_fraction"]
    check(f is not None and 0.0 <= f <= 1.0, "serial fraction in [0, 1]")
    n = am["max_useful_threads"]
    check(n is None or (isinstance(n, int) and n >= 1),
          "max_useful_threads is null or a positive integer")
    check("Amdahl fit over weft medians" in r.stdout, "Amdahl line printed")
    return 0


def case_mismatch(ctx):
    """Output that depends on _OPENMP: exit 3, outputs_match false, a
    unified diff excerpt after the report."""
    r = ctx.run("--runs", "1", "--threads", "1,2", "--json", "out.json",
                "--variants", "serial,gcc-openmp",
                ctx.source("openmp_output.c"))
    check(r.returncode == 3, "exit status 3 on mismatch")
    check("variant" in r.stdout and "DIFFERS" in r.stdout,
          "the table is printed before the diff, marking the mismatch")
    check("-built serial" in r.stderr and "+built with OpenMP" in r.stderr
          and "+++ gcc-openmp t=" in r.stderr,
          "unified diff excerpt on stderr")
    doc = ctx.load_json("out.json")
    check(doc["outputs_match"] is False, "outputs_match is false")
    for res in doc["results"]:
        expect = res["variant"] == "serial"
        check(res["output_match"] is expect,
              "output_match of %s t=%d" % (res["variant"], res["threads"]))
    # The same outputs compared through --check: cmp says they differ.
    if shutil.which("cmp"):
        r = ctx.run("--runs", "1", "--threads", "1", "--variants",
                    "serial,gcc-openmp", "--check", "cmp -s",
                    ctx.source("openmp_output.c"))
        check(r.returncode == 3, "--check cmp -s: exit 3")
        r = ctx.run("--runs", "1", "--threads", "1", "--variants",
                    "serial,gcc-openmp", "--check", "true",
                    ctx.source("openmp_output.c"))
        check(r.returncode == 0, "--check true accepts any output")
    # Every run is checked: the -fopenmp build matches on its first run
    # only (a marker file in the working directory changes later runs).
    r = ctx.run("--runs", "2", "--threads", "1", "--json", "flaky.json",
                "--variants", "serial,gcc-openmp",
                ctx.source("flaky_output.c"))
    check(r.returncode == 3, "a mismatch in a later run: exit 3")
    check("-result 42" in r.stderr and "+result 41" in r.stderr and
          "gcc-openmp t=1 (run 1/2)" in r.stderr,
          "the diff names the run that differs")
    doc = ctx.load_json("flaky.json")
    gcc = [res for res in doc["results"] if res["variant"] == "gcc-openmp"]
    check(gcc[0]["output_match"] is False and
          gcc[0]["distinct_outputs"] == 2, "two distinct outputs seen")
    # A serial build whose output changes from run to run is reported.
    r = ctx.run("--runs", "2", "--threads", "1", "--variants", "serial",
                ctx.source("pid_output.c"))
    check(r.returncode == 3 and "serial build itself printed different "
          "outputs" in r.stderr, "non-deterministic serial output")
    return 0


def case_build_failure(ctx):
    """A serial build that fails stops everything with the compiler's
    output; a failing -fopenmp build is reported and the rest measured."""
    r = ctx.run("--runs", "1", "--threads", "1", "--variants",
                "serial,gcc-openmp", ctx.source("broken.c"))
    check(r.returncode == 2, "exit status 2 when the serial build fails")
    check("serial build failed" in r.stderr, "says which build failed")
    check("broken.c:" in r.stderr and "error" in r.stderr,
          "shows the compiler's diagnostics")
    check("the serial build is required" in r.stderr, "says why it stops")

    r = ctx.run("--runs", "1", "--threads", "1,2", "--json", "out.json",
                "--variants", "serial,gcc-openmp",
                ctx.source("openmp_build_error.c"))
    check(r.returncode == 4, "exit status 4 when another variant fails")
    check("gcc-openmp build failed" in r.stderr
          and "weft_bench_openmp_marker" in r.stderr,
          "shows the -fopenmp compiler output")
    check("build FAILED: gcc-openmp" in r.stdout, "report names the failure")
    doc = ctx.load_json("out.json")
    check([res["variant"] for res in doc["results"]] == ["serial"],
          "only the serial build was measured")
    check("weft_bench_openmp_marker" in doc["build_failures"]["gcc-openmp"],
          "JSON keeps the compiler output")
    return 0


def case_errors(ctx):
    """Missing file, bad options, and a program that exits non-zero."""
    r = ctx.run("--runs", "1", "no_such_file.c")
    check(r.returncode == 2 and "no_such_file.c: no such file" in r.stderr,
          "missing source file")
    r = ctx.run("--variants", "serial,icc", ctx.source("sum.c"))
    check(r.returncode == 2 and "unknown variant 'icc'" in r.stderr,
          "unknown variant")
    r = ctx.run("--threads", "0,2", ctx.source("sum.c"))
    check(r.returncode == 2 and "--threads" in r.stderr, "bad thread list")
    env = dict(os.environ, CC="weft-bench-no-such-cc")
    r = ctx.run("--runs", "1", ctx.source("sum.c"), env=env)
    check(r.returncode == 2 and "no C compiler" in r.stderr,
          "no compiler (CC honoured)")

    r = ctx.run("--runs", "1", "--threads", "1", "--variants", "serial",
                ctx.source("exit_status.c"), "--", "always")
    check(r.returncode == 1, "exit 1 when the serial program fails")
    check("exit status 7" in r.stderr
          and "weft_bench_failure_marker" in r.stderr,
          "shows the exit status and the stderr tail")

    r = ctx.run("--runs", "2", "--threads", "1,2", "--json", "out.json",
                "--variants", "serial,gcc-openmp",
                ctx.source("exit_status.c"), "--", "parallel")
    check(r.returncode == 1, "exit 1 when a parallel variant fails")
    check("gcc-openmp t=1" in r.stderr and "exit status 7" in r.stderr
          and "weft_bench_failure_marker" in r.stderr,
          "names the failing variant with its stderr tail")
    check("FAILED" in r.stdout, "the table marks the failure")
    doc = ctx.load_json("out.json")
    failed = [res for res in doc["results"] if "failed" in res]
    check(len(failed) == 2 and all(res["variant"] == "gcc-openmp"
                                   for res in failed),
          "both gcc-openmp thread counts are marked failed")
    return 0


def case_plot(ctx):
    """--plot writes well-formed SVG with axes, labels and a legend; with
    Debian's chromium present, it also renders to a non-empty PNG."""
    if not ctx.have_weftcc():
        print("SKIP: %s is not built yet; this test plots the real weft "
              "variant" % ctx.weftcc)
        return SKIP
    r = ctx.run("--runs", "2", "--threads", "1,2", "--plot", "plot.svg",
                "--quiet", "--variants", "serial,weft,gcc-openmp",
                ctx.source("sum.c"), "--", "200000")
    check(r.returncode == 0, "exit status 0")
    check(r.stderr == "", "--quiet prints nothing on stderr")
    path = os.path.join(ctx.tmp, "plot.svg")
    root = ET.parse(path).getroot()
    check(root.tag == SVG_NS + "svg", "root element is svg:svg")
    check(root.get("viewBox"), "has a viewBox")
    texts = [t.text or "" for t in root.iter(SVG_NS + "text")]
    for label in ("threads", "speed-up over serial", "ideal", "weft",
                  "gcc-openmp", "serial"):
        check(label in texts, "text '%s' present" % label)
    check("1" in texts and "2" in texts, "thread ticks 1 and 2")
    lines = list(root.iter(SVG_NS + "polyline"))
    check(len(lines) >= 3, "ideal line plus one polyline per variant")
    circles = list(root.iter(SVG_NS + "circle"))
    check(len(circles) == 4, "one marker per parallel result (2 x 2)")
    for c in circles:
        x, y = float(c.get("cx")), float(c.get("cy"))
        check(math.isfinite(x) and math.isfinite(y) and
              0 <= x <= float(root.get("width")) and
              0 <= y <= float(root.get("height")), "markers inside")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("note: chromium is not installed; skipping the headless "
              "rendering sub-check")
        return 0
    png = os.path.join(ctx.tmp, "plot.png")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--screenshot=" + png, "--window-size=800,520",
                    "file://" + path], cwd=ctx.tmp, timeout=90,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with open(png, "rb") as f:
        data = f.read()
    check(len(data) > 1000 and data[:8] == b"\x89PNG\r\n\x1a\n",
          "chromium rendered a non-empty PNG")
    return 0


def case_weftcc_discovery(ctx):
    """weft-bench uses the weftcc in its own directory (build/bin, an
    install prefix's bin) before the one on PATH. Stand-in weftcc scripts
    record which one was called; they only check where weft-bench looks."""
    prefix = os.path.join(ctx.tmp, "prefix", "bin")
    other = os.path.join(ctx.tmp, "elsewhere")
    os.makedirs(prefix)
    os.makedirs(other)
    bench = os.path.join(prefix, "weft-bench")
    shutil.copy(ctx.bench, bench)
    for d in (prefix, other):
        script = os.path.join(d, "weftcc")
        with open(script, "w") as f:
            f.write('#!/bin/sh\necho "%s" >> "%s/called"\nexec cc "$@"\n'
                    % (d, ctx.tmp))
        os.chmod(script, 0o755)
    env = dict(os.environ, PATH=other + os.pathsep + os.environ["PATH"])
    called = os.path.join(ctx.tmp, "called")
    r = ctx.run("--runs", "1", "--threads", "1", "--variants", "serial,weft",
                ctx.source("sum.c"), bench=bench, env=env)
    check(r.returncode == 0, "exit 0")
    with open(called) as f:
        check(set(f.read().split()) == {prefix},
              "the weftcc beside it is used")
    os.remove(called)
    os.remove(os.path.join(prefix, "weftcc"))
    r = ctx.run("--runs", "1", "--threads", "1", "--variants", "serial,weft",
                ctx.source("sum.c"), bench=bench, env=env)
    check(r.returncode == 0, "exit 0")
    with open(called) as f:
        check(set(f.read().split()) == {other}, "then the weftcc on PATH")
    env["PATH"] = os.path.dirname(shutil.which("cc"))
    r = ctx.run("--runs", "1", "--threads", "1", "--variants", "serial,weft",
                ctx.source("sum.c"), bench=bench, env=env)
    check(r.returncode == 4 and "weft cannot be built: weftcc not found"
          in r.stderr, "no weftcc, weft asked for: a build failure")
    r = ctx.run("--runs", "1", "--threads", "1", "--json", "out.json",
                ctx.source("sum.c"), bench=bench, env=env)
    check(r.returncode == 0 and "skipping weft: weftcc not found"
          in r.stderr, "no weftcc, default variants: skipped with a note")
    doc = ctx.load_json("out.json")
    check("weft" in doc["skipped"] and
          doc["amdahl"]["serial_fraction"] is None,
          "JSON lists weft as skipped, with no Amdahl estimate")
    return 0


def case_amdahl(ctx):
    """The Amdahl fit and the 'stops paying' rule on exact synthetic data."""
    wb = load_bench_module(ctx.bench)
    for f_true in (0.0, 0.05, 0.25, 1.0):
        pts = [(p, 8.0 * (f_true + (1 - f_true) / p)) for p in (1, 2, 4, 8)]
        t1, f = wb.amdahl_fit(pts)
        check(abs(f - f_true) < 1e-9 and abs(t1 - 8.0) < 1e-9,
              "fit recovers f=%g (got %g, T1 %g)" % (f_true, f, t1))
    check(wb.amdahl_fit([(4, 1.0), (4, 1.1)]) is None,
          "one thread count: no fit")
    # Doubling from p gains (f + x)/(f + x/2) - 1 with x = (1-f)/p.
    for f in (0.01, 0.05, 0.1, 0.3):
        n = wb.predicted_limit(f)

        def gain(p):
            x = (1 - f) / p
            return (f + x) / (f + x / 2) - 1
        check(gain(n) < 0.05 and (n == 1 or gain(n - 1) >= 0.05),
              "limit %d for f=%g is the first p where doubling gains < 5%%"
              % (n, f))
    check(wb.predicted_limit(0.0) is None, "f = 0: no predicted limit")

    def res(p, t):
        return {"variant": "weft", "threads": p, "median_s": t,
                "speedup": 8.0 / t}
    am = wb.amdahl_summary([res(1, 8.0), res(2, 4.4), res(4, 2.6),
                            res(8, 3.0)])
    check(am["measured_drop_after"] == 4 and am["max_useful_threads"] == 4,
          "a measured drop after 4 threads caps the useful threads at 4")
    return 0


CASES = {
    "json": case_json,
    "mismatch": case_mismatch,
    "build_failure": case_build_failure,
    "errors": case_errors,
    "plot": case_plot,
    "weftcc_discovery": case_weftcc_discovery,
    "amdahl": case_amdahl,
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bench", required=True)
    p.add_argument("--weftcc", required=True)
    p.add_argument("--srcdir", required=True)
    p.add_argument("case", choices=sorted(CASES))
    opts = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="weft-bench-test-") as tmp:
        try:
            return CASES[opts.case](Ctx(opts, tmp))
        except Failure as e:
            print("FAIL: %s" % e)
            return 1


if __name__ == "__main__":
    sys.exit(main())
