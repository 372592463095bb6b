# A stand-in for the image Gradescope builds from dist/gradescope-autograder.zip,
# for the project's tests (platforms/docker/build-image gradescope).
#
# Gradescope starts from its own Ubuntu base image, which no machine of this
# project can fetch: this starts from the debootstrap'd Debian bookworm base
# instead (platforms/docker/base-image) and otherwise does what Gradescope
# does: the zip's contents in /autograder/source, run_autograder copied to
# /autograder/, setup.sh run once as root. The compiler packages come first
# in a layer of their own, so that rebuilding after a change of the project
# does not download them again (setup.sh's harness/deps.sh then finds them).
# Gradescope's images are private to the course: this one holds the
# reference (setup.sh builds the pack from it) in /autograder/source, 0700.
ARG BASE
FROM ${BASE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        gcc make binutils libc6-dev libcriterion-dev libcjson-dev libyaml-dev libseccomp-dev \
    && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /autograder/source /autograder/submission /autograder/results
COPY source /autograder/source
RUN cp /autograder/source/run_autograder /autograder/run_autograder \
    && chmod 0755 /autograder/run_autograder \
    && cd /autograder/source && bash ./setup.sh
WORKDIR /autograder
CMD ["/autograder/run_autograder"]
