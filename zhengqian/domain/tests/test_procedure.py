"""The procedure engine on the real 2024–2026 official calendar (chinese_calendar, as in
test_calendar.py): project walk-throughs under putian-2014 and yongzhou-linkage, every gate
refusing when it should, quorums, the forced-vacate chain and late registration."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengqian.domain.calendar import OfficialDay, WorkCalendar
from zhengqian.domain.errors import DomainError, GateClosed, InvalidInput, PolicyError
from zhengqian.domain.policy import FACTS, PolicyPack, load_pack
from zhengqian.domain.procedure import (
    CLAUSE_INCLUSIVE,
    StepRecord,
    StepState,
    StepStatus,
    assembly_quorum,
    chain_schedule,
    check_complete,
    check_waive,
    evaluate,
    facts_from_records,
    hearing_rejection,
    hearing_trigger,
    late_registration,
    late_registration_explanation,
    late_registration_outcome,
)

LOADED = range(2024, 2027)


def official_days(years: range) -> list[OfficialDay]:
    """The days that differ from a plain Mon–Fri week, as an administrator would enter them."""
    days = []
    day = date(years.start, 1, 1)
    while day.year < years.stop:
        weekday = day.weekday() < 5
        _, name = chinese_calendar.get_holiday_detail(day)
        if weekday and chinese_calendar.is_holiday(day):
            days.append(OfficialDay(day, "holiday", name or ""))
        elif not weekday and chinese_calendar.is_workday(day):
            days.append(OfficialDay(day, "workday", name or ""))
        day += timedelta(days=1)
    return days


CAL = WorkCalendar(days=official_days(LOADED), loaded_years=LOADED)
# Only 2024 loaded: anything reaching into 2025 is provisional (暂定).
CAL_2024 = WorkCalendar(days=official_days(range(2024, 2025)), loaded_years=[2024])

PUTIAN = load_pack("putian-2014")
YONGZHOU = load_pack("yongzhou-linkage")
BANAN = load_pack("banan-2015")
NATIONAL = load_pack("national-2019")

ALL_FACTS = dict.fromkeys(FACTS, True)


def d(text: str) -> date:
    return date.fromisoformat(text)


def done(code: str, on: str) -> StepRecord:
    return StepRecord(code, done_on=d(on))


def records_of(*items: StepRecord) -> dict[str, StepRecord]:
    return {item.code: item for item in items}


def by_code(statuses: tuple[StepStatus, ...]) -> dict[str, StepStatus]:
    return {status.code: status for status in statuses}


def evidence(pack: PolicyPack, code: str) -> set[str]:
    return set(pack.step(code).evidence)


class Walk:
    """Drives one project (or household) through its pack, refusing what the engine refuses."""

    def __init__(self, pack: PolicyPack, calendar: WorkCalendar = CAL, facts: Mapping[str, bool] | None = None):
        self.pack = pack
        self.calendar = calendar
        self.records: dict[str, StepRecord] = {}
        self.facts = dict(facts if facts is not None else ALL_FACTS)

    def status(self, code: str, today: str) -> StepStatus:
        scope = self.pack.step(code).scope
        return by_code(evaluate(self.pack, self.calendar, self.records, self.facts, d(today), scope))[code]

    def check(self, code: str, on: str, today: str | None = None, kinds: set[str] | None = None) -> None:
        check_complete(
            self.pack,
            self.calendar,
            self.records,
            self.facts,
            code,
            d(on),
            d(today or on),
            evidence(self.pack, code) if kinds is None else kinds,
        )

    def complete(self, code: str, on: str) -> None:
        status = self.status(code, on)
        assert status.can_complete, status.reasons
        self.check(code, on)
        self.records[code] = done(code, on)


# --- putian-2014: a project from pre-announcement to archiving ---------------------------

PUTIAN_WALK = [
    ("pre_announcement", "2024-03-01"),
    ("status_survey", "2024-03-11"),
    ("stability_assessment", "2024-03-12"),
    ("notification", "2024-03-15"),
    ("villager_assembly", "2024-03-20"),
    ("compensation_plan", "2024-03-25"),
    ("compensation_registration", "2024-04-01"),
    ("agreement", "2024-04-15"),
    ("approval_request", "2024-04-25"),
    ("approval", "2024-09-26"),
    ("expropriation_announcement", "2024-10-10"),
    ("registration_review", "2024-10-25"),
    ("payment_in_full", "2024-12-20"),
    ("land_handover", "2024-12-24"),
    ("social_security_list", "2025-01-06"),
    ("archiving", "2025-01-10"),
]


def walk_until(pack: PolicyPack, steps: list[tuple[str, str]], stop: str, **kwargs: object) -> Walk:
    walk = Walk(pack, **kwargs)  # type: ignore[arg-type]
    for code, on in steps:
        if code == stop:
            break
        walk.complete(code, on)
    return walk


def test_putian_walk_through() -> None:
    walk = Walk(PUTIAN)
    for code, on in PUTIAN_WALK:
        walk.complete(code, on)
    check_waive(PUTIAN, walk.records, "hearing", "无人申请听证")
    walk.records["hearing"] = StepRecord("hearing", waived=True, waive_reason="无人申请听证")
    statuses = by_code(evaluate(PUTIAN, CAL, walk.records, walk.facts, d("2025-01-10")))
    for status in statuses.values():
        if status.step.optional:
            assert status.state in (StepState.WAIVED, StepState.NOT_STARTED), status.code
        else:
            assert status.state is StepState.DONE, status.code
            assert not status.can_complete
    assert statuses["hearing"].state.label == "已豁免"
    assert statuses["archiving"].state.label == "已完成"
    # The hearing-request window (5 working days from notification on Fri 15 Mar) closed on
    # Fri 22 Mar; the optional step is not "overdue", the right has lapsed (putian-2014 (三)).
    request = statuses["hearing_request"]
    assert request.state is StepState.NOT_STARTED
    assert request.due is not None and request.due.due == d("2024-03-22")
    assert not request.can_complete
    assert any("2024-03-22 届满" in reason and "putian-2014 (三)" in reason for reason in request.reasons)
    # Deadlines shown on done steps, with their clauses.
    assert statuses["expropriation_announcement"].due is not None
    assert statuses["expropriation_announcement"].due.due == d("2024-10-15")
    assert statuses["expropriation_announcement"].due.clause == "putian-2014 (四)"
    # Registration review Fri 25 Oct 2024 + 3 months = Sat 25 Jan 2025 → Sun 26 Jan, a make-up
    # workday before the Spring Festival (putian-2014 (七)).
    payment = statuses["payment_in_full"].due
    assert payment is not None and payment.due == d("2025-01-26") and not payment.provisional
    # Full payment Fri 20 Dec + 5 days = Wed 25 Dec (putian-2014 (八)).
    handover = statuses["land_handover"].due
    assert handover is not None and handover.due == d("2024-12-25") and handover.clause == "putian-2014 (八)"


def test_putian_statuses_along_the_way() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "expropriation_announcement")
    on_time = walk.status("expropriation_announcement", "2024-10-14")
    assert on_time.state is StepState.NOT_STARTED
    assert on_time.due is not None and on_time.due.due == d("2024-10-15")
    assert on_time.days_left == 1
    assert on_time.can_complete
    assert any("尚余 1 日" in reason and "putian-2014 (四)" in reason for reason in on_time.reasons)
    late = walk.status("expropriation_announcement", "2024-10-18")
    assert late.state is StepState.OVERDUE and late.state.label == "已逾期"
    assert late.days_left == -3
    assert late.can_complete  # late is still lawful, and better than never
    assert any("已逾期 3 日" in reason for reason in late.reasons)
    # A step that has started but is not done is in progress.
    walk.records["expropriation_announcement"] = StepRecord("expropriation_announcement", started_on=d("2024-10-08"))
    assert walk.status("expropriation_announcement", "2024-10-09").state is StepState.IN_PROGRESS
    # A late completion is recorded as such.
    walk.records["expropriation_announcement"] = done("expropriation_announcement", "2024-10-16")
    status = walk.status("expropriation_announcement", "2024-10-20")
    assert status.state is StepState.DONE
    assert any(reason.startswith("逾期完成") for reason in status.reasons)


def test_overdue_is_never_concluded_on_a_provisional_date() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "payment_in_full", calendar=CAL_2024)
    status = walk.status("payment_in_full", "2025-02-10")
    assert status.due is not None and status.due.provisional and status.provisional
    assert status.due.due == d("2025-01-27")  # weekends only: Sat 25 Jan → Mon 27 Jan
    assert status.state is StepState.NOT_STARTED
    assert any("暂定" in reason for reason in status.reasons)
    # On the loaded calendar the same date is overdue.
    walk.calendar = CAL
    assert walk.status("payment_in_full", "2025-02-10").state is StepState.OVERDUE


def test_yongzhou_walk_through_project_and_household() -> None:
    walk = Walk(YONGZHOU)
    steps = [
        ("pre_announcement", "2024-03-01"),
        ("status_survey", "2024-03-11"),
        ("stability_assessment", "2024-03-12"),
        ("compensation_plan", "2024-03-25"),
        ("compensation_registration", "2024-04-01"),
        ("agreement", "2024-04-15"),
        ("approval_request", "2024-04-25"),
        ("approval", "2024-05-20"),
    ]
    for code, on in steps:
        walk.complete(code, on)
    # 15 working days from Mon 20 May 2024: May 21–24 (4), May 27–31 (9), Jun 3–7 (14),
    # Mon 10 Jun is the Dragon Boat Festival, Tue 11 Jun is the 15th (实施条例 第三十一条).
    announcement = walk.status("expropriation_announcement", "2024-05-21")
    assert announcement.due is not None
    assert announcement.due.due == d("2024-06-11")
    assert announcement.due.clause == "实施条例 第三十一条"
    walk.complete("expropriation_announcement", "2024-06-03")
    # 3 months after the agreement (yongzhou-linkage 五(一)4): Mon 15 Jul 2024.
    payment = walk.status("payment_in_full", "2024-06-03")
    assert payment.due is not None and payment.due.due == d("2024-07-15")
    assert payment.due.clause == "yongzhou-linkage 五(一)4"
    walk.facts["funds_in_special_account"] = False
    refused = walk.status("payment_in_full", "2024-07-10")
    assert not refused.can_complete
    assert [gate.code for gate in refused.blocking_gates] == ["payment_from_special_account"]
    with pytest.raises(GateClosed) as caught:
        walk.check("payment_in_full", "2024-07-10")
    assert str(caught.value) == "不能支付：项目征收补偿资金尚未足额缴存到征地拆迁专户（yongzhou-linkage 三(十五)）"
    walk.facts["funds_in_special_account"] = True
    walk.complete("payment_in_full", "2024-07-10")
    walk.complete("land_handover", "2024-07-22")
    project = by_code(evaluate(YONGZHOU, CAL, walk.records, walk.facts, d("2024-07-22")))
    assert all(s.state is StepState.DONE for s in project.values() if not s.step.optional)

    # One household, on top of the project's records.
    household = [
        ("surveyed", "2024-03-08"),
        ("registered", "2024-03-28"),
        ("agreement_signed", "2024-04-10"),
    ]
    for code, on in household:
        walk.complete(code, on)
    paid = walk.status("paid", "2024-04-10")
    assert paid.due is not None and paid.due.due == d("2024-07-10")  # Wed, 五(一)4
    walk.facts["paid_in_full"] = False
    walk.complete("paid", "2024-07-05")
    with pytest.raises(GateClosed) as caught:
        walk.check("handed_over", "2024-07-08")
    assert caught.value.clause == "土地管理法 第四十八条"
    assert caught.value.message == "不能要求搬迁交地：补偿费用尚未足额支付"
    walk.facts["paid_in_full"] = True
    walk.complete("handed_over", "2024-07-08")
    walk.complete("resettled", "2024-07-09")
    statuses = evaluate(YONGZHOU, CAL, walk.records, walk.facts, d("2024-07-09"), "household")
    assert all(s.state is StepState.DONE for s in statuses)


# --- gates -------------------------------------------------------------------------------


def test_announcement_before_approval_is_refused() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "approval")
    with pytest.raises(GateClosed) as caught:
        walk.check("expropriation_announcement", "2024-09-20")
    assert str(caught.value) == "不能发布征收土地公告：征地尚未批准（putian-2014 (四)）"
    status = walk.status("expropriation_announcement", "2024-09-20")
    assert [gate.code for gate in status.blocking_gates] == ["announcement_after_approval"]
    assert [step.code for step in status.missing_requires] == ["approval"]
    assert status.reasons[0] == "不能发布征收土地公告：征地尚未批准（putian-2014 (四)）"


def test_land_handover_before_paid_in_full_is_refused() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "land_handover")
    walk.facts["paid_in_full"] = False
    with pytest.raises(GateClosed) as caught:
        walk.check("land_handover", "2024-12-24")
    assert str(caught.value) == "不能交付使用土地：征地补偿费用尚未足额支付到位（putian-2014 (七)）"
    walk.facts["paid_in_full"] = True
    walk.check("land_handover", "2024-12-24")


def test_approval_request_before_social_security_review_is_refused() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "approval_request")
    walk.facts["social_security_funds_reviewed"] = False
    with pytest.raises(GateClosed) as caught:
        walk.check("approval_request", "2024-04-25")
    assert caught.value.clause == "putian-2014 (十五)"
    assert "人力资源和社会保障部门审核" in caught.value.message
    walk.facts["social_security_funds_reviewed"] = True
    walk.check("approval_request", "2024-04-25")


def test_approval_request_before_notification_is_refused() -> None:
    walk = Walk(PUTIAN)
    for code, on in PUTIAN_WALK[:8]:
        if code not in ("notification", "villager_assembly"):
            walk.records[code] = done(code, on)
    with pytest.raises(GateClosed) as caught:
        walk.check("approval_request", "2024-04-25")
    assert str(caught.value) == "不能报批：尚未以书面形式完成征地告知（putian-2014 (一)）"


def test_approval_gates_on_funds_and_social_security() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "approval")
    walk.facts["social_security_funds_in_place"] = False
    with pytest.raises(GateClosed) as caught:
        walk.check("approval", "2024-09-26")
    assert caught.value.clause == "实施条例 第三十二条"


@pytest.mark.parametrize(
    ("facts", "clause", "message"),
    [
        ({"pre_funding_in_place": False}, "banan-2015 五", "不能先行清理：征地拆迁前置资金尚未足额到位"),
        ({"pre_clearance_approved": False}, "banan-2015 三", "不能先行清理：尚未经区政府集体研究审批"),
        ({"pledge_signed": False}, "banan-2015 三", "不能先行清理：分管区领导和平台公司尚未作出书面承诺"),
    ],
)
def test_banan_pre_clearance_gates(facts: dict[str, bool], clause: str, message: str) -> None:
    all_facts = {**ALL_FACTS, **facts}
    with pytest.raises(GateClosed) as caught:
        check_complete(
            BANAN, CAL, {}, all_facts, "pre_clearance", d("2024-05-06"), d("2024-05-06"), {"document", "minutes"}
        )
    assert (caught.value.clause, caught.value.message) == (clause, message)


def test_banan_pre_clearance_needs_both_approval_and_pledge() -> None:
    facts = {"pre_funding_in_place": True}
    (status,) = (s for s in evaluate(BANAN, CAL, {}, facts, d("2024-05-06")) if s.code == "pre_clearance")
    assert {gate.code for gate in status.blocking_gates} == {
        "pre_clearance_district_approval",
        "pre_clearance_pledge",
    }
    assert not status.can_complete
    facts |= {"pre_clearance_approved": True, "pledge_signed": True}
    check_complete(BANAN, CAL, {}, facts, "pre_clearance", d("2024-05-06"), d("2024-05-06"), {"document", "minutes"})


def test_banan_representatives_before_survey() -> None:
    records = records_of(done("pre_announcement", "2024-03-01"))
    with pytest.raises(GateClosed) as caught:
        check_complete(
            BANAN,
            CAL,
            records,
            ALL_FACTS,
            "status_survey",
            d("2024-03-11"),
            d("2024-03-11"),
            {"document", "photo", "map"},
        )
    assert caught.value.clause == "banan-2015 三"


# --- other refusals ----------------------------------------------------------------------


def test_minimum_periods_must_have_run() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "approval_request")
    # Plan announced Mon 25 Mar 2024; 30 days end Wed 24 Apr (实施条例 第二十八条).
    with pytest.raises(GateClosed) as caught:
        walk.check("approval_request", "2024-04-24")
    assert caught.value.clause == "实施条例 第二十八条"
    assert "须在 2024-04-24 之后" in caught.value.message
    status = walk.status("approval_request", "2024-04-24")
    assert status.not_before is not None and status.not_before.due == d("2024-04-24")
    assert not status.can_complete
    assert walk.status("approval_request", "2024-04-25").can_complete


def test_pre_announcement_period_is_ten_working_days() -> None:
    walk = Walk(PUTIAN)
    for code, on in PUTIAN_WALK[:8]:
        walk.records[code] = done(code, on)
    walk.records["pre_announcement"] = done("pre_announcement", "2024-03-29")
    walk.records["compensation_plan"] = done("compensation_plan", "2024-03-01")
    # Fri 29 Mar + 10 working days: Apr 1–3 (3), Apr 4–6 Qingming off, Sun Apr 7 worked (4),
    # Apr 8–12 (9), Apr 15 (10) (实施条例 第二十六条).
    status = walk.status("approval_request", "2024-04-15")
    assert status.not_before is not None and status.not_before.due == d("2024-04-15")
    with pytest.raises(GateClosed, match="须在 2024-04-15 之后"):
        walk.check("approval_request", "2024-04-15")
    walk.check("approval_request", "2024-04-16")


def test_a_waiting_period_ending_on_a_provisional_date_has_not_run() -> None:
    walk = Walk(YONGZHOU, calendar=CAL_2024)
    walk.records = records_of(
        done("expropriation_announcement", "2024-12-02"), done("compensation_notice", "2024-12-25")
    )
    with pytest.raises(GateClosed) as caught:
        walk.check("compensation_decision", "2025-01-10")
    assert "暂定" in caught.value.message and "2025年" in caught.value.message
    assert caught.value.clause == "yongzhou-linkage 五(一)5"


def test_completing_twice_is_refused() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "status_survey")
    with pytest.raises(InvalidInput) as caught:
        walk.check("pre_announcement", "2024-03-05")
    assert "不能重复完成" in caught.value.message
    assert caught.value.clause == "实施条例 第二十六条"


def test_completing_in_the_future_is_refused() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "status_survey")
    with pytest.raises(InvalidInput) as caught:
        walk.check("status_survey", "2024-03-12", today="2024-03-11")
    assert caught.value.field == "done_on" and caught.value.clause == "实施条例 第二十六条"


def test_completing_before_the_anchor_is_refused() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "status_survey")
    with pytest.raises(InvalidInput) as caught:
        walk.check("status_survey", "2024-02-28", today="2024-03-11")
    assert "早于「发布征收土地预公告」的完成日期 2024-03-01" in caught.value.message
    # The same day is allowed (putian-2014 (六): plan together with the announcement).
    walk.check("status_survey", "2024-03-01", today="2024-03-11")


def test_completing_before_a_deadline_anchor_is_refused() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "payment_in_full")
    walk.records["land_handover"] = StepRecord("land_handover")
    # payment_in_full's anchor registration_review (25 Oct) is not among its requires.
    with pytest.raises(InvalidInput) as caught:
        walk.check("payment_in_full", "2024-10-20", today="2024-12-20")
    assert caught.value.clause == "putian-2014 (七)"


def test_completing_without_evidence_is_refused() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "villager_assembly")
    with pytest.raises(InvalidInput) as caught:
        walk.check("villager_assembly", "2024-03-20", kinds={"minutes", "photo"})
    assert caught.value.message == "「村民代表和被征地农民大会」缺少证据：签字名册"
    assert caught.value.clause == "putian-2014 (一)"
    assert caught.value.field == "evidence"
    with pytest.raises(InvalidInput, match="未知的证据类型"):
        walk.check("villager_assembly", "2024-03-20", kinds={"minutes", "photo", "signature_list", "selfie"})


def test_completing_out_of_order_is_refused() -> None:
    with pytest.raises(GateClosed) as caught:
        check_complete(
            PUTIAN, CAL, {}, ALL_FACTS, "status_survey", d("2024-03-01"), d("2024-03-01"), {"document", "photo", "map"}
        )
    assert str(caught.value) == "不能完成「拟征收土地现状调查」：尚未完成「发布征收土地预公告」（实施条例 第二十六条）"


def test_a_waived_optional_step_satisfies_what_requires_it() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "approval_request")
    walk.records["hearing"] = StepRecord("hearing", waived=True, waive_reason="无人申请")
    assert not walk.status("coordination_opinion", "2024-04-25").missing_requires
    facts = facts_from_records(PUTIAN, walk.records)
    assert facts["hearing_done"] is False and facts["agreement_done"] is True


def test_optional_window_closes_only_on_a_firm_date() -> None:
    walk = walk_until(PUTIAN, PUTIAN_WALK, "villager_assembly")
    # Notification Fri 15 Mar; 5 working days end Fri 22 Mar (putian-2014 (三)).
    walk.check("hearing_request", "2024-03-22")
    with pytest.raises(GateClosed) as caught:
        walk.check("hearing_request", "2024-03-25")
    assert caught.value.clause == "putian-2014 (三)"
    # On a provisional date (Dec 2024 notification, 2025 not loaded) the window stays open.
    late = Walk(PUTIAN, calendar=CAL_2024)
    late.records = records_of(
        done("pre_announcement", "2024-12-02"), done("status_survey", "2024-12-10"), done("notification", "2024-12-27")
    )
    status = late.status("hearing_request", "2025-01-20")
    assert status.provisional and status.can_complete
    late.check("hearing_request", "2025-01-20")


def test_waivers() -> None:
    with pytest.raises(GateClosed) as caught:
        check_waive(PUTIAN, {}, "villager_assembly", "不开了")
    assert caught.value.clause == "putian-2014 (一)"
    with pytest.raises(InvalidInput):
        check_waive(PUTIAN, {}, "hearing", "  ")
    records = records_of(StepRecord("hearing", waived=True, waive_reason="无人申请"))
    with pytest.raises(InvalidInput, match="已豁免"):
        check_waive(PUTIAN, records, "hearing", "再次")
    with pytest.raises(InvalidInput, match="已豁免，不能再完成"):
        check_complete(PUTIAN, CAL, records, ALL_FACTS, "hearing", d("2024-05-01"), d("2024-05-01"), set())


def test_bad_records_and_facts_are_refused() -> None:
    with pytest.raises(InvalidInput, match="不一致"):
        evaluate(PUTIAN, CAL, {"approval": done("approval_request", "2024-04-01")}, {}, d("2024-05-01"))
    with pytest.raises(InvalidInput, match="没有步骤"):
        evaluate(PUTIAN, CAL, {"nope": done("nope", "2024-04-01")}, {}, d("2024-05-01"))
    with pytest.raises(InvalidInput, match="由步骤记录推出"):
        evaluate(PUTIAN, CAL, {}, {"approval_done": True}, d("2024-05-01"))
    with pytest.raises(InvalidInput, match="未知的事实"):
        evaluate(PUTIAN, CAL, {}, {"moon_is_full": True}, d("2024-05-01"))
    with pytest.raises(InvalidInput, match="既已完成又已豁免"):
        evaluate(
            PUTIAN,
            CAL,
            {"hearing": StepRecord("hearing", done_on=d("2024-04-01"), waived=True, waive_reason="x")},
            {},
            d("2024-05-01"),
        )
    with pytest.raises(InvalidInput, match="未说明理由"):
        evaluate(PUTIAN, CAL, {"hearing": StepRecord("hearing", waived=True)}, {}, d("2024-05-01"))
    with pytest.raises(InvalidInput, match="早于开始日期"):
        evaluate(
            PUTIAN, CAL, {"approval": StepRecord("approval", d("2024-04-02"), d("2024-04-01"))}, {}, d("2024-05-01")
        )
    with pytest.raises(InvalidInput, match="未知的步骤范围"):
        evaluate(PUTIAN, CAL, {}, {}, d("2024-05-01"), scope="village")
    with pytest.raises(PolicyError):
        check_complete(PUTIAN, CAL, {}, {}, "nope", d("2024-05-01"), d("2024-05-01"), set())


def test_missing_facts_are_false() -> None:
    (status,) = (s for s in evaluate(PUTIAN, CAL, {}, {}, d("2024-03-01")) if s.code == "pre_announcement")
    assert status.can_complete
    banan = by_code(evaluate(BANAN, CAL, {}, {}, d("2024-03-01")))["pre_announcement"]
    assert [gate.code for gate in banan.blocking_gates] == ["pre_funding_before_start"]
    assert banan.blocking_gates[0].refusal == "不能启动征地拆迁工作：征地拆迁前置资金尚未足额到位（banan-2015 五）"


# --- quorum and hearing thresholds ------------------------------------------------------


def test_exactly_two_thirds_is_a_quorum() -> None:
    result = assembly_quorum(PUTIAN, affected_households=21, present=14, proxies=0)
    assert (result.total, result.required, result.counted, result.met) == (21, 14, 14, True)
    assert result.clause == "putian-2014 (一)"
    assert CLAUSE_INCLUSIVE in result.explanation and "以上" in result.explanation
    assert not assembly_quorum(PUTIAN, 21, 13, 0).met


def test_quorum_rounds_up_and_counts_proxies() -> None:
    # 2/3 of 20 is 13⅓: 14 households are needed.
    assert assembly_quorum(PUTIAN, 20, 13, 0).met is False
    result = assembly_quorum(PUTIAN, 20, 12, 2)
    assert (result.required, result.counted, result.met) == (14, 14, True)
    assert "委托他人参加 2 户" in result.explanation
    assert assembly_quorum(PUTIAN, 3, 2, 0).met
    assert assembly_quorum(PUTIAN, 1, 1, 0).required == 1


def test_quorum_edge_cases() -> None:
    with pytest.raises(InvalidInput) as caught:
        assembly_quorum(PUTIAN, 0, 0, 0)
    assert caught.value.clause == "putian-2014 (一)"
    with pytest.raises(InvalidInput, match="超过被征地农户数"):
        assembly_quorum(PUTIAN, 10, 8, 3)
    with pytest.raises(InvalidInput, match="负数"):
        assembly_quorum(PUTIAN, 10, -1, 0)
    with pytest.raises(PolicyError):
        assembly_quorum(YONGZHOU, 10, 8, 0)  # Yongzhou sets no assembly quorum


def test_hearing_rejection_by_two_thirds_of_representatives() -> None:
    rejected = hearing_rejection(PUTIAN, representatives=9, disagreeing=6)
    assert (rejected.required, rejected.met, rejected.clause) == (6, True, "putian-2014 (三)")
    assert "继续做好群众工作" in rejected.explanation
    assert not hearing_rejection(PUTIAN, 9, 5).met


def test_national_hearing_trigger_needs_more_than_half() -> None:
    half = hearing_trigger(NATIONAL, members=10, objecting=5)
    assert (half.required, half.met) == (6, False)
    assert half.clause == "实施条例 第二十八条"
    assert "不包括本数" in half.explanation
    assert hearing_trigger(NATIONAL, 10, 6).met
    assert hearing_trigger(PUTIAN, 11, 6).met and hearing_trigger(PUTIAN, 11, 6).required == 6


@given(total=st.integers(1, 500), data=st.data())
def test_quorum_required_is_the_smallest_count_that_meets(total: int, data: st.DataObject) -> None:
    counted = data.draw(st.integers(0, total))
    result = assembly_quorum(PUTIAN, total, counted, 0)
    assert result.met == (counted >= result.required)
    assert result.met == (3 * counted >= 2 * total)
    trigger = hearing_trigger(NATIONAL, total, counted)
    assert trigger.met == (2 * counted > total) == (counted >= trigger.required)


# --- the forced-vacate chain -------------------------------------------------------------


def test_yongzhou_chain_on_the_real_calendar() -> None:
    served = {
        "expropriation_announcement": d("2024-06-03"),
        "compensation_notice": d("2024-09-26"),
        "compensation_decision": d("2024-10-14"),
        "vacate_notice": d("2024-10-18"),
        "order_to_hand_over": d("2024-11-05"),
    }
    chain = {item.step.code: item for item in chain_schedule(YONGZHOU, CAL, served)}
    assert list(chain) == [
        "compensation_notice",
        "compensation_decision",
        "vacate_notice",
        "order_to_hand_over",
        "demand_to_comply",
        "court_enforcement",
    ]
    # Notice Thu 26 Sep: 7 working days are 27, Sun 29 (make-up), 30 Sep, 8, 9, 10, 11 Oct →
    # the decision may come from 12 Oct; "10日内" counted from 11 Oct ends Mon 21 Oct.
    decision = chain["compensation_decision"]
    assert (decision.earliest, decision.latest) == (d("2024-10-12"), d("2024-10-21"))
    assert decision.lawful is True and not decision.provisional
    assert {p.citation.label for p in decision.periods} == {"yongzhou-linkage 五(一)5"}
    # Vacate notice Fri 18 Oct: 21, 22, 23, 24, 25, 28, 29 Oct → order from 30 Oct, by Fri 8 Nov.
    order = chain["order_to_hand_over"]
    assert (order.earliest, order.latest, order.lawful) == (d("2024-10-30"), d("2024-11-08"), True)
    assert [gate.code for gate in order.gates] == ["order_after_decision"]
    # Order Tue 5 Nov + 6 months = Mon 5 May 2025, inside the Labour Day holiday (1–5 May) →
    # Tue 6 May; the demand to comply may be served from 7 May.
    demand = chain["demand_to_comply"]
    assert (demand.earliest, demand.latest, demand.lawful) == (d("2025-05-07"), None, None)
    assert chain["compensation_notice"].earliest is None and chain["compensation_notice"].lawful is True
    court = chain["court_enforcement"]
    assert (court.earliest, court.latest, court.periods) == (None, None, ())


def test_yongzhou_chain_refuses_a_decision_inside_the_notice_period() -> None:
    served = {
        "expropriation_announcement": d("2024-06-03"),
        "compensation_notice": d("2024-09-26"),
        "compensation_decision": d("2024-10-11"),
        "order_to_hand_over": d("2024-10-20"),
    }
    chain = {item.step.code: item for item in chain_schedule(YONGZHOU, CAL, served)}
    decision = chain["compensation_decision"]
    assert decision.lawful is False
    assert any("2024-10-11 之后" in note for note in decision.notes)
    # Served without the vacate notice before it.
    assert chain["order_to_hand_over"].lawful is False
    assert any("限期腾地通知书" in note for note in chain["order_to_hand_over"].notes)


def test_yongzhou_chain_is_provisional_across_an_unloaded_year() -> None:
    served = {"expropriation_announcement": d("2024-06-03"), "compensation_notice": d("2024-12-25")}
    chain = {item.step.code: item for item in chain_schedule(YONGZHOU, CAL_2024, served)}
    assert chain["compensation_decision"].provisional


def test_putian_chain_has_gates_not_periods() -> None:
    served = {"expropriation_announcement": d("2024-10-10"), "compensation_decision": d("2025-01-06")}
    chain = chain_schedule(PUTIAN, CAL, served)
    assert [item.step.code for item in chain] == [
        "compensation_decision",
        "vacate_stability_assessment",
        "order_to_hand_over",
        "court_enforcement",
    ]
    assert all(item.earliest is None and item.latest is None for item in chain)
    order = chain[2]
    assert {gate.code for gate in order.gates} == {
        "order_after_decision",
        "order_after_stability_assessment",
        "order_after_resettlement",
    }
    assert chain[0].lawful is True


def test_putian_order_to_hand_over_needs_assessment_and_resettlement() -> None:
    records = records_of(
        *(done(code, on) for code, on in PUTIAN_WALK[:11]),
        done("compensation_decision", "2025-01-06"),
    )
    facts = {**ALL_FACTS, "resettlement_in_place": False}
    with pytest.raises(GateClosed) as caught:
        check_complete(
            PUTIAN,
            CAL,
            records,
            facts,
            "order_to_hand_over",
            d("2025-01-10"),
            d("2025-01-10"),
            {"document", "service_proof"},
        )
    assert caught.value.clause == "putian-2014 (八)"
    assert "社会稳定风险" in caught.value.message
    records["vacate_stability_assessment"] = done("vacate_stability_assessment", "2025-01-08")
    with pytest.raises(GateClosed, match="安置方案尚未落实到位"):
        check_complete(
            PUTIAN,
            CAL,
            records,
            facts,
            "order_to_hand_over",
            d("2025-01-10"),
            d("2025-01-10"),
            {"document", "service_proof"},
        )
    facts["resettlement_in_place"] = True
    check_complete(
        PUTIAN,
        CAL,
        records,
        facts,
        "order_to_hand_over",
        d("2025-01-10"),
        d("2025-01-10"),
        {"document", "service_proof"},
    )


# --- late registration ------------------------------------------------------------------


def test_late_registration_per_pack() -> None:
    assert late_registration_outcome(YONGZHOU) == "waived"
    assert "视为放弃补偿权利" in late_registration_explanation(YONGZHOU)
    assert late_registration(YONGZHOU).clause == "yongzhou-linkage 五(一)2"
    assert late_registration_outcome(PUTIAN) == "survey_result_used"
    assert late_registration(PUTIAN).clause == "putian-2014 (五)"
    assert "调查核实结果为准" in late_registration_explanation(PUTIAN)
    assert late_registration_outcome(BANAN) == "unspecified"
    assert late_registration(NATIONAL).clause == "土地管理法 第四十七条"


# --- properties -------------------------------------------------------------------------

DAY0 = date(2024, 1, 1)
TODAY = date(2024, 12, 31)


@st.composite
def situations(draw: st.DrawFn) -> tuple[PolicyPack, dict[str, StepRecord], dict[str, bool], str]:
    pack = draw(st.sampled_from([PUTIAN, YONGZHOU, BANAN]))
    records: dict[str, StepRecord] = {}
    for step in pack.steps:
        kind = draw(st.sampled_from(["none", "none", "started", "done", "done", "waived"]))
        if kind == "none":
            continue
        day = DAY0 + timedelta(days=draw(st.integers(0, 365)))
        if kind == "started":
            records[step.code] = StepRecord(step.code, started_on=day)
        elif kind == "done":
            records[step.code] = StepRecord(step.code, done_on=day)
        else:
            records[step.code] = StepRecord(step.code, waived=True, waive_reason="测试")
    facts = {name: draw(st.booleans()) for name in FACTS}
    scope = draw(st.sampled_from(["project", "household", "forced_vacate"]))
    return pack, records, facts, scope


@given(situations())
def test_can_complete_implies_requires_done_and_agrees_with_check_complete(
    situation: tuple[PolicyPack, dict[str, StepRecord], dict[str, bool], str],
) -> None:
    pack, records, facts, scope = situation
    for status in evaluate(pack, CAL, records, facts, TODAY, scope):
        if status.can_complete:
            for code in status.step.requires:
                assert code in records and records[code].satisfied, (status.code, code)
            assert not status.blocking_gates and not status.missing_requires
            assert status.state not in (StepState.DONE, StepState.WAIVED)
        error: DomainError | None = None
        try:
            check_complete(pack, CAL, records, facts, status.code, TODAY, TODAY, set(status.step.evidence))
        except DomainError as exc:
            error = exc
        assert status.can_complete == (error is None), (status.code, error)
        if error is not None:
            assert error.clause, error
