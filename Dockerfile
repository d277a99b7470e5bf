# The production image: gunicorn, the Celery worker and beat all run from it (docker-compose.yml).
# Two stages: the build stage installs the locked dependencies into a virtual environment; the
# runtime stage takes that environment and the code (copied once), and collects the static files
# with scripts/build-static.sh, the same script CI's production smoke test runs.

FROM python:3.11-slim-bookworm AS runtime-base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# WeasyPrint's libraries and the fonts for every member city's script (scripts/system-deps.sh run).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

FROM runtime-base AS build
# Every package pinned with its hashes (requirements/base.txt, made by `make lock`).
COPY requirements/base.txt /tmp/requirements.txt
RUN python -m venv /venv \
 && /venv/bin/pip install --no-cache-dir --require-hashes --no-deps -r /tmp/requirements.txt

FROM runtime-base
ENV PATH=/venv/bin:$PATH VIRTUAL_ENV=/venv
COPY --from=build /venv /venv
WORKDIR /app
COPY . .
RUN PYTHON=/venv/bin/python scripts/build-static.sh \
 && useradd --system --uid 1000 portal && mkdir -p /data && chown -R portal /data /app/var
USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["python", "scripts/healthcheck.py", "web"]
CMD ["gunicorn", "coalition.wsgi:application"]
