"""The themes the inspection lists: one area's nine recurring themes, and those seen elsewhere."""

from django.db import migrations

THEMES = [
    (
        "self-disclosure",
        "Over-reliance on self-disclosure",
        "Information the person gave was accepted without checking it with others.",
    ),
    (
        "address-checks",
        "Address checks",
        "Where the person lived, and with whom, was not verified or visited.",
    ),
    (
        "enforcement",
        "Enforcement",
        "Non-compliance was not acted on, or breach and recall were not considered in time.",
    ),
    (
        "domestic-abuse-safety-planning",
        "Domestic-abuse safety planning",
        "Domestic-abuse enquiries, safeguarding checks and safety plans for those at risk.",
    ),
    (
        "management-oversight",
        "Management oversight",
        "How managers supervised the work and the decisions taken on the case.",
    ),
    (
        "recording-quality",
        "Recording quality",
        "Whether the case record was accurate, timely and told the story of the case.",
    ),
    (
        "mappa-adherence",
        "MAPPA adherence",
        "Identifying MAPPA eligibility, levels and following the MAPPA guidance.",
    ),
    (
        "review-after-significant-events",
        "Review after significant events",
        "Whether assessments and plans were reviewed when circumstances changed.",
    ),
    (
        "assessment-and-planning",
        "Quality of assessment and planning",
        "Whether the risk of serious harm was assessed and planned for well enough.",
    ),
    (
        "professional-curiosity",
        "Professional curiosity",
        "Asking, checking and not taking what was seen or said at face value.",
    ),
    (
        "information-sharing",
        "Information sharing",
        "Information exchanged, or not, with the police, children's services and others.",
    ),
    (
        "homelessness",
        "Homelessness",
        "Accommodation and the risk that came with its absence or instability.",
    ),
    (
        "mental-health",
        "Mental health",
        "Mental health needs and the support sought or given for them.",
    ),
    ("workload", "Workload", "Caseloads, vacancies and the time staff had for the work."),
    (
        "interventions",
        "Interventions",
        "Programmes and interventions to reduce the risk: offered, delivered or missing.",
    ),
    (
        "recall",
        "Recall",
        "Decisions about recall to custody: considered, taken, delayed or not taken.",
    ),
    (
        "youth-to-adult-transition",
        "Youth-to-adult transition",
        "The transfer of a young person from youth justice to adult probation services.",
    ),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("reviews", "Theme")
    for position, (slug, name, description) in enumerate(THEMES, start=1):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0007_themes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
