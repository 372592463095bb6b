#!/bin/sh
# run.sh — afl-fuzz every target for a bounded time; keep what it finds.
#
#   run.sh PROGRAM CORPUS OUT SECONDS [TARGET...]
#
# Each target is fuzzed for SECONDS from CORPUS/TARGET into OUT/TARGET. Every
# crash or hang found is copied into CORPUS/TARGET (as crash-* or hang-*), so
# that the suite replays it from then on (harness/tests/test_fuzz.c), and the
# script exits 1. Exit 0: nothing found.
set -u
prog=$1 corpus=$2 out=$3 seconds=$4
shift 4
targets=${*:-srccheck objcheck protocol intake}
command -v afl-fuzz >/dev/null || { echo "run.sh: afl-fuzz is missing (Debian package afl++)" >&2; exit 2; }
# a shared machine: no CPU pinning, no governor check, no core-dump handler
# needed (a crash is seen through the fork server), no screen
export AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
       AFL_FAST_CAL=1 AFL_SKIP_CRASHES=1 AFL_QUIET=1
found=0
for t in $targets; do
    rm -rf "$out/$t"
    mkdir -p "$out/$t"
    # -t: a run longer than 2 s is a hang; -m: memory cap of the target
    afl-fuzz -i "$corpus/$t" -o "$out/$t" -V "$seconds" -t 2000 -m 1024 -- "$prog" "$t" @@ \
        >"$out/$t.log" 2>&1
    rc=$?
    if [ ! -d "$out/$t/default" ]; then
        echo "run.sh: afl-fuzz did not run on $t (exit $rc):" >&2
        tail -20 "$out/$t.log" >&2
        exit 2
    fi
    execs=$(sed -n 's/^execs_done *: *//p' "$out/$t/default/fuzzer_stats" 2>/dev/null)
    n=0
    for kind in crashes hangs; do
        for f in "$out/$t/default/$kind"/id:*; do
            [ -e "$f" ] || continue
            n=$((n + 1))
            cp "$f" "$corpus/$t/${kind%es}-$(basename "$f" | tr -c 'A-Za-z0-9._\n-' _ | cut -c1-40)"
        done
    done
    echo "fuzz $t: ${execs:-?} runs in ${seconds} s, $n crashes or hangs"
    [ "$n" -eq 0 ] || found=1
done
[ "$found" -eq 0 ] || echo "run.sh: what was found is now in $corpus (replayed by the suite); fix it" >&2
exit $found
