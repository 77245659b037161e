"""Keeping the times a synthetic dataset gives its rows."""

from contextlib import contextmanager


@contextmanager
def given_times(fields):
    """Let bulk_create keep the times given (when each thing happened) instead of `auto_now_add`
    and `auto_now` stamping every row with the moment of the load. `fields` are model fields;
    restored on the way out."""
    saved = [(f.auto_now_add, f.auto_now) for f in fields]
    try:
        for f in fields:
            f.auto_now_add = f.auto_now = False
        yield
    finally:
        for f, (auto_now_add, auto_now) in zip(fields, saved, strict=True):
            f.auto_now_add, f.auto_now = auto_now_add, auto_now
