"""The clocks of PI 06/2018 (revised April 2018) and the service's default thresholds, in force
from 1 April 2018. Later changes are new rows with a later effective date, added by an
administrator, so that open clocks keep the policy they started under."""

from datetime import date

PI_06_2018 = "PI 06/2018, as described in HMI Probation's thematic inspection of SFO reviews (2020)"
FROM = date(2018, 4, 1)

CLOCKS = [
    ("notification", "first court hearing", 10, "working_days", ""),
    (
        "early_look",
        "first court hearing",
        10,
        "working_days",
        'The inspection says "within 10 days of an SFO taking place"; probation learns of it at '
        "the first hearing, so the clock starts there, in working days.",
    ),
    ("review", "notification to the central team", 3, "calendar_months", ""),
    ("central_qa", "submission to the central team", 20, "working_days", ""),
    (
        "victim_entitlement",
        "qualifying conviction recorded",
        10,
        "working_days",
        "Service default (recommendation 7: the VCS contacts every victim about the entitlement "
        "to ask for the review); PI 06/2018 sets no period.",
    ),
]

THRESHOLDS = [
    ("amber_working_days", 3, "Service default: amber when due within 3 working days"),
    (
        "post_supervision_tolerance_days",
        0,
        "Service default: an offence after supervision ended does not qualify",
    ),
]


def seed(clock_policy_model=None, threshold_policy_model=None) -> None:
    """Create the default policies where missing (never changing one an administrator edited).
    The data migration passes its historical models; the demo loader passes none."""
    if clock_policy_model is None:
        from sfo.clocks.models import ClockPolicy as clock_policy_model
        from sfo.clocks.models import ThresholdPolicy as threshold_policy_model
    ClockPolicy, ThresholdPolicy = clock_policy_model, threshold_policy_model  # noqa: N806
    for kind, anchor, length, unit, notes in CLOCKS:
        ClockPolicy.objects.get_or_create(
            kind=kind,
            effective_from=FROM,
            defaults={
                "anchor": anchor,
                "length": length,
                "unit": unit,
                "source": PI_06_2018,
                "notes": notes,
            },
        )
    for threshold, value, source in THRESHOLDS:
        ThresholdPolicy.objects.get_or_create(
            threshold=threshold, effective_from=FROM, defaults={"value": value, "source": source}
        )
