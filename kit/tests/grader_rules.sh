#!/bin/sh
# grader_rules.sh — the grader's rules for your compiled file, checked here first.
#
#   sh tests/grader_rules.sh OBJECT DEPFILE SOURCE "PUBLIC_HEADERS" "GRADED" "ALLOWED" MEMORY_MB CUT
#
# The grader compiles your file alone, next to the public headers only, and
# leaves out the graded functions that call functions other than their own,
# the graded ones and ALLOWED (the C library's and gc_utils.h's): their tests
# do not run (CUT lists them, for make test). It refuses an object that defines main (or
# a name of the sanitizers' runtime, __asan_... and the like), or that
# has code running before main (a constructor), or whose code and static
# data alone outgrow the memory a test may use. A refused file scores 0, so
# the kit applies the same rules before it runs the tests.
set -u
obj=$1 deps=$2 source=$3 headers=$4 graded=$5 allowed=$6 memory_mb=$7 cut=$8
why=""
refuse() { why="$why
  - $1"; }
listed() { case " $2 " in *" $1 "*) return 0 ;; esac; return 1; }

# Files of this folder that the compiler read: the source and the public headers only.
here=$(pwd)
for f in $(sed -e 's/^[^:]*://' -e 's/\\$//' "$deps"); do
    case $f in
        "$here"/*) f=${f#"$here"/} ;;
        /*) continue ;;    # the system's headers
    esac
    listed "$f" "$source $headers" ||
        refuse "it includes $f: the grader has only the C library's headers and $headers"
done

# A call graded code may not make: like the grader, cut out only the graded
# functions that reach it (directly or through your own helpers); their tests
# would not run, the others do. The names cut go to CUT (one a line).
forbidden=""
for s in $(nm -u "$obj" | awk '{ print $NF }'); do
    listed "$s" "$graded $allowed" || forbidden="$forbidden $s"
done
: > "$cut"
if [ -n "$forbidden" ]; then
    reach=$(objdump -dr --no-show-raw-insn "$obj" | awk -v graded="$graded" -v forbidden="$forbidden" '
        /^[0-9a-f]+ <.*>:$/ { cur = $2; gsub(/[<>:]/, "", cur); defined[cur] = 1; next }
        /R_X86_64_|R_AARCH64_/ { t = $NF; sub(/[-+]0x[0-9a-f]+$/, "", t); edge[cur, ++n[cur]] = t; next }
        /(call|jmp|j[a-z]+|bl|b)[ \t]+[0-9a-f]+ <[^>]+>/ {
            t = $0; sub(/.*</, "", t); sub(/>.*/, "", t); sub(/[-+]0x[0-9a-f]+$/, "", t)
            if (t != cur) edge[cur, ++n[cur]] = t
        }
        END {
            nf = split(forbidden, fb, " "); for (i = 1; i <= nf; i++) bad[fb[i]] = 1
            ng = split(graded, g, " ")
            for (i = 1; i <= ng; i++) {
                if (!(g[i] in defined)) continue
                delete seen; top = 0; stack[++top] = g[i]; seen[g[i]] = 1; uses = ""
                while (top > 0) {
                    f = stack[top--]
                    for (k = 1; k <= n[f]; k++) {
                        t = edge[f, k]
                        if (t in seen) continue
                        seen[t] = 1
                        if (t in bad) uses = uses (uses == "" ? "" : ", ") t
                        else if (t in defined) stack[++top] = t
                    }
                }
                if (uses != "") print g[i] " " uses
            }
        }')
    echo "$reach" | while read -r fn uses; do
        [ -n "$fn" ] || continue
        echo "$fn" >> "$cut"
        echo "$fn uses $uses, which graded code may not use: $fn's tests would not run (the grader leaves it out and runs the others' tests)" >&2
    done
    [ -s "$cut" ] || echo "Code no graded function calls uses$forbidden, which graded code may not use; the grader leaves it out." >&2
fi
for s in $(nm --defined-only "$obj" | awk '$2 ~ /^[A-Z]$/ && $NF == "main" { print $NF }'); do
    refuse "it defines main: the grader provides the program around your functions"
done
for s in $(nm --defined-only "$obj" | awk '$2 ~ /^[A-Z]$/ && $NF ~ /^__(asan|lsan|ubsan|sanitizer)_/ { print $NF }'); do
    refuse "it defines $s: a name of the sanitizers' runtime, which the memory checks use"
done
for s in $(nm --defined-only "$obj" | awk '$2 == "i" { print $NF }'); do
    refuse "$s is an ifunc: its resolver runs before main"
done
for sec in $(objdump -h "$obj" | awk '$1 ~ /^[0-9]+$/ { print $2 }'); do
    case $sec in
        .init_array*|.fini_array*|.preinit_array*|.ctors*|.dtors*|.init|.fini)
            refuse "section $sec: code that runs before or after main (a constructor or destructor)" ;;
        cr_*|.cr_*|.criterion*)
            refuse "section $sec: a section of the Criterion test framework" ;;
    esac
done

# Code and static data: the allocated sections (size's total), and common symbols.
bytes=$(size "$obj" | awk 'NR == 2 { print $4 }')
for hex in $(nm -S "$obj" | awk '$3 == "C" { print $2 }'); do
    bytes=$((bytes + 0x$hex))
done
mib=1048576
if [ "$bytes" -gt $((memory_mb * mib)) ]; then
    refuse "its arrays and variables outside functions take $(((bytes + mib - 1) / mib)) MB, more than the $memory_mb MB of memory a test may use: no test could start"
fi

[ -z "$why" ] && exit 0
echo "The grader would refuse your file:$why" >&2
exit 1
