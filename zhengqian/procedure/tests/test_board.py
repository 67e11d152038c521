"""The overdue board (every open step and household clock in the user's jurisdiction, nearest
due date first, overdue in red, filters, constant queries) and the nightly scan (idempotent
overdue events, in-app notifications, the bell)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengqian.core import clock
from zhengqian.households.tests.factories import make_household
from zhengqian.procedure.models import Notification, OverdueEvent, ProcedureStep
from zhengqian.procedure.scan import procedure_scan
from zhengqian.projects.actions import project_create

from .helpers import d, force_done

pytestmark = pytest.mark.django_db


@pytest.fixture
def stages(official_calendar, project_a, project_b, office_user, township_a, township_b):
    """Project A (putian): approved 2026-03-02, announcement due 2026-03-16 (10 working days);
    two households notified 2026-03-04 (objection window to 2026-03-11, optional). Project B
    (banan, township B): approved 2026-03-09, announcement due 2026-03-30 (15 working days)."""
    households = [make_household(office_user, project_a, township_a, code=f"B-{n}") for n in range(2)]
    force_done(project_a, ["pre_announcement", "status_survey", "notification", "approval"], "2026-03-02")
    for household in households:
        force_done(project_a, ["notified"], "2026-03-04", household=household)
    force_done(project_b, ["approval"], "2026-03-09")
    return households


def board(client, user, query=""):
    """The board's table body (the filters list every project and step)."""
    client.force_login(user)
    return client.get(f"/procedure/board/{query}").content.decode().split("<tbody>")[1].split("</tbody>")[0]


def test_board_sorted_by_days_left_and_red_when_overdue(client, stages, office_user):
    with clock.frozen("2026-03-20"):
        html = board(client, office_user)
    assert html.index('data-days-left="-4"') < html.index('data-days-left="10"')
    row = html[html.index('data-board-step="expropriation_announcement"') :][:400]
    assert 'data-overdue="yes"' in row and "table-danger" in row
    assert 'data-board-step="survey_objection"' not in html  # a closed window is no longer a clock
    with clock.frozen("2026-03-10"):
        html = board(client, office_user)
    order = [html.index(f'data-board-step="{code}"') for code in ("survey_objection", "expropriation_announcement")]
    assert order == sorted(order)
    objection = html[html.index('data-board-step="survey_objection"') :][:300]
    assert 'data-overdue="no"' in objection and 'data-days-left="1"' in objection  # open until 2026-03-11
    client.force_login(office_user)
    with clock.frozen("2026-03-20"):
        page = client.get("/procedure/board/").content.decode()
    assert '已逾期 <span class="badge text-bg-light">1</span>' in page


def test_board_filters_and_scope(client, stages, office_user, clerk_a, clerk_b, project_a, project_b, township_a):
    with clock.frozen("2026-03-10"):
        html = board(client, office_user, f"?project={project_b.pk}")
        assert "P-B-1" in html and "P-A-1" not in html
        html = board(client, office_user, "?step=survey_objection")
        assert html.count('data-board-step="survey_objection"') == 2
        assert 'data-board-step="expropriation_announcement"' not in html
        html = board(client, office_user, f"?township={township_a.pk}")
        assert "P-A-1" in html and "P-B-1" not in html
        html = board(client, clerk_a)
        assert "P-A-1" in html and "P-B-1" not in html and html.count('data-board-step="survey_objection"') == 2
        html = board(client, clerk_b)
        assert "P-A-1" not in html and "P-B-1" in html
    with clock.frozen("2026-03-20"):
        html = board(client, office_user, "?overdue=1")
        assert html.count("data-board-step=") == 1


def test_board_query_count_does_not_grow(client, stages, office_user, project_a, township_a):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx, clock.frozen("2026-03-10"):
            assert client.get("/procedure/board/").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(office_user)
    few = queries()
    for n in range(8):
        household = make_household(office_user, project_a, township_a, code=f"M-{n}")
        force_done(project_a, ["notified"], "2026-03-05", household=household)
    assert queries() == few


def test_scan_records_overdue_once_and_notifies(client, stages, office_user, leader, clerk_a, clerk_b, project_a):
    report = procedure_scan(today=d("2026-03-20"))
    assert report.new_overdue == 1
    event = OverdueEvent.objects.get()
    assert (event.code, event.due_on, event.clause) == (
        "expropriation_announcement",
        d("2026-03-16"),
        "putian-2014 (四)",
    )
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"office", "leader"}  # project steps: the district office and leadership
    again = procedure_scan(today=d("2026-03-20"))
    assert again.new_overdue == 0 and OverdueEvent.objects.count() == 1 and Notification.objects.count() == 2
    # the next day the household objection windows are still only rights; a household step overdue
    # reaches the township clerk of its village
    household = stages[0]
    ProcedureStep.objects.filter(household=household, code="survey_objection").update(optional=False)
    out = StringIO()
    call_command("procedure_scan", "--date", "2026-03-21", stdout=out)
    assert "新增逾期 1 个" in out.getvalue()
    assert Notification.objects.filter(user=clerk_a).count() == 1
    assert not Notification.objects.filter(user=clerk_b).exists()
    with clock.frozen("2026-03-21"):
        client.force_login(office_user)
        html = client.get("/procedure/board/").content.decode()
        assert 'data-unread="2"' in html
        client.post("/procedure/notifications/")
        assert "data-unread" not in client.get("/procedure/board/").content.decode()


def test_scan_creates_missing_rows_and_corrects_stale_due_dates(official_calendar, office_user, district, township_a):
    project = project_create(
        actor=office_user,
        code="S-1",
        name="x",
        owner_name="y",
        district=district,
        townships=[township_a],
        land_area="1",
        policy_pack="putian-2014",
    )
    make_household(office_user, project, township_a, code="S-H1")
    report = procedure_scan(today=d("2026-03-20"))
    assert report.rows_created == ProcedureStep.objects.filter(project=project).count() > 0
    force_done(project, ["approval"], "2026-03-02")
    ProcedureStep.objects.filter(project=project, code="expropriation_announcement").update(due_on=d("2026-04-01"))
    report = procedure_scan(today=d("2026-03-10"))
    assert report.due_changed == 1 and report.rows_created == 0
    assert ProcedureStep.objects.get(project=project, code="expropriation_announcement").due_on == d("2026-03-16")
