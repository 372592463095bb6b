#!/usr/bin/python3
"""pybatch.py — grade a class with pygrade.py, N submissions at once.

    pybatch.py PACK CLASS_DIR JOBS OUT.json

The Python counterpart of `grade.sh --batch DIR --jobs N`: the parent loads
numpy, the grader and the pack once, then forks one worker per submission
(at most JOBS at a time), as the C grader forks one per student. Each worker
sends its result back on a pipe; OUT.json maps each student to its result.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pygrade  # noqa: E402


def spawn(pack, folder):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            data = json.dumps(pygrade.grade(pack, folder)).encode()
        except BaseException as e:   # noqa: BLE001  (a grader fault is a result too)
            data = json.dumps({"status": "grader_error", "error": repr(e)}).encode()
        with os.fdopen(w, "wb") as f:
            f.write(data)
        os._exit(0)
    os.close(w)
    return pid, r


def main(argv):
    if len(argv) != 5:
        print("usage: pybatch.py PACK CLASS_DIR JOBS OUT.json", file=sys.stderr)
        return 2
    pack = pygrade.load_pack(argv[1])
    base, jobs = argv[2], int(argv[3])
    todo = sorted(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d)))
    running, results = {}, {}
    while todo or running:
        while todo and len(running) < jobs:
            sid = todo.pop(0)
            pid, fd = spawn(pack, os.path.join(base, sid))
            running[pid] = (sid, fd)
        pid, _ = os.wait()
        sid, fd = running.pop(pid)
        with os.fdopen(fd, "rb") as f:
            data = f.read()
        results[sid] = json.loads(data) if data else {"status": "grader_error"}
    with open(argv[4], "w") as f:
        json.dump(results, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
