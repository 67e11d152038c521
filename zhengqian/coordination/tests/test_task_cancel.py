"""Withdrawing a task: only the giver's role, only an open task, always with a reason; a
cancelled task is no longer overdue nor keeps its decision open."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from zhengqian.coordination import actions, selectors
from zhengqian.coordination.models import Task, TaskStatus
from zhengqian.core import clock
from zhengqian.core.models import AuditEvent
from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.domain.errors import InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(office_user, project_a, departments, frozen_clock):
    return actions.task_create(
        actor=office_user,
        project=project_a,
        owner=actions.Owner(department=departments["finance"]),
        title="核对专户余额",
        period_count=5,
        given_on=date(2026, 3, 2),
    )


def test_cancel_needs_a_reason_and_the_role(task, office_user, clerk_a):
    with pytest.raises(InvalidInput) as refused:
        actions.task_cancel(actor=office_user, task=task, reason="  ")
    assert refused.value.field == "reason"
    with pytest.raises(PermissionDeniedError):
        actions.task_cancel(actor=clerk_a, task=task, reason="不再需要")
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and not AuditEvent.objects.filter(action="task.cancel").exists()


def test_cancelled_task_is_not_overdue_and_cannot_be_cancelled_twice(task, office_user):
    with clock.frozen("2026-04-01T09:00:00"):
        assert selectors.overdue_task_count(office_user) == 1
        actions.task_cancel(actor=office_user, task=task, reason="会议决定改由镇街办理")
        assert selectors.overdue_task_count(office_user) == 0
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED and task.cancel_reason == "会议决定改由镇街办理"
    assert AuditEvent.objects.get(action="task.cancel").reason == "会议决定改由镇街办理"
    with pytest.raises(InvalidInput, match="已办结或已撤销"):
        actions.task_cancel(actor=office_user, task=task, reason="再次")


def test_database_refuses_a_cancelled_task_without_reason(task):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(status=TaskStatus.CANCELLED, cancel_reason="")


def test_cancel_through_the_page_and_the_api(client, task, office_user):
    client.force_login(office_user)
    page = client.get(reverse("coordination:task", args=[task.pk])).content.decode()
    assert 'id="task-cancel-form"' in page
    empty = client.post(reverse("coordination:task_cancel", args=[task.pk]), {"reason": ""}, follow=True)
    assert "请填写撤销理由" in empty.content.decode()
    done = client.post(reverse("coordination:task_cancel", args=[task.pk]), {"reason": "重复交办"}, follow=True)
    body = done.content.decode()
    assert "任务已撤销" in body and "撤销理由：重复交办" in body and 'id="task-cancel-form"' not in body
    again = client.post(
        f"/api/v1/coordination/tasks/{task.pk}/cancel", {"reason": "x"}, content_type="application/json"
    )
    assert again.status_code == 400 and again.json()["field"] == "task"
