"""The README's two commands end here.

    python -m sfo.launcher run    migrate, load the demo data, start web + worker + beat
    python -m sfo.launcher test   run the whole test suite (extra arguments go to pytest)
    python -m sfo.launcher bench SCRIPT   run a benchmark script against the dev database

Both use the PostgreSQL and Redis that DATABASE_URL and REDIS_URL name, or start embedded ones."""

import os
import signal
import subprocess
import sys
import time

from sfo.embedded import BASE_DIR, VAR, secret_key, services

PYTHON = sys.executable
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


def _env(extra: dict[str, str], settings: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    # Set outright: importing the sfo package (for its Celery app) has already put a default here.
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.setdefault("SECRET_KEY", secret_key())
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def run() -> int:
    with services() as extra:
        env = _env(extra, "sfo.settings.dev")
        _manage(env, "migrate", "--no-input")
        _manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        _manage(env, "load_demo_data", "--no-logins")
        _manage(env, "sweep_clocks")
        (VAR / "celery").mkdir(parents=True, exist_ok=True)
        commands = {
            "web": [
                PYTHON,
                "-m",
                "gunicorn",
                "sfo.wsgi:application",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
            ],
            "worker": [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "sfo",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
            ],
            "beat": [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "sfo",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(VAR / "celery" / "beat-schedule"),
            ],
        }
        processes = {
            name: subprocess.Popen(command, cwd=BASE_DIR, env=env)  # noqa: S603
            for name, command in commands.items()
        }
        _manage(env, "load_demo_data", "--logins-only")
        print(f"\n{'=' * 72}\nSerious Further Offence reviews is running at http://{HOST}:{PORT}/")
        print(
            "Sign in with any demo login above. Press Ctrl+C to stop everything.\n" + "=" * 72,
            flush=True,
        )

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"The {name} process stopped (exit {process.returncode}); stopping.")
                    stopping, code = True, 1
            time.sleep(0.5)
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        print("Stopped the web, worker and beat processes.", flush=True)
        return code


def test(pytest_args: list[str]) -> int:
    with services(database="sfo") as extra:
        env = _env(extra, "sfo.settings.test")
        completed = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "pytest", *pytest_args], cwd=BASE_DIR, env=env, check=False
        )
        return completed.returncode


def bench(arguments: list[str]) -> int:
    # A database of its own when embedded: the benchmark adds 6,000 synthetic cases.
    with services(database="sfo_bench") as extra:
        env = _env(extra, "sfo.settings.dev")
        _manage(env, "migrate", "--no-input")
        _manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        _manage(env, "load_demo_data")
        return subprocess.run([PYTHON, *arguments], cwd=BASE_DIR, env=env, check=False).returncode  # noqa: S603


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"run", "test", "bench"}:
        print(__doc__)
        return 2
    if sys.argv[1] == "run":
        return run()
    if sys.argv[1] == "bench":
        return bench(sys.argv[2:])
    return test(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
