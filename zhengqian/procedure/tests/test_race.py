"""Concurrency on PostgreSQL (SQLite serialises writers, so these run only there): two clerks
completing the same step at once — one wins, the other is told; document numbers taken at
once stay gap-free."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from zhengqian.core import clock
from zhengqian.core.audit import verify_chain
from zhengqian.domain.errors import DomainError
from zhengqian.procedure import actions
from zhengqian.procedure.models import ProcedureDocument, ProcedureStep, StepEvidence

from .helpers import upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_threads(work, count):
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as error:  # the refusal is the result under test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_clerks_complete_the_same_step_one_wins(official_calendar, project_a, office_user, make_user, district):
    users = [office_user, make_user("office2", "expropriation_office", district)]

    def complete(index):
        return actions.step_complete(
            actor=users[index],
            project=project_a,
            code="pre_announcement",
            done_on="2026-03-02",
            uploads=[
                upload("document", content=f"doc-{index}".encode()),
                upload("photo", content=f"photo-{index}".encode()),
            ],
        )

    with clock.frozen("2026-03-02"):
        results = in_threads(complete, 2)
    winners = [r for r in results if isinstance(r, ProcedureStep)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "不能重复完成" in str(losers[0]) and losers[0].clause == "实施条例 第二十六条"
    step = ProcedureStep.objects.get(project=project_a, household=None, code="pre_announcement")
    assert step.done_by_id == winners[0].done_by_id
    assert StepEvidence.objects.filter(step=step).count() == 2  # only the winner's evidence
    assert verify_chain().intact


def test_document_numbers_are_gap_free_under_concurrency(official_calendar, project_a, office_user):
    def draft(index):
        return actions.notice_draft(
            actor=office_user,
            project=project_a,
            kind="pre_announcement",
            issued_on="2026-03-02",
            extra_text=f"第 {index} 份",
        )

    with clock.frozen("2026-03-02"):
        results = in_threads(draft, 6)
    assert all(isinstance(r, ProcedureDocument) for r in results), results
    assert sorted(ProcedureDocument.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
