"""Survey confirmation (putian-2014 (二)): signature or service starts a 5-working-day objection
window on the official calendar; objections are reviewed; at the end of the window a signed
survey, or a refused one with no objection, is confirmed with the clause — never on a
provisional date. Uses the real calendar of the legal app (State Council notices 2014–2026)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from zhengqian.core import clock
from zhengqian.core.models import AuditEvent
from zhengqian.domain.calendar import WorkCalendar
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households import actions, selectors, worktime
from zhengqian.households.models import SurveyRecord

from .factories import full_household


@pytest.fixture
def objects(official_calendar, clerk_a, project_a, township_a):
    with clock.frozen("2026-09-28"):
        return full_household(clerk_a, project_a, township_a)


def test_window_runs_on_the_official_calendar_across_national_day(objects, clerk_a):
    # 2026: 10-01..10-07 off, Saturday 10-10 a make-up workday. After Wed 09-30 the working
    # days are 10-08, 10-09, 10-10 (Sat), 10-12, 10-13.
    assert worktime.work_calendar().is_loaded(2026)
    with clock.frozen("2026-09-30"):
        survey = actions.survey_sign(actor=clerk_a, survey=objects["survey"], signed_on="2026-09-30",
                                     signed_by_name="张三")
    assert (survey.state, survey.window_due, survey.window_provisional) == ("window_open", date(2026, 10, 13), False)
    assert objects["household"].__class__.objects.get(pk=objects["household"].pk).survey_state == "window_open"
    with clock.frozen("2026-10-13"):
        assert actions.survey_close_windows() == []  # the last day is still open
        row = selectors.board_rows(selectors.board_households(user=clerk_a))[0]
        assert row.working_days_left == 0
    with clock.frozen("2026-10-08"):
        row = selectors.board_rows(selectors.board_households(user=clerk_a))[0]
        assert row.working_days_left == 4 and row.window_label == "2026-10-13"
    with clock.frozen("2026-10-14"):
        closed = actions.survey_close_windows()
    assert [s.pk for s in closed] == [survey.pk]
    survey.refresh_from_db()
    assert (survey.state, survey.confirmation_basis, survey.confirmed_on, survey.clause) == (
        "confirmed", "signed", date(2026, 10, 13), "putian-2014 (二)")


def test_refused_and_no_objection_is_deemed_confirmed_with_the_clause(objects, clerk_a):
    with clock.frozen("2026-09-30"):
        survey = actions.survey_refuse(actor=clerk_a, survey=objects["survey"], served_on="2026-09-29",
                                       reason="拒签")
    assert survey.window_due == date(2026, 10, 12)  # 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12
    with clock.frozen("2026-10-20"):
        call_command("survey_close_windows")
        call_command("survey_close_windows")  # idempotent
    survey.refresh_from_db()
    assert (survey.state, survey.confirmation_basis) == ("confirmed", "deemed")
    events = AuditEvent.objects.filter(action="survey.confirm", object_id=str(survey.pk))
    assert events.count() == 1 and "视为确认" in events.get().reason and events.get().actor is None


def test_window_touching_an_unloaded_year_is_provisional_and_never_closes(objects, clerk_a, monkeypatch):
    with clock.frozen("2026-12-29"):
        survey = actions.survey_sign(actor=clerk_a, survey=objects["survey"], signed_on="2026-12-28",
                                     signed_by_name="张三")
    assert survey.window_provisional and survey.window_due.year == 2027
    with clock.frozen("2027-06-01"):
        assert actions.survey_close_windows() == []
        survey.refresh_from_db()
        assert survey.state == "window_open"
        # once the 2027 notice is loaded the window is recomputed and closes
        monkeypatch.setattr(worktime, "work_calendar", lambda: WorkCalendar(loaded_years=range(2014, 2028)))
        assert [s.pk for s in actions.survey_close_windows()] == [survey.pk]
    survey.refresh_from_db()
    assert survey.state == "confirmed" and not survey.window_provisional


def test_objection_within_the_window_stops_confirmation_until_reviewed(objects, clerk_a):
    with clock.frozen("2026-10-09"):
        survey = actions.survey_sign(actor=clerk_a, survey=objects["survey"], signed_on="2026-09-30",
                                     signed_by_name="张三")
        objection = actions.objection_file(actor=clerk_a, survey=survey, filed_on="2026-10-09", filed_by_name="张三",
                                           content="水井漏登")
    with clock.frozen("2026-11-02"):
        assert actions.survey_close_windows() == []
        survey.refresh_from_db()
        assert survey.state == "objected"
        with pytest.raises(GateClosed, match="待复核的异议"):
            actions.survey_record(actor=clerk_a, household=objects["household"], surveyed_on="2026-11-02")
        actions.objection_resolve(actor=clerk_a, objection=objection, outcome="resurvey", resolved_on="2026-11-02",
                                  resolution="漏登属实")
    survey.refresh_from_db()
    assert survey.state == "superseded"
    new = SurveyRecord.objects.get(household=objects["household"], version=2)
    assert new.state == "awaiting_signature" and new.surveyed_on == date(2026, 11, 2)
    assert objects["household"].__class__.objects.get(pk=objects["household"].pk).survey_state == "awaiting_signature"


def test_review_without_error_confirms(objects, clerk_a):
    with clock.frozen("2026-10-09"):
        survey = actions.survey_refuse(actor=clerk_a, survey=objects["survey"], served_on="2026-10-08")
        objection = actions.objection_file(actor=clerk_a, survey=survey, filed_on="2026-10-09", filed_by_name="张三",
                                           content="面积不对")
        actions.objection_resolve(actor=clerk_a, objection=objection, outcome="upheld", resolved_on="2026-10-09",
                                  resolution="复核无误，已书面送达")
    survey.refresh_from_db()
    assert (survey.state, survey.confirmation_basis) == ("confirmed", "reviewed")
    assert survey.confirmed_on == date(2026, 10, 9)
    with pytest.raises(GateClosed, match="已作出复核结论"):
        actions.objection_resolve(actor=clerk_a, objection=objection, outcome="resurvey", resolved_on="2026-10-09",
                                  resolution="x")


def test_late_objection_and_wrong_order_are_refused(objects, clerk_a):
    with clock.frozen("2026-10-20"):
        with pytest.raises(InvalidInput) as error:
            actions.survey_sign(actor=clerk_a, survey=objects["survey"], signed_on="2026-10-20", signed_by_name="路人")
        assert error.value.field == "signed_by_name"
        with pytest.raises(InvalidInput) as error:
            actions.survey_sign(actor=clerk_a, survey=objects["survey"], signed_on="2026-09-01", signed_by_name="张三")
        assert error.value.field == "signed_on"
        survey = actions.survey_sign(actor=clerk_a, survey=objects["survey"], signed_on="2026-09-30",
                                     signed_by_name="张三")
        with pytest.raises(GateClosed, match="不能签字"):
            actions.survey_sign(actor=clerk_a, survey=survey, signed_on="2026-10-01", signed_by_name="张三")
        with pytest.raises(GateClosed, match="异议期已于 2026-10-13 届满"):
            actions.objection_file(actor=clerk_a, survey=survey, filed_on="2026-10-14", filed_by_name="张三",
                                   content="迟到的异议")
        with pytest.raises(InvalidInput) as error:
            actions.objection_file(actor=clerk_a, survey=survey, filed_on="2026-10-10", filed_by_name="张三",
                                   content="")
        assert error.value.field == "content"
    assert survey.objections.count() == 0


def test_survey_summary_freezes_what_the_household_signs(objects):
    summary = objects["survey"].summary
    assert summary["members"][0]["name"] == "张三" and "id_number_masked" in summary["members"][0]
    assert [p["land_class"] for p in summary["parcels"]] == ["0101"]
    assert summary["buildings"][0]["floor_area"] == "120.50"


def test_board_page_and_sign_from_the_detail_page(client, objects, clerk_a, office_user):
    household = objects["household"]
    client.force_login(clerk_a)
    with clock.frozen("2026-10-08"):
        page = client.get(f"/households/{household.pk}/").content.decode()
        assert "记录签字" in page
        response = client.post(f"/households/surveys/{objects['survey'].pk}/sign/",
                               {"sign-signed_on": "2026-09-30", "sign-signed_by_name": "张三"})
        assert response.status_code == 302
        board = client.get("/households/board/").content.decode()
    assert "2026-10-13" in board and 'data-days-left>4<' in board.replace("\n", "")
    assert "关闭已届满的异议期" not in board
    client.force_login(office_user)
    with clock.frozen("2026-10-14"):
        client.post("/households/board/close/")
        board = client.get("/households/board/").content.decode()
    assert "签字确认，异议期满无异议" in board
