#!/usr/bin/env bash
# This file handles the timed benchmark run on a borrowed many-core machine
# that has nothing installed but a base Debian: it runs, from the bundle
# that bench/device/build-bundle.sh made, in priority order
#   1. epcc:    the EPCC-style overhead rows, weft vs libgomp vs libomp;
#   2. samples: every sample serial and per thread count, weft / gcc / clang;
#   3. stream:  the STREAM triad's GB/s for the four stream builds;
# and writes under $OUT the raw CSV of each, the machine description
# (uname, lscpu, nproc) and summary.md (tables of medians and of ratios
# weft / best peer). Only bash, coreutils, awk (mawk is enough) and the
# bundle are needed: no python, no compiler, no hwloc or OpenMP runtime.
#
# Time: the whole run is held to --budget seconds. Each step gets a share;
# what a step leaves unused passes to the next. Each step runs under
# `timeout`, and inside it every process runs under `timeout` and nothing
# new starts after the step's deadline. The loops run repetition blocks
# (EPCC) and rounds (samples, stream) outermost, so a step cut short has
# fewer repetitions of every thread count, never a missing thread count.
# A timestamp (seconds since start) prefixes every progress line.
#
# Usage: bash bench/device/run.sh [options]      (from the repository root)
#   --bundle DIR      the bundle (default <repo>/build-device)
#   --out DIR         results folder (default $OUT, else ./device-out)
#   --threads LIST    team sizes (default 1,2,4,8,16; those above nproc are
#                     dropped with a note)
#   --stream-threads LIST   STREAM team sizes (default 1,4,8,16, or
#                     --threads when that is given)
#   --bind close|spread|none  OMP_PROC_BIND for every run of every runtime,
#                     with OMP_PLACES=cores (default close; none: both unset)
#   --steps LIST      which of epcc,samples,stream (default all three)
#   --budget S        seconds for the whole run (default 400)
#   --quick           small sizes and few repetitions: a test of the script
# Exit status: 0 every run passed its checks; 1 some run failed, timed out
# or printed a wrong result (see failures.txt); 2 usage or missing bundle.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

# ---- step mode: `run.sh __step NAME` runs one step; settings come from
# the DEV_* variables the main mode exports. ----
if [ "${1:-}" = __step ]; then
    step=$2
    bin=$DEV_BUNDLE/bin
    out=$DEV_OUT
    deadline=$((DEV_ALLOT - 3))
    IFS=, read -r -a threads <<<"$DEV_THREADS"
    IFS=, read -r -a sthreads <<<"$DEV_STREAM_THREADS"
    t0=${DEV_T0}
    stamp() { printf '[+%4ds] %s\n' $(($(date +%s) - t0)) "$*"; }
    fail() { stamp "FAIL: $*"; echo "$step: $*" >>"$out/failures.txt"; }
    left() { echo $((deadline - SECONDS)); }
    # Environment of every benchmark process: the variables that change how
    # a runtime binds, waits or sizes its team are removed (as
    # epcc_runner.py does), then the same values are given to all three.
    clean=()
    for v in $(env | sed -n 's/^\(\(OMP\|GOMP\|KMP\|WEFT\|LIBOMP\)_[A-Za-z0-9_]*\)=.*/\1/p'); do
        clean+=(-u "$v")
    done
    bindenv=()
    [ "$DEV_BIND" != none ] && bindenv=(OMP_PROC_BIND="$DEV_BIND" OMP_PLACES=cores)
    now_us() { # wall clock in microseconds, from bash itself when it can
        local e=${EPOCHREALTIME:-}
        if [ -n "$e" ]; then e=${e/[.,]/}; echo $((10#$e)); else echo $(($(date +%s%N) / 1000)); fi
    }
    truncated=0
    # run_limited SECONDS_CAP OUTFILE ERRFILE THREADS COMMAND...: runs one
    # benchmark process under the common environment; status 124 when it
    # hit its time limit (the cap, or what is left of the step).
    run_limited() {
        local cap=$1 o=$2 e=$3 t=$4 lim
        shift 4
        lim=$(left)
        [ "$lim" -gt "$cap" ] && lim=$cap
        [ "$lim" -lt 1 ] && return 124
        env "${clean[@]}" OMP_NUM_THREADS="$t" ${bindenv[@]+"${bindenv[@]}"} \
            timeout -k 2 "$lim" "$@" >"$o" 2>"$e"
    }

    case $step in
    epcc)
        impls=()
        for i in weft libgomp libomp; do
            [ -x "$bin/epcc-$i" ] && impls+=("$i") || fail "epcc-$i missing from the bundle"
        done
        [ ${#impls[@]} -gt 0 ] || exit 1
        "$bin/epcc-${impls[0]}" --list-rows >"$out/epcc-rows.txt"
        csv=$out/epcc.csv
        echo "impl,threads,block,row,rep,innerreps,construct_us,ref_us,overhead_us" >"$csv"
        : >"$out/epcc-meta.txt"
        read -r -a extra <<<"$DEV_EPCC_ARGS"
        nblocks=$(((DEV_EPCC_REPS + DEV_EPCC_BLOCK - 1) / DEV_EPCC_BLOCK))
        n=${#impls[@]} rot=0
        tmp=$out/.epcc-tmp
        stamp "epcc: ${impls[*]}; threads ${threads[*]}; $DEV_EPCC_REPS reps in blocks of $DEV_EPCC_BLOCK; $(left) s left"
        for ((b = 0; b < nblocks && !truncated; b++)); do
            k=$DEV_EPCC_BLOCK
            [ $(((b + 1) * k)) -gt "$DEV_EPCC_REPS" ] && k=$((DEV_EPCC_REPS - b * k))
            for t in "${threads[@]}"; do
                # Rotated order: no runtime always runs right after another.
                for ((j = 0; j < n; j++)); do
                    impl=${impls[(j + rot) % n]}
                    if [ "$(left)" -lt 5 ]; then truncated=1; break 2; fi
                    run_limited 90 "$tmp.out" "$tmp.err" "$t" "$bin/epcc-$impl" \
                        --threads "$t" --reps "$k" --block "$b" ${extra[@]+"${extra[@]}"}
                    rc=$?
                    if [ $rc -ne 0 ]; then
                        fail "epcc-$impl threads=$t block=$b: status $rc: $(tail -3 "$tmp.err" | tr '\n' ' ')"
                        continue
                    fi
                    grep -q "^t=$t # impl=$impl " "$out/epcc-meta.txt" ||
                        sed -n "s/^# /t=$t # /p" "$tmp.out" >>"$out/epcc-meta.txt"
                    # Every data line has 9 fields and names its runtime.
                    awk -F, -v impl="$impl" -v bad="$tmp.bad" '
                        /^#/ || /^impl,/ || $0 == "" { next }
                        NF == 9 && $1 == impl { print; next }
                        { print > bad }' "$tmp.out" >>"$csv"
                    if [ -s "$tmp.bad" ]; then
                        fail "epcc-$impl threads=$t: unexpected output: $(head -2 "$tmp.bad" | tr '\n' ' ')"
                        rm -f "$tmp.bad"
                    fi
                done
                rot=$((rot + 1))
            done
            [ $truncated = 1 ] || stamp "epcc: block $((b + 1))/$nblocks done ($(left) s left)"
        done
        rm -f "$tmp.out" "$tmp.err"
        ;;
    samples)
        csv=$out/samples.csv
        echo "sample,variant,threads,round,wall_s,prog_s,status,output_match" >"$csv"
        read -r -a samples <<<"$DEV_SAMPLES"
        variants=(weft gcc-openmp clang-openmp)
        # Configurations: serial once per round, every other build per team
        # size; the order rotates by one each round.
        configs=()
        for s in "${samples[@]}"; do
            if [ ! -x "$bin/$s-serial" ]; then fail "$s-serial missing"; continue; fi
            configs+=("$s:serial:1")
            for v in "${variants[@]}"; do
                if [ ! -x "$bin/$s-$v" ]; then fail "$s-$v missing"; continue; fi
                for t in "${threads[@]}"; do configs+=("$s:$v:$t"); done
            done
        done
        nc=${#configs[@]}
        tmp=$out/.samples-tmp
        mkdir -p "$tmp"
        stamp "samples: ${samples[*]}; $nc configurations x $DEV_ROUNDS rounds; $(left) s left"
        declare -A argv_of
        for kv in $DEV_SAMPLE_ARGS; do argv_of[${kv%%=*}]=${kv#*=}; done
        for ((r = 0; r < DEV_ROUNDS && !truncated; r++)); do
            # Round 0 runs every serial build first: its output is the
            # reference every other run of that sample is compared with.
            order=()
            if [ $r = 0 ]; then
                for c in "${configs[@]}"; do [[ $c == *:serial:* ]] && order+=("$c"); done
                for c in "${configs[@]}"; do [[ $c == *:serial:* ]] || order+=("$c"); done
            else
                for ((i = 0; i < nc; i++)); do order+=("${configs[(i + r * (nc / DEV_ROUNDS + 1)) % nc]}"); done
            fi
            for c in "${order[@]}"; do
                IFS=: read -r s v t <<<"$c"
                if [ "$(left)" -lt 3 ]; then truncated=1; break; fi
                read -r -a args <<<"${argv_of[$s]//,/ }"
                start=$(now_us)
                run_limited 60 "$tmp/out" "$tmp/err" "$t" "$bin/$s-$v" ${args[@]+"${args[@]}"}
                rc=$?
                us=$(($(now_us) - start))
                printf -v wall '%d.%06d' $((us / 1000000)) $((us % 1000000))
                prog=$(sed -n 's/^time: \([0-9.]*\) s$/\1/p' "$tmp/err" | tail -1)
                if [ $rc -ne 0 ]; then
                    fail "$s-$v threads=$t round=$r: status $rc: $(tail -2 "$tmp/err" | tr '\n' ' ')"
                    echo "$s,$v,$t,$r,,,fail,-" >>"$csv"
                    continue
                fi
                ref=$tmp/$s.ref
                if [ "$v" = serial ] && [ ! -f "$ref" ]; then cp "$tmp/out" "$ref"; fi
                if cmp -s "$tmp/out" "$ref"; then match=yes; else
                    match=no
                    # Reported, not fatal: a float reduction over another
                    # team size may round its last printed digit otherwise.
                    echo "samples: $s-$v threads=$t round=$r: output differs from serial: $(head -c 200 "$tmp/out" | tr '\n' ' ')" >>"$out/failures.txt"
                fi
                echo "$s,$v,$t,$r,$wall,${prog:-},ok,$match" >>"$csv"
            done
            [ $truncated = 1 ] || stamp "samples: round $((r + 1))/$DEV_ROUNDS done ($(left) s left)"
        done
        rm -rf "$tmp"
        ;;
    stream)
        csv=$out/stream.csv
        echo "build,threads,round,sched,best_gbs,median_gbs,check,status" >"$csv"
        builds=()
        for b in weft weft-steal gcc-openmp clang-openmp; do
            [ -x "$bin/stream-$b" ] && builds+=("$b") || fail "stream-$b missing"
        done
        tmp=$out/.stream-tmp
        kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$2"; }
        stamp "stream: ${builds[*]}; threads ${sthreads[*]}; $DEV_STREAM_ROUNDS rounds; $(left) s left"
        rot=0
        for ((r = 0; r < DEV_STREAM_ROUNDS && !truncated; r++)); do
            for t in "${sthreads[@]}"; do
                nb=${#builds[@]}
                for ((j = 0; j < nb; j++)); do
                    b=${builds[(j + rot) % nb]}
                    if [ "$(left)" -lt 3 ]; then truncated=1; break 2; fi
                    run_limited 60 "$tmp.out" "$tmp.err" "$t" "$bin/stream-$b" $DEV_STREAM_ARGS
                    rc=$?
                    if [ $rc -ne 0 ]; then
                        fail "stream-$b threads=$t: status $rc: $(tail -2 "$tmp.err" "$tmp.out" | tr '\n' ' ')"
                        echo "$b,$t,$r,,,,,fail" >>"$csv"
                        continue
                    fi
                    chk=$(kv check "$tmp.out")
                    [ "$chk" = ok ] || fail "stream-$b threads=$t: check=$chk"
                    sched=$(kv sched "$tmp.out")
                    echo "$b,$t,$r,${sched//,/;},$(kv best_gbs "$tmp.out"),$(kv median_gbs "$tmp.out"),$chk,ok" >>"$csv"
                done
                rot=$((rot + 1))
            done
            [ $truncated = 1 ] || stamp "stream: round $((r + 1))/$DEV_STREAM_ROUNDS done ($(left) s left)"
        done
        rm -f "$tmp.out" "$tmp.err"
        ;;
    *) echo "run.sh: unknown step $step" >&2; exit 2 ;;
    esac
    [ $truncated = 1 ] && { stamp "$step: CUT SHORT by its time share"; echo "$step: cut short by its time share" >>"$out/failures.txt"; }
    exit 0
fi

# ---- main mode ----
bundle=$top/build-device
out=${OUT:-./device-out}
team_list=1,2,4,8,16
stream_threads=""
bind=close
steps=epcc,samples,stream
budget=400
quick=0
while [ $# -gt 0 ]; do
    case $1 in
    --bundle) bundle=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --threads) team_list=$2; shift 2 ;;
    --stream-threads) stream_threads=$2; shift 2 ;;
    --bind) bind=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help)
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
        exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
case $bind in close|spread|none) ;; *) echo "run.sh: --bind close|spread|none" >&2; exit 2 ;; esac
if [ ! -f "$bundle/MANIFEST.txt" ] || [ ! -d "$bundle/bin" ]; then
    echo "run.sh: no bundle at $bundle (make it with bench/device/build-bundle.sh)" >&2
    exit 2
fi
bundle=$(cd "$bundle" && pwd)
# A copy of the bundle may have lost its executable bits on the way.
chmod +x "$bundle"/bin/* 2>/dev/null
mkdir -p "$out"
out=$(cd "$out" && pwd)
: >"$out/failures.txt"
t0=$(date +%s)
stamp() { printf '[+%4ds] %s\n' $(($(date +%s) - t0)) "$*"; }
exec > >(tee -a "$out/log.txt") 2>&1
tee_pid=$!

# Team sizes above the CPUs this process may use would measure
# oversubscription, not scaling: they are dropped.
ncpu=$(nproc)
keep_fitting() {
    local list=() t
    IFS=, read -r -a all <<<"$1"
    for t in "${all[@]}"; do
        if [ "$t" -le "$ncpu" ]; then list+=("$t"); else stamp "note: $t threads > nproc=$ncpu: dropped" >&2; fi
    done
    local IFS=,
    echo "${list[*]}"
}
[ -n "$stream_threads" ] || { [ "$team_list" = 1,2,4,8,16 ] && stream_threads=1,4,8,16 || stream_threads=$team_list; }
team_list=$(keep_fitting "$team_list")
stream_threads=$(keep_fitting "$stream_threads")

# Sizes: each sample's serial run takes about 1 s on a 2.x GHz core, so a
# 16-thread run still has ~60 ms of work; --quick uses the tiny sizes of the
# samples' CTest checks.
if [ $quick = 1 ]; then
    sample_args="mandelbrot=200 pi=2000000 matmul=120 stencil=100,50 nbody=300,3 histogram=3000000 saxpy=100000,5"
    epcc_reps=4 epcc_block=2 epcc_args="--target-us 300" rounds=2
    stream_args="--size 2 --reps 2" stream_rounds=1
else
    sample_args="mandelbrot=1800 pi=500000000 matmul=1100 stencil=1200,700 nbody=3500,20 histogram=800000000 saxpy=4000000,300"
    epcc_reps=30 epcc_block=5 epcc_args="" rounds=3
    # 3 x 256 MiB: at least 4x the last-level cache of a 16-core slice.
    stream_args="--size 256 --reps 10" stream_rounds=2
fi
sample_list=""
for kv in $sample_args; do
    s=${kv%%=*}
    [ -x "$bundle/bin/$s-serial" ] && sample_list+="$s "
done

export LD_LIBRARY_PATH=$bundle/lib
export DEV_BUNDLE=$bundle DEV_OUT=$out DEV_THREADS=$team_list DEV_STREAM_THREADS=$stream_threads
export DEV_BIND=$bind DEV_T0=$t0 DEV_EPCC_REPS=$epcc_reps DEV_EPCC_BLOCK=$epcc_block
export DEV_EPCC_ARGS=$epcc_args DEV_SAMPLES=$sample_list DEV_SAMPLE_ARGS=$sample_args
export DEV_ROUNDS=$rounds DEV_STREAM_ARGS=$stream_args DEV_STREAM_ROUNDS=$stream_rounds

stamp "run.sh: bundle $bundle; out $out; threads $team_list; stream threads $stream_threads; bind $bind; budget $budget s; quick=$quick"

# ---- the machine ----
{
    echo "## date"; date -u '+%Y-%m-%d %H:%M:%S UTC'
    echo "## uname -a"; uname -a
    echo "## nproc"; nproc
    echo "## lscpu"; lscpu 2>&1 || cat /proc/cpuinfo
    echo "## memory"; head -3 /proc/meminfo
    echo "## load average"; cat /proc/loadavg
    echo "## os"; head -4 /etc/os-release 2>/dev/null; ldd --version | head -1
    echo "## tools present here"
    for c in gcc clang python3 hwloc-ls; do printf '%s: %s\n' $c "$(command -v $c || echo absent)"; done
    echo "## bundle"; cat "$bundle/MANIFEST.txt"
    echo "## ldd with LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
    for f in epcc-weft epcc-libgomp epcc-libomp; do echo "$f:"; ldd "$bundle/bin/$f"; done
} >"$out/env.txt" 2>&1
lscpu >"$out/lscpu.txt" 2>&1
uname -a >"$out/uname.txt"
nproc >"$out/nproc.txt"
# Which CPU each runtime's threads are bound to, once, at the largest team.
tmax=${team_list##*,}
for i in weft libgomp libomp; do
    [ -x "$bundle/bin/epcc-$i" ] || continue
    echo "## epcc-$i, $tmax threads, OMP_PROC_BIND=$bind OMP_PLACES=cores OMP_DISPLAY_AFFINITY=true"
    if [ "$bind" = none ]; then b=(); else b=(OMP_PROC_BIND="$bind" OMP_PLACES=cores); fi
    env ${b[@]+"${b[@]}"} OMP_DISPLAY_ENV=true OMP_DISPLAY_AFFINITY=true timeout 20 \
        "$bundle/bin/epcc-$i" --threads "$tmax" --rows parallel --reps 1 --target-us 200 2>&1 |
        grep -v '^parallel\|^impl,' | head -60
done >"$out/affinity.txt" 2>&1
stamp "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"

# Pre-flight: if the bundle's binaries cannot start here (a glibc older
# than the build machine's, a library missing), say why now and stop,
# instead of spending the budget on failures.
ok=0
for f in epcc-weft epcc-libgomp epcc-libomp; do
    if msg=$(timeout 20 "$bundle/bin/$f" --list-rows 2>&1 >/dev/null); then
        ok=$((ok + 1))
    else
        stamp "PRE-FLIGHT FAILED: $f: $msg"
        echo "pre-flight: $f cannot start: $msg" >>"$out/failures.txt"
        ldd "$bundle/bin/$f" 2>&1 | sed 's/^/    /'
    fi
done
if [ $ok = 0 ]; then
    stamp "no benchmark binary starts here; stopping (see env.txt)"
    exec >&- 2>&-
    wait "$tee_pid" 2>/dev/null
    exit 2
fi

# ---- the steps, in priority order, each with its share of the budget ----
declare -A share=([epcc]=38 [samples]=45 [stream]=14)   # percent
carry=0
status=0
for st in epcc samples stream; do
    [[ ",$steps," == *",$st,"* ]] || continue
    spent=$(($(date +%s) - t0))
    allot=$((budget * ${share[$st]} / 100 + carry))
    # Never past the whole budget (a few seconds are kept for the summary).
    [ $((spent + allot)) -gt $((budget - 5)) ] && allot=$((budget - 5 - spent))
    if [ "$allot" -lt 10 ]; then
        stamp "$st: skipped, the budget is spent"
        echo "$st: skipped, the budget is spent" >>"$out/failures.txt"
        status=1
        continue
    fi
    stamp "$st: start, $allot s"
    s0=$(date +%s)
    DEV_ALLOT=$allot timeout -k 5 $((allot + 5)) bash "$0" __step "$st"
    rc=$?
    [ $rc -eq 0 ] || { stamp "$st: step status $rc"; echo "$st: step status $rc" >>"$out/failures.txt"; }
    used=$(($(date +%s) - s0))
    carry=$((allot - used))
    [ $carry -lt 0 ] && carry=0
    stamp "$st: done in $used s"
done
[ -s "$out/failures.txt" ] && status=1

# ---- summary ----
bash "$here/summarize.sh" "$out" "$team_list" "$stream_threads" "$bind" >"$out/summary.md" ||
    { stamp "summary failed"; status=1; }
stamp "run.sh: finished in $(($(date +%s) - t0)) s; status $status; files in $out"
# On stdout, all but the long EPCC table of every cell (in summary.md): the
# run tool shows only the output's tail.
echo
awk '/^All cells:/ { skip = 1 } /^## |^Libraries loaded/ { skip = 0 } !skip' "$out/summary.md"
exec >&- 2>&-
wait "$tee_pid" 2>/dev/null
exit $status
