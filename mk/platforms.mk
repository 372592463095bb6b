# mk/platforms.mk — uploads for course platforms (README.md, "For course platforms").
#
#   make gradescope-zip   dist/gradescope-autograder.zip: setup.sh and
#                         run_autograder at its top, the project's sources beside
#   make coursera-zip COURSERA_PARTS='Zb6wb=gradient_check_all ...'
#                         dist/coursera-grader.zip: the Dockerfile at its top,
#                         the project's sources and the part map beside it
#   make prairielearn-image-context
#                         dist/prairielearn-image/: what `docker build` of the
#                         public PrairieLearn image reads (the generic grader's
#                         sources and the Dockerfile; no assignment's file)
#   make prairielearn-question [PL_IMAGE=you/gcgrade-prairielearn]
#                         dist/prairielearn-question/ASSIGNMENT/: the question's
#                         info.json, question.html and tests/ASSIGNMENT/ (the
#                         built pack): copy it into the course's questions/
#
# The zips hold sources only, never build outputs: the platform builds the
# grader and the pack itself (setup.sh, the Dockerfile), on its own system.
# They hold the reference solution, which the pack is computed from: they are
# for the course staff's upload, never for students. So do the question files
# (the pack holds every hidden input and expected value): they stay in the
# course's repository, which students do not see.


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
# The generic grader alone: harness/ without its tests, and how to build it.
PL_IMAGE_SOURCES := Makefile $(wildcard mk/*.mk) harness/deps.sh $(wildcard harness/*/*.c harness/*/*.h) \
                    kit/Makefile $(wildcard kit/tests/*) \
                    platforms/prairielearn/Dockerfile platforms/prairielearn/grade
PL_IMAGE ?= gcgrade/prairielearn-grader:latest
PL_FILE  ?= $(ASSIGNMENT).c
PL_TITLE ?= $(ASSIGNMENT)

# $(call platform_zip,ZIP,NAME,PLATFORM FILES,FILES ALSO AT THE TOP,MORE FILES AT THE TOP)
# One shell, a stage of its own and the zip renamed into place: tests make
# the same zip at once.
define platform_zip
	@command -v zip >/dev/null || { echo "making $(1) needs zip (Debian package zip)" >&2; exit 1; }
	@mkdir -p dist && stage=$$(mktemp -d $(abspath $(B))/stage-$(2)-XXXXXX) && \
	    trap 'rm -rf "$$stage" "$$stage.zip"' EXIT && \
	    cp --parents $(PLATFORM_SOURCES) $(3) "$$stage/" && cp $(4) $(5) "$$stage/" && \
	    (cd "$$stage" && zip -q -r -X "$$stage.zip" .) && mv -f "$$stage.zip" $(1)
	@echo "wrote $(1)"
endef

dist/gradescope-autograder.zip: $(PLATFORM_SOURCES) $(GRADESCOPE_FILES) | $(B)
	$(call platform_zip,$@,gradescope,$(GRADESCOPE_FILES),$(wordlist 1,2,$(GRADESCOPE_FILES)))

# Rebuilt every time: COURSERA_PARTS is not a file make can date. The map
# (platforms/coursera/map-parts) is made first, in a folder of its own.
COURSERA_PARTS ?=
dist/coursera-grader.zip: $(PLATFORM_SOURCES) $(COURSERA_FILES) $(B)/$(ASSIGNMENT)/pack.json FORCE | $(B)
	@mkdir -p $(B)/coursera-parts.d && parts=$$(mktemp -d $(abspath $(B))/coursera-parts.d/XXXXXX) && \
	    trap 'rm -rf "$$parts"' EXIT && \
	    platforms/coursera/map-parts "$$parts/coursera-parts" "$(COURSERA_PARTS)" $(B) $(ASSIGNMENT) && \
	    $(MAKE) -s --no-print-directory coursera-zip-from PARTS_FILE="$$parts/coursera-parts"

# The zip itself, with the map made above (not for direct use).
coursera-zip-from:
	$(call platform_zip,dist/coursera-grader.zip,coursera,$(COURSERA_FILES),platforms/coursera/Dockerfile,$(PARTS_FILE))

gradescope-zip: dist/gradescope-autograder.zip
coursera-zip: dist/coursera-grader.zip

prairielearn-image-context: $(PL_IMAGE_SOURCES)
	@rm -rf dist/prairielearn-image && mkdir -p dist/prairielearn-image
	@cp --parents $(PL_IMAGE_SOURCES) dist/prairielearn-image/
	@cp platforms/prairielearn/Dockerfile dist/prairielearn-image/Dockerfile
	@echo "wrote dist/prairielearn-image/ (docker build -t $(PL_IMAGE) dist/prairielearn-image)"

PL_QUESTION = dist/prairielearn-question/$(1)
prairielearn-question: all
	@for a in $(PACKS); do \
	    q=dist/prairielearn-question/$$a; rm -rf $$q && mkdir -p $$q/tests || exit 1; \
	    platforms/install-grader $(B) $$q/tests/stage $$a >/dev/null && mv $$q/tests/stage/$$a $$q/tests/$$a && \
	        rm -rf $$q/tests/stage || exit 1; \
	    chmod 0644 $$q/tests/$$a/pack.json; chmod 0755 $$q/tests/$$a; \
	    uuid=$$(printf 'gcgrade-prairielearn-%s' "$$a" | md5sum | \
	            sed 's/^\(........\)\(....\)\(....\)\(....\)\(............\).*/\1-\2-\3-\4-\5/'); \
	    for f in info.json question.html; do \
	        sed -e "s|@UUID@|$$uuid|" -e "s|@IMAGE@|$(PL_IMAGE)|" -e "s|@ASSIGNMENT@|$$a|g" \
	            -e "s|@TITLE@|$(PL_TITLE)|g" -e "s|@FILE@|$(PL_FILE)|g" platforms/prairielearn/question/$$f > $$q/$$f; \
	    done; \
	    echo "wrote $$q/ (copy it into the course's questions/; image $(PL_IMAGE))"; \
	done

FORCE:
.PHONY: gradescope-zip coursera-zip coursera-zip-from prairielearn-image-context prairielearn-question FORCE
