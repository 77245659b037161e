"""Production: HTTPS only, HSTS, secure cookies, no demo data. `manage.py check --deploy
--fail-level WARNING` passes with these settings and nothing silenced."""

import dj_database_url

from sfo.settings.base import *  # noqa: F403
from sfo.settings.base import (
    CACHES,
    DATABASE_CONNECT_TIMEOUT,
    celery_url,
    env_bool,
    required,
)

# Nothing falls back to the embedded engines or a generated key here.
SECRET_KEY = required("SECRET_KEY")
DATABASES = {"default": dj_database_url.parse(required("DATABASE_URL"), conn_max_age=60)}
DATABASES["default"]["OPTIONS"] = {"connect_timeout": DATABASE_CONNECT_TIMEOUT}
REDIS_URL = required("REDIS_URL")
CACHES["default"]["LOCATION"] = REDIS_URL
CELERY_BROKER_URL = CELERY_RESULT_BACKEND = celery_url(REDIS_URL)

DEBUG = False
DEMO_DATA_ALLOWED = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto; only honoured when configured.
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
