/*
 * fixture.c — print what an initializer of the reference returns, as JSON
 * (make -s fixture ASSIGNMENT=initialization ARGS="he 3 5 3 1").
 *
 *   fixture zeros|random|he n0 n1 ... nL
 *   fixture dataset
 *
 * The first form prints the named group {"W1": ..., "b1": ..., ...} the
 * reference returns on layers_dims [n0, ..., nL] (the expected value of a test
 * on those sizes, numpy's own numbers); the second, the notebook's dataset
 * (load_dataset: train_X, train_Y, test_X, test_Y). Nothing else on stdout.
 * Built from the reference, so it lives in the private build folder.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "initialization.h"
#include "jsonio.h"

static int usage(void)
{
    fprintf(stderr, "usage: fixture zeros|random|he n0 n1 ... nL   (sizes 1 .. %d)\n"
                    "       fixture dataset\n", INITD_MAX_UNITS);
    return 2;
}

static int dataset(void)
{
    nn_matrix X, Y, tX, tY;
    load_dataset(&X, &Y, &tX, &tY);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddItemToObject(doc, "train_X", jsonio_matrix(X.data, X.rows, X.cols));
    cJSON_AddItemToObject(doc, "train_Y", jsonio_matrix(Y.data, Y.rows, Y.cols));
    cJSON_AddItemToObject(doc, "test_X", jsonio_matrix(tX.data, tX.rows, tX.cols));
    cJSON_AddItemToObject(doc, "test_Y", jsonio_matrix(tY.data, tY.rows, tY.cols));
    int rc = jsonio_print(stdout, doc) == 0 ? 0 : 1;
    cJSON_Delete(doc);
    nn_matrix_free(&X);
    nn_matrix_free(&Y);
    nn_matrix_free(&tX);
    nn_matrix_free(&tY);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "dataset"))
        return dataset();
    if (argc < 3)
        return usage();
    nn_params (*init)(const int *, size_t) =
        !strcmp(argv[1], "zeros")  ? initialize_parameters_zeros :
        !strcmp(argv[1], "random") ? initialize_parameters_random :
        !strcmp(argv[1], "he")     ? initialize_parameters_he : NULL;
    if (!init)
        return usage();
    cJSON *list = cJSON_CreateArray();
    for (int i = 2; i < argc; i++) {
        char *end;
        errno = 0;
        long v = strtol(argv[i], &end, 10);
        if (errno || *end || end == argv[i]) {
            fprintf(stderr, "fixture: '%s' is not a layer size\n", argv[i]);
            cJSON_Delete(list);
            return 2;
        }
        cJSON_AddItemToArray(list, cJSON_CreateNumber((double)v));
    }
    int *dims;
    size_t n;
    hr_error err;
    int rc = initd_layers_read(list, &dims, &n, &err);
    cJSON_Delete(list);
    if (rc != 0) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        return 2;
    }
    nn_params p = init(dims, n);
    cJSON *doc = initd_params_json(&p, p.L);
    rc = doc && jsonio_print(stdout, doc) == 0 ? 0 : 1;
    cJSON_Delete(doc);
    nn_params_free(&p);
    free(dims);
    return rc;
}
