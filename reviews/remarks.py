"""Remarks that a later stage shows beside the review's sections, such as the central QA feedback
the reviewer amends the review against. The review app never imports that stage: the stage
registers a source here in its AppConfig.ready, and decides itself who may see its remarks (an
independent assessor, rating blind, never sees the central team's)."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Remarks:
    """One body of remarks on the review: a title and overall text for the task list's banner,
    the remarks against each section (by section key), and the page that shows them in full."""

    title: str
    overall: str = ""
    sections: dict[str, list[str]] = field(default_factory=dict)
    url: str = ""
    link_text: str = ""


SOURCES: list[Callable] = []


def register(source: Callable) -> None:
    """`source(user, case) -> Remarks | None`."""
    if source not in SOURCES:
        SOURCES.append(source)


def remarks_for(user, case) -> list[Remarks]:
    return [found for source in SOURCES if (found := source(user, case)) is not None]
