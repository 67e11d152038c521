"""Social-security enrolment lists (putian-2014 (十六))."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households.tests.factories import village_of

from .. import actions, actions_social
from ..models import EnrolmentStatus
from .factories import family, member, scheme

TODAY = date(2026, 3, 2)


@pytest.fixture
def village_list(frozen_clock, office_user, project_a, township_a):
    scheme(office_user, project_a)
    household = family(office_user, project_a, township_a, "SS-1", persons=2)  # born 1970 and 1980
    member(office_user, household, "小孩", date(2018, 1, 1), relation="grandchild", sex="male")
    actions.persons_determine(actor=office_user, household=household)
    listing = actions_social.enrolment_list_create(
        actor=office_user,
        project=project_a,
        village=village_of(township_a),
        contribution="30000",
        share_government="60",
        share_collective="30",
        share_person="10",
    )
    return listing


def test_minors_are_not_enrolled_and_the_split_adds_up(village_list):
    entries = list(village_list.entries.all())
    assert len(entries) == 2  # the child (8) is not of working age
    assert {(e.government, e.collective, e.person) for e in entries} == {
        (Decimal("18000.00"), Decimal("9000.00"), Decimal("3000.00"))
    }


def test_review_then_publish(village_list, office_user, make_user, district):
    with pytest.raises(GateClosed):
        actions_social.enrolment_list_publish(actor=office_user, enrolment_list=village_list, published_on=TODAY)
    reviewer = make_user("hr", "department_officer", district)
    actions_social.enrolment_list_review(actor=reviewer, enrolment_list=village_list, reviewed_on=TODAY)
    published = actions_social.enrolment_list_publish(
        actor=office_user, enrolment_list=village_list, published_on=TODAY
    )
    assert published.status == EnrolmentStatus.PUBLISHED


def test_shares_must_sum_to_100(frozen_clock, office_user, project_a, township_a):
    with pytest.raises(InvalidInput):
        actions_social.enrolment_list_create(
            actor=office_user,
            project=project_a,
            village=village_of(township_a),
            contribution="100",
            share_government="50",
            share_collective="30",
            share_person="10",
        )


def test_export_is_masked(village_list):
    content = actions_social.enrolment_export(village_list)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "序号" and len(rows) == 3
    assert "*" in rows[1][3]
