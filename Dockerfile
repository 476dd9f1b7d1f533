# Boligspor product image: the API and web pages (boligspor serve); the same image runs the
# worker (boligspor worker) and the command line.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md settings.py ./
COPY domain domain
COPY projections projections
COPY api api
COPY workers workers
COPY cli cli
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
# pg_dump / pg_restore for `boligspor backup` and `restore` on PostgreSQL.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 boligspor
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER boligspor
WORKDIR /home/boligspor
ENV BOLIGSPOR_PRODUCTION=true \
    BOLIGSPOR_LOG_JSON=true
# Production needs BOLIGSPOR_DATABASE_URL=postgresql://…, BOLIGSPOR_PAYLOAD_KEY and
# BOLIGSPOR_MASTER_KEY (base64 AES keys) from the environment or a secret store.
# The processes (docs/operations.md): the default command is the web tier; run the jobs with
# `docker run … <image> worker` (any number: one leads). Probes: /api/health (liveness),
# /api/health/ready (readiness).
EXPOSE 8000
ENTRYPOINT ["boligspor"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
