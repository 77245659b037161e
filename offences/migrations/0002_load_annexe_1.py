"""Load the Annexe 1 catalogue, so that every database has the qualifying offences."""

from django.db import migrations


def load_annexe_1(apps, schema_editor):
    from offences.catalogue import load_catalogue

    load_catalogue(apps.get_model("offences", "Offence"))


class Migration(migrations.Migration):
    dependencies = [
        ("offences", "0001_initial"),
    ]

    operations = [
        # Reversing leaves the rows: the table itself goes with 0001.
        migrations.RunPython(load_annexe_1, migrations.RunPython.noop),
    ]
