"""The Celery app: the worker enforces the clocks and renders documents; beat schedules sweeps."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sfo.settings.dev")

app = Celery("sfo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
