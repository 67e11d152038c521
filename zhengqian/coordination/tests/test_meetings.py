"""Joint meeting → decisions → tasks → overdue (yongzhou-linkage 四(一)(四)): due dates from the
work calendar, the overdue list and the link on the procedure board, the scan's notifications,
the next meeting's agenda, the department's page, completion with evidence, scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhengqian.coordination import actions, selectors
from zhengqian.coordination.actions_petitions import coordination_scan
from zhengqian.coordination.models import Task, TaskSource, TaskStatus
from zhengqian.core import clock
from zhengqian.core.models import AuditEvent
from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.domain.errors import InvalidInput
from zhengqian.procedure.models import Notification

from .helpers import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(office_user, departments, frozen_clock):
    return actions.meeting_record(
        actor=office_user,
        title="三月调度",
        held_on=date(2026, 3, 2),
        departments=[departments["finance"], departments["public_security"]],
    )


@pytest.fixture
def decision(office_user, meeting, project_a, township_a, departments):
    return actions.decision_record(
        actor=office_user,
        meeting=meeting,
        text="落实补偿资金",
        project=project_a,
        owners=[actions.Owner(department=departments["finance"]), actions.Owner(township=township_a)],
        period_count=10,
    )


def test_decision_becomes_one_task_per_owner_due_on_the_work_calendar(decision, departments, township_a):
    tasks = list(decision.tasks.order_by("id"))
    assert [t.department or t.township for t in tasks] == [departments["finance"], township_a]
    for task in tasks:
        assert task.source == TaskSource.DECISION and task.status == TaskStatus.OPEN
        assert task.given_on == date(2026, 3, 2)
        assert task.due_on == date(2026, 3, 16)  # 10 working days after Monday 2 March
        assert task.due_clause == "yongzhou-linkage 四(一)"
    assert AuditEvent.objects.filter(action="task.create").count() == 2
    assert AuditEvent.objects.filter(action="decision.record").count() == 1


def test_overdue_after_due_date_then_scan_notifies_once(decision, office_user, finance_officer, clerk_a):
    with clock.frozen("2026-03-16T18:00:00"):
        assert selectors.overdue_task_count(office_user) == 0
        assert coordination_scan() == (0, 0)
    with clock.frozen("2026-03-17T09:00:00"):
        assert selectors.overdue_task_count(office_user) == 2
        assert [t.pk for t in selectors.tasks_for(user=office_user, overdue_only=True)] == sorted(
            decision.tasks.values_list("pk", flat=True)
        )
        assert coordination_scan() == (2, 0)
        assert coordination_scan() == (0, 0)
    fin_notes = Notification.objects.filter(user=finance_officer)
    assert fin_notes.count() == 1 and "任务逾期" in fin_notes.get().title
    # the township clerk hears of the township's task only; the office of both
    assert Notification.objects.filter(user=clerk_a).count() == 1
    assert Notification.objects.filter(user=office_user).count() == 2


def test_overdue_tasks_on_procedure_board_and_task_list(client, decision, office_user):
    client.force_login(office_user)
    with clock.frozen("2026-03-17T09:00:00"):
        board = client.get(reverse("procedure:board")).content.decode()
        assert 'data-clock="督办任务"' in board
        task_line = board[board.index('data-clock="督办任务"'):].split("</li>")[0]
        assert 'data-clock-overdue="2"' in task_line and "yongzhou-linkage 四(四)" in task_line
        listing = client.get(reverse("coordination:tasks") + "?overdue=1").content.decode()
    assert listing.count('data-overdue="yes"') == 2


def test_next_meeting_agenda_starts_with_open_decisions(client, decision, office_user, departments):
    client.force_login(office_user)
    with clock.frozen("2026-04-01T09:00:00"):
        form = client.get(reverse("coordination:meeting_create")).content.decode()
        assert "督办：2026-03-02会议决议1（P-A-1）落实补偿资金" in form
        for task in decision.tasks.all():
            actions.task_complete(actor=office_user, task=task, note="已办结", evidence=PDF)
        assert selectors.open_decisions(user=office_user) == []
        assert "督办：" not in client.get(reverse("coordination:meeting_create")).content.decode()


def test_department_page_shows_open_tasks_across_projects(
    client, office_user, departments, project_a, project_b, frozen_clock
):
    finance = departments["finance"]
    for project in (project_a, project_b):
        actions.task_create(
            actor=office_user, project=project, owner=actions.Owner(department=finance), title=f"拨付{project.code}"
        )
    client.force_login(office_user)
    page = client.get(reverse("coordination:department", kwargs={"pk": finance.pk})).content.decode()
    assert "拨付P-A-1" in page and "拨付P-B-1" in page
    assert "负责落实征地拆迁补偿安置经费" in page  # the duty of yongzhou-linkage 三(八)


def test_department_page_is_scoped_for_a_township_user(
    client, clerk_b, office_user, departments, project_a, frozen_clock
):
    actions.task_create(
        actor=office_user, project=project_a, owner=actions.Owner(department=departments["finance"]), title="甲镇任务"
    )
    client.force_login(clerk_b)
    page = client.get(reverse("coordination:department", kwargs={"pk": departments["finance"].pk}))
    assert page.status_code == 200 and "甲镇任务" not in page.content.decode()


def test_complete_requires_owner_note_and_evidence(decision, finance_officer, clerk_b, office_user, frozen_clock):
    task = decision.tasks.get(department__isnull=False)
    township_task = decision.tasks.get(township__isnull=False)
    with pytest.raises(InvalidInput):
        actions.task_complete(actor=finance_officer, task=township_task, note="x", evidence=PDF)
    with pytest.raises(InvalidInput) as error:
        actions.task_complete(actor=finance_officer, task=task, note=" ", evidence=PDF)
    assert error.value.field == "note"
    with pytest.raises(InvalidInput):
        actions.task_complete(actor=finance_officer, task=task, note="已办", evidence=actions.Upload(b"", "empty.pdf"))
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN
    done = actions.task_complete(actor=finance_officer, task=task, note="资金已到位", evidence=PDF)
    assert done.status == TaskStatus.DONE and done.evidence is not None and done.completed_on == date(2026, 3, 2)
    with pytest.raises(InvalidInput):
        actions.task_complete(actor=finance_officer, task=task, note="again", evidence=PDF)


def test_only_office_records_meetings(clerk_a, finance_officer, departments, frozen_clock):
    with pytest.raises(PermissionDeniedError):
        actions.meeting_record(actor=clerk_a, title="x", held_on=date(2026, 3, 2))
    with pytest.raises(PermissionDeniedError):
        actions.meeting_record(actor=finance_officer, title="x", held_on=date(2026, 3, 2))


def test_decision_refuses_a_township_outside_the_project(office_user, meeting, project_a, township_b):
    with pytest.raises(InvalidInput) as error:
        actions.decision_record(
            actor=office_user, meeting=meeting, text="x", project=project_a, owners=[actions.Owner(township=township_b)]
        )
    assert error.value.field == "owners"
    assert not Task.objects.exists()


def test_meeting_page_records_a_decision(client, office_user, meeting, project_a, departments, township_a):
    client.force_login(office_user)
    url = reverse("coordination:meeting", kwargs={"pk": meeting.pk})
    with clock.frozen("2026-03-03T10:00:00"):
        response = client.post(
            url,
            {
                "text": "核实户籍",
                "project": project_a.pk,
                "owners": [f"d{departments['public_security'].pk}", f"t{township_a.pk}"],
                "period_count": "5",
                "period_unit": "working_days",
            },
        )
        assert response.status_code == 302
        page = client.get(url).content.decode()
    assert "核实户籍" in page and page.count("2026-03-09 前办结") == 2
    bad = client.post(url, {"text": "", "project": project_a.pk, "owners": [], "period_count": "x"})
    body = bad.content.decode()
    assert bad.status_code == 200
    assert 'data-field-error="text"' in body and 'data-field-error="period_count"' in body


def test_task_list_query_count(client, django_assert_max_num_queries, decision, office_user):
    client.force_login(office_user)
    with django_assert_max_num_queries(20):
        client.get(reverse("coordination:tasks"))
