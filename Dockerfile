FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY coalition coalition
COPY members members
COPY governance governance
COPY reporting reporting
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings that load; the values are build-time placeholders only.
RUN DJANGO_SETTINGS_MODULE=coalition.settings.production \
    SECRET_KEY=build-only-placeholder-build-only-placeholder-build-only-placeholder \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 portal && mkdir -p /data && chown -R portal /data /app/var
USER portal
EXPOSE 8000
