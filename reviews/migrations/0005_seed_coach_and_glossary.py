from django.db import migrations

from reviews import defaults


def seed(apps, schema_editor):
    defaults.seed(apps.get_model("reviews", "CoachPolicy"), apps.get_model("reviews", "GlossaryTerm"))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_full_review")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
