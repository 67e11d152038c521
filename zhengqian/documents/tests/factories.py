"""A published story for the document and public tests: an approved standard, a priced
household with an agreement, a published publicity list and a published notice with its
posting photo — all in township A, on 2026-03-02."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhengqian.compensation import actions as compensation
from zhengqian.compensation.tests.factories import approved_standard, priced_household
from zhengqian.core import clock, crypto
from zhengqian.households.tests.factories import village_of
from zhengqian.procedure import actions as procedure
from zhengqian.procedure.tests.helpers import upload


@dataclass
class Story:
    household: Any
    other: Any
    agreement: Any
    publicity: Any
    notice: Any
    head_id: str
    other_id: str


def head_id_number(household: Any) -> str:
    member = household.members.filter(relation="head").first() or household.members.order_by("id").first()
    return crypto.decrypt(member.id_number_encrypted)


def published_story(office: Any, leader: Any, project: Any, township: Any) -> Story:
    with clock.frozen("2026-03-02T10:00:00"):
        approved_standard(office, leader, project)
        household = priced_household(office, project, township, "C-001", head="王建国")
        other = priced_household(office, project, township, "C-002", head="欧阳娜娜")
        for item in (household, other):
            compensation.valuation_run(actor=office, household=item)
        agreement = compensation.agreement_generate(actor=office, household=household)
        publicity = compensation.publicity_create(actor=office, project=project, village=village_of(township))
        publicity = compensation.publicity_publish(actor=office, publicity=publicity, published_on="2026-03-02")
        notice = procedure.notice_draft(actor=office, project=project, kind="pre_announcement", issued_on="2026-03-02")
        notice = procedure.notice_publish(actor=office, document=notice, published_on="2026-03-02",
                                          posting_place="界石镇某村村委会公告栏", photos=[upload("photo")])
    return Story(household, other, agreement, publicity, notice, head_id_number(household), head_id_number(other))
