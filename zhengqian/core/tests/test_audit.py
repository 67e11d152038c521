from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from zhengqian.core import audit
from zhengqian.core.actions import jurisdiction_create
from zhengqian.core.models import AuditEvent
from zhengqian.domain.errors import InvalidInput


def tamper(sql: str, params: list[object]) -> None:
    """Change the table behind the application's back, as an intruder with DB access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch user triggers off for the session; the app role cannot.
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def run_verify() -> tuple[int, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), err.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def chain(district):
    return list(AuditEvent.objects.order_by("seq"))


def test_every_action_writes_one_chained_event(chain):
    assert len(chain) == 7  # district + 2 × (township, village, group)
    assert chain[0].prev_hash == audit.GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1
    assert {e.action for e in chain} == {"jurisdiction.create"}


def test_intact_chain_verifies_with_count(chain):
    code, output = run_verify()
    assert code == 0
    assert output.strip() == "OK 7 events"


def test_edited_event_is_named(chain):
    victim = chain[3]
    tamper("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["篡改", victim.pk])
    code, output = run_verify()
    assert code == 1
    assert f"id={victim.pk}" in output
    assert "内容哈希不符" in output


def test_deleted_event_breaks_the_next_one(chain):
    tamper("DELETE FROM core_auditevent WHERE id = %s", [chain[2].pk])
    code, output = run_verify()
    assert code == 1
    assert f"id={chain[3].pk}" in output


def test_inserted_event_is_detected_even_with_a_valid_own_hash(chain):
    forged = AuditEvent(
        seq=chain[-1].seq + 1,
        at=chain[-1].at,
        actor=None,
        actor_label="intruder",
        action="project.delete",
        prev_hash=chain[1].hash,
        reason="",
        before=None,
        after=None,
    )
    forged.hash = audit.content_hash(forged)
    tamper(
        "INSERT INTO core_auditevent (seq, at, actor_label, action, object_type, object_id, object_label, "
        "jurisdiction_path, reason, prev_hash, hash) VALUES (%s, %s, %s, %s, '', '', '', '', '', %s, %s)",
        [forged.seq, forged.at, forged.actor_label, forged.action, forged.prev_hash, forged.hash],
    )
    code, output = run_verify()
    assert code == 1
    assert "前序哈希不符" in output


def test_failed_action_writes_no_event(chain):
    with pytest.raises(InvalidInput):
        jurisdiction_create(actor=None, code="500113110", name="重复", parent=None)
    assert AuditEvent.objects.count() == 7


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside transaction"):
        audit.record(actor=None, action="x")
    assert AuditEvent.objects.count() == 0


@pytest.mark.postgres
def test_postgres_trigger_rejects_update_and_delete(chain):
    for sql in ("UPDATE core_auditevent SET reason = 'x'", "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.filter(reason="x").count() == 0
    assert AuditEvent.objects.count() == 7
