# The image docker-compose.yml deploys. Front-end assets are built in a Node stage; the runtime
# holds Python, the pinned packages, WeasyPrint's libraries and the collected static files.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
COPY --from=assets /app/static/vendor static/vendor
COPY --from=assets /app/build build
RUN SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost \
    DJANGO_SETTINGS_MODULE=sfo.settings.production python manage.py collectstatic --no-input
# The documents volume is mounted at /srv/sfo/media; a new volume takes this folder's owner.
RUN useradd --system --uid 1000 sfo && mkdir -p /srv/sfo/media && chown -R sfo /app /srv/sfo
USER sfo
EXPOSE 8000
