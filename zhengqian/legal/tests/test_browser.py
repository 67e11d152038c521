"""Browser flows in Debian chromium: the administrator adds a year (preview, then save) and sees
it in the year view; a clerk reads a policy pack and a project's 法定时限 with a 暂定 date."""

from __future__ import annotations

import pyotp
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def login(page, base, username, otp=""):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Passw0rd!2026")
    if otp:
        page.fill("#id_otp", otp)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_admin_adds_a_year_with_preview(browser_page, live_server, seeded_calendar, admin_user, frozen_clock):
    from zhengqian.core.actions import totp_set_secret

    totp_set_secret(actor=None, user=admin_user, secret=SECRET)
    page, base = browser_page, live_server.url
    login(page, base, "root", pyotp.TOTP(SECRET).at(frozen_clock))  # the clock is frozen

    # 工作台 names the year to load.
    warning = page.locator("[data-unloaded-year='2027']")
    assert "2027年的节假日安排尚未载入" in warning.inner_text()

    page.goto(f"{base}/calendar/?year=2026")
    assert page.locator("td[data-date='2026-02-16']").get_attribute("data-kind") == "holiday"
    assert "班" in page.locator("td[data-date='2026-02-14']").inner_text()
    page.keyboard.press("n")  # the "new" shortcut
    page.wait_for_url("**/calendar/new/**")

    page.fill("#id_year", "2027")
    page.fill("#id_source_notice", "测试用：国务院办公厅关于2027年部分节假日安排的通知（测试数据）")
    page.fill("#id_holidays", "2027-01-01 2027-01-03 元旦\n2027-02-05 2027-02-13 春节\n2027-10-01 2027-10-07 国庆节")
    page.fill("#id_workdays", "2027-02-10 春节")  # a Wednesday: refused
    page.click("main form button[type=submit]")
    assert "周六或周日" in page.locator("[data-field-error=workdays]").inner_text()
    assert page.locator("#confirm-save").count() == 0

    page.fill("#id_workdays", "2027-02-14 春节\n2027-10-09 国庆节")
    page.click("main form button[type=submit]")  # 预览
    page.wait_for_selector("#preview-title")
    assert page.locator("#year-grid td[data-date='2027-02-05']").get_attribute("data-kind") == "holiday"
    assert page.locator("#year-grid td[data-date='2027-02-14']").get_attribute("data-kind") == "makeup"
    assert "春节" in page.locator("#holiday-list").inner_text()

    page.click("#confirm-save")
    page.wait_for_url("**/calendar/?year=2027")
    assert "已载入 2027 年节假日安排" in page.locator("main").inner_text()
    assert "测试数据" in page.locator("#year-source").inner_text()
    assert page.locator("td[data-date='2027-01-01']").get_attribute("data-kind") == "holiday"
    assert page.locator("#loaded-years a", has_text="2027").count() == 1
    assert page.locator("[data-unloaded-year='2027']").count() == 0


def test_clerk_reads_policy_pack_and_project_deadlines(
    browser_page, live_server, seeded_calendar, clerk_a, project_a, frozen_clock
):
    page, base = browser_page, live_server.url
    login(page, base, "clerk_a")

    page.goto(f"{base}/policies/")
    page.keyboard.press("j")
    page.keyboard.press("Enter")  # the first pack, by keyboard
    page.wait_for_url("**/policies/banan-2015/")
    assert "巴南" in page.locator("h1").inner_text()
    assert page.locator("#source-text mark").count() > 0

    page.goto(f"{base}/policies/putian-2014/")
    row = page.locator("#deadline-expropriation_announcement")
    assert "putian-2014 (四)" in row.inner_text() and "10个工作日" in row.inner_text()
    page.click("#source summary")  # the source text folds away
    assert not page.locator("#source-text").is_visible()

    page.goto(f"{base}/projects/{project_a.pk}/")
    page.click("#project-deadlines-link")
    page.wait_for_url(f"**/projects/{project_a.pk}/deadlines/")
    page.fill("#id_approval", "2026-12-20")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#timeline")
    timeline = page.locator("#timeline").inner_text()
    assert "2027-01-01" in timeline and "暂定" in timeline
    assert "2027" in page.locator("#provisional-note").inner_text()
    assert "putian-2014 (四)" in page.locator("#schedule-table").inner_text()
