"""Publicity lists: generated per village from the current valuations, masked for the public,
posted for a period on the official calendar, objections only during it, closed after it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhengqian.core import clock
from zhengqian.core.crypto import mask_name
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households.tests.factories import village_of

from .. import actions
from ..models import PublicityStatus
from .factories import approved_standard, priced_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def publicity(today, office_user, leader, project_a, township_a):
    approved_standard(office_user, leader, project_a)
    for code, head in (("C-001", "王建国"), ("C-002", "欧阳娜娜")):
        household = priced_household(office_user, project_a, township_a, code, head=head)
        actions.valuation_run(actor=office_user, household=household)
    priced_household(office_user, project_a, township_a, "C-003", head="张志强", confirm=False)  # not priced
    return actions.publicity_create(actor=office_user, project=project_a, village=village_of(township_a))


def test_list_from_valuations_with_masked_copies(publicity):
    entries = list(publicity.entries.order_by("household_code"))
    assert [e.household_code for e in entries] == ["C-001", "C-002"]
    assert [e.head_name_masked for e in entries] == ["王**", "欧***"] == [mask_name("王建国"), mask_name("欧阳娜娜")]
    assert all(e.id_number_masked.startswith("500") and "*" in e.id_number_masked for e in entries)
    assert publicity.total == Decimal("826400.00")
    assert entries[0].by_category["land_compensation"] == "135000.00"


def test_publish_computes_the_period(publicity, office_user):
    published = actions.publicity_publish(actor=office_user, publicity=publicity, published_on="2026-03-02")
    assert published.status == PublicityStatus.PUBLISHED
    assert published.ends_on == date(2026, 3, 9) and not published.ends_provisional  # 7 days, a Monday
    assert published.period_rule == "7日" and "putian-2014 (七)" in published.period_clause
    with pytest.raises(GateClosed):
        actions.publicity_publish(actor=office_user, publicity=publicity, published_on="2026-03-02")


def test_objections_during_the_period_and_close(publicity, office_user):
    with pytest.raises(GateClosed):  # not yet published
        actions.publicity_objection_file(actor=office_user, publicity=publicity, filed_on="2026-03-02",
                                         filed_by_name="王建国", content="面积有误")
    actions.publicity_publish(actor=office_user, publicity=publicity, published_on="2026-03-01")
    objection = actions.publicity_objection_file(actor=office_user, publicity=publicity, filed_on="2026-03-02",
                                                 filed_by_name="王建国", content="水井漏计")
    with clock.frozen("2026-03-12T10:00:00"):
        with pytest.raises(InvalidInput) as late:
            actions.publicity_objection_file(actor=office_user, publicity=publicity, filed_on="2026-03-12",
                                             filed_by_name="李四", content="迟到的异议")
        assert late.value.field == "filed_on"
        with pytest.raises(GateClosed):  # an objection is pending
            actions.publicity_close(actor=office_user, publicity=publicity)
        actions.publicity_objection_resolve(actor=office_user, objection=objection, outcome="dismissed",
                                            resolved_on="2026-03-10", resolution="经核实，水井已计入。")
        closed = actions.publicity_close(actor=office_user, publicity=publicity)
    assert closed.status == PublicityStatus.CLOSED and closed.closed_on == date(2026, 3, 12)


def test_close_before_the_end_is_refused(publicity, office_user):
    actions.publicity_publish(actor=office_user, publicity=publicity, published_on="2026-03-02")
    with pytest.raises(GateClosed) as early:
        actions.publicity_close(actor=office_user, publicity=publicity)
    assert "届满" in early.value.message


def test_other_township_cannot_make_a_list(today, office_user, leader, clerk_b, project_a, township_a):
    approved_standard(office_user, leader, project_a)
    with pytest.raises(InvalidInput):
        actions.publicity_create(actor=clerk_b, project=project_a, village=village_of(township_a))
