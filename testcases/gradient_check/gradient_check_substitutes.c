/*
 * gradient_check_substitutes — the implementations a test may put in place of
 * the student's forward_propagation and backward_propagation.
 *
 * Linked into the runner that holds student code (and into the student kit's
 * tests), so this file is public: it holds the notebook's own one-line
 * definitions and seeded wrong backward propagations, never the reference
 * solution (reference/ stays secret). A test of gradient_check names in the
 * rubric (`calls:`) which of these its callees are; substitute.h says how
 * every call of the student's code reaches the dispatchers below.
 *
 * Each dispatcher is named as the function it stands for; each implementation
 * is subst__FUNCTION__VARIANT (the pack builder reads the catalogue from these
 * names). The wrong ones differ from the notebook's by far more than
 * rounding, so the difference a correct gradient_check returns for them is
 * large and does not depend on the order of its operations.
 */
#include <math.h>
#include <string.h>

#include "gradient_check.h"
#include "substitute_runner.h"

typedef double one_d(double x, double theta);

/* The student's own definitions, renamed by the grader (NULL when absent). */
extern one_d __subst_own_forward_propagation __attribute__((weak));
extern one_d __subst_own_backward_propagation __attribute__((weak));

/* ---- the catalogue ------------------------------------------------------------ */

/* J = theta * x, as the notebook defines it. */
double subst__forward_propagation__reference(double x, double theta)
{
    return theta * x;
}

/* dtheta = x, as the notebook defines it. */
double subst__backward_propagation__reference(double x, double theta)
{
    (void)theta;
    return x;
}

/* A seeded other model, J = theta^2 * x: not linear in theta, so a check that
 * evaluates J at the wrong point (theta_plus = x + epsilon) gets another
 * gradapprox, which the linear J = theta * x can never show. */
double subst__forward_propagation__j_theta_squared_x(double x, double theta)
{
    return theta * theta * x;
}

/* Another seeded model, J = theta^3 * x: its central difference is
 * (3 theta^2 + epsilon^2) x, so the epsilon a check uses shows in its result
 * (a quadratic J's central difference is exact for every epsilon). */
double subst__forward_propagation__j_theta_cubed_x(double x, double theta)
{
    return theta * theta * theta * x;
}

/* Seeded wrong backward propagations. */
double subst__backward_propagation__dtheta_x_plus_1(double x, double theta)
{
    (void)theta;
    return x + 1;
}

double subst__backward_propagation__dtheta_2x(double x, double theta)
{
    (void)theta;
    return 2 * x;
}

double subst__backward_propagation__dtheta_theta(double x, double theta)
{
    (void)x;
    return theta;
}

double subst__backward_propagation__dtheta_x_minus_1(double x, double theta)
{
    (void)theta;
    return x - 1;
}

typedef struct {
    const char *variant;
    one_d *impl;
} choice;

static const choice FORWARD[] = {
    {"reference", subst__forward_propagation__reference},
    {"j_theta_squared_x", subst__forward_propagation__j_theta_squared_x},
    {"j_theta_cubed_x", subst__forward_propagation__j_theta_cubed_x},
};
static const choice BACKWARD[] = {
    {"reference", subst__backward_propagation__reference},
    {"dtheta_x_plus_1", subst__backward_propagation__dtheta_x_plus_1},
    {"dtheta_2x", subst__backward_propagation__dtheta_2x},
    {"dtheta_theta", subst__backward_propagation__dtheta_theta},
    {"dtheta_x_minus_1", subst__backward_propagation__dtheta_x_minus_1},
};

/* ---- the dispatchers ------------------------------------------------------------ */

static const char *const ARG_NAMES[] = {"x", "theta"};

static double dispatch(const char *function, const choice *list, size_t n, one_d *own, double x,
                       double theta)
{
    const double args[] = {x, theta};
    subst_trace(function, ARG_NAMES, args, 2);
    const char *variant = subst_variant(function);
    one_d *impl = variant ? NULL : own;
    for (size_t i = 0; variant && i < n; i++)
        if (!strcmp(list[i].variant, variant))
            impl = list[i].impl;
    if (!impl) {   /* no own definition, or a variant not in the catalogue */
        subst_missing(function);
        return NAN;
    }
    return impl(x, theta);
}

double forward_propagation(double x, double theta)
{
    return dispatch("forward_propagation", FORWARD, sizeof FORWARD / sizeof *FORWARD,
                    __subst_own_forward_propagation, x, theta);
}

double backward_propagation(double x, double theta)
{
    return dispatch("backward_propagation", BACKWARD, sizeof BACKWARD / sizeof *BACKWARD,
                    __subst_own_backward_propagation, x, theta);
}
