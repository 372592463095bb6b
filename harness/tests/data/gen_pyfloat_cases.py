#!/usr/bin/python3
"""Generates pyfloat_cases.txt: doubles and Python's repr of each.

test_pyfloat.c checks that pyfloat_repr writes exactly Python's repr(float)
for every line, and that pyfloat_parse reads it back to the same bits. Python
is the definition of the text, so the expected strings come from Python, not
from the C code under test.

Each line: the double's 64-bit IEEE pattern in 16 hex digits, a space, repr.
The draw is seeded, so the file is the same on every run of the same Python.

Regenerate (from the repository's top folder) with Debian's Python:
    /usr/bin/python3 harness/tests/data/gen_pyfloat_cases.py > harness/tests/data/pyfloat_cases.txt
"""
import math
import random
import struct
import sys


def bits(v):
    return struct.unpack("<Q", struct.pack("<d", v))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def cases():
    rng = random.Random(20240914)
    out = []
    add = out.append

    # The spots where layout or rounding changes.
    for v in [0.0, -0.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, -1 / 3, 0.5, 1.0, -1.0, 1.5, 2.5,
              1e16, 1e15, 1e17, 1e-4, 1e-5, 1e-3, 9999999999999998.0, 1e16 - 2,
              123456789012345678.0, 0.00012345, 1.2345e-05, 5e-324, -5e-324,
              2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
              -1.7976931348623157e308, math.pi, math.e, 2 ** 0.5, 1e22, 1e23, 1e-7, 2e-7,
              2.919335883291695e-10, 7.814075313343006e-11, 0.2850931567761623,
              1.1890913024229996e-07, 2.407833389834357, 1.6243453636632417,
              float("inf"), float("-inf"), float("nan")]:
        add(v)
    # Neighbours of the layout thresholds: the last double below and first above.
    for v in [1e16, 1e15, 1e-4, 1e-5, 1.0, 0.1, 1e22, 5e-324, 1.7976931348623157e308]:
        add(math.nextafter(v, 0.0))
        add(math.nextafter(v, math.inf))
    # Integers, small and near 2^53 where doubles stop holding every integer.
    for i in list(range(-20, 101)) + [10 ** k for k in range(0, 23)] + \
             [2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64, 12345678901234567890]:
        add(float(i))
    # Every power of two with both neighbours: the rounding interval is lopsided
    # there (the gap below is half the gap above), which is where a shortest
    # repr that only looks at the nearest decimal goes wrong.
    for e in range(-1074, 1024):
        p = math.ldexp(1.0, e)
        add(p)
        add(math.nextafter(p, 0.0))
        add(math.nextafter(p, math.inf))
    # Subnormals.
    for _ in range(300):
        add(from_bits(rng.getrandbits(52)) * rng.choice([1, -1]))
    # Random bit patterns: uniform over exponents, every magnitude.
    while len(out) < 7000:
        v = from_bits(rng.getrandbits(64))
        if math.isfinite(v):
            add(v)
    # Everyday numbers: short decimals, normals, uniform draws.
    for _ in range(1500):
        add(round(rng.uniform(-1000, 1000), rng.randrange(0, 8)))
        add(rng.gauss(0, 1) * 10 ** rng.randrange(-12, 12))
        add(rng.random())
    return out


def main():
    seen = set()
    lines = []
    for v in cases():
        b = bits(v)
        if b in seen:
            continue
        seen.add(b)
        lines.append("%016x %s" % (b, repr(v)))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
