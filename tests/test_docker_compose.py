"""docker-compose.yml describes a deployment: five services, each running what it should."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text()
)


def command(service: str) -> str:
    value = COMPOSE["services"][service]["command"]
    return " ".join(value) if isinstance(value, list) else value


def test_it_has_exactly_the_five_services():
    assert set(COMPOSE["services"]) == {"postgres", "redis", "web", "worker", "beat"}


def test_the_web_service_runs_gunicorn_on_the_wsgi_application():
    assert command("web").startswith("gunicorn sfo.wsgi:application")


def test_the_worker_runs_a_celery_worker_and_beat_runs_one_beat():
    assert command("worker").startswith("celery -A sfo worker")
    assert command("beat").startswith("celery -A sfo beat")


def test_the_application_services_use_production_settings_and_the_compose_servers():
    for name in ("web", "worker", "beat"):
        environment = COMPOSE["services"][name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "sfo.settings.production"
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379")
        assert set(COMPOSE["services"][name]["depends_on"]) == {"postgres", "redis"}


def test_the_data_services_keep_their_data_in_volumes():
    assert COMPOSE["services"]["postgres"]["image"].startswith("postgres:")
    assert COMPOSE["services"]["redis"]["image"].startswith("redis:")
    assert set(COMPOSE["volumes"]) == {"postgres-data", "redis-data"}
