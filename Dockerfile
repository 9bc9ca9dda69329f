# One image for the API, the workers and the migration step; the command picks the role:
#   duyet serve (gunicorn, the default)   duyet worker   duyet db upgrade
# A build stage installs into a virtualenv; the runtime stage gets only that virtualenv.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first, in a layer of their own that is rebuilt only when pyproject.toml
# changes: install against empty packages, then drop the placeholder project.
COPY pyproject.toml README.md ./
RUN mkdir service workers && touch service/__init__.py workers/__init__.py \
 && pip install . && pip uninstall -y duyet && rm -rf service workers build
COPY service ./service
COPY workers ./workers
RUN pip install --no-deps . && find /opt/venv -name __pycache__ -prune -exec rm -rf {} +

FROM python:3.11-slim AS base
# PROMETHEUS_MULTIPROC_DIR: prometheus-client's multiprocess mode. gunicorn's workers (and,
# in compose, the RQ workers through a shared volume) write there; /metrics adds them up.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PROMETHEUS_MULTIPROC_DIR=/run/duyet/metrics
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin duyet \
 && mkdir -p /app /run/duyet/metrics \
 && chown -R duyet:duyet /app /run/duyet
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
USER duyet

# `docker compose --profile dashboard up`: rq-dashboard on duyet's own rq and redis versions.
FROM base AS dashboard
USER root
RUN pip install --no-cache-dir "rq-dashboard>=0.9,<1"
USER duyet
EXPOSE 9181
CMD ["rq-dashboard", "--bind", "0.0.0.0", "--port", "9181"]

# The default (last) stage: API, workers and migrations.
FROM base AS runtime
EXPOSE 8000
# Compose passes --workers/--threads; gunicorn's other settings are in service/gunicorn_conf.py.
CMD ["duyet", "serve", "--host", "0.0.0.0", "--port", "8000"]
