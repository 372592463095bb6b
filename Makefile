# Makefile — builds the grader, every assignment's pack, and runs the tests.
#
#   make                  the grader and every assignment (build/)
#   make test             every test of the project (Criterion)
#   make -s notebook [ASSIGNMENT=NAME]        what that notebook prints, run on its reference
#   make -s fixture  [ASSIGNMENT=NAME] [ARGS=...]   a fixture as JSON (Gradient Checking: SEED=N)
#   make student-kit [ASSIGNMENT=NAME]        dist/NAME-kit.tar.gz (mk/kit.mk)
#   make examples         grade every assignment's bundled examples (examples/NAME/)
#   make deps             install the Debian packages it needs (as root)
#
# An assignment is a folder in each of reference/, student_template/ and
# testcases/, plus rubrics/NAME.yaml; testcases/NAME/pack.mk names its files
# (see "Adding an assignment" in the README). The rules below are generic:
# PACK_RULES is instantiated once per assignment found.
#
# Everything built lands in build/, which is private (0700): it holds the
# references' objects and the packs with hidden tests and expected values.

CC      := gcc
# Numeric code must not depend on the optimiser or the processor: no fused
# multiply-add, no fast-math.
NUMERIC := -ffp-contract=off -fno-fast-math
# Frame pointers: the memory checks' sanitizers unwind each malloc by them
# (the unwind tables cost a tenth of a second per submission), through the
# provided code and the runner as well as the student's.
CFLAGS  := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Wno-format-truncation $(NUMERIC) -fno-omit-frame-pointer -MMD -MP
LIBS    := -lcjson -lyaml -lseccomp -lm

B ?= build
O := $(B)/obj
# `make` alone builds everything, whatever rule an included file defines first
.DEFAULT_GOAL := all

# ---- the harness (generic): a folder per concern, in the order a submission travels
HARNESS_DIRS := core sandbox rubric pack compile run score grade report batch cli packgen kitgen
HARNESS_INCS := $(addprefix -Iharness/,$(HARNESS_DIRS))

CORE    := core/error core/fsutil core/jsonio core/pyfloat core/nprand core/safetext core/clock
SANDBOX := sandbox/sandbox sandbox/sandbox_keeper sandbox/sandbox_ns sandbox/sandbox_cgroup \
           sandbox/sandbox_landlock sandbox/seccomp_filter sandbox/sandbox_limits sandbox/sandbox_spawner sandbox/sandbox_wire
RUNNER  := run/runner_main run/leak_check run/zygote run/protocol run/substitute_runner sandbox/seccomp_filter sandbox/sandbox_limits sandbox/sandbox_wire
BATCH   := batch/batch batch/batch_roster batch/batch_pool batch/batch_progress \
           batch/batch_shard batch/batch_merge
REPORT  := report/report report/report_platforms report/batch_record report/gradebook report/class_report
GRADER  := cli/grader_main cli/cli cli/choose $(BATCH) $(REPORT) grade/grade grade/memcheck grade/cleanup \
           score/explain score/compare score/compare_tree score/score score/diagnose \
           compile/build compile/toolchain compile/srccheck compile/intake compile/objcheck compile/substitute \
           run/observe run/protocol pack/pack rubric/rubric rubric/yamlio $(SANDBOX)
PACKGEN := packgen/packgen_main packgen/pack_build packgen/selfcheck pack/pack rubric/rubric rubric/yamlio rubric/mistakes score/compare_tree \
           score/score score/compare compile/substitute compile/objcheck run/observe run/protocol $(SANDBOX)

obj = $(patsubst %.c,$(O)/%.o,$(1))
hobj = $(patsubst %,$(O)/harness/%.o,$(sort $(1)))

# ---- the assignments --------------------------------------------------------
PACKS :=
include $(sort $(wildcard testcases/*/pack.mk))
ASSIGNMENT ?= gradient_check
# (a tree without assignments, such as the PrairieLearn image's, builds the grader alone)
ifneq ($(PACKS),)
ifeq ($(filter $(ASSIGNMENT),$(PACKS)),)
$(error ASSIGNMENT=$(ASSIGNMENT) is not an assignment here (there are: $(PACKS)))
endif
endif

# Every object depends on how it is built: $(B)/flags holds the compiler, the
# flags and the libraries, and is rewritten (when make reads this file, with
# no process started) only when they change, so that a change rebuilds
# everything and an unchanged build costs nothing.
RUNNER_LD := ld -r -S
FLAGS := $(CC) | $(CFLAGS) | $(HARNESS_INCS) | $(LIBS) | $(RUNNER_LD)
FLAGS_FILE := $(B)/flags
ifneq ($(file <$(FLAGS_FILE)),$(FLAGS))
$(shell install -d -m 0700 $(B))
$(file >$(FLAGS_FILE),$(FLAGS))
endif

all: $(B)/grader $(B)/toolchain.json

$(B):
	@install -d -m 0700 $(B)

# The harness sees only its own headers; an assignment's files see the
# harness and their own folders (below), and only the reference sees reference/.
$(O)/%.o: %.c $(FLAGS_FILE) | $(B)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(HARNESS_INCS) $(PACK_INCS) -c $< -o $@

$(B)/grader: $(call hobj,$(GRADER) $(CORE))
	$(CC) -o $@ $^ $(LIBS)

# The commands gcc's driver would start for each build step, checked, beside
# the grader (compile/toolchain.h); again when the probe or gcc changes. A
# probe that finds anything unexpected writes no file, and the grader runs the
# driver.
$(B)/toolchain-probe: $(call hobj,compile/toolchain_probe_main compile/toolchain $(CORE))
	$(CC) -o $@ $^ $(LIBS)

$(B)/toolchain.json: $(B)/toolchain-probe $(realpath /usr/bin/gcc)
	$(B)/toolchain-probe $@

# Prepares a reference's object for substitution, as the grader does a student's.
$(B)/substprep: $(call hobj,packgen/substprep_main compile/substitute compile/objcheck pack/pack rubric/rubric rubric/yamlio $(CORE))
	$(CC) -o $@ $^ $(LIBS)

# $(call PACK_RULES,NAME): everything built for one assignment, in $(B)/NAME/.
define PACK_RULES
$(1)_OUT := $(B)/$(1)
$(O)/student_template/$(1)/%.o $(O)/testcases/$(1)/%.o: PACK_INCS := -Istudent_template/$(1) -Itestcases/$(1)
$(O)/reference/$(1)/%.o: PACK_INCS := -Istudent_template/$(1) -Itestcases/$(1) -Ireference/$(1)
# The case generator is the pack builder's (trusted): it may use the reference's variants.
$(call obj,$($(1)_CASEGEN)): PACK_INCS := -Istudent_template/$(1) -Itestcases/$(1) -Ireference/$(1)
$(O)/testcases/$(1)/tests/%.o: PACK_INCS := -Iharness/tests -Istudent_template/$(1) -Itestcases/$(1) -Ireference/$(1)
$(O)/testcases/$(1)/tests/%.o: CFLAGS += -DTU_BUILD='"$(B)"'

all: $(B)/$(1)/pack.json $(B)/$(1)/runner-base.o $(B)/$(1)/include.stamp $(B)/$(1)/fixture $(B)/$(1)/notebook

# The runner minus the student: one relocatable object, linked per submission.
# Without debug information (-S): the link that every submission pays reads a
# quarter of the bytes and takes a fifth less CPU time.
# NAME_SUBSTITUTES: public code linked into the runner, what a test may put
# in place of the functions a graded function calls (substitute.h); never
# the reference.
$(B)/$(1)/runner-base.o: $(call hobj,$(RUNNER) $(CORE)) $(call obj,$($(1)_BINDINGS) $($(1)_PROVIDED) $($(1)_SUBSTITUTES))
	@mkdir -p $$(dir $$@)
	$(RUNNER_LD) -o $$@ $$^

ifneq ($($(1)_SUBSTITUTES),)
# The reference as the runner takes it: compiled with -fPIC (semantic
# interposition: its graded functions really call each other, so a test may
# substitute a callee), then prepared by substprep as the grader prepares a
# student's object (substitute.h).
$(O)/reference/$(1)/reference.pic.o: $($(1)_REFERENCE) $(FLAGS_FILE) | $(B)
	@mkdir -p $$(dir $$@)
	$(CC) $(CFLAGS) -fPIC -fsemantic-interposition -ffunction-sections $(HARNESS_INCS) \
	    -Istudent_template/$(1) -Itestcases/$(1) -Ireference/$(1) -c $$< -o $$@

$(B)/$(1)/reference-subst.o: $(B)/substprep $(call obj,$($(1)_SUBSTITUTES)) $(O)/reference/$(1)/reference.pic.o
	$(B)/substprep $(call obj,$($(1)_SUBSTITUTES)) $(O)/reference/$(1)/reference.pic.o $$@

$(B)/$(1)/reference-runner: $(B)/$(1)/runner-base.o $(B)/$(1)/reference-subst.o
	$(CC) -o $$@ $$^ $(LIBS)
else
$(B)/$(1)/reference-runner: $(B)/$(1)/runner-base.o $(call obj,$($(1)_REFERENCE))
	$(CC) -o $$@ $$^ $(LIBS)
endif

$(B)/$(1)/packgen: $(call hobj,$(PACKGEN) $(CORE)) $(call obj,$($(1)_CASEGEN) $($(1)_PROVIDED))
	@mkdir -p $$(dir $$@)
	$(CC) -o $$@ $$^ $(LIBS)

# Building the pack also proves the rubric fair: every variant of
# NAME_VARIANTS must score full marks, every mistake lose what it says, and
# the template (student_template/NAME/NAME.c) is observed as handed out.
$(B)/$(1)/pack.json: $(B)/$(1)/packgen $(B)/$(1)/reference-runner $(B)/$(1)/include.stamp $($(1)_RUBRIC) \
                     $($(1)_MISTAKES) $($(1)_VARIANTS) student_template/$(1)/$(1).c $($(1)_REFERENCE) $($(1)_FIXTURES) \
                     $(call obj,$($(1)_SUBSTITUTES))
	@rm -rf $(B)/$(1)/mistakes
	$(B)/$(1)/packgen --rubric $($(1)_RUBRIC) --testcases testcases/$(1) \
	    --reference-runner $(B)/$(1)/reference-runner $(if $($(1)_MISTAKES),--mistakes $($(1)_MISTAKES)) \
	    $(if $($(1)_VARIANTS),--variants $($(1)_VARIANTS)) --template student_template/$(1)/$(1).c \
	    --reference-source $(firstword $($(1)_REFERENCE)) --runner-base $(abspath $(B)/$(1)/runner-base.o) \
	    --include $(abspath $(B)/$(1)/include) --work $(B)/$(1)/mistakes \
	    $(if $($(1)_SUBSTITUTES),--substitutes $(call obj,$($(1)_SUBSTITUTES))) --out $$@

# The headers a submission may include, alone in a folder of their own.
$(B)/$(1)/include.stamp: $($(1)_PUBLIC_H)
	@rm -rf $(B)/$(1)/include && mkdir -p $(B)/$(1)/include
	cp $($(1)_PUBLIC_H) $(B)/$(1)/include/
	@touch $$@

$(B)/$(1)/fixture: $(call obj,$($(1)_FIXTURE) $($(1)_PROVIDED)) $(call hobj,$(CORE))
	$(CC) -o $$@ $$^ $(LIBS)

$(B)/$(1)/notebook: $(call obj,$($(1)_NOTEBOOK) $($(1)_PROVIDED)) $(call hobj,$(CORE))
	$(CC) -o $$@ $$^ $(LIBS)
endef
$(foreach a,$(PACKS),$(eval $(call PACK_RULES,$(a))))

fixture: $(B)/$(ASSIGNMENT)/fixture
	@$(B)/$(ASSIGNMENT)/fixture $($(ASSIGNMENT)_FIXTURE_ARGS)

notebook: $(B)/$(ASSIGNMENT)/notebook
	@$(B)/$(ASSIGNMENT)/notebook $($(ASSIGNMENT)_NOTEBOOK_ARGS)

deps:
	@harness/deps.sh

# The README's first command: grade every assignment's bundled examples, as a
# class each (examples/NAME/ holds one folder per sample student).
examples:
	@harness/deps.sh
	@set -e; for a in $(PACKS); do ./grade.sh --batch examples/$$a --no-progress; done

clean:
	rm -rf $(B) dist

.PHONY: all fixture notebook deps clean test examples
-include $(shell find $(O) -name '*.d' 2>/dev/null)

# ---- tests -------------------------------------------------------------------
# One Criterion binary: the harness's unit tests, and end-to-end tests that
# grade real folders with the built grader. It links Gradient Checking's code
# (the pack the harness's tests use); every other assignment's own tests
# ($(NAME)_TESTS in its pack.mk) make a binary of their own, linked with that
# assignment's code, since two assignments' provided code may share names.
TEST_HARNESS := $(call hobj,$(filter-out cli/grader_main packgen/packgen_main run/runner_main,$(GRADER) $(PACKGEN) $(CORE)) \
                run/substitute_runner)
TEST_SRC  := $(wildcard harness/tests/*.c)
TEST_LIBS := $(TEST_HARNESS) $(call obj,$(gradient_check_PROVIDED) $(gradient_check_CASEGEN) $(gradient_check_REFERENCE))

$(O)/harness/tests/%.o: PACK_INCS := -Iharness/tests $(gradient_check_INCS)
$(O)/harness/tests/%.o: CFLAGS += -DTU_BUILD='"$(B)"'

$(B)/tests/run: $(call obj,$(TEST_SRC) $(gradient_check_TESTS)) $(TEST_LIBS)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ -lcriterion $(LIBS)

# $(call PACK_TEST_RULES,NAME): the tests of an assignment other than Gradient Checking.
define PACK_TEST_RULES
$(B)/tests/$(1)-run: $(call obj,$($(1)_TESTS) harness/tests/testutil.c $($(1)_PROVIDED) $($(1)_CASEGEN) \
                     $($(1)_REFERENCE)) $(TEST_HARNESS)
	@mkdir -p $$(dir $$@)
	$(CC) -o $$@ $$^ -lcriterion $(LIBS)
$(B)/tests/$(1)-run: | $(B)/$(1)/pack.json
TEST_BINARIES += $(B)/tests/$(1)-run
endef
TEST_BINARIES := $(B)/tests/run
$(foreach a,$(filter-out gradient_check,$(PACKS)),$(if $($(a)_TESTS),$(eval $(call PACK_TEST_RULES,$(a)))))

test:
	@harness/deps.sh --test
	@$(MAKE) -s all $(TEST_BINARIES)
	@set -e; for t in $(TEST_BINARIES); do echo "$$t --jobs=2"; $$t --jobs=2; done

# Further targets (student kit, platforms, benchmark) live in mk/*.mk.
-include $(wildcard mk/*.mk)
