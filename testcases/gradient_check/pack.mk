# pack.mk — Gradient Checking (course 2, week 1, assignment 3): its files, for the top Makefile.
#
# Every name is prefixed with the assignment's id; the Makefile's PACK_RULES
# build build/gradient_check/ from them. The reference's backprop variants are
# the case generator's (secret: the pack builder runs them, the runner never
# holds them).
PACKS += gradient_check
gradient_check_RUBRIC    := rubrics/gradient_check.yaml
gradient_check_MISTAKES  := rubrics/gradient_check.mistakes.yaml
gradient_check_PUBLIC_H  := student_template/gradient_check/gc_utils.h student_template/gradient_check/gradient_check.h
gradient_check_PROVIDED  := student_template/gradient_check/gc_utils.c testcases/gradient_check/gradient_check_data.c
gradient_check_BINDINGS  := testcases/gradient_check/bindings.c
gradient_check_CASEGEN   := testcases/gradient_check/cases.c reference/gradient_check/backprop_variants.c
gradient_check_REFERENCE := reference/gradient_check/gradient_check.c
gradient_check_FIXTURE   := testcases/gradient_check/fixture.c
gradient_check_NOTEBOOK  := reference/gradient_check/notebook.c reference/gradient_check/gradient_check.c \
                            reference/gradient_check/backprop_variants.c
gradient_check_KIT       := testcases/gradient_check/kit.c
gradient_check_FIXTURES  := $(wildcard testcases/gradient_check/*.json)
gradient_check_INCS      := -Istudent_template/gradient_check -Itestcases/gradient_check -Ireference/gradient_check
SEED ?= 1
gradient_check_FIXTURE_ARGS  = $(or $(ARGS),$(SEED))
gradient_check_NOTEBOOK_ARGS = testcases/gradient_check/gradient_check_n_test_case.json
# The student kit: what it ships besides the template and the public headers.
gradient_check_KIT_PROVIDED := student_template/gradient_check/gc_utils.c harness/core/pyfloat.h harness/core/pyfloat.c
gradient_check_KIT_README   := student_template/gradient_check/README.md
# Its own tests (numbers against numpy's oracle, the notebook's outputs), linked into the suite.
gradient_check_TESTS := $(wildcard testcases/gradient_check/tests/*.c)
