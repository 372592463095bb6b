"""gc_utils.py — the code the Gradient Checking notebook gives students, in Python.

Only for the benchmark's Python grader (bench/python/pygrade.py), which runs the
rubric's checks the way the course's own grader would: numpy, one process.
The notebook's sigmoid, relu, dictionary_to_vector, vector_to_dictionary,
gradients_to_vector, forward_propagation_n and (as handed out, with its two
bugs) backward_propagation_n. One difference, and why: vector_to_dictionary
takes the parameters whose shapes to use (the notebook hard-codes the 4-5-3-1
network's slices), so that the hidden tests' other networks run too; the C
port (student_template/gc_utils.h) does the same.
"""
import numpy as np

KEYS = ["W1", "b1", "W2", "b2", "W3", "b3"]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu(x):
    return np.maximum(0, x)


def dictionary_to_vector(parameters):
    keys = []
    theta = None
    for key in KEYS:
        new_vector = np.reshape(parameters[key], (-1, 1))
        keys = keys + [key] * new_vector.shape[0]
        theta = new_vector if theta is None else np.concatenate((theta, new_vector), axis=0)
    return theta, keys


def vector_to_dictionary(theta, shapes):
    parameters = {}
    at = 0
    for key in KEYS:
        rows, cols = shapes[key].shape
        parameters[key] = theta[at:at + rows * cols].reshape((rows, cols))
        at += rows * cols
    return parameters


def gradients_to_vector(gradients):
    theta = None
    for key in ["dW1", "db1", "dW2", "db2", "dW3", "db3"]:
        new_vector = np.reshape(gradients[key], (-1, 1))
        theta = new_vector if theta is None else np.concatenate((theta, new_vector), axis=0)
    return theta


def forward_propagation_n(X, Y, parameters):
    m = X.shape[1]
    W1, b1 = parameters["W1"], parameters["b1"]
    W2, b2 = parameters["W2"], parameters["b2"]
    W3, b3 = parameters["W3"], parameters["b3"]
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


def backward_propagation_n(X, Y, cache):
    """As handed out: dW2 is twice too large and db1 uses 4./m."""
    m = X.shape[1]
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = cache
    dZ3 = A3 - Y
    dW3 = 1. / m * np.dot(dZ3, A2.T)
    db3 = 1. / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = np.dot(W3.T, dZ3)
    dZ2 = np.multiply(dA2, np.int64(A2 > 0))
    dW2 = 1. / m * np.dot(dZ2, A1.T) * 2
    db2 = 1. / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = np.dot(W2.T, dZ2)
    dZ1 = np.multiply(dA1, np.int64(A1 > 0))
    dW1 = 1. / m * np.dot(dZ1, X.T)
    db1 = 4. / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}
