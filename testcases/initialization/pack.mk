# pack.mk — Initialization (course 2, week 1, assignment 1): its files, for the top Makefile.
#
# Every name is prefixed with the assignment's id; the Makefile's PACK_RULES
# build build/initialization/ from them. The fixture printer and the notebook
# run the reference (they live in the private build folder); data.c (the JSON
# forms of layers_dims and parameter sets) is runner-side and never reaches the kit.
PACKS += initialization
initialization_RUBRIC    := rubrics/initialization.yaml
initialization_MISTAKES  := rubrics/initialization.mistakes.yaml
initialization_PUBLIC_H  := student_template/initialization/initialization.h student_template/initialization/init_utils.h
initialization_PROVIDED  := student_template/initialization/init_utils.c testcases/initialization/data.c
initialization_BINDINGS  := testcases/initialization/bindings.c
initialization_CASEGEN   := testcases/initialization/cases.c
initialization_REFERENCE := reference/initialization/initialization.c
initialization_FIXTURE   := testcases/initialization/fixture.c reference/initialization/initialization.c
initialization_NOTEBOOK  := reference/initialization/notebook.c reference/initialization/initialization.c
initialization_KIT       := testcases/initialization/kit.c
initialization_FIXTURES  := $(wildcard testcases/initialization/*.json)
initialization_INCS      := -Istudent_template/initialization -Itestcases/initialization -Ireference/initialization
# make -s fixture ASSIGNMENT=initialization ARGS="he 3 5 3 1" (or ARGS=dataset)
initialization_FIXTURE_ARGS  = $(or $(ARGS),he 2 4 1)
initialization_NOTEBOOK_ARGS = $(ARGS)
# The student kit: what it ships besides the template and the public headers
# (the provided code draws numpy's numbers with nprand.c and prints with pyfloat.c).
initialization_KIT_PROVIDED := student_template/initialization/init_utils.c harness/core/nprand.h harness/core/nprand.c \
                               harness/core/pyfloat.h harness/core/pyfloat.c
initialization_KIT_README   := student_template/initialization/README.md
# Its own tests (fixtures, dataset, notebook and training costs against numpy's
# oracle; the examples, the variants and every catalogued mistake graded end to end).
# They run the pack's built programs (fixture, notebook, grader): make test builds them first.
initialization_TESTS := $(wildcard testcases/initialization/tests/*.c)
$(B)/tests/initialization-run: | $(B)/initialization/fixture $(B)/initialization/notebook $(B)/grader \
                                 $(or $(DIST),dist)/initialization-kit.tar.gz
