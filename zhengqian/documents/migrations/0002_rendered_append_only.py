from django.db import migrations

from zhengqian.core.dbops import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [AppendOnly("documents_rendereddocument")]
