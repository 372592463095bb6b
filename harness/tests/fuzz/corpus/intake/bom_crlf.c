#include <stdio.h>
double f(double x) { return x; } /* café */
