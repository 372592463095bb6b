# Makefile — builds the grader, the assignment's pack, and runs the tests.
#
#   make            the grader and the Gradient Checking assignment (build/)
#   make test       every test of the project (Criterion)
#   make fixture SEED=N   the fixture of seed N as JSON on stdout (use make -s)
#   make notebook   the notebook's cells run on the reference
#   make deps       install the Debian packages it needs (as root)
#
# Everything built lands in build/, which is private (0700): it holds the
# reference's objects and the pack with hidden tests and expected values.

CC      := gcc
# Numeric code must not depend on the optimiser or the processor: no fused
# multiply-add, no fast-math.
NUMERIC := -ffp-contract=off -fno-fast-math
CFLAGS  := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wno-format-truncation $(NUMERIC) -MMD -MP
INCS    := -Iharness -Istudent_template -Itestcases -Ireference
LIBS    := -lcjson -lyaml -lseccomp -lm

B ?= build
O := $(B)/obj

# ---- the assignment (everything specific to Gradient Checking) -------------
ASG           := gradient_check
ASG_RUBRIC    := rubrics/gradient_check.yaml
ASG_MISTAKES  := rubrics/gradient_check.mistakes.yaml
ASG_PUBLIC_H  := student_template/gc_utils.h student_template/gradient_check.h
ASG_PROVIDED  := student_template/gc_utils.c testcases/gradient_check_data.c
ASG_BINDINGS  := testcases/gradient_check_bindings.c
ASG_CASEGEN   := testcases/gradient_check_cases.c reference/backprop_variants.c
ASG_REFERENCE := reference/gradient_check.c
ASG_FIXTURES  := $(wildcard testcases/*.json)
A := $(B)/$(ASG)

# ---- the harness (generic) ---------------------------------------------------
CORE    := error fsutil jsonio pyfloat nprand
RUNNER  := runner_main protocol seccomp_filter
SANDBOX := sandbox sandbox_keeper sandbox_ns sandbox_cgroup sandbox_landlock seccomp_filter
BATCH   := batch batch_roster batch_record batch_pool batch_progress batch_shard batch_merge gradebook class_report
GRADER  := grader_main cli $(BATCH) grade explain compare diagnose memcheck build srccheck intake objcheck observe protocol pack \
           rubric yamlio score report report_platforms $(SANDBOX)
PACKGEN := packgen_main pack rubric yamlio mistakes observe protocol $(SANDBOX)

obj = $(patsubst %.c,$(O)/%.o,$(1))
hobj = $(patsubst %,$(O)/harness/%.o,$(sort $(1)))

# Every object depends on how it is built: $(B)/flags holds the compiler, the
# flags and the libraries, and is rewritten (when make reads this file, with
# no process started) only when they change, so that a change rebuilds
# everything and an unchanged build costs nothing.
RUNNER_LD := ld -r -S
FLAGS := $(CC) | $(CFLAGS) | $(INCS) | $(LIBS) | $(RUNNER_LD)
FLAGS_FILE := $(B)/flags
ifneq ($(file <$(FLAGS_FILE)),$(FLAGS))
$(shell install -d -m 0700 $(B))
$(file >$(FLAGS_FILE),$(FLAGS))
endif

all: $(B)/grader $(A)/pack.json $(A)/runner-base.o $(A)/include.stamp $(A)/fixture $(A)/notebook

$(B):
	@install -d -m 0700 $(B)

$(O)/%.o: %.c $(FLAGS_FILE) | $(B)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INCS) -c $< -o $@

$(B)/grader: $(call hobj,$(GRADER) $(CORE))
	$(CC) -o $@ $^ $(LIBS)

# The runner minus the student: one relocatable object, linked per submission.
# Without debug information (-S): the link that every submission pays reads a
# quarter of the bytes and takes a fifth less CPU time.
$(A)/runner-base.o: $(call hobj,$(RUNNER) $(CORE)) $(call obj,$(ASG_BINDINGS) $(ASG_PROVIDED))
	@mkdir -p $(dir $@)
	$(RUNNER_LD) -o $@ $^

$(A)/reference-runner: $(A)/runner-base.o $(call obj,$(ASG_REFERENCE))
	$(CC) -o $@ $^ $(LIBS)

$(A)/packgen: $(call hobj,$(PACKGEN) $(CORE)) $(call obj,$(ASG_CASEGEN) $(ASG_PROVIDED))
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBS)

$(A)/pack.json: $(A)/packgen $(A)/reference-runner $(A)/include.stamp $(ASG_RUBRIC) $(ASG_MISTAKES) \
                $(ASG_REFERENCE) $(ASG_FIXTURES)
	@rm -rf $(A)/mistakes
	$(A)/packgen --rubric $(ASG_RUBRIC) --testcases testcases --reference-runner $(A)/reference-runner \
	    --mistakes $(ASG_MISTAKES) --reference-source $(ASG_REFERENCE) --runner-base $(abspath $(A)/runner-base.o) \
	    --include $(abspath $(A)/include) --work $(A)/mistakes --out $@

# The headers a submission may include, alone in a folder of their own.
$(A)/include.stamp: $(ASG_PUBLIC_H)
	@rm -rf $(A)/include && mkdir -p $(A)/include
	cp $(ASG_PUBLIC_H) $(A)/include/
	@touch $@

$(A)/fixture: $(O)/testcases/gradient_check_fixture.o $(call hobj,$(CORE)) $(call obj,$(ASG_PROVIDED))
	$(CC) -o $@ $^ $(LIBS)

$(A)/notebook: $(O)/reference/notebook.o $(call obj,$(ASG_REFERENCE) reference/backprop_variants.c $(ASG_PROVIDED)) $(call hobj,$(CORE))
	$(CC) -o $@ $^ $(LIBS)

SEED ?= 1
fixture: $(A)/fixture
	@$(A)/fixture $(SEED)

notebook: $(A)/notebook
	@$(A)/notebook testcases/gradient_check_n_test_case.json

deps:
	@harness/deps.sh

clean:
	rm -rf $(B) dist

.PHONY: all fixture notebook deps clean test
-include $(shell find $(O) -name '*.d' 2>/dev/null)

# ---- tests -------------------------------------------------------------------
# One Criterion binary: the harness's unit tests, the assignment's numbers, and
# end-to-end tests that grade real folders with the built grader.
TEST_SRC  := $(wildcard harness/tests/*.c)
TEST_LIBS := $(call hobj,$(filter-out grader_main packgen_main runner_main,$(GRADER) $(PACKGEN) $(CORE))) \
             $(call obj,$(ASG_PROVIDED) $(ASG_CASEGEN) $(ASG_REFERENCE))

$(O)/harness/tests/%.o: harness/tests/%.c $(FLAGS_FILE) | $(B)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(INCS) -DTU_BUILD='"$(B)"' -c $< -o $@

$(B)/tests/run: $(call obj,$(TEST_SRC)) $(TEST_LIBS)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ -lcriterion $(LIBS)

test:
	@harness/deps.sh --test
	@$(MAKE) -s all $(B)/tests/run
	$(B)/tests/run --jobs=2

# Further targets (student kit, platforms, benchmark) live in mk/*.mk.
-include $(wildcard mk/*.mk)
