# kit.mk — the student kit: `make student-kit` builds dist/student-kit.tar.gz.
#
# The kit is what a student unpacks and works in: the template, the public
# headers, the provided code (gc_utils.c and the pyfloat.c it prints with),
# the public tests and a Makefile whose `make test` runs them with Criterion.
# The public tests are written by kitgen from the built pack, visible tests
# only, so the kit never holds the reference, the pack, a hidden test or a
# hidden expected value (harness/tests/test_kit.c checks the tarball for them).
# It is assembled in the private build folder, then packed.

DIST    ?= dist
KIT     := $(DIST)/student-kit.tar.gz
KIT_TOP := $(ASG)
KIT_DIR := $(B)/kit/$(KIT_TOP)
KITGEN  := $(A)/kitgen
# How the grader compiled the provided code (the rule $(O)/%.o above, minus debug and dependency flags).
KIT_PROVIDED_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 $(NUMERIC)
KIT_FILES := kit/Makefile kit/README.md
KIT_TESTS := harness/compare.h harness/compare.c kit/tests/kit.h kit/tests/kit.c kit/tests/grader_rules.sh
KIT_PROVIDED := student_template/gc_utils.c harness/pyfloat.h harness/pyfloat.c
KIT_TEMPLATE := student_template/$(ASG).c

# kitgen reads the pack and the grader's compile settings (build.c) and
# links the assignment's kit writer.
$(KITGEN): $(call hobj,kitgen_main kitgen compare compare_tree build srccheck intake objcheck pack rubric yamlio observe protocol $(SANDBOX) $(CORE)) \
           $(call obj,testcases/gradient_check_kit.c)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBS)

$(KIT): $(KITGEN) $(A)/pack.json $(KIT_FILES) $(KIT_TESTS) $(KIT_PROVIDED) $(KIT_TEMPLATE) $(ASG_PUBLIC_H)
	@rm -rf $(B)/kit && mkdir -p $(KIT_DIR)/include $(KIT_DIR)/provided $(KIT_DIR)/tests $(DIST)
	@cp $(KIT_TEMPLATE) $(KIT_FILES) $(KIT_DIR)/
	@cp $(ASG_PUBLIC_H) $(KIT_DIR)/include/
	@cp $(KIT_PROVIDED) $(KIT_DIR)/provided/
	@cp $(KIT_TESTS) $(KIT_DIR)/tests/
	$(KITGEN) $(A)/pack.json $(KIT_DIR)/tests/public_tests.c $(KIT_DIR)/tests/grader.mk "$(KIT_PROVIDED_CFLAGS)"
	@chmod -R u=rwX,go=rX $(KIT_DIR)
	tar -C $(B)/kit --sort=name --owner=0 --group=0 --numeric-owner -czf $@.tmp $(KIT_TOP)
	@mv $@.tmp $@

student-kit: $(KIT)

# The suite tests the kit (harness/tests/test_kit.c). Order-only: the kit is
# brought up to date with the test program, but is not linked into it.
$(O)/harness/tests/test_kit.o: CFLAGS += -DTU_KIT='"$(KIT)"'
$(B)/tests/run: | $(KIT)

.PHONY: student-kit

# Unpack-to-first-result time, printed (see kit/bench.sh).
student-kit-bench: $(KIT)
	@sh kit/bench.sh $(KIT)

.PHONY: student-kit-bench
