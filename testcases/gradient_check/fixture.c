/*
 * gradient_check_fixture — print the fixture of a seed as JSON (make fixture SEED=N).
 *
 *   fixture SEED [n0 n1 n2 n3 m]
 *
 * The same values as np.random.seed(SEED); x = randn(n0, m); y = resize([1, 1, 0], m);
 * W1 = randn(n1, n0); b1 = randn(n1, 1); ... (defaults: the notebook's 4 5 3 1 3).
 * Keys X, Y, W1, b1, W2, b2, W3, b3, each a list of rows; nothing else on stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "gradient_check_data.h"
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

int main(int argc, char **argv)
{
    unsigned long seed, v;
    gcd_shape shape = GCD_NOTEBOOK_SHAPE;
    if ((argc != 2 && argc != 7) || parse_size(argv[1], 4294967295UL, &seed) != 0) {
        fprintf(stderr, "usage: fixture SEED [n0 n1 n2 n3 m]   (SEED: 0 .. 2^32-1)\n");
        return 2;
    }
    for (int i = 0; argc == 7 && i < 5; i++) {
        if (parse_size(argv[2 + i], 4096, &v) != 0) {
            fprintf(stderr, "fixture: '%s' is not a size\n", argv[2 + i]);
            return 2;
        }
        if (i < 4)
            shape.layers[i] = v;
        else
            shape.m = v;
    }
    gcd_case c;
    hr_error err;
    if (gcd_generate((uint32_t)seed, &shape, &c, &err) != 0) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return 2;
    }
    cJSON *doc = gcd_case_json(&c);
    int rc = doc && jsonio_print(stdout, doc) == 0 ? 0 : 1;
    cJSON_Delete(doc);
    gcd_case_free(&c);
    return rc;
}
