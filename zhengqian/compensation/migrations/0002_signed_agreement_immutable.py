"""Database guards: a signed agreement cannot be changed or deleted, and valuation lines are
append-only (design §4). PostgreSQL gets triggers for both; SQLite gets the UPDATE trigger on
signed agreements (its test flush DELETEs rows, so no DELETE triggers there)."""

from django.db import migrations

from zhengqian.core.dbops import AppendOnly

MESSAGE = "signed agreement is immutable; correct it with a supplementary agreement"

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION compensation_agreement_signed_immutable() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'signed' THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER compensation_agreement_signed_immutable BEFORE UPDATE OR DELETE ON compensation_agreement
FOR EACH ROW EXECUTE FUNCTION compensation_agreement_signed_immutable()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS compensation_agreement_signed_immutable ON compensation_agreement",
    "DROP FUNCTION IF EXISTS compensation_agreement_signed_immutable()",
]
SQLITE = [
    f"""CREATE TRIGGER compensation_agreement_signed_immutable BEFORE UPDATE ON compensation_agreement
FOR EACH ROW WHEN OLD.status = 'signed' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS compensation_agreement_signed_immutable"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_REVERSE if vendor == "postgresql" else SQLITE_REVERSE if vendor == "sqlite" else []:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("compensation", "0001_initial")]

    operations = [
        migrations.RunPython(forwards, backwards),
        AppendOnly("compensation_valuationline"),
    ]
