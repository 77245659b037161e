"""The production settings as the load benchmarks serve them: DEBUG off, the same middleware,
sessions, caches and templates, over plain HTTP on the loopback (no TLS proxy in front), with the
floor views of `bench_urls` beside the product's URLs."""

import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from sfo.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
