#!/bin/sh
# deps.sh — install the Debian packages the harness needs, if any is missing.
#
#   harness/deps.sh          what grading needs
#   harness/deps.sh --test   also what the test suite needs
#   harness/deps.sh --bench  also what the benchmark needs (make bench)
#
# Checks files, not the package database, so that the common case (all there)
# costs nothing. Installs with apt-get when run as root; otherwise says what
# to install.
set -u
need=""
want() { [ -e "$1" ] || need="$need $2"; }

want /usr/bin/gcc gcc
want /usr/bin/make make
want /usr/bin/objcopy binutils
want /usr/include/stdio.h libc6-dev
want /usr/include/cjson/cJSON.h libcjson-dev
want /usr/include/yaml.h libyaml-dev
want /usr/include/seccomp.h libseccomp-dev
want /usr/include/criterion/criterion.h libcriterion-dev
if [ "${1:-}" = "--test" ]; then
    want /usr/bin/zip zip          # the platform zips (mk/platforms.mk)
    want /usr/bin/unzip unzip
    want /usr/bin/python3 python3
    want /usr/bin/chromium chromium
    want /usr/bin/afl-fuzz afl++    # the fuzz targets (mk/fuzz.mk): make fuzz, and a short run in the suite
    want /usr/sbin/slurmctld slurm-wlm     # the one-node cluster of the Slurm test
    want /usr/sbin/munged munge
    want /usr/bin/kubectl kubernetes-client    # the Kubernetes manifests' dry runs
    want /usr/sbin/dockerd docker.io        # the platform images (harness/tests/test_images.c)
    want /usr/sbin/debootstrap debootstrap  # their Debian base (platforms/docker/base-image)
fi
if [ "${1:-}" = "--bench" ]; then
    want /usr/bin/python3 python3                  # the Python grader it compares with
    want /usr/lib/python3/dist-packages/numpy/__init__.py python3-numpy
fi

[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "deps.sh: missing Debian packages:$need" >&2
    echo "deps.sh: install them with: sudo apt-get install$need" >&2
    exit 1
fi
echo "deps.sh: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $need; } >&2; then
    echo "deps.sh: apt-get could not install$need" >&2
    exit 1
fi
