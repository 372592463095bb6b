#!/bin/sh
# substitute.sh — prepare your compiled file as the grader does for tests
# that put the course's functions in place of yours.
#
#   sh tests/substitute.sh OBJECT OUTPUT "FUNCTIONS"
#
# Some tests run your gradient_check with the course's forward_propagation
# and backward_propagation, or with seeded wrong ones (tests/
# gradient_check_substitutes.c), so that each function is graded on its own.
# For each of FUNCTIONS your file defines, this makes your definition weak and
# gives it a second name, __subst_own_NAME; the dispatcher of the same name in
# gradient_check_substitutes.c then receives every call and, for each test,
# calls yours or the course's. Your file is compiled with -fPIC, so that a call
# of your own forward_propagation from your gradient_check is a real call that
# the dispatcher can receive (the compiler may not inline it).
set -eu
obj=$1 out=$2 functions=$3
args=$out.args
: > "$args"
for f in $functions; do
    # objdump -t: VALUE FLAGS SECTION SIZE NAME; a global (g) function (F)
    line=$(objdump -t "$obj" | awk -v f="$f" '$NF == f && $2 == "g" && $3 == "F" { print $1, $4; exit }')
    [ -n "$line" ] || continue
    set -- $line
    printf "%s\n" "--weaken-symbol=$f" "--add-symbol=__subst_own_$f=$2:0x$1,global,function" >> "$args"
done
objcopy "@$args" "$obj" "$out"
