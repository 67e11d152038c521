"""A house-selection day for three households in Debian chromium: the order drawn by lot, each
household called in turn with its entitlement and only the units that fit it, the choice
confirmed, the selection confirmation printed (banan-2015 (四))."""

from __future__ import annotations

from datetime import date

import pytest

from zhengqian.core import clock
from zhengqian.domain import resettlement as rules

from .. import actions_allocation
from ..models import Allocation
from .factories import estate, family, housing_choice, scheme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_selection_day_for_three_households(browser_page, live_server, office_user, clerk_a, project_a, township_a):
    page = browser_page
    base = live_server.url
    with clock.frozen("2026-03-02T09:00:00"):
        scheme(office_user, project_a)
        pool = estate(office_user, township_a, areas=("62.00", "88.00", "95.00", "130.00"))
        sizes = {"D-1": 3, "D-2": 2, "D-3": 3}  # entitled 90, 60, 90 m²
        for code, persons in sizes.items():
            housing_choice(
                office_user, family(office_user, project_a, township_a, code, persons=persons), date(2026, 3, 2)
            )
        day = actions_allocation.selection_day_create(
            actor=office_user, project=project_a, estate=pool, on="2026-03-02", rule="lottery", seed="现场抽签 0302"
        )
        order = rules.lottery_order(sizes, "现场抽签 0302")

        page.goto(f"{base}/resettlement/days/{day.pk}/")
        page.fill("#id_username", "clerk_a")
        page.fill("#id_password", "Passw0rd!2026")
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{base}/resettlement/days/{day.pk}/")
        page.on("dialog", lambda dialog: dialog.accept())

        for position, code in enumerate(order, start=1):
            assert code in page.locator("[data-next]").inner_text()
            entitled = page.locator("[data-entitled]").inner_text()
            assert entitled == ("60.00" if sizes[code] == 2 else "90.00")
            offered = [row.get_attribute("data-unit") for row in page.locator("#units tbody tr[data-unit]").all()]
            assert "1栋0401" not in offered  # 130 m² fits nobody (entitlement + 10 m² at most)
            first = offered[0]
            page.click(f"button[data-choose='{first}']")
            page.wait_for_selector(f"tr[data-ticket='{code}'] [data-chosen]")
            assert page.locator(f"tr[data-ticket='{code}'] [data-chosen]").inner_text() == first
            assert Allocation.objects.filter(ticket__day=day, cancelled=False).count() == position

        page.wait_for_selector("#day-done")
        allocation = Allocation.objects.get(household__code=order[0])
        page.goto(f"{base}/resettlement/allocations/{allocation.pk}/confirmation/")
        text = page.locator(".confirmation").inner_text()
        assert "安置房选房确认书" in text and allocation.unit.label.replace("栋", "栋 ") in text
        assert "2026年6月2日" in text  # the certificate within three months (banan-2015 (四))

        page.goto(f"{base}/resettlement/days/{day.pk}/draw/")
        assert page.locator("#seed").inner_text() == "现场抽签 0302"
        assert page.locator("#order li").all_inner_texts() == order
