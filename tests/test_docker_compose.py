"""docker-compose.yml describes a deployment: five services, each running what it should."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


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
    assert set(COMPOSE["volumes"]) == {"postgres-data", "redis-data", "media"}


def test_the_web_application_and_the_worker_share_the_generated_documents():
    """The worker writes a document under MEDIA_ROOT and the web application hands it out: in
    separate containers, only a shared volume at MEDIA_ROOT lets the download find the file."""
    for name in ("web", "worker"):
        service = COMPOSE["services"][name]
        media_root = service["environment"]["MEDIA_ROOT"]
        assert f"media:{media_root}" in service["volumes"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_of_this_run() -> str:
    """The test database as a DATABASE_URL, for a server started beside the tests: the one the
    environment names may not exist (the test run makes its own)."""
    from urllib.parse import quote

    from django.db import connection

    given = connection.settings_dict
    password = f":{quote(given['PASSWORD'], safe='')}" if given.get("PASSWORD") else ""
    host = quote(given.get("HOST") or "localhost", safe="")
    port = f":{given['PORT']}" if given.get("PORT") else ""
    return f"postgres://{quote(given['USER'], safe='')}{password}@{host}{port}/{given['NAME']}"


def test_the_web_health_check_passes_against_the_production_settings(db):
    """The container's health check, run against gunicorn with the production settings as a
    deployment behind a TLS proxy configures them: 200, not 400 (host) or 301 (HTTPS)."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_this_run(),
        "DJANGO_SETTINGS_MODULE": "sfo.settings.production",
        "SECRET_KEY": "health-" + "h" * 53,
        "ALLOWED_HOSTS": "sfo.example.gov.uk",
        "BEHIND_TLS_PROXY": "true",
    }
    check = COMPOSE["services"]["web"]["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "-c"]
    probe = check[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "sfo.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        result = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)
