"""Browser flow in Debian chromium: the office records a joint meeting, enters a decision for
财政局 and 界石镇, and sees the task on 财政局's page with its due date from the work calendar."""

from __future__ import annotations

import pytest

from zhengqian.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_a_meeting_and_see_its_tasks_on_a_departments_page(
    browser_page, live_server, departments, office_user, project_a, township_a
):
    finance = departments["finance"]
    page = browser_page
    with clock.frozen("2026-03-02T10:00:00"):
        page.goto(f"{live_server.url}/coordination/meetings/new/")
        page.fill("#id_username", "office")
        page.fill("#id_password", "Passw0rd!2026")
        page.click("button[type=submit]")
        page.wait_for_selector("#id_title")
        page.fill("#id_title", "三月联席会议")
        assert page.input_value("#id_held_on") == "2026-03-02"
        page.fill("#id_place", "区政府会议室")
        page.check(f"input[name=departments][value='{finance.pk}']")
        page.fill("#id_minutes", "研究补偿资金落实。")
        page.click("main form button[type=submit]")
        page.wait_for_selector("#decision-form")
        assert "三月联席会议" in page.inner_text("h1")

        page.fill("#id_text", "落实补偿资金并缴存专户")
        page.select_option("#id_project", str(project_a.pk))
        page.check(f"input[name=owners][value='d{finance.pk}']")
        page.check(f"input[name=owners][value='t{township_a.pk}']")
        page.fill("#id_period_count", "10")
        page.click("#decision-form button[type=submit]")
        page.wait_for_selector("#decisions [data-decision='1']")
        decision = page.inner_text("#decisions")
        assert "落实补偿资金并缴存专户" in decision and decision.count("2026-03-16 前办结") == 2

        page.goto(f"{live_server.url}/coordination/departments/")
        page.click(f"text={finance.name}")
        page.wait_for_selector("#department-tasks")
        tasks = page.inner_text("#department-tasks")
        assert "落实补偿资金并缴存专户" in tasks and "2026-03-16" in tasks and "P-A-1" in tasks
        assert "界石镇" not in tasks  # the township's task is on its own list, not the department's
        assert "负责落实征地拆迁补偿安置经费" in page.inner_text("main")

    with clock.frozen("2026-03-17T09:00:00"):
        page.reload()
        assert page.get_attribute("#department-tasks tbody tr", "data-overdue") == "yes"
        page.goto(f"{live_server.url}/procedure/board/")
        assert page.get_attribute('[data-clock="督办任务"] [data-clock-overdue]', "data-clock-overdue") == "2"
