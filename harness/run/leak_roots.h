/*
 * leak_roots — where LeakSanitizer looks for pointers in the diagnostic runner.
 *
 * A leak check treats as reachable every heap block a pointer in a global
 * variable leads to, so it reads the writable segments of every loaded
 * module. The sanitizers' own runtimes are most of that memory: libubsan's
 * and libasan's tables are 11 MB of untouched zeros, and reading them costs a
 * page fault per page in each test's process, half the check. Their globals
 * hold no pointer to a student's block (the allocator's own, which does, is
 * one LeakSanitizer already skips). So the runner tells LeakSanitizer not to
 * read globals itself (use_globals=0, in __lsan_default_options) and gives it
 * every other module's writable segments as root regions instead: the
 * runner's and the student's globals, libc's, cJSON's. A block kept in any of
 * them is no leak, as before.
 *
 * Nothing happens in a runner built without AddressSanitizer.
 */
#ifndef LEAK_ROOTS_H
#define LEAK_ROOTS_H

/* Registers the root regions. Call first in main, before any fork. */
void leak_roots_register(void);

#endif
