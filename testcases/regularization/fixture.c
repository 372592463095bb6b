/*
 * fixture — print the Regularization assignment's test cases as JSON
 * (make -s fixture ASSIGNMENT=regularization ARGS="...").
 *
 *   fixture NAME                   a course test case (testCases.py's name), e.g.
 *                                  forward_propagation_with_dropout_test_case
 *   fixture FUNCTION SEED n0 n1 n2 n3 m [keep_prob]
 *                                  a fresh case for a graded function (see data.c)
 *   fixture initialize_parameters  reg_utils' initialize_parameters([2, 20, 3, 1])
 *
 * Matrices are lists of rows, every double exact; nothing else on stdout. The
 * course's cases (the .json files of testcases/regularization) are this program's output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "jsonio.h"

static int parse_size(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || end == s || v > max || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: fixture NAME | fixture FUNCTION SEED n0 n1 n2 n3 m [keep_prob] | fixture initialize_parameters\n"
                    "  NAME: one of");
    for (int i = 0; i < 4; i++)
        fprintf(stderr, " %s", RGD_COURSE_CASES[i]);
    fputc('\n', stderr);
    return 2;
}

int main(int argc, char **argv)
{
    hr_error err;
    cJSON *doc = NULL;
    if (argc == 2 && !strcmp(argv[1], "initialize_parameters")) {
        static const size_t dims[4] = {2, 20, 3, 1};
        reg_parameters p = initialize_parameters(dims);
        doc = rgd_parameters_json(&p);
        reg_parameters_free(&p);
    } else if (argc == 2) {
        if (!(doc = rgd_course_case(argv[1], &err))) {
            fprintf(stderr, "fixture: %s\n", err.msg);
            return usage();
        }
    } else if (argc == 8 || argc == 9) {
        unsigned long seed, v;
        rgd_shape shape;
        double keep_prob = 0.5;
        if (parse_size(argv[2], 4294967295UL, &seed) != 0)
            return usage();
        for (int i = 0; i < 5; i++) {
            if (parse_size(argv[3 + i], 4096, &v) != 0)
                return usage();
            if (i < 4)
                shape.layers[i] = v;
            else
                shape.m = v;
        }
        if (argc == 9 && (keep_prob = strtod(argv[8], NULL)) <= 0)
            return usage();
        if (!(doc = rgd_fresh_case(argv[1], (uint32_t)seed, &shape, keep_prob, &err))) {
            fprintf(stderr, "fixture: %s\n", err.msg);
            return 2;
        }
    } else {
        return usage();
    }
    int rc = jsonio_print(stdout, doc) == 0 ? 0 : 1;
    cJSON_Delete(doc);
    return rc;
}
