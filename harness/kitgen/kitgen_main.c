/*
 * kitgen — write the student kit's generated files. Run by `make student-kit`.
 *
 *   kitgen PACK TESTS_C GRADER_MK PROVIDED_CFLAGS
 *
 * Reads the built pack (trusted, private) and writes only what its visible
 * tests make public; linked with the assignment's kit writer. Exit 1 with the
 * test's id when a visible test cannot be written.
 */
#include <stdio.h>

#include "kitgen.h"
#include "pack.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: kitgen PACK TESTS_C GRADER_MK PROVIDED_CFLAGS\n");
        return 2;
    }
    hr_error err = {{0}};
    pack p;
    if (pack_load(argv[1], &p, &err) != 0) {
        fprintf(stderr, "kitgen: %s\n", err.msg);
        return 1;
    }
    kitgen_files files = {argv[2], argv[3], argv[4]};
    int rc = kitgen_write(&p, &ASG_KIT, &files, &err);
    if (rc != 0)
        fprintf(stderr, "kitgen: %s: %s\n", argv[1], err.msg);
    pack_free(&p);
    return rc == 0 ? 0 : 1;
}
