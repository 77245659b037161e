"""Settings shared by every environment. Everything that differs between machines comes from the
environment (see .env.example); nothing secret is written here."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from sfo import embedded

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def required(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} is not set: these settings need it (see .env.example).")
    return value


SERVICE_NAME = "Serious Further Offence reviews"
PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"

# Without configuration, these point at the embedded engines that `make run` starts under var/,
# so that manage.py works beside a running product; production settings require all three.
SECRET_KEY = env("SECRET_KEY") or embedded.secret_key()
DATABASE_URL = env("DATABASE_URL") or embedded.postgres_url()
REDIS_URL = env("REDIS_URL") or embedded.redis_url()
# Rotating the key: the new one in SECRET_KEY, the old one here (comma-separated, no commas in a
# key) until the sessions signed with it have ended; then remove it (docs/operations.md).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "sfo.apps.SFOAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "pgtrigger",
    "pghistory",
    "axes",
    "csp",
    "django_fsm",
    "sfo.people",
    "sfo.audit",
    "sfo.documents",
    "sfo.clocks",
    "sfo.alerts",
    "offences",
    "reviews",
    "qa",
    "victims",
    "agencies",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sfo.audit.middleware.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After CSRF: a form posted after the session ended is kept only if its token was good.
    "sfo.people.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "sfo.audit.middleware.HistoryContextMiddleware",
    "sfo.people.middleware.NoStoreForSignedInMiddleware",
    # Last, so that it sees the outcome of everything above.
    "axes.middleware.AxesMiddleware",
]

# Widgets render from the project's templates too (the GOV.UK date input lives there).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ROOT_URLCONF = "sfo.urls"
WSGI_APPLICATION = "sfo.wsgi.application"
ASGI_APPLICATION = "sfo.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sfo.context_processors.service",
                "sfo.alerts.context_processors.unread_alerts",
            ],
            "libraries": {"sfo": "sfo.templatetags.sfo"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A database that accepts connections but never answers must not hold a page for ever: libpq gives
# up after this many seconds and the page answers 503 (sfo.operations.faults).
DATABASE_CONNECT_TIMEOUT = int(env("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "sfo"),
        # An unreachable Redis costs a page at most these seconds, never a hang (ADR 0008).
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: signed out after 30 minutes without a request, and 12 hours after signing in whatever
# happens. The idle and absolute limits are enforced by SessionTimeoutMiddleware; the cookie lives
# a little longer than 12 hours so that the middleware can still tell whose form arrived late.
SESSION_IDLE_TIMEOUT_SECONDS = int(env("SESSION_IDLE_TIMEOUT_SECONDS", "1800"))
SESSION_ABSOLUTE_TIMEOUT_SECONDS = int(env("SESSION_ABSOLUTE_TIMEOUT_SECONDS", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS + 3600
# Sessions live in PostgreSQL alone: Django's cached_db store lets some Redis errors through (its
# load() re-caches unguarded, exists() and delete() are unguarded), so a Redis outage would break
# sign-in and every page; the database store needs no Redis at all (ADR 0008).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HELD_SUBMISSION_HOURS = 24

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Both design systems' compiled CSS load fonts and images from /assets/; the asset build puts them
# here and WhiteNoise serves this folder at the site root (ADR 0003).
WHITENOISE_ROOT = BASE_DIR / "build" / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Generated documents. Never served at MEDIA_URL: only the download view hands them out, to those
# allowed, with an audit row (ADR 0008). No URL pattern maps MEDIA_URL.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"

# Content security policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Lockout: five failed sign-ins for one username from one address lock that pair for 15 minutes.
# The client address is REMOTE_ADDR unless the deployment says how many proxies it trusts: a
# client-supplied X-Forwarded-For is never believed by default.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "sfo.people.client_ip.client_ip"


def celery_url(redis_url: str) -> str:
    """Kombu names a Redis Unix socket redis+socket:///path where redis-py says unix:///path."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://").split("?")[0]
    return redis_url


CELERY_BROKER_URL = celery_url(REDIS_URL)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Time limits: a task is told to stop (SoftTimeLimitExceeded) after 4 minutes and killed after 5;
# a 600-row chronology renders in about 6 s, so only a stuck task meets them.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# Retries back off up to this many seconds; the longest countdown any task uses.
CELERY_TASK_MAX_RETRY_BACKOFF = 600
# Redis redelivers a message not acknowledged within the visibility timeout, so it must be longer
# than any countdown or ETA (above) plus the hard time limit, or a task would run twice at once.
CELERY_VISIBILITY_TIMEOUT = int(env("CELERY_VISIBILITY_TIMEOUT", "3600"))
# Connect and socket timeouts: an unreachable Redis fails fast and the work goes to the outbox.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "sfo.people.tasks.clear_expired_sessions",
        "schedule": 3600.0,
    },
    "discard-expired-held-submissions": {
        "task": "sfo.people.tasks.discard_expired_held_submissions",
        "schedule": 3600.0,
    },
    # Hourly: the sweep is idempotent per day, so an hour missed (a worker down) costs nothing.
    "sweep-clocks": {
        "task": "sfo.alerts.tasks.sweep_clocks",
        "schedule": 3600.0,
    },
    "sweep-entitlement-tasks": {
        "task": "victims.tasks.sweep_entitlement_tasks",
        "schedule": 3600.0,
    },
    "drain-outbox": {
        "task": "sfo.documents.tasks.drain_outbox",
        "schedule": 60.0,
    },
}


# Alerts by e-mail: the console in development, SMTP in production (EMAIL_BACKEND=
# django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST and the rest from the environment).
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "sfo-reviews@localhost")
# Links in e-mails are absolute: the address people reach the service at.
SERVICE_BASE_URL = env("SERVICE_BASE_URL", "http://127.0.0.1:8000")

DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
