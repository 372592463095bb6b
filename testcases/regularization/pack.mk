# pack.mk — Regularization (course 2, week 1, assignment 2): its files, for the top Makefile.
#
# Every name is prefixed with the assignment's id; the Makefile's PACK_RULES
# build build/regularization/ from them. The notebook links the reference
# (it prints the reference's results); nothing else outside the pack builder
# and the notebook sees reference/.
PACKS += regularization
regularization_RUBRIC    := rubrics/regularization.yaml
regularization_MISTAKES  := rubrics/regularization.mistakes.yaml
regularization_PUBLIC_H  := student_template/regularization/regularization.h student_template/regularization/reg_utils.h
regularization_PROVIDED  := student_template/regularization/reg_utils.c testcases/regularization/data.c
regularization_BINDINGS  := testcases/regularization/bindings.c
regularization_CASEGEN   := testcases/regularization/cases.c
regularization_REFERENCE := reference/regularization/regularization.c
regularization_FIXTURE   := testcases/regularization/fixture.c
regularization_NOTEBOOK  := reference/regularization/notebook.c reference/regularization/regularization.c
regularization_KIT       := testcases/regularization/kit.c testcases/regularization/data.c student_template/regularization/reg_utils.c
regularization_FIXTURES  := $(wildcard testcases/regularization/*.json)
regularization_INCS      := -Istudent_template/regularization -Itestcases/regularization -Ireference/regularization
# make -s fixture ASSIGNMENT=regularization ARGS="forward_propagation_with_dropout_test_case"
regularization_FIXTURE_ARGS  = $(or $(ARGS),forward_propagation_with_dropout_test_case)
regularization_NOTEBOOK_ARGS =
# The student kit: what it ships besides the template and the public headers
# (reg_utils.c draws with numpy's generator, nprand.c; the comparisons print with pyfloat.c).
regularization_KIT_PROVIDED := student_template/regularization/reg_utils.c harness/core/nprand.h harness/core/nprand.c \
                               harness/core/pyfloat.h harness/core/pyfloat.c
regularization_KIT_README   := student_template/regularization/README.md
# Its own tests (numbers against numpy's oracle, the published notebook, grades), a binary of their own.
regularization_TESTS := $(wildcard testcases/regularization/tests/*.c)
# Its tests use the kit (order-only: brought up to date, not linked).
$(B)/tests/regularization-run: | $(or $(DIST),dist)/regularization-kit.tar.gz
