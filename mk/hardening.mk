# mk/hardening.mk — what the hostile-submission tests and the sandbox benchmark need.
#
#   make bench-sandbox   the cost of one sandboxed run, per isolation level, printed
#
# The hostile helper is a program the sandbox tests run as if it were student
# code that got past the object checks; it is built before the test binary.

$(B)/tests/hostile-helper: harness/tests/helpers/hostile_helper.c $(call hobj,sandbox/seccomp_filter core/error) | $(B)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(HARNESS_INCS) -o $@ $< $(call hobj,sandbox/seccomp_filter core/error) -lseccomp -lpthread

$(B)/tests/run: | $(B)/tests/hostile-helper

$(B)/bench/sandbox: harness/tests/helpers/sandbox_bench.c $(call hobj,$(SANDBOX) core/fsutil core/error) | $(B)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(HARNESS_INCS) -o $@ $< $(call hobj,$(SANDBOX) core/fsutil core/error) -lseccomp -lm

bench-sandbox: $(B)/bench/sandbox
	@$(B)/bench/sandbox

.PHONY: bench-sandbox
