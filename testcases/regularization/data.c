/* data — see data.h. */
#include "data.h"

#include <stdlib.h>
#include <string.h>

#include "jsonio.h"

const char *const RGD_PARAMETER_KEYS[6] = {"W1", "b1", "W2", "b2", "W3", "b3"};
const char *const RGD_GRADIENT_KEYS[11] = {"dZ3", "dW3", "db3", "dA2", "dZ2", "dW2",
                                           "db2", "dA1", "dZ1", "dW1", "db1"};
const char *const RGD_CACHE_KEYS[12] = {"Z1", "A1", "W1", "b1", "Z2", "A2",
                                        "W2", "b2", "Z3", "A3", "W3", "b3"};
const char *const RGD_DROPOUT_KEYS[14] = {"Z1", "D1", "A1", "W1", "b1", "Z2", "D2",
                                          "A2", "W2", "b2", "Z3", "A3", "W3", "b3"};

static void parameter_slots(reg_parameters *p, reg_matrix *s[6])
{
    s[0] = &p->W1; s[1] = &p->b1; s[2] = &p->W2; s[3] = &p->b2; s[4] = &p->W3; s[5] = &p->b3;
}

void rgd_gradient_slots(reg_gradients *g, reg_matrix *s[11])
{
    s[0] = &g->dZ3; s[1] = &g->dW3; s[2] = &g->db3; s[3] = &g->dA2; s[4] = &g->dZ2; s[5] = &g->dW2;
    s[6] = &g->db2; s[7] = &g->dA1; s[8] = &g->dZ1; s[9] = &g->dW1; s[10] = &g->db1;
}

static void cache_slots(reg_cache *c, reg_matrix *s[12])
{
    s[0] = &c->Z1; s[1] = &c->A1; s[2] = &c->W1; s[3] = &c->b1; s[4] = &c->Z2; s[5] = &c->A2;
    s[6] = &c->W2; s[7] = &c->b2; s[8] = &c->Z3; s[9] = &c->A3; s[10] = &c->W3; s[11] = &c->b3;
}

void rgd_dropout_slots(dropout_cache *c, reg_matrix *s[14])
{
    s[0] = &c->Z1; s[1] = &c->D1; s[2] = &c->A1; s[3] = &c->W1; s[4] = &c->b1; s[5] = &c->Z2;
    s[6] = &c->D2; s[7] = &c->A2; s[8] = &c->W2; s[9] = &c->b2; s[10] = &c->Z3; s[11] = &c->A3;
    s[12] = &c->W3; s[13] = &c->b3;
}

/* ---- JSON <-> C ---------------------------------------------------------------- */

cJSON *rgd_matrix_json(const reg_matrix *m)
{
    /* a student's empty (0 x 0) matrix is [], which jsonio_matrix writes too */
    return jsonio_matrix(m->data, m->rows, m->cols);
}

int rgd_matrix_read(const cJSON *obj, const char *key, reg_matrix *out, hr_error *err)
{
    const cJSON *item = jsonio_get(obj, key);
    if (!item)
        return hr_fail(err, "missing '%s'", key);
    double *data;
    size_t rows, cols;
    if (jsonio_get_matrix(item, true, &data, &rows, &cols, err) != 0)
        return hr_wrap(err, "'%s'", key);
    *out = (reg_matrix){rows, cols, data};
    return 0;
}

static cJSON *group_json(const char *const *keys, reg_matrix *const *slots, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < n; i++)
        cJSON_AddItemToObject(o, keys[i], rgd_matrix_json(slots[i]));
    return o;
}

static int group_read(const cJSON *obj, const char *what, const char *const *keys, reg_matrix **slots,
                      size_t n, hr_error *err)
{
    for (size_t i = 0; i < n; i++)
        *slots[i] = (reg_matrix){0, 0, NULL};
    if (!cJSON_IsObject(obj))
        return hr_fail(err, "'%s' must be an object of matrices", what);
    for (size_t i = 0; i < n; i++)
        if (rgd_matrix_read(obj, keys[i], slots[i], err) != 0) {
            for (size_t k = 0; k < i; k++)
                reg_matrix_free(slots[k]);
            return hr_wrap(err, "%s", what);
        }
    return 0;
}

cJSON *rgd_parameters_json(const reg_parameters *p)
{
    reg_matrix *s[6];
    parameter_slots((reg_parameters *)p, s);
    return group_json(RGD_PARAMETER_KEYS, s, 6);
}

int rgd_parameters_read(const cJSON *obj, reg_parameters *out, hr_error *err)
{
    reg_matrix *s[6];
    parameter_slots(out, s);
    return group_read(obj, "parameters", RGD_PARAMETER_KEYS, s, 6, err);
}

cJSON *rgd_gradients_json(const reg_gradients *g)
{
    reg_matrix *s[11];
    rgd_gradient_slots((reg_gradients *)g, s);
    return group_json(RGD_GRADIENT_KEYS, s, 11);
}

int rgd_gradients_read(const cJSON *obj, reg_gradients *out, hr_error *err)
{
    reg_matrix *s[11];
    rgd_gradient_slots(out, s);
    return group_read(obj, "gradients", RGD_GRADIENT_KEYS, s, 11, err);
}

cJSON *rgd_cache_json(const reg_cache *c)
{
    reg_matrix *s[12];
    cache_slots((reg_cache *)c, s);
    return group_json(RGD_CACHE_KEYS, s, 12);
}

int rgd_cache_read(const cJSON *obj, reg_cache *out, hr_error *err)
{
    reg_matrix *s[12];
    cache_slots(out, s);
    return group_read(obj, "cache", RGD_CACHE_KEYS, s, 12, err);
}

cJSON *rgd_dropout_cache_json(const dropout_cache *c)
{
    reg_matrix *s[14];
    rgd_dropout_slots((dropout_cache *)c, s);
    return group_json(RGD_DROPOUT_KEYS, s, 14);
}

int rgd_dropout_cache_read(const cJSON *obj, dropout_cache *out, hr_error *err)
{
    reg_matrix *s[14];
    rgd_dropout_slots(out, s);
    return group_read(obj, "cache", RGD_DROPOUT_KEYS, s, 14, err);
}

/* ---- the course's test cases ----------------------------------------------------- */

/* A matrix testCases.py types in (8-decimal literals, masks as 0/1). */
typedef struct {
    const char *name;
    size_t rows, cols;
    const double *values;
} literal;

/* compute_cost_with_regularization_test_case: A3 */
static const literal COST_A3 = {"A3", 1, 5, (const double[]){0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402}};
static const literal L2_CACHE[12] = {
    {"Z1", 2, 5, (const double[]){-1.52855314, 3.32524635, 2.13994541, 2.60700654, -0.75942115, -1.98043538, 4.1600994, 0.79051021, 1.46493512, -0.45506242}},
    {"A1", 2, 5, (const double[]){0.0, 3.32524635, 2.13994541, 2.60700654, 0.0, 0.0, 4.1600994, 0.79051021, 1.46493512, 0.0}},
    {"W1", 2, 3, (const double[]){-1.09989127, -0.17242821, -0.87785842, 0.04221375, 0.58281521, -1.10061918}},
    {"b1", 2, 1, (const double[]){1.14472371, 0.90159072}},
    {"Z2", 3, 5, (const double[]){0.53035547, 5.94892323, 2.31780174, 3.16005701, 0.53035547, -0.69166075, -3.47645987, -2.25194702, -2.65416996, -0.69166075, -0.39675353, -4.62285846, -2.61101729, -3.22874921, -0.39675353}},
    {"A2", 3, 5, (const double[]){0.53035547, 5.94892323, 2.31780174, 3.16005701, 0.53035547, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}},
    {"W2", 3, 2, (const double[]){0.50249434, 0.90085595, -0.68372786, -0.12289023, -0.93576943, -0.26788808}},
    {"b2", 3, 1, (const double[]){0.53035547, -0.69166075, -0.39675353}},
    {"Z3", 1, 5, (const double[]){-0.3771104, -4.10060224, -1.60539468, -2.18416951, -0.3771104}},
    {"A3", 1, 5, (const double[]){0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402}},
    {"W3", 1, 3, (const double[]){-0.6871727, -0.84520564, -0.67124613}},
    {"b3", 1, 1, (const double[]){-0.0126646}},
};
static const literal DROPOUT_CACHE[14] = {
    {"Z1", 2, 5, (const double[]){-1.52855314, 3.32524635, 2.13994541, 2.60700654, -0.75942115, -1.98043538, 4.1600994, 0.79051021, 1.46493512, -0.45506242}},
    {"D1", 2, 5, (const double[]){1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0}},
    {"A1", 2, 5, (const double[]){0.0, 0.0, 4.27989081, 5.21401307, 0.0, 0.0, 8.32019881, 1.58102041, 2.92987024, 0.0}},
    {"W1", 2, 3, (const double[]){-1.09989127, -0.17242821, -0.87785842, 0.04221375, 0.58281521, -1.10061918}},
    {"b1", 2, 1, (const double[]){1.14472371, 0.90159072}},
    {"Z2", 3, 5, (const double[]){0.53035547, 8.02565606, 4.10524802, 5.78975856, 0.53035547, -0.69166075, -1.71413186, -3.81223329, -4.61667916, -0.69166075, -0.39675353, -2.62563561, -4.82528105, -6.0607449, -0.39675353}},
    {"D2", 3, 5, (const double[]){1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0}},
    {"A2", 3, 5, (const double[]){1.06071093, 0.0, 8.21049603, 0.0, 1.06071093, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0}},
    {"W2", 3, 2, (const double[]){0.50249434, 0.90085595, -0.68372786, -0.12289023, -0.93576943, -0.26788808}},
    {"b2", 3, 1, (const double[]){0.53035547, -0.69166075, -0.39675353}},
    {"Z3", 1, 5, (const double[]){-0.7415562, -0.0126646, -5.65469333, -0.0126646, -0.7415562}},
    {"A3", 1, 5, (const double[]){0.32266394, 0.49683389, 0.00348883, 0.49683389, 0.32266394}},
    {"W3", 1, 3, (const double[]){-0.6871727, -0.84520564, -0.67124613}},
    {"b3", 1, 1, (const double[]){-0.0126646}},
};

static reg_matrix from_literal(const literal *l)
{
    reg_matrix m = reg_matrix_zeros(l->rows, l->cols);
    memcpy(m.data, l->values, l->rows * l->cols * sizeof *m.data);
    return m;
}

/* Y = np.array([[1, 1, 0, 1, 0]]) */
static reg_matrix course_labels(void)
{
    const literal Y = {"Y", 1, 5, (const double[]){1, 1, 0, 1, 0}};
    return from_literal(&Y);
}

static void add_matrix(cJSON *o, const char *key, reg_matrix m)
{
    cJSON_AddItemToObject(o, key, rgd_matrix_json(&m));
    reg_matrix_free(&m);
}

/* W1 = randn(n1, n0), b1 = randn(n1, 1), W2 = randn(n2, n1) ... from the stream. */
static reg_parameters drawn_parameters(const size_t layers[4])
{
    reg_parameters p;
    reg_matrix *s[6];
    parameter_slots(&p, s);
    for (int l = 0; l < 3; l++) {
        *s[2 * l] = np_random_randn(layers[l + 1], layers[l]);
        *s[2 * l + 1] = np_random_randn(layers[l + 1], 1);
    }
    return p;
}

static void add_parameters(cJSON *o, reg_parameters p)
{
    cJSON_AddItemToObject(o, "parameters", rgd_parameters_json(&p));
    reg_parameters_free(&p);
}

static cJSON *literal_cache(const literal *l, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++)
        add_matrix(o, l[i].name, from_literal(&l[i]));
    return o;
}

const char *const RGD_COURSE_CASES[4] = {
    "compute_cost_with_regularization_test_case", "backward_propagation_with_regularization_test_case",
    "forward_propagation_with_dropout_test_case", "backward_propagation_with_dropout_test_case"};

static const size_t COURSE_LAYERS[4] = {3, 2, 3, 1};

cJSON *rgd_course_case(const char *name, hr_error *err)
{
    int which = -1;
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, RGD_COURSE_CASES[i]))
            which = i;
    if (which < 0) {
        hr_fail(err, "no course test case named '%s'", name);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    np_random_seed(1);
    switch (which) {
    case 0:   /* Y, then the six parameters drawn (b's too: they move the stream), A3 typed in */
        add_matrix(o, "Y", course_labels());
        add_parameters(o, drawn_parameters(COURSE_LAYERS));
        add_matrix(o, "A3", from_literal(&COST_A3));
        break;
    case 1:
        add_matrix(o, "X", np_random_randn(3, 5));
        add_matrix(o, "Y", course_labels());
        cJSON_AddItemToObject(o, "cache", literal_cache(L2_CACHE, 12));
        break;
    case 2:
        add_matrix(o, "X", np_random_randn(3, 5));
        add_parameters(o, drawn_parameters(COURSE_LAYERS));
        break;
    default:
        add_matrix(o, "X", np_random_randn(3, 5));
        add_matrix(o, "Y", course_labels());
        cJSON_AddItemToObject(o, "cache", literal_cache(DROPOUT_CACHE, 14));
        break;
    }
    return o;
}

/* ---- fresh test cases --------------------------------------------------------------- */

/* Labels: 1 where a standard normal draw is positive. */
static reg_matrix drawn_labels(size_t m)
{
    reg_matrix Y = np_random_randn(1, m);
    for (size_t j = 0; j < m; j++)
        Y.data[j] = Y.data[j] > 0 ? 1.0 : 0.0;
    return Y;
}

/* The dropout forward pass with masks drawn from the stream as it stands
 * (not reseeded), so that each seed gives its own masks. */
static void dropout_forward(const reg_matrix *X, const reg_parameters *p, double keep_prob,
                            dropout_cache *c)
{
    c->W1 = reg_matrix_copy(&p->W1);
    c->b1 = reg_matrix_copy(&p->b1);
    c->W2 = reg_matrix_copy(&p->W2);
    c->b2 = reg_matrix_copy(&p->b2);
    c->W3 = reg_matrix_copy(&p->W3);
    c->b3 = reg_matrix_copy(&p->b3);
    c->Z1 = reg_linear(&p->W1, X, &p->b1);
    c->A1 = relu(&c->Z1);
    c->D1 = np_random_rand(c->A1.rows, c->A1.cols);
    for (size_t i = 0; i < reg_matrix_size(&c->A1); i++) {
        c->D1.data[i] = c->D1.data[i] < keep_prob;
        c->A1.data[i] = c->A1.data[i] * c->D1.data[i] / keep_prob;
    }
    c->Z2 = reg_linear(&p->W2, &c->A1, &p->b2);
    c->A2 = relu(&c->Z2);
    c->D2 = np_random_rand(c->A2.rows, c->A2.cols);
    for (size_t i = 0; i < reg_matrix_size(&c->A2); i++) {
        c->D2.data[i] = c->D2.data[i] < keep_prob;
        c->A2.data[i] = c->A2.data[i] * c->D2.data[i] / keep_prob;
    }
    c->Z3 = reg_linear(&p->W3, &c->A2, &p->b3);
    c->A3 = sigmoid(&c->Z3);
}

/*
 * After np.random.seed(seed), with layers n0..n3 and m examples:
 *   compute_cost_with_regularization: Y = randn(1, m) > 0; W1, b1, W2, b2,
 *       W3, b3 = randn(...) in that order; A3 = sigmoid(randn(1, m))
 *   backward_propagation_with_regularization: X = randn(n0, m); Y; the
 *       parameters; cache = forward_propagation(X, parameters), full precision
 *   forward_propagation_with_dropout: X; the parameters
 *   backward_propagation_with_dropout: X; Y; the parameters; the cache of a
 *       dropout forward pass whose masks are the next rand(n1, m) < keep_prob
 *       and rand(n2, m) < keep_prob
 */
cJSON *rgd_fresh_case(const char *function, uint32_t seed, const rgd_shape *s, double keep_prob,
                      hr_error *err)
{
    for (int i = 0; i < 4; i++)
        if (s->layers[i] < 1 || s->layers[i] > 256) {
            hr_fail(err, "layer sizes must be between 1 and 256");
            return NULL;
        }
    if (s->layers[3] != 1 || s->m < 1 || s->m > 1024) {
        hr_fail(err, "the output layer must have one unit and m must be between 1 and 1024");
        return NULL;
    }
    if (!(keep_prob > 0 && keep_prob <= 1)) {
        hr_fail(err, "keep_prob must be in (0, 1]");
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    np_random_seed(seed);
    if (!strcmp(function, "compute_cost_with_regularization")) {
        add_matrix(o, "Y", drawn_labels(s->m));
        add_parameters(o, drawn_parameters(s->layers));
        reg_matrix z = np_random_randn(1, s->m);
        add_matrix(o, "A3", sigmoid(&z));
        reg_matrix_free(&z);
        return o;
    }
    reg_matrix X = np_random_randn(s->layers[0], s->m);
    cJSON_AddItemToObject(o, "X", rgd_matrix_json(&X));
    if (!strcmp(function, "forward_propagation_with_dropout")) {
        add_parameters(o, drawn_parameters(s->layers));
    } else if (!strcmp(function, "backward_propagation_with_regularization")) {
        add_matrix(o, "Y", drawn_labels(s->m));
        reg_parameters p = drawn_parameters(s->layers);
        reg_cache c;
        reg_matrix a3 = forward_propagation(&X, &p, &c);
        cJSON_AddItemToObject(o, "cache", rgd_cache_json(&c));
        reg_matrix_free(&a3);
        reg_cache_free(&c);
        reg_parameters_free(&p);
    } else if (!strcmp(function, "backward_propagation_with_dropout")) {
        add_matrix(o, "Y", drawn_labels(s->m));
        reg_parameters p = drawn_parameters(s->layers);
        dropout_cache c;
        dropout_forward(&X, &p, keep_prob, &c);
        cJSON_AddItemToObject(o, "cache", rgd_dropout_cache_json(&c));
        dropout_cache_free(&c);
        reg_parameters_free(&p);
    } else {
        hr_fail(err, "no fresh case for '%s'", function);
        cJSON_Delete(o);
        o = NULL;
    }
    reg_matrix_free(&X);
    return o;
}
