"""Settings for the test suite: the real PostgreSQL and Redis, fast password hashing."""

from sfo.settings.base import *  # noqa: F403
from sfo.settings.base import CACHES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each test run keeps its cache keys apart from a running product on the same Redis.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", "sfo-test")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served from the source folders in tests; nothing is collected.
STATIC_ROOT = None
# Test tasks go to their own queue, so that a running product's worker on the same Redis never
# takes them.
CELERY_TASK_DEFAULT_QUEUE = "sfo-test"
# A short visibility timeout, so that a message left by a killed worker comes back quickly.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 10,
}
# Alerts' e-mails go to django.core.mail.outbox, whatever the environment says.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
