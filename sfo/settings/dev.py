"""Settings for running the product on a developer's machine (the README's run command)."""

from sfo.settings.base import *  # noqa: F403
from sfo.settings.base import env_bool

DEBUG = env_bool("DEBUG", True)
