# Fortalece: one image for the web app, the worker and the scheduler (deploy/entrypoint.sh).
# Build: docker build -t fortalece .      Run: see compose.yaml and docs/deployment.md

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements/lock.txt /tmp/lock.txt
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/lock.txt
COPY pyproject.toml README.md /src/
COPY fortalece /src/fortalece
RUN /opt/venv/bin/pip install --no-deps /src
# Static files are collected at build time (no secret is needed to collect them).
RUN DJANGO_SETTINGS_MODULE=fortalece.settings FORTALECE_ALLOW_INSECURE_KEY=1 \
    FORTALECE_VAR_DIR=/opt/var FORTALECE_ENV_FILE=/nonexistent \
    /opt/venv/bin/fortalece collectstatic --no-input

FROM python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=fortalece.settings \
    FORTALECE_VAR_DIR=/var/lib/fortalece \
    FORTALECE_ENV_FILE=/nonexistent \
    PORT=8000
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/fortalece --create-home fortalece
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=fortalece:fortalece /opt/var/static /var/lib/fortalece/static
COPY deploy/entrypoint.sh /usr/local/bin/fortalece-entrypoint
USER fortalece
WORKDIR /var/lib/fortalece
VOLUME ["/var/lib/fortalece/media"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os,sys,urllib.request as u; h=os.environ.get('DJANGO_ALLOWED_HOSTS','localhost').split(',')[0]; r=u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4); sys.exit(r.status != 200)"
ENTRYPOINT ["fortalece-entrypoint"]
CMD ["web"]
