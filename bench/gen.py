#!/usr/bin/python3
"""gen.py — the benchmark's class: submissions made by small edits of the references.

    gen.py OUT COUNT

writes OUT/c/<id>/gradient_check.c (edits of reference/gradient_check.c),
OUT/py/<id>/gradient_check.py (the same edits of bench/python/reference.py),
OUT/loop-c/ and OUT/loop-py/ (gradient_check never returns), OUT/ref-py/ (the
Python reference as is) and OUT/expected.json: the score each one must get.
Kinds cycle correct, wrong, crashing so that any slice of the class is mixed.
Each file carries its student's number, so no two are the same text. An edit
whose text is not found exactly once stops the script: a silently unedited
"wrong" submission would make every figure built on it wrong.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

# kind: (C edits, Python edits, expected score out of 50). The scores follow from
# the rubric (rubrics/gradient_check.yaml): theta + x fails forward (10) and the
# one gradient_check test that uses the student's own functions (worth 0: the
# others use the course's, the rubric's calls:); returning theta fails backward
# (10); a crash in gradient_check_n costs its 20 points, one in gradient_check
# its 10. backward_propagation_n's tests are worth 0.
C_NOWHERE = "{ volatile double *volatile nowhere = 0; %s }"
KINDS = {
    "correct": ([], [], 50),
    "wrong_forward": ([("double J = theta * x;", "double J = theta + x;")],
                      [("J = theta * x", "J = theta + x")], 40),
    "wrong_backward": ([("double dtheta = x;", "double dtheta = theta;")],
                       [("dtheta = x", "dtheta = theta")], 40),
    "crash_gradient_check_n": (
        [("size_t num_parameters = parameters_values.rows;",
          "size_t num_parameters = parameters_values.rows;\n    "
          + C_NOWHERE % "nowhere[num_parameters] = 1.0;")],
        [("num_parameters = parameters_values.shape[0]",
          "num_parameters = parameters_values.shape[0]\n    nowhere = None\n    nowhere[num_parameters] = 1.0")],
        30),
    "crash_gradient_check": (
        [("double grad = backward_propagation(x, theta);",
          "double grad = backward_propagation(x, theta);\n    " + C_NOWHERE % "grad += nowhere[0];")],
        [("grad = backward_propagation(x, theta)",
          "grad = backward_propagation(x, theta)\n    nowhere = None\n    grad += nowhere[0]")],
        40),
}
# correct, wrong, crashing, in turn: 40 % correct, 30 % wrong, 30 % crashing
CYCLE = ["correct", "wrong_forward", "crash_gradient_check_n", "correct", "wrong_backward",
         "crash_gradient_check", "correct", "wrong_forward", "crash_gradient_check_n", "correct"]

# gradient_check halves a step until it equals epsilon, which never happens
# (examples/s06-endless-loop): each of its tests runs into the CPU limit.
LOOP = (
    [("double theta_plus = theta + epsilon;\n    double theta_minus = theta - epsilon;",
      "double h = 1.0;\n    while (h != epsilon)\n        h /= 2;\n"
      "    double theta_plus = theta + h;\n    double theta_minus = theta - h;")],
    [("theta_plus = theta + epsilon\n    theta_minus = theta - epsilon",
      "h = 1.0\n    while h != epsilon:\n        h /= 2\n    theta_plus = theta + h\n    theta_minus = theta - h")],
    40)


def edit(text, edits, what):
    for old, new in edits:
        if text.count(old) != 1:
            sys.exit("gen.py: %s: the text %r is not in the reference exactly once" % (what, old))
        text = text.replace(old, new)
    return text


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: gen.py OUT COUNT")
    out, count = argv[1], int(argv[2])
    with open(os.path.join(TOP, "reference", "gradient_check", "gradient_check.c")) as f:
        ref_c = f.read()
    with open(os.path.join(HERE, "python", "reference.py")) as f:
        ref_py = f.read()
    expected = {"class": {}, "loop": LOOP[2], "reference": 50}
    for i in range(count):
        sid = "stu%03d" % i
        kind = CYCLE[i % len(CYCLE)]
        c_edits, py_edits, score = KINDS[kind]
        write(os.path.join(out, "c", sid, "gradient_check.c"),
              "/* benchmark student %s (%s) */\n" % (sid, kind) + edit(ref_c, c_edits, kind))
        write(os.path.join(out, "py", sid, "gradient_check.py"),
              "# benchmark student %s (%s)\n" % (sid, kind) + edit(ref_py, py_edits, kind))
        expected["class"][sid] = {"kind": kind, "score": score}
    write(os.path.join(out, "loop-c", "gradient_check.c"), edit(ref_c, LOOP[0], "loop"))
    write(os.path.join(out, "loop-py", "gradient_check.py"), edit(ref_py, LOOP[1], "loop"))
    write(os.path.join(out, "ref-py", "gradient_check.py"), ref_py)
    write(os.path.join(out, "expected.json"), json.dumps(expected, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
