"""The embedded default: PostgreSQL and Redis from wheels, started and stopped by the launcher."""

import os

import psycopg2
import pytest
import redis

from sfo.embedded import VAR, embedded_postgres, embedded_redis, services


def test_the_embedded_redis_answers_on_its_socket_and_stops_on_exit():
    root = VAR / "test-embedded"
    with embedded_redis(root) as url:
        assert url.startswith("unix://")
        client = redis.Redis.from_url(url)
        assert client.ping()
        pid = client.info()["process_id"]
    assert not os.path.exists(f"/proc/{pid}") or _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split()[2] == "Z"


@pytest.mark.timeout(120)
def test_the_embedded_postgresql_creates_the_database_and_stops_on_exit():
    root = VAR / "test-embedded"
    with embedded_postgres("sfo_embedded_check", root) as url:
        import dj_database_url

        config = dj_database_url.parse(url)
        connection = psycopg2.connect(
            dbname=config["NAME"], user=config["USER"], host=config["HOST"]
        )
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT current_database(), version()")
            name, version = cursor.fetchone()
        connection.close()
        assert name == "sfo_embedded_check"
        assert version.startswith("PostgreSQL 16")
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(dbname=config["NAME"], user=config["USER"], host=config["HOST"])


def test_configured_servers_are_used_and_nothing_is_started(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://somewhere/sfo")
    monkeypatch.setenv("REDIS_URL", "redis://somewhere:6379/0")
    with services() as extra:
        assert extra == {}
