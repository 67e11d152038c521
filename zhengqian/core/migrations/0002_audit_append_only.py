from django.db import migrations

from zhengqian.core.dbops import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [AppendOnly("core_auditevent")]
