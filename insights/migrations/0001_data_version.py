"""The data version of the national picture: a sequence that every statement changing a table the
picture counts from moves on, by a statement-level trigger (docs/adr/0014-the-national-picture.md,
"Cached figures"). A trigger sees every change, through a service, a bulk update, the synthetic
dataset's bulk inserts or plain SQL, which model signals would not.

The sequence starts at a random value, so that a database made again (a test run's) never
reuses the versions of the one before, whose figures may still be cached."""

from django.db import migrations

SEQUENCE = "insights_data_version"
FUNCTION = "insights_bump_data_version"
TRIGGER = "insights_data_version"

# Every table `insights.figures.picture` reads, directly or through `qa.turnaround` and
# `victims.take_up`: (app label, model name) and, for a many-to-many table, the field.
COUNTED = [
    ("people", "Organisation", None),
    ("offences", "Offence", None),
    ("reviews", "Case", None),
    ("reviews", "ChargedOffence", None),
    ("reviews", "Review", None),
    ("reviews", "Finding", None),
    ("reviews", "Finding", "themes"),
    ("reviews", "ReviewAction", None),
    ("reviews", "ReviewAction", "themes"),
    ("reviews", "Theme", None),
    ("reviews", "Standard", None),
    ("clocks", "Clock", None),
    ("clocks", "ExtraNonWorkingDay", None),
    ("qa", "QAAssessment", None),
    ("qa", "QAAnswer", None),
    ("qa", "RatingScale", None),
    ("qa", "RatingLevel", None),
    ("victims", "Victim", None),
    ("victims", "EntitlementTask", None),
    ("victims", "ContactAttempt", None),
    ("victims", "DisclosureRequest", None),
    ("victims", "VulnerabilityAssessment", None),
    ("victims", "DisclosureMeeting", None),
]


def _tables(apps) -> list[str]:
    tables = []
    for app_label, model_name, m2m in COUNTED:
        model = apps.get_model(app_label, model_name)
        if m2m:
            model = model._meta.get_field(m2m).remote_field.through
        tables.append(model._meta.db_table)
    return tables


def install(apps, schema_editor):
    quote = schema_editor.quote_name
    schema_editor.execute(f"CREATE SEQUENCE {SEQUENCE}")
    schema_editor.execute(
        f"SELECT setval('{SEQUENCE}', 1 + floor(random() * 1000000000000000)::bigint)"
    )
    schema_editor.execute(
        f"""CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM nextval('{SEQUENCE}');
                RETURN NULL;
            END $$"""
    )
    for table in _tables(apps):
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )


def remove(apps, schema_editor):
    quote = schema_editor.quote_name
    for table in _tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("offences", "0002_load_annexe_1"),
        ("reviews", "0009_redactions_and_staff_responses"),
        ("clocks", "0003_victim_entitlement_clock"),
        ("qa", "0004_seed_rating_scales"),
        ("victims", "0003_tighter_disclosure_gate"),
    ]

    operations = [migrations.RunPython(install, remove)]
