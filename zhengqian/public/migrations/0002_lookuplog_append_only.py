from django.db import migrations

from zhengqian.core.dbops import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]

    operations = [AppendOnly("public_lookuplog")]
