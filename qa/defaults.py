"""The QA standards the central team and the inspection used (DOMAIN.md, "The questions QA asks"),
as version 1. Later versions are drawn from it by an administrator; version 1 is never changed."""

from datetime import date

# (question, scope, asked in a targeted QA)
STANDARDS_V1 = [
    (
        "Does the review consider all areas for assessment identified in the chronology?",
        "review",
        True,
    ),
    ("Is its analysis of the key risk of harm factors sufficient?", "review", False),
    ("Is its analysis of the risk management plan sufficient?", "review", False),
    (
        "Does it give a clear judgement whether all reasonable steps were taken to manage the risk "
        "of serious harm?",
        "review",
        True,
    ),
    ("Does it consider the implementation and review of the work?", "review", False),
    ("Does it sufficiently address multi-agency working?", "review", False),
    ("Does it identify good practice?", "review", True),
    ("Does the action plan answer the key findings?", "action_plan", True),
    ("Are there organisational, not only individual, actions?", "action_plan", True),
]


def seed(standard_set_model=None, standard_model=None) -> None:
    """Create version 1 of the standards where there is none."""
    if standard_set_model is None:
        from qa.models import Standard as standard_model
        from qa.models import StandardSet as standard_set_model
    if standard_set_model.objects.filter(version=1).exists():
        return
    standards = standard_set_model.objects.create(
        version=1,
        published_on=date(2018, 4, 1),
        note="The standards the central team and the inspection used (HMI Probation, 2020)",
    )
    for position, (question, scope, targeted) in enumerate(STANDARDS_V1, start=1):
        standard_model.objects.create(
            standards=standards,
            position=position,
            question=question,
            scope=scope,
            targeted=targeted,
        )
