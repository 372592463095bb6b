# mk/platforms.mk — uploads for course platforms (README.md, "For course platforms").
#
#   make gradescope-zip   dist/gradescope-autograder.zip: setup.sh and
#                         run_autograder at its top, the project's sources beside
#   make coursera-zip     dist/coursera-grader.zip: the Dockerfile at its top,
#                         the project's sources beside it (Coursera's upload)
#
# Both hold sources only, never build outputs: the platform builds the grader
# and the pack itself (setup.sh, the Dockerfile), on its own system. They hold
# the reference solution, which the pack is computed from: they are for the
# course staff's upload, never for students.

PLATFORM_SOURCES := Makefile $(wildcard mk/*.mk) grade.sh harness/deps.sh \
    $(wildcard harness/*/*.c harness/*/*.h) kit/Makefile $(wildcard kit/tests/*) \
    $(wildcard student_template/*/*) \
    $(wildcard reference/*/*.c reference/*/*.h) \
    $(wildcard testcases/*/*.c testcases/*/*.h testcases/*/*.json testcases/*/pack.mk) \
    $(wildcard rubrics/*.yaml)
GRADESCOPE_FILES := platforms/gradescope/setup.sh platforms/gradescope/run_autograder \
                    platforms/install-grader
COURSERA_FILES   := platforms/coursera/Dockerfile platforms/coursera/grade platforms/coursera/install \
                    platforms/install-grader

# $(call platform_zip,ZIP,STAGE,PLATFORM FILES,FILES ALSO AT THE TOP)
define platform_zip
	@command -v zip >/dev/null || { echo "making $(1) needs zip (Debian package zip)" >&2; exit 1; }
	@rm -rf $(2) && mkdir -p $(2) dist
	@cp --parents $(PLATFORM_SOURCES) $(3) $(2)/
	@cp $(4) $(2)/
	@rm -f $(1) && cd $(2) && zip -q -r -X $(abspath $(1)) .
	@rm -rf $(2)
	@echo "wrote $(1)"
endef

dist/gradescope-autograder.zip: $(PLATFORM_SOURCES) $(GRADESCOPE_FILES) | $(B)
	$(call platform_zip,$@,$(B)/stage-gradescope,$(GRADESCOPE_FILES),$(wordlist 1,2,$(GRADESCOPE_FILES)))

dist/coursera-grader.zip: $(PLATFORM_SOURCES) $(COURSERA_FILES) | $(B)
	$(call platform_zip,$@,$(B)/stage-coursera,$(COURSERA_FILES),platforms/coursera/Dockerfile)

gradescope-zip: dist/gradescope-autograder.zip
coursera-zip: dist/coursera-grader.zip

.PHONY: gradescope-zip coursera-zip
