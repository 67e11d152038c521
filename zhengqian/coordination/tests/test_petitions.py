"""Petitions (信访工作条例 第三十二条: 60 days, extendable by 30) and support cases handed to the
department that owns them (banan-2015 (二))."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhengqian.coordination import actions_petitions, selectors
from zhengqian.coordination.models import PetitionStatus, TaskSource
from zhengqian.core import clock
from zhengqian.domain.errors import InvalidInput
from zhengqian.procedure.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(clerk_a, project_a, township_a, household_a, frozen_clock):
    return actions_petitions.petition_receive(
        actor=clerk_a,
        project=project_a,
        township=township_a,
        petitioner="周某",
        summary="面积有异议",
        received_on=date(2026, 3, 2),
        household=household_a,
    )


def test_petition_due_assign_extend_answer(petition, office_user, finance_officer, departments):
    assert petition.due_on == date(2026, 5, 1)
    actions_petitions.petition_assign(
        actor=office_user, petition=petition, department=departments["finance"], extend=True
    )
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ASSIGNED and petition.due_on == date(2026, 5, 31) and petition.extended
    assert Notification.objects.filter(user=finance_officer, key__startswith="petition:").count() == 1
    with clock.frozen("2026-06-01T09:00:00"):
        assert list(selectors.petitions_for(user=office_user, overdue_only=True)) == [petition]
        answered = actions_petitions.petition_answer(actor=finance_officer, petition=petition, answer="已答复")
    assert answered.status == PetitionStatus.ANSWERED and answered.answered_on == date(2026, 6, 1)
    with pytest.raises(InvalidInput):
        actions_petitions.petition_answer(actor=finance_officer, petition=petition, answer="again")


def test_petition_validation(clerk_a, clerk_b, project_a, township_a, frozen_clock):
    with pytest.raises(InvalidInput) as error:
        actions_petitions.petition_receive(
            actor=clerk_b,
            project=project_a,
            township=township_a,
            petitioner="x",
            summary="y",
            received_on=date(2026, 3, 1),
        )
    assert error.value.field == "township"
    with pytest.raises(InvalidInput) as error:
        actions_petitions.petition_receive(
            actor=clerk_a,
            project=project_a,
            township=township_a,
            petitioner="x",
            summary="y",
            received_on=date(2026, 3, 3),
        )
    assert error.value.field == "received_on"


def test_other_department_cannot_answer(petition, office_user, finance_officer, departments):
    actions_petitions.petition_assign(actor=office_user, petition=petition, department=departments["natural_resources"])
    with pytest.raises(InvalidInput):
        actions_petitions.petition_answer(actor=finance_officer, petition=petition, answer="x")


def test_petition_pages_scoped(client, petition, clerk_a, clerk_b):
    client.force_login(clerk_a)
    url = reverse("coordination:petition", kwargs={"pk": petition.pk})
    assert "面积有异议" in client.get(url).content.decode()
    response = client.post(url, {"what": "answer", "answer": "", "answered_on": ""})
    assert 'data-field-error="answer"' in response.content.decode()
    client.force_login(clerk_b)
    assert client.get(url).status_code == 404


def test_support_case_becomes_a_task_of_the_owning_department(clerk_a, household_a, departments, frozen_clock):
    case = actions_petitions.support_case_open(actor=clerk_a, household=household_a, kind="school", need="子女转学")
    task = case.task
    assert task.department == departments["education"] and task.source == TaskSource.SUPPORT
    assert task.household == household_a and task.due_on == date(2026, 3, 23)  # 15 working days
    assert task.due_clause == "banan-2015 (二)"
    with pytest.raises(InvalidInput):
        actions_petitions.support_case_open(actor=clerk_a, household=household_a, kind="other", need="x")


def test_support_case_refused_outside_scope(clerk_b, household_a, departments, frozen_clock):
    with pytest.raises(InvalidInput):
        actions_petitions.support_case_open(actor=clerk_b, household=household_a, kind="school", need="x")
