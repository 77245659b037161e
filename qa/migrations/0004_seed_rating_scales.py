from django.db import migrations


def seed(apps, schema_editor):
    from qa.defaults import seed as seed_scales

    seed_scales(
        apps.get_model("qa", "RatingScale"),
        apps.get_model("qa", "RatingLevel"),
        apps.get_model("qa", "ScaleMapping"),
    )


class Migration(migrations.Migration):
    dependencies = [("qa", "0003_central_and_independent_qa")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
