#!/bin/sh
# bench.sh — how long a student waits from unpacking the kit to the first
# result: tar -xzf, then `make test` (compiling everything) on the untouched
# template, then `make test` again after a one-line edit (the daily loop).
# Prints the figures; not a test (the suite never times anything).
#
#   sh kit/bench.sh KIT.tar.gz [RUNS]     (make student-kit-bench runs it)
set -eu
kit=$(realpath "$1")
runs=${2:-3}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Run as a student would: not as a child of this make.
unset MAKEFLAGS MAKELEVEL MFLAGS
i=1
while [ "$i" -le "$runs" ]; do
    dir=$(mktemp -d)
    t0=$(now)
    tar -xzf "$kit" -C "$dir"
    make -s -C "$dir"/* test >/dev/null 2>&1 || true     # the template fails its tests
    t1=$(now)
    sed -i 's|double J = 0.0;|double J = theta * x;|' "$dir"/*/gradient_check.c
    make -s -C "$dir"/* test >/dev/null 2>&1 || true     # still failing: 3 tests pass
    t2=$(now)
    echo "run $i: unpack to first result $(secs "$t0" "$t1") s; edit to result $(secs "$t1" "$t2") s"
    rm -rf "$dir"
    i=$((i + 1))
done
