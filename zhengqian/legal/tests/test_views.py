"""Pages: 工作日历, 新增年度 (preview then save), 政策包, 法定时限, the 工作台 warning."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengqian.core.models import AuditEvent
from zhengqian.legal.models import CalendarYear, OfficialDay

pytestmark = pytest.mark.django_db

FORM_2027 = {
    "year": "2027",
    "source_notice": "测试用：国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
    "holidays": "2027-01-01 2027-01-03 元旦\n2027-02-05至2027-02-13 春节\n2027-10-01 2027-10-07 国庆节",
    "workdays": "2027-02-14 春节\n2027-10-09 国庆节",
}


def digest_of(html: str) -> str:
    return re.search(r'name="preview_digest" value="([0-9a-f]*)"', html).group(1)


def test_calendar_page_shows_a_loaded_year(client, clerk_a, frozen_clock):
    client.force_login(clerk_a)
    with CaptureQueriesContext(connection) as layout:
        client.get("/account/")  # session, user, menu badges: what every page costs
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/calendar/?year=2026").content.decode()
    # The year's 365 days come in a constant number of queries, not one per day or month.
    assert len(queries) <= len(layout) + 6
    assert 'data-date="2026-02-16" data-kind="holiday"' in html
    assert 'data-date="2026-02-14" data-kind="makeup"' in html
    assert "国办发明电〔2025〕7号" in html
    assert 'id="loaded-years"' in html and "?year=2014" in html
    assert 'data-unloaded-year="2027"' in html  # next year is not loaded
    assert "新增年度" not in html  # clerks cannot add years


def test_calendar_page_for_an_unloaded_year_guesses_nothing(client, clerk_a, frozen_clock):
    client.force_login(clerk_a)
    html = client.get("/calendar/?year=2027").content.decode()
    assert 'id="year-not-loaded"' in html
    assert 'data-kind="holiday"' not in html
    assert 'data-date="2027-01-01" data-kind="workday"' in html  # a Friday, as far as we know
    assert client.get("/calendar/?year=abc").status_code == 200


def test_add_year_form_is_for_administrators(client, clerk_a):
    client.force_login(clerk_a)
    assert client.get("/calendar/new/").status_code == 403
    assert client.post("/calendar/new/", {**FORM_2027, "step": "save"}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_add_year_previews_then_saves(client, admin_user, frozen_clock):
    client.force_login(admin_user)
    assert 'value="2027"' in client.get("/calendar/new/").content.decode()

    preview = client.post("/calendar/new/", {**FORM_2027, "step": "preview"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="preview-title"' in html and 'id="confirm-save"' in html
    assert 'data-date="2027-02-05" data-kind="holiday"' in html
    assert 'data-date="2027-02-14" data-kind="makeup"' in html
    assert not CalendarYear.objects.filter(year=2027).exists()  # a preview saves nothing

    # Saving something other than what was previewed shows the preview again.
    changed = {**FORM_2027, "workdays": "2027-02-14 春节", "step": "save", "preview_digest": digest_of(html)}
    assert client.post("/calendar/new/", changed).status_code == 200
    assert not CalendarYear.objects.filter(year=2027).exists()

    saved = client.post("/calendar/new/", {**FORM_2027, "step": "save", "preview_digest": digest_of(html)})
    assert saved.status_code == 302 and saved["Location"] == "/calendar/?year=2027"
    row = CalendarYear.objects.get(year=2027)
    assert row.loaded_by == admin_user
    assert row.days.count() == 19 + 2
    assert AuditEvent.objects.filter(action="calendar.load").count() == 1
    page = client.get(saved["Location"]).content.decode()
    assert "已载入 2027 年节假日安排" in page
    assert 'data-unloaded-year="2027"' not in page


def test_add_year_bad_input_is_shown_on_the_field(client, admin_user):
    client.force_login(admin_user)
    bad = {**FORM_2027, "workdays": "2027-02-10 春节", "step": "preview"}  # a Wednesday
    html = client.post("/calendar/new/", bad).content.decode()
    assert 'data-field-error="workdays"' in html and "周六或周日" in html
    assert 'id="confirm-save"' not in html
    malformed = {**FORM_2027, "holidays": "元旦 2027-01-01", "step": "preview"}
    assert 'data-field-error="holidays"' in client.post("/calendar/new/", malformed).content.decode()


def test_replacing_a_year_needs_the_checkbox(client, admin_user):
    client.force_login(admin_user)
    form = {**FORM_2027, "year": "2026", "source_notice": "更正通知",
            "holidays": "2026-02-15 2026-02-23 春节", "workdays": "", "step": "preview"}
    html = client.post("/calendar/new/", form).content.decode()
    assert 'id="preview-blocked"' in html and 'id="confirm-save"' not in html
    # Forcing the save anyway is refused by the action.
    forced = client.post("/calendar/new/", {**form, "step": "save", "preview_digest": digest_of(html)})
    assert "已载入" in forced.content.decode()
    assert OfficialDay.objects.filter(day__year=2026).count() == 39

    form.update(replace="on", reason="测试替换")
    html = client.post("/calendar/new/", form).content.decode()
    assert 'id="confirm-save"' in html and "将替换" in html
    saved = client.post("/calendar/new/", {**form, "step": "save", "preview_digest": digest_of(html)})
    assert saved.status_code == 302
    assert OfficialDay.objects.filter(day__year=2026).count() == 9
    event = AuditEvent.objects.get(action="calendar.replace")
    assert event.reason == "测试替换" and len(event.before["holidays"]) == 7


def test_policy_pages(client, clerk_a):
    client.force_login(clerk_a)
    listing = client.get("/policies/").content.decode()
    for code in ("national-2019", "putian-2014", "banan-2015", "yongzhou-linkage"):
        assert f'/policies/{code}/' in listing
    html = client.get("/policies/putian-2014/").content.decode()
    assert "putian-2014 (四)" in html  # a clause label
    assert "要以书面形式将拟征地的用途、位置、补偿标准、安置途径和社会保障等告知" in html  # a quote
    assert 'id="source-text"' in html and "<mark>" in html
    for section in ("steps", "deadlines", "gates", "thresholds", "rules"):
        assert f'<section id="{section}">' in html
    national = client.get("/policies/national-2019/").content.decode()
    assert 'id="source-text"' not in national and "实施条例" in national
    missing = client.get("/policies/nowhere-2099/")
    assert missing.status_code == 404


def test_project_deadlines_page(client, clerk_a, project_a, frozen_clock):
    client.force_login(clerk_a)
    empty = client.get(f"/projects/{project_a.pk}/deadlines/").content.decode()
    assert 'name="approval"' in empty and 'id="schedule-empty"' in empty
    url = f"/projects/{project_a.pk}/deadlines/"
    html = client.get(f"{url}?approval=2026-12-20&notification=2026-03-02").content.decode()
    # putian-2014 (四): the announcement within 10 working days of approval: into 2027, so 暂定.
    assert 'data-deadline="expropriation_announcement" class="table-warning"' in html
    assert "2027-01-01" in html and "暂定" in html and 'id="provisional-note"' in html
    assert "putian-2014 (四)" in html
    # putian-2014 (三): hearing request within 5 working days of the notification: 2026-03-09.
    assert 'data-deadline="hearing_request">' in html and "2026-03-09" in html
    bad = client.get(f"/projects/{project_a.pk}/deadlines/?approval=2026-02-30").content.decode()
    assert 'id="schedule-error"' in bad and "2026-02-30" in bad


def test_project_detail_links_to_deadlines(client, clerk_a, project_a):
    client.force_login(clerk_a)
    assert f"/projects/{project_a.pk}/deadlines/" in client.get(f"/projects/{project_a.pk}/").content.decode()


def test_home_tells_administrators_which_year_to_load(client, admin_user, clerk_a, frozen_clock):
    client.force_login(admin_user)
    html = client.get("/").content.decode()
    assert 'data-unloaded-year="2027"' in html and "/calendar/new/?year=2027" in html
    client.force_login(clerk_a)
    assert "data-unloaded-year" not in client.get("/").content.decode()
