#!/usr/bin/python3
"""pygrade.py — the rubric's checks in Python with numpy, for scale in the benchmark.

    pygrade.py PACK SUBMISSION        grade SUBMISSION/gradient_check.py, JSON on stdout
    pygrade.py --own-pack PACK REFERENCE OUT
                                      PACK with the expected values of REFERENCE (a
                                      folder with the Python reference's gradient_check.py)

What a course's own Python grader does: import the student's module into the
grader's process and call each graded function on each test's inputs, under a
CPU-time limit (ITIMER_PROF) and a wall-clock limit (ITIMER_REAL), with
printed output captured. No sandbox: the student's code runs with the
grader's rights. It reads the same pack as the C grader (build/.../pack.json:
every test's inputs, comparison, limits and points), so both run the same
checks on the same data; the expected values are the Python reference's own
(--own-pack), as a course's Python grader would have them: numpy sums in
another order than the C port, and one hidden test (a difference of 3e-9
compared with rtol 1e-5 and no atol) tells the two apart.
bench/python/pybatch.py grades a class with it.
"""
import contextlib
import importlib.util
import io
import json
import math
import os
import re
import signal
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gc_utils  # noqa: E402  (after the path: the students' modules import it too)

ANSI = re.compile(r"\x1b\[[0-9;]*[@-~]")


class Limit(Exception):
    """Raised in the student's code when a test's time is up."""


def _on_limit(signum, frame):
    raise Limit("cpu_limit" if signum == signal.SIGPROF else "timed_out")


def load_pack(path):
    with open(path) as f:
        return json.load(f)


def _matrix(rows):
    return np.array(rows, dtype=float)


# The substitutes of testcases/gradient_check_substitutes.c, for the tests
# whose "calls" put them in place of the student's functions (the rubric's
# calls:): the student's module looks its callees up in its globals at call
# time, so the test sets them there and puts the student's back after.
SUBSTITUTES = {
    "forward_propagation": {
        "reference": lambda x, theta: theta * x,
        "j_theta_squared_x": lambda x, theta: theta * theta * x,
        "j_theta_cubed_x": lambda x, theta: theta * theta * theta * x,
    },
    "backward_propagation": {
        "reference": lambda x, theta: x,
        "dtheta_x_plus_1": lambda x, theta: x + 1,
        "dtheta_2x": lambda x, theta: 2 * x,
        "dtheta_theta": lambda x, theta: theta,
        "dtheta_x_minus_1": lambda x, theta: x - 1,
    },
}


@contextlib.contextmanager
def _substituted(mod, calls):
    saved = {f: getattr(mod, f, None) for f in calls or {}}
    try:
        for f, variant in (calls or {}).items():
            if variant != "own":
                setattr(mod, f, SUBSTITUTES[f][variant])
        yield
    finally:
        for f, own in saved.items():
            if own is None:
                if hasattr(mod, f):
                    delattr(mod, f)
            else:
                setattr(mod, f, own)


def _call(mod, fn, inputs):
    if fn in ("forward_propagation", "backward_propagation"):
        return getattr(mod, fn)(inputs["x"], inputs["theta"])
    if fn == "gradient_check":
        return mod.gradient_check(inputs["x"], inputs["theta"], inputs["epsilon"], inputs["print_msg"])
    params = {k: _matrix(v) for k, v in inputs["parameters"].items()}
    X, Y = _matrix(inputs["X"]), _matrix(inputs["Y"])
    if fn == "gradient_check_n":
        grads = {k: _matrix(v) for k, v in inputs["gradients"].items()}
        return mod.gradient_check_n(params, grads, X, Y, inputs["epsilon"], inputs["print_msg"])
    if fn == "backward_propagation_n":
        _, cache = gc_utils.forward_propagation_n(X, Y, params)
        return mod.backward_propagation_n(X, Y, cache)
    raise ValueError("no binding for " + fn)


def _side(d, threshold):
    return -1 if math.isnan(d) else (1 if d > threshold else 0)


def _message_ok(printed, verdict, got):
    text = ANSI.sub("", printed)
    side = _side(got, verdict["threshold"])
    want, other = (verdict["above"], verdict["below"]) if side == 1 else (verdict["below"], verdict["above"])
    want, other = want.rstrip(" "), other.rstrip(" ")
    if other in text or want not in text:
        return False
    token = text.split(want, 1)[1].split()
    try:
        return bool(token) and float(token[0]) == got
    except ValueError:
        return False


def _blocks_ok(got, ref, threshold, atol):
    for key, block in ref.items():
        a = np.asarray(got[key], dtype=float)
        b = _matrix(block)
        if a.shape != b.shape:
            return False
        dist = np.linalg.norm(a - b)
        den = np.linalg.norm(a) + np.linalg.norm(b)
        rel = 0.0 if den == 0 else dist / den
        if not (rel <= threshold or dist <= atol):
            return False
    return True


def _passed(pack, test, ret, printed):
    cmp, exp = test["compare"], test["expected"]["return"]
    kind = cmp["kind"]
    if kind == "blocks":
        ref = (test.get("annotation") or {}).get("blocks") or exp
        return _blocks_ok(ret, ref, cmp["threshold"], cmp["atol"])
    got = float(ret)
    if kind == "exact":
        return got == exp
    if kind == "tolerance":
        if not (math.isfinite(got) and math.isfinite(exp)):
            return got == exp
        return abs(got - exp) <= cmp["atol"] + cmp["rtol"] * abs(exp)
    if kind == "verdict":
        v = pack["verdict"]
        side = _side(got, v["threshold"])
        ok = side >= 0 and side == _side(exp, v["threshold"])
        return ok and (not cmp.get("message") or _message_ok(printed, v, got))
    raise ValueError("unknown comparison " + kind)


def run_test(pack, mod, test):
    """One test: (passed, how it ended, seconds)."""
    limits = test["limits"]
    out = io.StringIO()
    ended, ret = "returned", None
    t0 = time.perf_counter()
    signal.setitimer(signal.ITIMER_PROF, limits["cpu_s"])
    signal.setitimer(signal.ITIMER_REAL, limits["time_s"])
    try:
        with contextlib.redirect_stdout(out), _substituted(mod, test.get("calls")):
            ret = _call(mod, test["function"], test["inputs"])
    except Limit as e:
        ended = str(e)
    except Exception:   # the student's code raised: that test fails, the others run
        ended = "crashed"
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
    seconds = time.perf_counter() - t0
    passed = False
    if ended == "returned":
        try:
            passed = _passed(pack, test, ret, out.getvalue())
        except Exception:
            passed = False
    return passed, ended, seconds


def grade(pack, submission):
    signal.signal(signal.SIGPROF, _on_limit)
    signal.signal(signal.SIGALRM, _on_limit)
    t0 = time.perf_counter()
    path = os.path.join(submission, "gradient_check.py")
    mod, status = None, "graded"
    try:
        spec = importlib.util.spec_from_file_location("student_gradient_check", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    except Exception:
        status = "import_error"
    score, tests = 0.0, []
    for ex in pack["exercises"]:
        for t in ex["tests"]:
            if mod is None or not hasattr(mod, t["function"]):
                tests.append({"id": t["id"], "status": "failed", "ended": "missing", "seconds": 0.0})
                continue
            passed, ended, seconds = run_test(pack, mod, t)
            score += t["points"] if passed else 0.0
            tests.append({"id": t["id"], "status": "passed" if passed else "failed", "ended": ended,
                          "seconds": seconds})
    return {"submission": submission, "status": status, "score": score, "max_score": pack["total"],
            "seconds": time.perf_counter() - t0, "tests": tests}


def own_pack(pack, reference):
    """pack with expected returns and printed text from the reference's own run."""
    signal.signal(signal.SIGPROF, _on_limit)
    signal.signal(signal.SIGALRM, _on_limit)
    spec = importlib.util.spec_from_file_location("reference_gradient_check",
                                                  os.path.join(reference, "gradient_check.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for ex in pack["exercises"]:
        for t in ex["tests"]:
            out = io.StringIO()
            with contextlib.redirect_stdout(out), _substituted(mod, t.get("calls")):
                ret = _call(mod, t["function"], t["inputs"])
            if isinstance(ret, dict):
                ret = {k: np.asarray(v).tolist() for k, v in ret.items()}
            else:
                ret = float(ret)
            t["expected"] = {"return": ret, "stdout": out.getvalue()}
    return pack


def main(argv):
    if len(argv) == 5 and argv[1] == "--own-pack":
        with open(argv[4], "w") as f:
            json.dump(own_pack(load_pack(argv[2]), argv[3]), f)
        return 0
    if len(argv) != 3:
        print("usage: pygrade.py PACK SUBMISSION", file=sys.stderr)
        return 2
    json.dump(grade(load_pack(argv[1]), argv[2]), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
