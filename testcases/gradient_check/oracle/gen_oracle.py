#!/usr/bin/python3
"""Writes numpy's values for generated test cases of gradient_check_n.

The grader generates its test cases in C (harness/nprand.c, a port of numpy's
legacy generator) so that no Python runs at grading time. These files are the
yardstick: what numpy 1.24.2 itself gives for the same seeds and shapes, plus
the notebook's own cost and gradient_check_n differences computed with numpy
(the notebook's code, transcribed below). harness/tests/test_nprand.c compares
`fixture SEED n0 n1 n2 n3 m` with them bit for bit; test_numbers.c compares
the reference's differences with them within the course's np.isclose.

gradient_check_n_test_case_seed1.json was not written by this script: it is
the project's shared oracle for the notebook's fixture, copied here because CI
runs on a clean clone. For seed 1 and the notebook's shape this script writes
the same values (check: run it and compare the two files' numbers).

Regenerate (from the repository's top folder) with Debian's Python and numpy 1.24.2:
    /usr/bin/python3 testcases/oracle/gen_oracle.py testcases/oracle
"""
import json
import os
import sys

import numpy as np

# (seed, [n0, n1, n2, n3], m). Odd element counts matter: the legacy randn
# caches the second normal of each pair, and it carries into the next array.
CASES = [
    (0, [4, 5, 3, 1], 3),
    (2, [4, 5, 3, 1], 3),
    (29, [4, 5, 3, 1], 3),       # every ReLU of layer 2 dead: the seeded bugs vanish
    (7, [3, 6, 2, 1], 4),
    (3, [6, 4, 3, 1], 5),
    (11, [5, 5, 5, 1], 8),
    (42, [6, 4, 3, 1], 5),
    (123456, [5, 5, 5, 1], 8),
    (4294967295, [2, 3, 2, 1], 7),
    (1, [1, 1, 1, 1], 1),
    (5, [9, 7, 5, 1], 11),
]

EPSILON = 1e-7
KEYS = ["W1", "b1", "W2", "b2", "W3", "b3"]


# ---- the notebook's gc_utils and model, with shapes instead of fixed slices ----

def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(0, x)


def dictionary_to_vector(parameters, keys=KEYS):
    return np.concatenate([np.reshape(parameters[k], (-1, 1)) for k in keys], axis=0)


def vector_to_dictionary(theta, shapes):
    out, at = {}, 0
    for k in KEYS:
        n = shapes[k][0] * shapes[k][1]
        out[k] = theta[at:at + n].reshape(shapes[k])
        at += n
    return out


def gradients_to_vector(gradients):
    return dictionary_to_vector(gradients, ["d" + k for k in KEYS])


def forward_propagation_n(X, Y, parameters):
    m = X.shape[1]
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in KEYS)
    Z1 = np.dot(W1, X) + b1
    A1 = relu(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = relu(Z2)
    Z3 = np.dot(W3, A2) + b3
    A3 = sigmoid(Z3)
    log_probs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
    cost = 1. / m * np.sum(log_probs)
    cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)
    return cost, cache


def backward_propagation_n(X, Y, cache, dW2_x2=True, db1_x4=True):
    """As handed out (both bugs); the flags take a bug out."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T) * 2 if dW2_x2 else 1. / m * np.dot(dZ2, A1.T)
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = (4. if db1_x4 else 1.) / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


def gradient_check_n(parameters, gradients, X, Y, epsilon=EPSILON):
    shapes = {k: parameters[k].shape for k in KEYS}
    parameters_values = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    J_plus = np.zeros((num_parameters, 1))
    J_minus = np.zeros((num_parameters, 1))
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i] = theta_plus[i] + epsilon
        J_plus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_plus, shapes))
        theta_minus = np.copy(parameters_values)
        theta_minus[i] = theta_minus[i] - epsilon
        J_minus[i], _ = forward_propagation_n(X, Y, vector_to_dictionary(theta_minus, shapes))
        gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return numerator / denominator


# ---- one case ----------------------------------------------------------------

def make_case(seed, layers, m):
    np.random.seed(seed)
    x = np.random.randn(layers[0], m)
    y = np.resize(np.array([1, 1, 0]), m)
    p = {}
    for l in range(3):
        p["W%d" % (l + 1)] = np.random.randn(layers[l + 1], layers[l])
        p["b%d" % (l + 1)] = np.random.randn(layers[l + 1], 1)
    cost, cache = forward_propagation_n(x, y, p)
    diffs = {}
    for name, dW2_x2, db1_x4 in [("as_given_dW2x2_db1x4", True, True), ("fixed", False, False),
                                 ("dW2x2_only", True, False), ("db1x4_only", False, True)]:
        g = backward_propagation_n(x, y, cache, dW2_x2, db1_x4)
        diffs[name] = float(gradient_check_n(p, g, x, y))
    doc = {
        "generator": "numpy %s legacy RandomState: np.random.seed(%d); x=randn(%d,%d); "
                     "y=np.resize([1,1,0],%d); W1=randn(%d,%d); b1=randn(%d,1); W2=randn(%d,%d); "
                     "b2=randn(%d,1); W3=randn(%d,%d); b3=randn(%d,1)"
                     % (np.__version__, seed, layers[0], m, m, layers[1], layers[0], layers[1],
                        layers[2], layers[1], layers[2], layers[3], layers[2], layers[3]),
        "seed": seed,
        "layers": layers,
        "m": m,
        "X": x.tolist(),
        "Y": y.tolist(),
    }
    for k in KEYS:
        doc[k] = p[k].tolist()
    doc["cost"] = float(cost)
    doc["gradient_check_n_difference_epsilon_1e-7"] = diffs
    return doc


def main():
    if np.__version__ != "1.24.2":
        sys.exit("gen_oracle.py: numpy 1.24.2 wanted (Debian 12's /usr/bin/python3), not " + np.__version__)
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for seed, layers, m in CASES:
        name = "seed%d_%s_m%d.json" % (seed, "-".join(map(str, layers)), m)
        with open(os.path.join(out_dir, name), "w") as f:
            json.dump(make_case(seed, layers, m), f, indent=1)
            f.write("\n")
    if len(sys.argv) > 2 and sys.argv[2] == "--check-seed1":
        print(json.dumps(make_case(1, [4, 5, 3, 1], 3), indent=1))


if __name__ == "__main__":
    main()
