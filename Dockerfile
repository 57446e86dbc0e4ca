# The portal's production image: gunicorn serves it; the same image runs the Celery worker and
# beat (see docker-compose.yml). Configuration comes from the environment (README, OPERATIONS).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# libmagic: uploads are typed from their content; pango: WeasyPrint draws the PDF notices;
# fonts-nanum: the Hangul font of the notices; gettext: the translation catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libmagic1 libpango-1.0-0 libpangoft2-1.0-0 fonts-nanum gettext \
    && fc-cache -f \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (the lock file alone), so code changes reuse this layer. The build steps
# are scripts/build.sh, the same script `make smoke` runs in CI.
COPY requirements/production.txt requirements/
COPY scripts/build.sh scripts/
RUN bash scripts/build.sh deps

COPY . .

# Static files (hashed names, compressed) and the notices' prepared font are built into the
# image, with DEBUG off and build-only settings; the container gets its own.
RUN bash scripts/build.sh assets

RUN useradd --create-home --uid 1000 portal \
    && mkdir -p /app/var/media \
    && chown -R portal:portal /app/var
USER portal

ENV DEBUG=off
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "60", "--access-logfile", "-"]
