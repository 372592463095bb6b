#!/bin/sh
# grade.sh — grade a student's submission of the Gradient Checking assignment.
#
#   ./grade.sh [options] SUBMISSION      a folder holding gradient_check.c
#   ./grade.sh --batch DIR [options]     every subfolder of DIR, one per student
#   ./grade.sh --help
#
# On first use it installs the Debian packages it needs (as root) and builds the
# grader; later runs reuse the build. The report goes to stdout, build messages
# to stderr. Exit status: 0 when a report was produced (whatever the score),
# 2 for a usage error, 1 when the grader itself failed.
set -u
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
assignment=${GRADER_ASSIGNMENT:-gradient_check}
build=${GRADER_BUILD:-build}     # another build folder, for working on the grader itself

"$here/harness/deps.sh" >&2 || exit 1
if ! make -s -C "$here" B="$build" all >&2; then
    echo "grade.sh: building the grader failed (see the messages above)" >&2
    exit 1
fi
case $build in /*) ;; *) build=$here/$build ;; esac
exec "$build/grader" --assignment "$build/$assignment" "$@"
