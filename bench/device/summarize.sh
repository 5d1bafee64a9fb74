#!/usr/bin/env bash
# This file handles the Markdown summary of a bench/device/run.sh results
# folder: from epcc.csv, samples.csv and stream.csv it prints the tables of
# medians and the ratios weft / best peer. It needs only bash and a POSIX
# awk (mawk is enough: no asort, so the medians sort by hand), so it runs on
# the borrowed machine, and here again on a fetched folder.
#
# Usage: bench/device/summarize.sh DIR [THREADS] [STREAM_THREADS] [BIND]
#   THREADS and STREAM_THREADS: comma lists giving the column order
#   (default: the team sizes found in the CSV files, ascending).
# Writes the summary on stdout.
set -uo pipefail
dir=${1:?usage: summarize.sh DIR [THREADS] [STREAM_THREADS] [BIND]}
threads=${2:-}
sthreads=${3:-}
bind=${4:-close}
found_threads() { # the distinct team sizes of column $2 of CSV $1
    [ -f "$1" ] && tail -n +2 "$1" | cut -d, -f"$2" | grep -E '^[0-9]+$' | sort -n -u | paste -sd, -
}
[ -n "$threads" ] || threads=$(found_threads "$dir/epcc.csv" 2)
[ -n "$threads" ] || threads=$(found_threads "$dir/samples.csv" 3)
[ -n "$sthreads" ] || sthreads=$(found_threads "$dir/stream.csv" 2)

# Shared awk functions: medians and quartiles of a list held in v[1..n].
awk_lib='
function isort(a, n,    i, j, x) {
    for (i = 2; i <= n; i++) {
        x = a[i]
        for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]
        a[j + 1] = x
    }
}
function median(a, n) {
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
# Quartile q (1 or 3) as Python statistics.quantiles(n=4) computes it (the
# "exclusive" method), the rule epcc_runner.py uses for its "~" marks.
function quart(a, n, q,    m, j, d) {
    if (n < 2) return a[1]
    m = q * (n + 1)
    j = int(m / 4)
    if (j < 1) j = 1
    if (j > n - 1) j = n - 1
    d = m - j * 4
    return (a[j] * (4 - d) + a[j + 1] * d) / 4
}
function fmt(x,    ax) {
    if (x == "") return "-"
    ax = x < 0 ? -x : x
    if (ax >= 100) return sprintf("%.0f", x)
    if (ax >= 10) return sprintf("%.1f", x)
    return sprintf("%.2f", x)
}
'

echo "# Device run: weft vs libgomp vs libomp, $(cat "$dir/nproc.txt" 2>/dev/null || echo "?") CPUs"
echo
if [ -f "$dir/env.txt" ]; then
    cpu=$(sed -n 's/^Model name:[[:space:]]*//p' "$dir/lscpu.txt" 2>/dev/null | head -1)
    echo "- Date: $(sed -n '/^## date/{n;p;}' "$dir/env.txt"); CPU: ${cpu:-?}; nproc: $(cat "$dir/nproc.txt" 2>/dev/null)"
    echo "- Kernel: $(cat "$dir/uname.txt" 2>/dev/null)"
    echo "- Load average at start: $(sed -n '/^## load average/{n;p;}' "$dir/env.txt")"
    echo "- Bundle: $(sed -n 's/^weft source: //p' "$dir/env.txt" | head -1) weft; $(sed -n 's/^gcc: \(gcc .*\)/\1/p; s/^clang: \(.*clang version.*\)/\1/p' "$dir/env.txt" | paste -sd';' - | sed 's/;/; /')"
fi
echo "- Every run: OMP_*/GOMP_*/KMP_*/WEFT_*/LIBOMP_* removed, OMP_NUM_THREADS per run, $(
    [ "$bind" = none ] && echo "no binding" || echo "OMP_PROC_BIND=$bind OMP_PLACES=cores") for all three runtimes."
echo "- Raw figures: epcc.csv, samples.csv, stream.csv; machine: env.txt, lscpu.txt; binding: affinity.txt."
echo

# ---- EPCC ----
if [ -s "$dir/epcc.csv" ] && [ "$(wc -l <"$dir/epcc.csv")" -gt 1 ]; then
    echo "## EPCC overheads (us)"
    echo
    echo "Median [min, max] of the repetitions; runtimes interleaved block by block."
    echo "Ratios are of medians (below 1: weft is faster); \`-\` where the peer is under"
    echo "0.05 us; \`~\` where the two cells' interquartile ranges overlap."
    echo
    awk -F, -v threads="$threads" "$awk_lib"'
        FNR == NR { nrow++; rid[nrow] = $1; label[$1] = $2; next }
        FNR == 1 { next }
        { k = $2 SUBSEP $4 SUBSEP $1; n[k]++; v[k, n[k]] = $9 + 0 }
        function stats(k,    i, a, m) {
            m = n[k] + 0
            if (m == 0) { med = ""; return 0 }
            for (i = 1; i <= m; i++) a[i] = v[k, i]
            isort(a, m)
            med = median(a, m); lo = a[1]; hi = a[m]
            q1 = quart(a, m, 1); q3 = quart(a, m, 3)
            return m
        }
        function ratio(a, b) { return (a == "" || b == "" || b < 0.05) ? "" : a / b }
        function rcell(r, over) { return r == "" ? "-" : sprintf("%.2f%s", r, over ? " ~" : "") }
        END {
            nt = split(threads, T, ",")
            split("libgomp libomp weft", I, " ")
            # Pivot first: weft / best peer per row and team size.
            printf "weft / best peer (median overheads):\n\n| row |"
            for (t = 1; t <= nt; t++) printf " %s thr |", T[t]
            printf "\n|---|"; for (t = 1; t <= nt; t++) printf "---:|"; printf "\n"
            for (r = 1; r <= nrow; r++) {
                line = "| " label[rid[r]] " |"
                for (t = 1; t <= nt; t++) {
                    for (i = 1; i <= 3; i++) {
                        stats(T[t] SUBSEP rid[r] SUBSEP I[i])
                        M[i] = med; Q1[i] = q1; Q3[i] = q3
                    }
                    best = ""; bi = 0
                    for (i = 1; i <= 2; i++)
                        if (M[i] != "" && (best == "" || M[i] < best)) { best = M[i]; bi = i }
                    rr = ratio(M[3], best)
                    ov = bi && M[3] != "" && Q1[3] <= Q3[bi] && Q1[bi] <= Q3[3]
                    line = line " " rcell(rr, ov) " |"
                }
                print line
            }
            printf "\nAll cells:\n\n| threads | row | libgomp us | libomp us | weft us | weft/libgomp | weft/libomp | weft/best | reps |\n"
            printf "|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
            for (t = 1; t <= nt; t++) for (r = 1; r <= nrow; r++) {
                line = "| " T[t] " | " label[rid[r]] " |"
                reps = ""
                for (i = 1; i <= 3; i++) {
                    c = stats(T[t] SUBSEP rid[r] SUBSEP I[i])
                    M[i] = med; Q1[i] = q1; Q3[i] = q3
                    line = line " " (c ? fmt(med) " [" fmt(lo) ", " fmt(hi) "]" : "-") " |"
                    reps = reps (i > 1 ? "/" : "") c
                }
                best = ""; bi = 0
                for (i = 1; i <= 2; i++)
                    if (M[i] != "" && (best == "" || M[i] < best)) { best = M[i]; bi = i }
                for (i = 1; i <= 2; i++)
                    line = line " " rcell(ratio(M[3], M[i]), M[3] != "" && M[i] != "" && Q1[3] <= Q3[i] && Q1[i] <= Q3[3]) " |"
                line = line " " rcell(ratio(M[3], best), bi && M[3] != "" && Q1[3] <= Q3[bi] && Q1[bi] <= Q3[3]) " | " reps " |"
                print line
            }
        }' "$dir/epcc-rows.txt" "$dir/epcc.csv"
    if [ -s "$dir/epcc-meta.txt" ]; then
        echo
        echo "Libraries loaded (from each binary's header at the largest team):"
        echo
        tmax=${threads##*,}
        grep "^t=$tmax " "$dir/epcc-meta.txt" | sed 's/^t=[0-9]* # /- /; s/ threads=.* delay_us=/ delay_us=/; s/ iters_per_thread=.*compiler=/ compiler=/'
    fi
    echo
fi

# ---- samples ----
if [ -s "$dir/samples.csv" ] && [ "$(wc -l <"$dir/samples.csv")" -gt 1 ]; then
    echo "## Samples: wall seconds (median of the rounds) and speed-up over serial"
    echo
    echo "Speed-up = serial median / median. weft/best = weft median / the faster"
    echo "peer's median (below 1: weft is faster). \`n\` = runs counted per cell"
    echo "(serial/weft/gcc/clang); \`!\` = some output differed from the serial build's."
    echo "\"loop time\": the same ratio of the times the samples print for their parallel"
    echo "part (\"time: X s\" on stderr), without process start-up and runtime set-up."
    echo
    awk -F, -v threads="$threads" "$awk_lib"'
        FNR == 1 { next }
        !($1 in seen) { seen[$1] = 1; ns++; S[ns] = $1 }
        $7 != "ok" { next }
        { k = $1 SUBSEP $2 SUBSEP $3; n[k]++; v[k, n[k]] = $5 + 0; pv[k, n[k]] = $6 + 0
          if ($8 != "yes") bad[k] = 1 }
        function med_of(k, src,    i, a, m) {
            m = n[k] + 0
            if (m == 0) return ""
            for (i = 1; i <= m; i++) a[i] = src[k, i]
            isort(a, m)
            return median(a, m)
        }
        END {
            nt = split(threads, T, ",")
            split("weft gcc-openmp clang-openmp", V, " ")
            printf "| sample | threads | serial s | weft s | gcc s | clang s | weft x | gcc x | clang x | weft/best | weft/best, loop time | n |\n"
            printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
            for (s = 1; s <= ns; s++) {
                ks = S[s] SUBSEP "serial" SUBSEP 1
                ser = med_of(ks, v)
                for (t = 1; t <= nt; t++) {
                    line = "| " S[s] " | " T[t] " | " (t == 1 ? fmt(ser) (ks in bad ? " !" : "") : "") " |"
                    cnt = n[ks] + 0
                    for (i = 1; i <= 3; i++) {
                        k = S[s] SUBSEP V[i] SUBSEP T[t]
                        M[i] = med_of(k, v); P[i] = med_of(k, pv)
                        line = line " " (M[i] == "" ? "-" : sprintf("%.3f", M[i]) (k in bad ? " !" : "")) " |"
                        cnt = cnt "/" (n[k] + 0)
                    }
                    for (i = 1; i <= 3; i++)
                        line = line " " ((M[i] == "" || ser == "" || M[i] <= 0) ? "-" : sprintf("%.2f", ser / M[i])) " |"
                    best = ""
                    for (i = 2; i <= 3; i++) if (M[i] != "" && (best == "" || M[i] < best)) best = M[i]
                    line = line " " ((M[1] == "" || best == "" || best <= 0) ? "-" : sprintf("%.2f", M[1] / best)) " |"
                    best = ""
                    for (i = 2; i <= 3; i++) if (P[i] != "" && (best == "" || P[i] < best)) best = P[i]
                    line = line " " ((P[1] == "" || best == "" || best <= 0) ? "-" : sprintf("%.2f", P[1] / best)) " | " cnt " |"
                    print line
                }
            }
        }' "$dir/samples.csv"
    echo
fi

# ---- STREAM ----
if [ -s "$dir/stream.csv" ] && [ "$(wc -l <"$dir/stream.csv")" -gt 1 ]; then
    echo "## STREAM triad (GB/s: best of all repetitions / median of the runs' medians)"
    echo
    echo "weft/best = weft's best GB/s / the faster peer's best GB/s (above 1: weft is"
    echo "faster). weft and weft-steal: arrays from weft_alloc (first touch, static);"
    echo "weft-steal runs the triad under schedule(nonmonotonic: dynamic, 8192)."
    echo
    awk -F, -v threads="$sthreads" "$awk_lib"'
        FNR == 1 { next }
        $8 != "ok" { next }
        { k = $1 SUBSEP $2; n[k]++; v[k, n[k]] = $6 + 0
          if (!(k in best) || $5 + 0 > best[k]) best[k] = $5 + 0
          if ($7 != "ok") bad[k] = 1 }
        function med_of(k,    i, a, m) {
            m = n[k] + 0
            if (m == 0) return ""
            for (i = 1; i <= m; i++) a[i] = v[k, i]
            isort(a, m)
            return median(a, m)
        }
        END {
            nt = split(threads, T, ",")
            nb = split("weft weft-steal gcc-openmp clang-openmp", B, " ")
            printf "| threads |"
            for (b = 1; b <= nb; b++) printf " %s |", B[b]
            printf " weft/best |\n|---:|"
            for (b = 1; b <= nb + 1; b++) printf "---:|"
            printf "\n"
            for (t = 1; t <= nt; t++) {
                line = "| " T[t] " |"
                for (b = 1; b <= nb; b++) {
                    k = B[b] SUBSEP T[t]
                    line = line " " ((k in best) ? sprintf("%.1f / %.1f", best[k], med_of(k)) (k in bad ? " CHECK FAILED" : "") : "-") " |"
                }
                peer = ""
                for (b = 3; b <= 4; b++) { k = B[b] SUBSEP T[t]; if ((k in best) && (peer == "" || best[k] > peer)) peer = best[k] }
                k = B[1] SUBSEP T[t]
                line = line " " (((k in best) && peer != "" && peer > 0) ? sprintf("%.2f", best[k] / peer) : "-") " |"
                print line
            }
        }' "$dir/stream.csv"
    echo
fi

if [ -s "$dir/failures.txt" ]; then
    echo "## Failures and notes ($(wc -l <"$dir/failures.txt") lines, failures.txt)"
    echo
    head -20 "$dir/failures.txt" | sed 's/^/- /'
fi
