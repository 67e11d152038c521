"""Migration operations that put invariants into the database itself."""

from __future__ import annotations

from typing import Any

from django.db import migrations


class AppendOnly(migrations.operations.base.Operation):
    """Reject UPDATE and DELETE on a table with a PostgreSQL trigger (design §4)."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str) -> None:
        self.table = table

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        for statement in append_only_sql(schema_editor.connection.vendor, self.table):
            schema_editor.execute(statement)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        for statement in drop_append_only_sql(schema_editor.connection.vendor, self.table):
            schema_editor.execute(statement)

    def describe(self) -> str:
        return f"Make {self.table} append-only"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.table], {})


def append_only_sql(vendor: str, table: str) -> list[str]:
    message = f"{table} is append-only"
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
        ]
    # SQLite is the embedded single-user database: test flushes DELETE every table, so the
    # rule is kept by the actions there and checked by `audit_verify`. TRUNCATE is left to
    # the table owner on PostgreSQL for the same reason; production runs as a non-owner role.
    return []


def drop_append_only_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_append_only()",
        ]
    return []
