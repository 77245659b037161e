from django.db import migrations

from qa import defaults


def seed(apps, schema_editor):
    defaults.seed(apps.get_model("qa", "StandardSet"), apps.get_model("qa", "Standard"))


class Migration(migrations.Migration):
    dependencies = [("qa", "0003_qa_standards")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
