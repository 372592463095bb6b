/*
 * fuzz_main — one program per fuzz target for afl-fuzz (`make fuzz`):
 * `fuzz TARGET FILE` runs the target (fuzz_targets.h) on FILE. Built with
 * afl-cc, which instruments the parsers it links; run with a file name (@@).
 */
#include <stdio.h>

#include "fuzz_targets.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s TARGET FILE\n", argv[0]);
        return 2;
    }
    if (fuzz_run(argv[1], argv[2]) != 0) {
        fprintf(stderr, "%s: unknown target %s, or cannot read %s\n", argv[0], argv[1], argv[2]);
        return 2;
    }
    return 0;
}
