"""Browser flow in Debian chromium: the leadership office approves a standard under review and
watches the re-pricing finish; the office opens a household's valuation, generates and prints
the agreement (the PDF link answers application/pdf) and records the signing."""

from __future__ import annotations

import pytest

from zhengqian.core import clock

from .. import actions
from .factories import RATES, priced_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}{next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "Passw0rd!2026")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}{next_url}")


def test_approve_price_print_and_sign(browser_page, live_server, office_user, leader, project_a, township_a):
    page = browser_page
    base = live_server.url
    with clock.frozen("2026-03-02T10:00:00"):
        household = priced_household(office_user, project_a, township_a, "E2E-C1")
        standard = actions.standard_create(actor=office_user, project=project_a, reason="首版",
                                           transition_months_default=6)
        for category, item, name, unit, amount, payee, clause in RATES:
            actions.rate_set(actor=office_user, standard=standard, category=category, item=item, name=name,
                             unit=unit, amount_value=amount, payee=payee, clause=clause)
        actions.standard_submit(actor=office_user, standard=standard)

        _login(page, base, "leader", f"/compensation/standards/{standard.pk}/")
        assert page.locator("[data-standard-status]").first.get_attribute("data-standard-status") == "in_review"
        page.click("#standard-approve")
        page.fill("#id_approval_reference", "区征地拆迁工作领导小组会议纪要〔2026〕3号")
        page.click("main form button[type=submit]")
        page.wait_for_selector("#job-progress[data-job-status=done]")
        assert "已处理 1 / 1 户" in page.locator("#job-progress").inner_text()
        page.click("nav form button[type=submit]")  # log out

        _login(page, base, "office", f"/compensation/households/{household.pk}/")
        assert page.locator("[data-total]").inner_text() == "413,200.00"
        assert page.locator("[data-words]").inner_text() == "肆拾壹万叁仟贰佰元整"
        land = page.locator("tr[data-item=land_0101]").inner_text()
        assert "3.0000 亩 × 45,000.00 元/亩" in land and "putian-2014 (十二)" in land

        page.select_option("#id_resettlement_choice", "cash")
        page.click("#agreement-generate")
        page.wait_for_selector("[data-number]")
        assert page.locator("[data-number]").inner_text() == "〔2026〕第0001号"
        pdf_url = page.locator("#agreement-pdf").get_attribute("href")
        pdf = page.request.get(f"{base}{pdf_url}")
        assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF")

        page.click("#agreement-sign")
        page.fill("#id_signed_on", "2026-03-02")
        page.fill("#id_signatories", "王建国；区征地办 李科长")
        page.set_input_files("#id_scan", files=[{"name": "签字件.pdf", "mimeType": "application/pdf",
                                                 "buffer": b"%PDF-1.4 signed in the browser"}])
        page.click("main form button[type=submit]")
        page.wait_for_selector("[data-agreement-status=signed]")
        assert "2026-06-02" in page.locator("[data-payment-due]").inner_text()
        assert page.locator("#agreement-sign").count() == 0
