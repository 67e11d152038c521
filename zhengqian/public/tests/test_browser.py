"""Browser flow on a phone viewport (390×844, Debian chromium): a villager opens the public
portal, a project, its notice and the masked publicity list, then looks up their own household
— first with a wrong code (uniform answer), then with the agreement number. Screenshots are
kept under var/test-artifacts/ as test artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from zhengqian.core import clock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


def _fits(page) -> bool:
    """Nothing wider than the phone's screen (tables scroll inside their own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"public-{name}.png"), full_page=True)


def test_public_portal_and_self_lookup_on_a_phone(browser_page, live_server, story):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    base = live_server.url
    with clock.frozen("2026-03-05T10:00:00"):
        page.goto(f"{base}/public/")
        assert "征地项目公开信息" in page.content() and _fits(page)
        _shot(page, "1-index")
        page.click("[data-project='P-A-1']")
        page.wait_for_selector(f"[data-notice='{story.notice.number}']")
        assert "期限内" in page.inner_text("main") and _fits(page)
        _shot(page, "2-project")
        page.click(f"[data-notice='{story.notice.number}'] a")
        page.wait_for_selector("[data-periods]")
        assert page.locator("img.public-photo").count() == 1 and _fits(page)
        _shot(page, "3-notice")
        page.go_back()
        page.click("[data-publicity]")
        table = page.inner_text("[data-publicity-table]")
        assert "王**" in table and story.head_id not in table and "王建国" not in table
        assert f"{story.head_id[:3]}***********{story.head_id[-4:]}" in table and _fits(page)
        _shot(page, "4-publicity")

        page.goto(f"{base}/public/lookup/")
        page.fill("#id_id_number", story.head_id)
        page.fill("#id_factor", "ABCD-EFGH")
        page.click("main form button[type=submit]")
        message = page.inner_text("[data-lookup-message]")
        assert "未查到匹配的信息" in message and _fits(page)
        _shot(page, "5-lookup-wrong")
        page.fill("#id_id_number", story.head_id)
        page.fill("#id_factor", story.agreement.number)
        page.click("main form button[type=submit]")
        page.wait_for_selector("[data-household]")
        assert "王建国户 · C-001" in page.inner_text("[data-household]")
        assert story.agreement.number in page.inner_text("[data-agreement]")
        assert "C-002" not in page.content() and _fits(page)
        _shot(page, "6-lookup-household")
    for name in ("1-index", "2-project", "3-notice", "4-publicity", "5-lookup-wrong", "6-lookup-household"):
        assert (ARTIFACTS / f"public-{name}.png").stat().st_size > 1000
