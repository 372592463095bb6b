# mk/fuzz.mk — fuzzing the grader's parsers of untrusted bytes (issue 10).
#
#   make fuzz [FUZZ_SECONDS=60]   afl-fuzz each target (harness/tests/fuzz) for
#                                 FUZZ_SECONDS; what it finds is kept in the corpus
#
# The targets (fuzz_targets.c): the source checks, the object checks, the
# runner's result document, the intake. The program is built with afl-cc
# (Debian package afl++, harness/deps.sh --test), so that the test binary can
# run a short bounded fuzz of each target; the suite also replays every file
# of harness/tests/fuzz/corpus through every parser (harness/tests/test_fuzz.c).

AFL_CC       ?= afl-cc
FUZZ_SECONDS ?= 60
FUZZ_CORPUS  := harness/tests/fuzz/corpus
FUZZ_BIN     := $(B)/fuzz/fuzz
FUZZ_PARSERS := compile/srccheck compile/objcheck run/protocol compile/intake $(CORE)
FUZZ_SRC     := harness/tests/fuzz/fuzz_main.c harness/tests/fuzz/fuzz_targets.c \
                $(patsubst %,harness/%.c,$(sort $(FUZZ_PARSERS)))

$(FUZZ_BIN): $(FUZZ_SRC) $(wildcard harness/*/*.h) $(FLAGS_FILE) | $(B)
	@mkdir -p $(dir $@)
	AFL_QUIET=1 $(AFL_CC) -std=c11 -D_GNU_SOURCE -O1 -g $(NUMERIC) $(HARNESS_INCS) -Iharness/tests/fuzz -o $@ \
	    $(FUZZ_SRC) -lcjson -lm

# The replay needs the targets in the test binary; the short run needs the
# instrumented program, built with the test binary wherever afl++ is installed.
$(B)/tests/run: $(O)/harness/tests/fuzz/fuzz_targets.o
ifneq ($(shell command -v $(AFL_CC) 2>/dev/null),)
$(B)/tests/run: | $(FUZZ_BIN)
endif

fuzz: $(FUZZ_BIN)
	@harness/tests/fuzz/run.sh $(FUZZ_BIN) $(FUZZ_CORPUS) $(B)/fuzz/out $(FUZZ_SECONDS)

.PHONY: fuzz
