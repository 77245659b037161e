from django.db import migrations

from reviews import defaults


def seed(apps, schema_editor):
    defaults.seed(apps.get_model("reviews", "CoachPolicy"), apps.get_model("reviews", "GlossaryTerm"))
    defaults.seed_standards(apps.get_model("reviews", "StandardSet"), apps.get_model("reviews", "Standard"))


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_full_review")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
