# regularization.mk — TEMPORARY: builds the Regularization pack beside Gradient
# Checking until the multi-pack Makefile lands in main; then
# testcases/regularization/pack.mk takes its place and this file goes.
#
#   make                                     also builds build/regularization/
#   make -s notebook ASSIGNMENT=regularization
#   make -s fixture ASSIGNMENT=regularization ARGS="forward_propagation_with_dropout_test_case"

R            := $(B)/regularization
R_RUBRIC     := rubrics/regularization.yaml
R_MISTAKES   := rubrics/regularization.mistakes.yaml
R_PUBLIC_H   := student_template/regularization/regularization.h student_template/regularization/reg_utils.h
R_PROVIDED   := student_template/regularization/reg_utils.c testcases/regularization/data.c
R_BINDINGS   := testcases/regularization/bindings.c
R_CASEGEN    := testcases/regularization/cases.c
R_REFERENCE  := reference/regularization/regularization.c
R_FIXTURE    := testcases/regularization/fixture.c
R_NOTEBOOK   := reference/regularization/notebook.c
R_KIT        := testcases/regularization/kit.c
R_FIXTURES   := $(wildcard testcases/regularization/*.json)

# The pack's own folders only: no -Istudent_template -Ireference of Gradient Checking.
$(O)/student_template/regularization/%.o $(O)/testcases/regularization/%.o $(O)/reference/regularization/%.o: \
    INCS := -Iharness -Istudent_template/regularization -Itestcases/regularization

all: $(R)/pack.json $(R)/runner-base.o $(R)/include.stamp $(R)/fixture $(R)/notebook $(R)/kitgen

$(R)/runner-base.o: $(call hobj,$(RUNNER) $(CORE)) $(call obj,$(R_BINDINGS) $(R_PROVIDED))
	@mkdir -p $(dir $@)
	$(RUNNER_LD) -o $@ $^

$(R)/reference-runner: $(R)/runner-base.o $(call obj,$(R_REFERENCE))
	$(CC) -o $@ $^ $(LIBS)

$(R)/packgen: $(call hobj,$(PACKGEN) $(CORE)) $(call obj,$(R_CASEGEN) $(R_PROVIDED))
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBS)

$(R)/pack.json: $(R)/packgen $(R)/reference-runner $(R)/include.stamp $(R_RUBRIC) $(R_MISTAKES) \
                $(R_REFERENCE) $(R_FIXTURES)
	@rm -rf $(R)/mistakes
	$(R)/packgen --rubric $(R_RUBRIC) --testcases testcases/regularization --reference-runner $(R)/reference-runner \
	    --mistakes $(R_MISTAKES) --reference-source $(R_REFERENCE) --runner-base $(abspath $(R)/runner-base.o) \
	    --include $(abspath $(R)/include) --work $(R)/mistakes --out $@

$(R)/include.stamp: $(R_PUBLIC_H)
	@rm -rf $(R)/include && mkdir -p $(R)/include
	cp $(R_PUBLIC_H) $(R)/include/
	@touch $@

$(R)/fixture: $(call obj,$(R_FIXTURE) $(R_PROVIDED)) $(call hobj,$(CORE))
	$(CC) -o $@ $^ $(LIBS)

$(R)/notebook: $(call obj,$(R_NOTEBOOK) $(R_REFERENCE) $(R_PROVIDED)) $(call hobj,$(CORE))
	$(CC) -o $@ $^ $(LIBS)

$(R)/kitgen: $(call hobj,kitgen_main kitgen compare compare_tree build srccheck intake objcheck pack rubric yamlio observe protocol $(SANDBOX) $(CORE)) \
             $(call obj,$(R_KIT) $(R_PROVIDED))
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(LIBS)

ifeq ($(ASSIGNMENT),regularization)
fixture: $(R)/fixture
	@$(R)/fixture $(ARGS)

notebook: $(R)/notebook
	@$(R)/notebook
endif
