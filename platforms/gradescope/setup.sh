#!/bin/bash
# setup.sh — Gradescope runs this once, as root, when it builds the
# autograder's image; the zip's contents are in /autograder/source.
#
# Installs the Debian/Ubuntu packages the grader needs and builds the grader
# and the assignment's pack, so that grading a submission compiles nothing but
# the submission. The source folder is then closed to every other user: it
# holds the reference solution and the pack (hidden tests, expected values),
# and student code runs as another uid.
#
# GRADESCOPE_ROOT stands in for /autograder in the project's tests.
set -eu
root=${GRADESCOPE_ROOT:-/autograder}
cd "$root/source"
sh harness/deps.sh
make -j"$(nproc)" all
chmod 0700 "$root/source"
echo "setup.sh: the grader is built in $root/source/build"
