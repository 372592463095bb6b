# bench.mk — `make bench`: how fast grading is, as `name: value` lines.
#
# bench/bench.py grades the reference, a generated class of 200 and a
# submission that never returns with ./grade.sh, beside a naive Criterion
# Makefile and a Python grader on the same checks, and prints medians of
# several runs (bench/README.md says what each figure is). A few minutes;
# BENCH_RUNS, BENCH_BATCH_RUNS, BENCH_TIMEOUT_RUNS and BENCH_CLASS make it
# shorter or steadier. Timing lives here, never in `make test`.

bench: all student-kits
	@harness/deps.sh --bench
	@GRADER_BUILD=$(B) /usr/bin/python3 bench/bench.py

.PHONY: bench
