/*
 * notebook — the Gradient Checking notebook's cells, run on the reference (make notebook).
 *
 * Prints what the notebook prints, with Python's float digits: the 1-D cells
 * (x, theta = 2, 4 and 3, 4), then gradient_check_n with print_msg on the
 * notebook's fixture, first with backward_propagation_n as handed out, then
 * with its two bugs fixed.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "backprop_variants.h"
#include "gradient_check.h"
#include "gradient_check_data.h"
#include "jsonio.h"

/* In the notebook x and theta are Python ints, so J and dtheta print as ints. */
static void print_int_like(const char *name, double v)
{
    char text[GC_FLOAT_STR_MAX];
    if (v == floor(v) && fabs(v) < 1e15)
        printf("%s = %.0f\n", name, v);
    else
        printf("%s = %s\n", name, gc_float_str(v, text));
}

static int check_n(const char *title, const char *variant, const gcd_case *c)
{
    gc_cache cache;
    gc_gradients g;
    hr_error err;
    printf("\n# %s\n", title);
    double cost = forward_propagation_n(&c->X, &c->Y, &c->parameters, &cache);
    if (gcv_backprop(variant, &c->X, &c->Y, &cache, &g, &err) != 0) {
        fprintf(stderr, "notebook: %s\n", err.msg);
        return -1;
    }
    char text[GC_FLOAT_STR_MAX];
    printf("cost = %s\n", gc_float_str(cost, text));
    gradient_check_n(&c->parameters, &g, &c->X, &c->Y, 1e-7, true);
    gc_gradients_free(&g);
    gc_cache_free(&cache);
    return 0;
}

int main(int argc, char **argv)
{
    const char *fixture = argc > 1 ? argv[1] : "testcases/gradient_check/gradient_check_n_test_case.json";
    printf("# x, theta = 2, 4\n");
    print_int_like("J", forward_propagation(2, 4));
    printf("\n# x, theta = 3, 4\n");
    print_int_like("dtheta", backward_propagation(3, 4));
    printf("\n# gradient_check(x=2, theta=4, print_msg=True)\n");
    gradient_check(2, 4, 1e-7, true);
    printf("\n# gradient_check(x=3, theta=4, print_msg=True)\n");
    gradient_check(3, 4, 1e-7, true);

    hr_error err;
    cJSON *doc = jsonio_read_file(fixture, &err);
    gcd_case c;
    if (!doc || gcd_case_read(doc, &c, &err) != 0) {
        fprintf(stderr, "notebook: %s\n", err.msg);
        return 1;
    }
    cJSON_Delete(doc);
    int rc = check_n("X, Y, parameters = gradient_check_n_test_case(); backward_propagation_n as handed out",
                     "as_handed_out", &c);
    if (rc == 0)
        rc = check_n("the same, with dW2 and db1 fixed", "reference", &c);
    gcd_case_free(&c);
    return rc == 0 ? 0 : 1;
}
