# Rembuk in one container: SQLite in the /data volume by default, or set
# REMBUK_DATABASE_URL=postgresql+psycopg://… (and REMBUK_ENV=production with a
# REMBUK_SECRET_KEY on a public server). Build and run:
#   docker build -t rembuk .
#   docker run -p 8000:8000 -v rembuk-data:/data \
#     -e REMBUK_PUBLIC_URL=http://192.168.1.10:8000 rembuk
# The first start prints a one-time /setup/<token> link in the container log.
FROM python:3.11-slim

# `pip install .` installs the app with its migrations (setup.py ships migrations/ as
# app/migrations): the `rembuk` script runs the installed package, not this source tree.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REMBUK_VAR_DIR=/data

WORKDIR /srv/rembuk

COPY pyproject.toml setup.py README.md LICENSE ./
COPY app ./app
COPY migrations ./migrations
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /data --no-create-home rembuk \
    && mkdir -p /data \
    && chown rembuk:rembuk /data

USER rembuk
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]

# exec: uvicorn gets SIGTERM from `docker stop` and shuts down gracefully.
CMD ["sh", "-c", "rembuk migrate && exec rembuk serve --host 0.0.0.0 --port 8000"]
