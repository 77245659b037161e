"""The rating scales the service starts with, as data (DOMAIN.md, workflow step 5): the central
team's three shadow ratings, and an independent body's four-point scale with its mapping onto the
central one. Administrators add new scales and redefine the mapping; these are never edited."""

from datetime import date

SCALES_FROM = date(2018, 4, 1)
CENTRAL_LEVELS = [
    ("Good", "The review (or action plan) meets the standards well."),
    ("Satisfactory", "It meets the standards, with some gaps."),
    ("Requires improvement", "It falls short of the standards in ways that matter."),
]
INDEPENDENT_LEVELS = [
    ("Outstanding", "Exemplary: others should learn from it."),
    ("Good", "Meets the standards well."),
    ("Requires improvement", "Falls short of the standards in ways that matter."),
    ("Inadequate", "Fails the standards: the review does not do its job."),
]
# Independent level → central level: both top levels meet the standards well; "Requires
# improvement" and "Inadequate" both fall short. No independent level means "Satisfactory".
MAPPING = {
    "Outstanding": "Good",
    "Good": "Good",
    "Requires improvement": "Requires improvement",
    "Inadequate": "Requires improvement",
}


def seed(scale_model=None, level_model=None, mapping_model=None) -> None:
    """Create the two starting scales and their mapping where there are none."""
    if scale_model is None:
        from qa.models import RatingLevel as level_model
        from qa.models import RatingScale as scale_model
        from qa.models import ScaleMapping as mapping_model
    if scale_model.objects.exists():
        return
    central = scale_model.objects.create(
        name="Central QA ratings (shadow ratings)",
        use="central",
        in_force_from=SCALES_FROM,
        note="Good, Satisfactory, Requires improvement: the HMPPS SFO review team's ratings",
    )
    independent = scale_model.objects.create(
        name="Independent QA ratings",
        use="independent",
        in_force_from=SCALES_FROM,
        note="A four-point scale of the kind an inspectorate uses",
    )
    levels = {}
    for scale, rows in ((central, CENTRAL_LEVELS), (independent, INDEPENDENT_LEVELS)):
        for position, (label, description) in enumerate(rows, start=1):
            levels[scale.use, label] = level_model.objects.create(
                scale=scale, position=position, label=label, description=description
            )
    for independent_label, central_label in MAPPING.items():
        mapping_model.objects.create(
            independent_level=levels["independent", independent_label],
            central_level=levels["central", central_label],
        )
