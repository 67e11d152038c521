from django.db import migrations

from zhengqian.core.dbops import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("procedure", "0001_initial")]

    operations = [AppendOnly("procedure_overdueevent")]
