/*
 * leak_check — LeakSanitizer in the diagnostic runner: where it looks, and
 * whether a test needs it to look at all.
 *
 * The memory checks' runner is built with AddressSanitizer; after each test
 * it asks LeakSanitizer for the blocks nothing points to any more. That check
 * stops the process, reads its memory map, every heap block and every global
 * variable: it costs more than most tests. Two things make it cheaper and
 * find the same leaks.
 *
 * Where it looks. A block a global variable points to is no leak, so the
 * check reads the writable segments of every loaded module. The sanitizers'
 * own runtimes are most of that memory: libubsan's and libasan's tables are
 * 11 MB of untouched zeros, and reading them costs a page fault per page in
 * each test's process. Their globals hold no pointer to a student's block
 * (the allocator's own, which does, is one LeakSanitizer already skips). So
 * the runner tells LeakSanitizer not to read globals itself (use_globals=0,
 * in __lsan_default_options) and gives it every other module's writable
 * segments as root regions instead: the runner's and the student's globals,
 * libc's, cJSON's.
 *
 * Whether it looks. The runner frees everything of its own before the check
 * (the bindings free their inputs and outputs). So when the allocator holds
 * exactly the bytes it held as the test's process began, every block the
 * test allocated was freed, and there is nothing to find: the check is
 * skipped. (A test could only fool this by freeing a block it never had and
 * leaking one of the same size; it would hide its own feedback, nothing else.)
 *
 * Nothing happens in a runner built without AddressSanitizer.
 */
#ifndef LEAK_CHECK_H
#define LEAK_CHECK_H

#include <stdbool.h>

/* Is this runner built with LeakSanitizer? */
bool leak_check_built_in(void);

/* Registers the root regions. Call first in main, before any fork. */
void leak_check_prepare(void);

/* Notes what the allocator holds as a test's process begins. */
void leak_check_mark(void);

/* Looks for leaks (LeakSanitizer reports them on stderr), unless every byte
 * allocated since leak_check_mark was freed. */
void leak_check_run(void);

#endif
