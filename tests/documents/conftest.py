import contextlib
import socket
import threading

import kombu.pools
import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings

from sfo.celery import app
from sfo.people.roles import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test's documents in a folder of its own, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def purge(*queues: str) -> None:
    """Forget messages a previous run left on this test run's own Redis database."""
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    client.delete(*queues, "unacked", "unacked_index")
    client.close()


@contextlib.contextmanager
def running_worker():
    """A real Celery worker in this process, on the test queue of the real Redis."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def fresh_queue():
    """The test queue emptied before the test sends anything to it."""
    purge(app.conf.task_default_queue)
    return app.conf.task_default_queue


@pytest.fixture
def reviewer(staff):
    return staff[Role.SFO_REVIEWER]


@pytest.fixture
def outsider(other_provider):
    """An SFO reviewer of another provider: may not see the shared case."""
    return UserFactory(
        username="reviewer-elsewhere", organisation=other_provider, role=Role.SFO_REVIEWER
    )


@contextlib.contextmanager
def celery_broker(url: str):
    """Point the app's publishing at another broker, and back: its connection pools (kombu's
    global ones, which the app shares) are closed and forgotten both ways, so that nothing made
    for one address is used for the other."""

    def drop_pools():
        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    previous = app.conf.broker_url
    drop_pools()
    app.conf.broker_url = url
    try:
        yield
    finally:
        drop_pools()
        app.conf.broker_url = previous


class SilentServer:
    """A local TCP server that accepts connections and never answers: the worst kind of outage,
    where only a socket timeout stops the caller from waiting for ever."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.sock.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(conn)

    def close(self):
        self.stopped.set()
        self.thread.join(timeout=2)
        for conn in self.accepted:
            conn.close()
        self.sock.close()


def closed_port() -> int:
    """A port on which nothing listens (bound, then released)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture(params=["silent", "closed"])
def unreachable(request):
    """(host, port) of a server that never answers, or of a closed port."""
    if request.param == "silent":
        server = SilentServer()
        yield "127.0.0.1", server.port
        server.close()
    else:
        yield "127.0.0.1", closed_port()
