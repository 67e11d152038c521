"""Browser flow in Debian chromium: the finance officer approves the planned payments, exports
the bank batch (and downloads it), imports the bank's return with one failed line, and sees the
reconciliation with the one line the bank answered that matches no payment."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from zhengqian.domain.bank_files import ReturnRow, verify_batch
from zhengqian.funds.models import BankBatch, Payment

from . import factories
from .test_bank import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_pays_households_through_the_bank(browser_page, live_server, funded, office_user, finance_user,
                                                   agreement, project_a, township_a):
    factories.plan(office_user, agreement)
    page = browser_page
    page.goto(f"{live_server.url}/funds/projects/{project_a.pk}/payments/")
    page.fill("#id_username", "finance")
    page.fill("#id_password", "Passw0rd!2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/funds/projects/{project_a.pk}/payments/")
    assert page.locator("tr[data-state=planned]").count() == 4

    page.check("th input[type=checkbox]")  # select all
    page.click("[data-approve]")
    page.wait_for_selector("text=已审批 4 笔付款")
    assert page.locator("tr[data-state=approved]").count() == 4

    page.click(f"[data-export='{township_a.code}']")
    page.wait_for_selector("text=已标记为已发送银行")
    batch = BankBatch.objects.get()
    with page.expect_download() as download:
        page.click("[data-download=csv]")
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    verify_batch(content.splitlines())

    stray = ReturnRow("ZF99999999", Decimal("88.00"), True)  # a line the bank should not have sent
    page.set_input_files("#id_file", files=[{"name": "回盘.csv", "mimeType": "text/csv",
                                            "buffer": answer(batch, {2: "户名与账号不符"}, extra=[stray])}])
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=失败 1 笔已重新排队")
    assert page.locator("tr[data-outcome=paid]").count() == 3
    assert page.locator("tr[data-outcome=failed]").count() == 1
    assert Payment.objects.filter(state="paid").count() == 3

    page.click("nav[aria-label=资金管理] >> text=对账")
    page.wait_for_selector("h1:has-text('对账')")
    assert page.locator("[data-differences]").get_attribute("data-differences") == "1"
    assert "ZF99999999" in page.locator("#differences").inner_text()
