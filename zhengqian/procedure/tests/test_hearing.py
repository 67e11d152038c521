"""Hearings: the request window of putian-2014 (三) (5 working days after the notification),
representatives, the hearing record, the coordination opinion and its rejection by at least
2/3 of the representatives (step reopened, with the clause); the national trigger (more than
half of the members object) and the re-announced plan before the approval request."""

from __future__ import annotations

import pytest

from zhengqian.core import clock
from zhengqian.domain.errors import GateClosed
from zhengqian.procedure import actions
from zhengqian.procedure.models import Hearing, ProcedureStep

from .helpers import d, fact, force_done, upload, uploads_for

pytestmark = pytest.mark.django_db


def step(project, code):
    return ProcedureStep.objects.get(project=project, household=None, code=code)


@pytest.fixture
def notified(official_calendar, project_a):
    force_done(project_a, ["pre_announcement", "status_survey", "stability_assessment", "notification"], "2026-01-14")
    return project_a


def test_request_window_is_five_working_days(notified, clerk_a):
    project = notified
    assert step(project, "hearing_request").due_on == d("2026-01-21")
    with clock.frozen("2026-01-22"), pytest.raises(GateClosed) as info:
        actions.hearing_request_record(
            actor=clerk_a,
            project=project,
            requested_on="2026-01-22",
            requested_by="桂花村村委会",
            document=upload("document"),
        )
    assert "期限已于 2026-01-21 届满" in str(info.value) and info.value.clause == "putian-2014 (三)"
    with clock.frozen("2026-01-21"):
        hearing = actions.hearing_request_record(
            actor=clerk_a,
            project=project,
            requested_on="2026-01-21",
            requested_by="桂花村村委会",
            document=upload("document"),
        )
    assert hearing.requested_on is not None and step(project, "hearing_request").status == "done"


def test_opinion_rejected_by_two_thirds_reopens_the_step(notified, office_user, clerk_a):
    project = notified
    force_done(project, ["compensation_plan"], "2026-01-20")
    with clock.frozen("2026-01-26"):
        reps = [
            actions.representative_add(actor=office_user, project=project, name=name, elected_on="2026-01-23")
            for name in ("甲", "乙", "丙")
        ]
        actions.hearing_hold(
            actor=office_user,
            project=project,
            held_on="2026-01-26",
            minutes=upload("minutes"),
            signature_list=upload("signature_list"),
            document=upload("document"),
        )
        actions.opinion_issue(
            actor=office_user,
            project=project,
            issued_on="2026-01-26",
            opinion="提高青苗补偿",
            document=upload("document", content=b"opinion-1"),
        )
        with pytest.raises(GateClosed, match="尚未征求听证代表意见"):
            actions.step_complete(
                actor=office_user,
                project=project,
                code="coordination_opinion",
                done_on="2026-01-26",
                uploads=uploads_for(project, "coordination_opinion"),
            )
        # exactly 2 of 3 disagree: 三分之二以上 includes 2/3 — rejected
        hearing = actions.opinion_vote(
            actor=office_user,
            project=project,
            voted_on="2026-01-26",
            votes={reps[0].pk: "disagree", reps[1].pk: "disagree", reps[2].pk: "agree"},
        )
    assert hearing.opinion_outcome == "rejected"
    reopened = step(project, "coordination_opinion")
    assert reopened.status == "in_progress" and reopened.reopened_count == 1
    assert "继续做好群众工作" in reopened.note and "putian-2014 (三)" in reopened.note
    with clock.frozen("2026-01-28"):
        actions.opinion_issue(
            actor=office_user,
            project=project,
            issued_on="2026-01-28",
            opinion="再提高 10%",
            document=upload("document", content=b"opinion-2"),
        )
        hearing = actions.opinion_vote(
            actor=office_user,
            project=project,
            voted_on="2026-01-28",
            votes={reps[0].pk: "disagree", reps[1].pk: "agree", reps[2].pk: "agree"},
            signature_list=upload("signature_list", content=b"votes-2"),
        )
    assert hearing.opinion_outcome == "accepted" and hearing.opinion_round == 2
    assert step(project, "coordination_opinion").status == "done"


@pytest.mark.parametrize(("objecting", "triggered"), [(10, False), (11, True)])
def test_national_trigger_is_more_than_half(official_calendar, project_b, office_user, objecting, triggered):
    force_done(
        project_b, ["pre_announcement", "status_survey", "stability_assessment", "compensation_plan"], "2026-01-20"
    )
    with clock.frozen("2026-02-10"):
        hearing = actions.plan_objections_record(
            actor=office_user, project=project_b, members=20, objecting=objecting, recorded_on="2026-02-10"
        )
    assert hearing.triggered is triggered
    assert "实施条例 第二十八条" in hearing.trigger_text


def test_triggered_hearing_and_revised_plan_come_before_the_request(
    official_calendar, project_b, office_user, leader, finance
):
    project = project_b
    force_done(
        project,
        [
            "representative_election",
            "pre_announcement",
            "status_survey",
            "stability_assessment",
            "compensation_plan",
            "compensation_registration",
            "agreement",
        ],
        "2026-01-05",
    )
    fact(finance, project, "funds_in_place", on="2026-01-05")
    with clock.frozen("2026-02-10"):
        actions.plan_objections_record(
            actor=office_user, project=project, members=20, objecting=15, recorded_on="2026-02-10"
        )

    def request():
        with clock.frozen("2026-03-02"):
            return actions.step_complete(
                actor=office_user,
                project=project,
                code="approval_request",
                done_on="2026-03-02",
                uploads=uploads_for(project, "approval_request"),
            )

    with pytest.raises(GateClosed, match="须先组织听证") as info:
        request()
    assert info.value.clause == "实施条例 第二十八条"
    with clock.frozen("2026-02-16"):
        actions.representative_add(actor=office_user, project=project, name="代表甲", elected_on="2026-02-12")
        actions.hearing_hold(
            actor=office_user,
            project=project,
            held_on="2026-02-13",
            minutes=upload("minutes"),
            signature_list=upload("signature_list"),
            document=upload("document"),
        )
    with pytest.raises(GateClosed, match="尚未重新公告"):
        request()
    with clock.frozen("2026-02-24"):
        notice = actions.notice_draft(
            actor=office_user,
            project=project,
            kind="compensation_plan",
            issued_on="2026-02-24",
            extra_text="根据听证意见修改",
        )
        actions.notice_publish(
            actor=office_user,
            document=notice,
            published_on="2026-02-24",
            posting_place="村委会",
            photos=[upload("photo")],
        )
    assert str(Hearing.objects.get(project=project).revised_plan_published_on) == "2026-02-24"
    assert request().status == "done"
