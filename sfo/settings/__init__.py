"""Settings are split: base (shared, read from the environment), dev, test and production."""
