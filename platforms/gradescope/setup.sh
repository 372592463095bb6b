#!/bin/bash
# setup.sh — Gradescope runs this once, as root, when it builds the
# autograder's image; the zip's contents are in /autograder/source.
#
# Installs the Debian/Ubuntu packages the grader needs and builds the grader
# and the assignment's pack, so that grading a submission compiles nothing but
# the submission. What grading reads goes to /autograder/grader
# (platforms/install-grader: student code, run as another uid, may read the
# public headers there but not the pack), and the source folder, which holds
# the reference solution, is closed to every other user.
#
# GRADESCOPE_ROOT stands in for /autograder in the project's tests.
set -eu
root=${GRADESCOPE_ROOT:-/autograder}
cd "$root/source"
sh harness/deps.sh
make -j"$(nproc)" all
sh platforms/install-grader build "$root/grader"
chmod 0700 "$root/source"
