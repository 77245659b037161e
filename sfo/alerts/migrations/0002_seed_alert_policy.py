"""Seeds the default alert policy (sfo.alerts.defaults)."""

from django.db import migrations

from sfo.alerts import defaults


def seed(apps, schema_editor):
    defaults.seed(apps.get_model("alerts", "AlertPolicy"))


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
