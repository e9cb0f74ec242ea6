# hairkb image (the API and the site): the same server command as the README quickstart, as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/hairkb

# Graphviz lays out the pictures (/v1/graph?format=svg and the site's pages); DejaVu gives it metrics for the
# labels. Unpinned on purpose: Debian's stable security updates are what we want here.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends graphviz fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so that code and data changes reuse this layer.
COPY pyproject.toml README.md ./
RUN mkdir app && touch app/__init__.py \
    && pip install . \
    && pip uninstall -y hairkb

COPY app ./app
COPY data ./data
RUN pip install --no-deps . \
    && groupadd --system --gid 10001 hairkb \
    && useradd --system --uid 10001 --gid 10001 --home-dir /srv/hairkb hairkb

USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"]
CMD ["hairkb", "serve", "--host", "0.0.0.0", "--port", "8000"]
