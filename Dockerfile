# syntax=docker/dockerfile:1.7
# One image for every stage: `docker run newswatch --stage match` runs the match stage,
# `docker run newswatch --stage fetch --stage extract` runs two in one process.
#
# The base is pinned by tag. To pin it by digest as well, run on a machine with a registry:
#   docker buildx imagetools inspect python:3.11.14-slim-bookworm --format '{{json .Manifest.Digest}}'
# and build with --build-arg PYTHON_IMAGE=python:3.11.14-slim-bookworm@sha256:<that digest>.
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# --- builder: every dependency becomes a wheel -----------------------------------------------
# lxml, pyahocorasick, numpy, scipy, hiredis and pydantic-core ship manylinux wheels for CPython 3.11,
# so this stage needs no compiler either; it only resolves and downloads.
FROM ${PYTHON_IMAGE} AS builder
ARG PIP_VERSION=24.3.1
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m pip install "pip==${PIP_VERSION}"
COPY pyproject.toml ./
COPY worker ./worker
RUN python -m pip wheel --wheel-dir /wheels .

# --- runtime: wheels only, no build tools, not root ------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/newswatch/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    NEWSWATCH_CONFIG=/etc/newswatch/config \
    NEWSWATCH_METRICS_HOST=0.0.0.0 \
    NEWSWATCH_METRICS_PORT=9108 \
    NEWSWATCH_LOG_FORMAT=json
# The wheels are bind-mounted from the builder, so none of them stays in a layer; pip leaves
# the virtualenv afterwards because nothing installs at run time.
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    python -m venv /opt/newswatch \
    && /opt/newswatch/bin/pip install --no-index --find-links /wheels newswatch \
    && /opt/newswatch/bin/pip uninstall --yes pip
# The example config makes the image runnable as is; deployments mount their own folder here.
COPY config /etc/newswatch/config
USER 10001:10001
EXPOSE 9108
# slim has no curl: ask /healthz with the interpreter the worker already needs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('NEWSWATCH_METRICS_PORT', '9108'), timeout=4)"]
ENTRYPOINT ["newswatch", "run"]
CMD ["--stage", "fetch"]
