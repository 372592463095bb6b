/*
 * notebook.c — the Initialization notebook's cells, run on the reference
 * (make -s notebook ASSIGNMENT=initialization).
 *
 * Prints what the notebook prints: the three initializers' parameters on the
 * notebook's layer sizes (numpy's str(), 8 decimals at most), the 2021
 * revision's He cell on [3, 1, 2], then the three training runs of model()
 * on the circles dataset (layers [2, 10, 5, 1], 15000 iterations, lr 0.01):
 * the cost every 1000 iterations with Python's digits and the accuracies. The
 * prediction arrays the notebook also prints are left out. Numbers follow
 * numpy's operation order, so the costs are numpy's on this machine (the
 * random run amplifies last-bit differences: the course's own two published
 * runs disagree there after iteration 0).
 */
#include <stdio.h>
#include <string.h>

#include "initialization.h"

typedef nn_params (*initializer)(const int *, size_t);

static void print_parameters(const char *call, initializer init, const int *dims, size_t n)
{
    printf("# parameters = %s\n", call);
    nn_params p = init(dims, n);
    for (size_t l = 0; l < p.L; l++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "W%zu = ", l + 1);
        nn_print_matrix(prefix, &p.W[l]);
        snprintf(prefix, sizeof prefix, "b%zu = ", l + 1);
        nn_print_matrix(prefix, &p.b[l]);
    }
    nn_params_free(&p);
    putchar('\n');
}

/* The notebook's model(): full-batch gradient descent, init_utils' order. */
static nn_params model(const nn_matrix *X, const nn_matrix *Y, double learning_rate, int num_iterations,
                       initializer init)
{
    const int layers_dims[] = {(int)X->rows, 10, 5, 1};
    nn_params parameters = init(layers_dims, 4);
    for (int i = 0; i < num_iterations; i++) {
        nn_cache cache;
        const nn_matrix *a3 = forward_propagation(X, &parameters, &cache);
        double cost = compute_loss(a3, Y);
        nn_grads grads = backward_propagation(X, Y, &cache);
        update_parameters(&parameters, &grads, learning_rate);
        if (i % 1000 == 0) {
            char text[NN_FLOAT_STR_MAX];
            printf("Cost after iteration %d: %s\n", i, nn_float_str(cost, text));
        }
        nn_grads_free(&grads);
        nn_cache_free(&cache);
    }
    return parameters;
}

static void train(const char *name, initializer init, const nn_matrix *X, const nn_matrix *Y,
                  const nn_matrix *tX, const nn_matrix *tY)
{
    printf("# parameters = model(train_X, train_Y, initialization = \"%s\")\n", name);
    nn_params p = model(X, Y, 0.01, 15000, init);
    printf("On the train set:\n");
    nn_matrix a = predict(X, Y, &p);
    printf("On the test set:\n");
    nn_matrix b = predict(tX, tY, &p);
    nn_matrix_free(&a);
    nn_matrix_free(&b);
    nn_params_free(&p);
    putchar('\n');
}

int main(int argc, char **argv)
{
    const int d321[] = {3, 2, 1}, d241[] = {2, 4, 1}, d312[] = {3, 1, 2};
    print_parameters("initialize_parameters_zeros([3, 2, 1])", initialize_parameters_zeros, d321, 3);
    print_parameters("initialize_parameters_random([3, 2, 1])", initialize_parameters_random, d321, 3);
    print_parameters("initialize_parameters_he([2, 4, 1])", initialize_parameters_he, d241, 3);
    print_parameters("initialize_parameters_he([3, 1, 2])   (2021 revision)", initialize_parameters_he, d312, 3);
    if (argc > 1 && !strcmp(argv[1], "--no-train"))
        return 0;
    nn_matrix X, Y, tX, tY;
    load_dataset(&X, &Y, &tX, &tY);
    train("zeros", initialize_parameters_zeros, &X, &Y, &tX, &tY);
    train("random", initialize_parameters_random, &X, &Y, &tX, &tY);
    train("he", initialize_parameters_he, &X, &Y, &tX, &tY);
    nn_matrix_free(&X);
    nn_matrix_free(&Y);
    nn_matrix_free(&tX);
    nn_matrix_free(&tY);
    return 0;
}
