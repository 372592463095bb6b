# kit.mk — the student kits: `make student-kit [ASSIGNMENT=NAME]` builds dist/NAME-kit.tar.gz.
#
# A kit is what a student unpacks and works in: the template, the public
# headers, the provided code, the public tests and a Makefile whose
# `make test` runs them with Criterion. The public tests are written by
# kitgen from the built pack, visible tests only, so the kit never holds the
# reference, the pack, a hidden test or a hidden expected value
# (harness/tests/test_kit.c checks the tarball for them). It is assembled in
# the private build folder, then packed. Everything specific to an
# assignment comes from its pack.mk (NAME_KIT, NAME_KIT_PROVIDED, NAME_KIT_README).

DIST ?= dist
# How the grader compiled the provided code (the rule $(O)/%.o, minus debug and dependency flags).
KIT_PROVIDED_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 $(NUMERIC)
KIT_TESTS := harness/score/compare.h harness/score/compare.c kit/tests/kit.h kit/tests/kit.c kit/tests/grader_rules.sh \
             harness/run/substitute_runner.h harness/run/substitute_runner.c kit/tests/substitute.sh
KITGEN_OBJS := kitgen/kitgen_main kitgen/kitgen score/compare score/compare_tree compile/build compile/toolchain compile/srccheck \
               compile/intake compile/objcheck compile/substitute pack/pack rubric/rubric rubric/yamlio run/observe \
               run/protocol $(SANDBOX) $(CORE)

# $(call KIT_RULES,NAME)
define KIT_RULES
$(B)/$(1)/kitgen: $(call hobj,$(KITGEN_OBJS)) $(call obj,$($(1)_KIT))
	@mkdir -p $$(dir $$@)
	$(CC) -o $$@ $$^ $(LIBS)

$(DIST)/$(1)-kit.tar.gz: $(B)/$(1)/kitgen $(B)/$(1)/pack.json kit/Makefile $(KIT_TESTS) $($(1)_SUBSTITUTES) $($(1)_KIT_PROVIDED) \
                         $($(1)_KIT_README) student_template/$(1)/$(1).c $($(1)_PUBLIC_H)
	@rm -rf $(B)/kit/$(1) && mkdir -p $(B)/kit/$(1)/$(1)/include $(B)/kit/$(1)/$(1)/provided $(B)/kit/$(1)/$(1)/tests $(DIST)
	@cp student_template/$(1)/$(1).c kit/Makefile $(B)/kit/$(1)/$(1)/
	@cp $($(1)_KIT_README) $(B)/kit/$(1)/$(1)/README.md
	@cp $($(1)_PUBLIC_H) $(B)/kit/$(1)/$(1)/include/
	@cp $($(1)_KIT_PROVIDED) $(B)/kit/$(1)/$(1)/provided/
	@cp $(KIT_TESTS) $($(1)_SUBSTITUTES) $(B)/kit/$(1)/$(1)/tests/
	$(B)/$(1)/kitgen $(B)/$(1)/pack.json $(B)/kit/$(1)/$(1)/tests/public_tests.c $(B)/kit/$(1)/$(1)/tests/grader.mk "$(KIT_PROVIDED_CFLAGS)"
	@chmod -R u=rwX,go=rX $(B)/kit/$(1)/$(1)
	tar -C $(B)/kit/$(1) --sort=name --owner=0 --group=0 --numeric-owner -czf $$@.tmp $(1)
	@mv $$@.tmp $$@
endef
$(foreach a,$(PACKS),$(if $($(a)_KIT),$(eval $(call KIT_RULES,$(a)))))

student-kit: $(DIST)/$(ASSIGNMENT)-kit.tar.gz
student-kits: $(foreach a,$(PACKS),$(if $($(a)_KIT),$(DIST)/$(a)-kit.tar.gz))

# The suite tests the kits (harness/tests/test_kit.c). Order-only: a kit is
# brought up to date with the test program, but is not linked into it.
$(O)/harness/tests/test_kit.o: CFLAGS += -DTU_KIT='"$(DIST)/gradient_check-kit.tar.gz"'
$(B)/tests/run: | $(DIST)/gradient_check-kit.tar.gz

.PHONY: student-kit student-kits

# Unpack-to-first-result time, printed (see kit/bench.sh).
student-kit-bench: $(DIST)/$(ASSIGNMENT)-kit.tar.gz
	@sh kit/bench.sh $<

.PHONY: student-kit-bench
