#!/usr/bin/env bash
# This file handles the MPI transport benchmark (issue 7): the per-chunk
# round trip and the 1+1-thread compute-bound ratio of the socket issue
# (bench/results/cluster-loopback.md), measured with the same program
# (tests/cluster/cluster_bench.c) over
#   - the socket layer (weftrun -n 2, TCP on 127.0.0.1),
#   - MPI's shared-memory transport (Open MPI: --mca btl self,vader),
#   - MPI's TCP transport (--mca btl self,tcp on the loopback interface),
# each beside its own raw ping-pong (cluster_bench's TCP one for sockets,
# bench/mpi_pingpong.c with the same btl for MPI), in the same run,
# interleaved (the order rotates every repetition), with medians over the
# repetitions. Every loop run records WEFT_STATS so that the table also says
# how many one-iteration calls really ran on the other rank. Writes a
# markdown report (machine, load, date) to bench/results/cluster-mpi.md.
#
# Usage: bench/run-cluster-mpi.sh [--build-dir DIR] [--reps N] [--calls C]
#          [--n N] [--work W] [--pp-rounds R] [--out FILE|-]
#          [--transports LIST]
#   --build-dir  a weft build with tests (default: build/ of this checkout)
#   --reps       repetitions of every row (default 5)
#   --calls      one-iteration cluster loop calls per run (default 2000)
#   --n, --work  compute-bound loop size and work per iteration (20000, 2000)
#   --pp-rounds  round trips of the raw MPI ping-pong (default 5000)
#   --out        report file (default bench/results/cluster-mpi.md; - =
#                stdout only)
#   --transports comma list among sockets,mpi-shm,mpi-tcp (default all;
#                the MPI rows need the plugin lib/libweft-mpi.so)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build
reps=5
calls=2000
n=20000
work=2000
pp_rounds=5000
out=$top/bench/results/cluster-mpi.md
transports=sockets,mpi-shm,mpi-tcp

while [ $# -gt 0 ]; do
    case "$1" in
    --build-dir) build=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --pp-rounds) pp_rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --transports) transports=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-cluster-mpi.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
build=$(cd "$build" && pwd)

bench=$build/tests/bin/cluster_bench
weftrun=$build/bin/weftrun
weftcc=$build/bin/weftcc
for f in "$bench" "$weftrun" "$weftcc"; do
    [ -x "$f" ] || { echo "run-cluster-mpi.sh: $f missing: build weft with tests" \
        "(cmake --build $build)" >&2; exit 1; }
done

want() { case ",$transports," in *",$1,"*) return 0 ;; esac; return 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/weft-cluster-mpi.XXXXXX")
# Every process this script starts is bounded by timeout (and mpirun
# takes its ranks down with it).
trap 'rm -rf "$scratch"' EXIT

mpirun_cmd=()
if want mpi-shm || want mpi-tcp; then
    if [ ! -e "$build/lib/libweft-mpi.so" ]; then
        echo "run-cluster-mpi.sh: $build/lib/libweft-mpi.so missing (a build" \
            "without MPI?): MPI rows need it; --transports sockets runs" \
            "the rest" >&2
        exit 1
    fi
    mpirun=$(command -v mpirun || command -v mpiexec || true)
    [ -n "$mpirun" ] || { echo "run-cluster-mpi.sh: no mpirun in PATH" >&2; exit 1; }
    # By name, as users type it: Open MPI derives its prefix from the path
    # it was started as, and /bin/mpirun (merged /usr) gives "/".
    mpirun_cmd=("$(basename "$mpirun")" -n 2 --oversubscribe)
    [ "$(id -u)" = 0 ] && mpirun_cmd+=(--allow-run-as-root)
    # ob1 is the point-to-point layer that honours the btl choice (a UCX
    # build would otherwise pick pml ucx and ignore it).
    mpirun_cmd+=(--mca pml ob1)
    pingpong=$scratch/mpi_pingpong
    "$weftcc" --weft-mpi -O2 -o "$pingpong" "$top/bench/mpi_pingpong.c"
fi

btl_args() {
    case "$1" in
    mpi-shm) echo "--mca btl self,vader" ;;
    mpi-tcp) echo "--mca btl self,tcp --mca btl_tcp_if_include lo" ;;
    esac
}

# run_row <transport> <rep>: one loop run (and, for MPI, one raw ping-pong
# first) of the transport; leaves its output in $scratch/<transport>.<rep>.*
run_row() {
    local t=$1 r=$2 base=$scratch/$1.$2
    local env=(OMP_NUM_THREADS=1 WEFT_MIN_WORKERS=1 "WEFT_STATS=$base.stats.json"
        WEFT_PROGRESS=0)
    case "$t" in
    alone)
        env OMP_NUM_THREADS=1 WEFT_PROGRESS=0 timeout -k 5 300 "$bench" \
            -c 10 -n "$n" -w "$work" > "$base.out"
        ;;
    sockets)
        env "${env[@]}" WEFT_TRANSPORT=sockets timeout -k 5 300 "$weftrun" \
            -n 2 "$bench" -c "$calls" -n "$n" -w "$work" > "$base.out"
        ;;
    mpi-*)
        # shellcheck disable=SC2046
        timeout -k 5 120 "${mpirun_cmd[@]}" $(btl_args "$t") "$pingpong" \
            "$pp_rounds" > "$base.pp"
        # shellcheck disable=SC2046
        env "${env[@]}" WEFT_TRANSPORT=mpi timeout -k 5 300 "${mpirun_cmd[@]}" \
            $(btl_args "$t") -x OMP_NUM_THREADS -x WEFT_MIN_WORKERS \
            -x WEFT_STATS -x WEFT_PROGRESS -x WEFT_TRANSPORT \
            "$bench" -c "$calls" -n "$n" -w "$work" > "$base.out"
        ;;
    esac
}

rows=(alone)
for t in sockets mpi-shm mpi-tcp; do
    want "$t" && rows+=("$t")
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
loads=()
for ((r = 1; r <= reps; r++)); do
    # Rotate the order so that no row always runs right after another.
    k=$(( (r - 1) % ${#rows[@]} ))
    order=("${rows[@]:k}" "${rows[@]:0:k}")
    for t in "${order[@]}"; do
        echo "run-cluster-mpi.sh: repetition $r/$reps: $t" >&2
        run_row "$t" "$r"
    done
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(lscpu 2> /dev/null | sed -n 's/^Model name: *//p' | head -n 1)
mpiver=$( (mpirun --version 2> /dev/null || true) | head -n 1)
rev=$(git -C "$top" rev-parse --short HEAD 2> /dev/null || echo unknown)
dirty=""
if git -C "$top" status --porcelain 2> /dev/null | grep -q .; then
    dirty=", uncommitted changes"
fi

report=$scratch/report.md
python3 - "$scratch" "$reps" "$calls" "$n" "$work" "${rows[*]}" > "$report" <<EOF
import json, re, statistics, sys
scratch, reps, calls, n, work, rows = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6].split()
PP = re.compile(r"raw (TCP|MPI) ping-pong.*?: ([0-9.]+) us per round trip \(median ([0-9.]+) us\)")
LOOP = re.compile(r"one-iteration cluster loop: ([0-9.]+) us per call \(median ([0-9.]+) us")
COMP = re.compile(r"compute-bound loop .*best of 3 ([0-9.]+) s \(([0-9]+) wrong")

def read(path):
    try:
        return open(path).read()
    except OSError:
        return ""

def remote_share(path):
    # One-iteration calls (cluster_bench.c:60:1, the warm-up included)
    # whose chunk ran on the other process.
    try:
        loops = json.load(open(path)).get("loops", [])
    except (OSError, ValueError):
        return None
    tiny = [l for l in loops if l.get("key", "").endswith(":60:1")]
    if not tiny:
        return None
    return sum(1 for l in tiny if l.get("chunks_remote", 0) > 0) / len(tiny)

runs = {t: [] for t in rows}
wrong = 0
for t in rows:
    for r in range(1, reps + 1):
        base = f"{scratch}/{t}.{r}"
        o = read(base + ".out")
        rec = {}
        c = COMP.search(o)
        if c:
            rec["comp"] = float(c.group(1))
            wrong += int(c.group(2))
        if t != "alone":
            pp = PP.search(read(base + ".pp") if t.startswith("mpi") else o)
            lp = LOOP.search(o)
            if pp:
                rec["pp"] = (float(pp.group(2)), float(pp.group(3)))
            if lp:
                rec["loop"] = (float(lp.group(1)), float(lp.group(2)))
            rec["remote"] = remote_share(base + ".stats.json")
        runs[t].append(rec)

def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None

def f(x, fmt="{:.1f}"):
    return "n/a" if x is None else fmt.format(x)

alone = med([r.get("comp") for r in runs["alone"]])
names = {"sockets": "sockets (weftrun, TCP 127.0.0.1)",
         "mpi-shm": "MPI shared memory (btl self,vader)",
         "mpi-tcp": "MPI TCP (btl self,tcp, lo)"}
base_of = {"sockets": "TCP", "mpi-shm": "MPI vader", "mpi-tcp": "MPI TCP"}
print("## Summary (median over %d repetitions)" % reps)
print()
print("| transport | raw ping-pong, mean / median (us) | one-iteration loop, mean / median (us) | ratio, means / medians | loop median / sockets' | calls run remotely | 1+1 compute (s) | 1+1 / 1 thread |")
print("|---|---|---|---|---|---|---|---|")
sock = med([r["loop"][1] for r in runs.get("sockets", []) if "loop" in r])
for t in rows:
    if t == "alone":
        continue
    rs = runs[t]
    ppm = med([r["pp"][0] for r in rs if "pp" in r])
    ppd = med([r["pp"][1] for r in rs if "pp" in r])
    lm = med([r["loop"][0] for r in rs if "loop" in r])
    ld = med([r["loop"][1] for r in rs if "loop" in r])
    # Ratios per run (both figures from the same moment), then the median.
    rm = med([r["loop"][0] / r["pp"][0] for r in rs if "loop" in r and "pp" in r and r["pp"][0] > 0])
    rd = med([r["loop"][1] / r["pp"][1] for r in rs if "loop" in r and "pp" in r and r["pp"][1] > 0])
    rem = med([r.get("remote") for r in rs])
    comp = med([r.get("comp") for r in rs])
    ratio = comp / alone if comp and alone else None
    vs = ld / sock if ld is not None and sock else None
    print(f"| {names[t]} | {base_of[t]}: {f(ppm)} / {f(ppd)} | {f(lm)} / {f(ld)} | "
          f"{f(rm, '{:.2f}')} / {f(rd, '{:.2f}')} | {f(vs, '{:.2f}')} | {f(None if rem is None else 100 * rem, '{:.0f}%')} | "
          f"{f(comp, '{:.3f}')} | {f(ratio, '{:.2f}')} |")
print(f"| 1 thread alone (no cluster) | | | | | | {f(alone, '{:.3f}')} | 1 |")
print()
if wrong:
    print(f"**{wrong} wrong samples in the compute-bound loop: results are not valid.**")
    print()
print("## Per run")
print()
print("| transport | run | ping-pong mean / median (us) | loop mean / median (us) | ratio medians | remote | compute (s) |")
print("|---|---|---|---|---|---|---|")
for t in rows:
    for i, r in enumerate(runs[t], 1):
        pp = r.get("pp"); lp = r.get("loop")
        rd = lp[1] / pp[1] if pp and lp and pp[1] > 0 else None
        rem = r.get("remote")
        print(f"| {t} | {i} | {f(pp and pp[0])} / {f(pp and pp[1])} | {f(lp and lp[0])} / {f(lp and lp[1])} | "
              f"{f(rd, '{:.2f}')} | {f(None if rem is None else 100 * rem, '{:.0f}%')} | {f(r.get('comp'), '{:.3f}')} |")
EOF

{
    echo "# Cluster loops over MPI vs the socket layer (issue 7)"
    echo
    echo "Machine: $(nproc) CPUs (${cpu:-unknown CPU}), kernel $(uname -r);" \
        "${mpiver:-no MPI}. Load average (1/5/15 min) $load_before before," \
        "$load_after after; 1-minute load after each repetition:" \
        "${loads[*]}. Started $started; weft $rev$dirty." | fold -s -w 78 |
        sed 's/ *$//'
    echo
    # More runnable threads than CPUs: every process waits for a CPU in
    # turn, which the 1+1 figure measures more than the transport.
    if awk -v l="${load_before%% *}" -v c="$(nproc)" 'BEGIN { exit !(l > c) }'; then
        echo "**The load exceeded the CPU count**: the 1+1 compute figures mostly"
        echo "measure the share of the CPUs the scheduler gave each process; the"
        echo "per-call medians (and ratios taken within one run) are the figures"
        echo "to read."
        echo
    fi
    echo "Each repetition runs every row once, in an order that rotates from one"
    echo "repetition to the next; $reps repetitions. Per row:"
    echo
    echo '    OMP_NUM_THREADS=1 cluster_bench -c 10 -n '"$n"' -w '"$work"'     # 1 thread alone'
    echo '    OMP_NUM_THREADS=1 WEFT_MIN_WORKERS=1 WEFT_TRANSPORT=sockets weftrun -n 2 cluster_bench -c '"$calls"' -n '"$n"' -w '"$work"
    echo '    mpirun -n 2 --oversubscribe --mca pml ob1 --mca btl self,vader mpi_pingpong '"$pp_rounds"
    echo '    mpirun -n 2 --oversubscribe --mca pml ob1 --mca btl self,vader -x OMP_NUM_THREADS=1 ... cluster_bench -c '"$calls"' -n '"$n"' -w '"$work"
    echo '    (and the same two with --mca btl self,tcp --mca btl_tcp_if_include lo)'
    echo
    echo "The ratio divides the loop's per-call time by the raw ping-pong of the"
    echo "same transport (TCP for sockets, bench/mpi_pingpong.c, 64 B at"
    echo "MPI_THREAD_MULTIPLE, for MPI), run by run. \"Calls run remotely\" counts"
    echo "the one-iteration calls whose chunk ran on the other process (WEFT_STATS):"
    echo "a call run locally measures no round trip. \"1+1 compute\" is the"
    echo "compute-bound loop with a 1-thread coordinator and a 1-thread worker,"
    echo "\"1+1 / 1 thread\" its ratio to one thread alone (ideal 0.5)."
    echo
    cat "$report"
} > "$scratch/full.md"

cat "$scratch/full.md"
if [ "$out" != "-" ]; then
    cp "$scratch/full.md" "$out"
    echo "run-cluster-mpi.sh: wrote $out" >&2
fi
