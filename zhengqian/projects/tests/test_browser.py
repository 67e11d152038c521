"""Browser flow in Debian chromium: log in, create a project, see it in the list and its history."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_creates_project_and_sees_history(browser_page, live_server, office_user, district, township_a):
    page = browser_page
    page.goto(f"{live_server.url}/projects/")
    assert "/login/" in page.url
    page.fill("#id_username", "office")
    page.fill("#id_password", "Passw0rd!2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/projects/")

    page.keyboard.press("n")  # the clerk's shortcut for "new"
    page.wait_for_url("**/projects/new/")
    page.fill("#id_code", "E2E-001")
    page.fill("#id_name", "浏览器测试道路")
    page.fill("#id_owner_name", "测试业主")
    page.check(f"input[name=townships][value='{township_a.pk}']")
    page.fill("#id_land_area", "-3")
    page.select_option("#id_policy_pack", "putian-2014")
    page.click("main form button[type=submit]")
    assert page.locator("[data-field-error=land_area]").inner_text().startswith("征地总面积")

    page.fill("#id_land_area", "6666.67")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已创建项目")
    assert page.locator("h1").inner_text().startswith("浏览器测试道路")
    assert page.locator("#history").get_by_text("project.create").count() == 1

    page.goto(f"{live_server.url}/projects/")
    page.fill("[data-search]", "E2E")
    page.keyboard.press("Enter")
    row = page.locator("#project-table tbody tr").first
    assert "E2E-001" in row.inner_text()
    assert "10.00" in row.inner_text()  # 6666.67 m² is 10.00 mu
