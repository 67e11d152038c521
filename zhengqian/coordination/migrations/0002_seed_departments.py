"""Seed the departments of yongzhou-linkage 二、三 and banan-2015 (二) with their duties."""

from django.db import migrations


def seed(apps, schema_editor):
    from zhengqian.coordination.departments import seed as seed_duties

    seed_duties(apps.get_model("core", "Department"), apps.get_model("coordination", "DepartmentDuty"))


class Migration(migrations.Migration):
    dependencies = [("coordination", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
