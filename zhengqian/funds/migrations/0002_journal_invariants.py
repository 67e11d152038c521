"""The journal's invariants in the database (design §4; banan-2015 (五)).

PostgreSQL: journal entries and postings are append-only (UPDATE/DELETE raise), and a
DEFERRABLE INITIALLY DEFERRED constraint trigger refuses, at commit, an entry whose postings
are fewer than two or do not sum to zero — fired by each posting and by the entry itself, so
an entry left without postings is refused too. SQLite has no deferred triggers: there the
action reads the postings back before commit (journal.check_balanced) and tests cover it.
"""

from django.db import migrations

from zhengqian.core.dbops import AppendOnly

BALANCED = """CREATE OR REPLACE FUNCTION funds_entry_balanced() RETURNS trigger AS $$
DECLARE
  target bigint;
  total numeric;
  lines integer;
BEGIN
  IF TG_TABLE_NAME = 'funds_posting' THEN target := NEW.entry_id; ELSE target := NEW.id; END IF;
  SELECT COALESCE(SUM(amount), 0), COUNT(*) INTO total, lines FROM funds_posting WHERE entry_id = target;
  IF lines < 2 OR total <> 0 THEN
    RAISE EXCEPTION 'journal entry %% is unbalanced: %% postings summing to %%', target, lines, total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql"""

POSTGRES = [
    BALANCED,
    """CREATE CONSTRAINT TRIGGER funds_posting_balanced AFTER INSERT ON funds_posting
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funds_entry_balanced()""",
    """CREATE CONSTRAINT TRIGGER funds_entry_balanced AFTER INSERT ON funds_journalentry
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION funds_entry_balanced()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS funds_posting_balanced ON funds_posting",
    "DROP TRIGGER IF EXISTS funds_entry_balanced ON funds_journalentry",
    "DROP FUNCTION IF EXISTS funds_entry_balanced()",
]


# schema_editor.execute passes parameters, so a literal % is written %%.


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [
        migrations.RunPython(forwards, backwards),
        AppendOnly("funds_journalentry"),
        AppendOnly("funds_posting"),
    ]
