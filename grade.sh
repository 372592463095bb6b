#!/bin/sh
# grade.sh — grade a student's submission of one of the course's assignments.
#
#   ./grade.sh [options] SUBMISSION      a folder holding the assignment's file
#   ./grade.sh --batch DIR [options]     every subfolder of DIR, one per student
#   ./grade.sh --assignment NAME ...     which assignment (default: the one
#                                        whose file the folder holds)
#   ./grade.sh --batch DIR --shard K/N   share K of N of them (one machine of several)
#   ./grade.sh --merge OUT REPORTS...    the shards' reports into one gradebook in OUT
#   ./grade.sh --help
#
# On first use it installs the Debian packages it needs (as root) and builds the
# grader; later runs reuse the build. The report goes to stdout, build messages
# to stderr. Exit status: 0 when a report was produced (whatever the score),
# 2 for a usage error, 1 when the grader itself failed.
#
# Reusing the build must cost nothing, since a platform or a script may call
# this once per submission: instead of asking make (which reads every
# Makefile and dependency file: 20 ms), one md5sum checks the files the build
# is made from (sources, rubric, fixtures, and the Makefiles, which hold the
# flags) and the outputs grading uses against their sums recorded after the
# last successful build. A source changed or restored, a new source file, a
# build made by hand with make, another build folder or an output removed
# all lead to make again.
set -u
case $0 in */*) dir=${0%/*} ;; *) dir=. ;; esac
here=$(CDPATH='' cd -- "$dir" && pwd)
build=${GRADER_BUILD:-build}     # another build folder, for working on the grader itself
case $build in /*) out=$build ;; *) out=$here/$build ;; esac
sums_file=$out/.grade-sh-sums

# Runs a command on the files the build is made from (the harness's folders,
# and each assignment's folder in student_template/, reference/, testcases/)...
with_sources() {
    "$@" "$here"/Makefile "$here"/mk/*.mk "$here"/harness/*/*.c "$here"/harness/*/*.h \
        "$here"/harness/deps.sh "$here"/student_template/*/*.c "$here"/student_template/*/*.h \
        "$here"/reference/*/*.c "$here"/reference/*/*.h "$here"/testcases/*/*.c "$here"/testcases/*/*.h \
        "$here"/testcases/*/*.json "$here"/testcases/*/pack.mk "$here"/rubrics/*.yaml
}
list_of() { sources=$*; }        # a function, so that listing them starts no process
# ... and on what grading reads of the build (make all builds every assignment).
with_outputs() {
    "$@" "$out/grader" "$out"/*/pack.json "$out"/*/runner-base.o "$out"/*/include.stamp
}

# The sums file's first line names the build folder and every file: a file
# added or removed changes it (md5sum -c skips it as a malformed line).
with_sources list_of
list="# grade.sh: $build: $sources"
first=
[ -r "$sums_file" ] && read -r first < "$sums_file"
if [ "$first" != "$list" ] || ! md5sum --status -c "$sums_file" 2>/dev/null; then
    sums=$(with_sources md5sum)  # read before make: a change made while it runs shows next time
    "$here/harness/deps.sh" >&2 || exit 1
    if ! make -s -C "$here" B="$build" all >&2; then
        echo "grade.sh: building the grader failed (see the messages above)" >&2
        exit 1
    fi
    if { printf '%s\n%s\n' "$list" "$sums" && with_outputs md5sum; } > "$sums_file.$$" 2>/dev/null; then
        mv -f "$sums_file.$$" "$sums_file"
    else
        rm -f "$sums_file.$$"
    fi
fi
# The grader picks the assignment (--assignment NAME, or the one whose file
# the submission holds) among those built in $out.
if [ -n "${GRADER_ASSIGNMENT:-}" ]; then
    exec "$out/grader" --packs "$out" --assignment "$GRADER_ASSIGNMENT" "$@"
fi
exec "$out/grader" --packs "$out" "$@"
