"""Seeds the clock policies of PI 06/2018 and the default thresholds (sfo.clocks.defaults)."""

from django.db import migrations

from sfo.clocks import defaults


def seed(apps, schema_editor):
    defaults.seed(apps.get_model("clocks", "ClockPolicy"), apps.get_model("clocks", "ThresholdPolicy"))


class Migration(migrations.Migration):
    dependencies = [("clocks", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
