"""Browser flow in Debian chromium: upload a workbook with an error, read the report, fix it,
import, see the households' parcels on the map and click through to a household."""

from __future__ import annotations

import pytest

from zhengqian.households.excel.sample import sample_register, write_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLACES = [("界石镇", "界石镇一村", "界石镇一村1组")]


def test_upload_error_fix_import_and_map(browser_page, live_server, clerk_a, project_a, settings, tmp_path):
    settings.HOUSEHOLD_IMPORT_IN_BACKGROUND = False  # the live server's in-memory SQLite is shared
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = sample_register(6, PLACES)
    good = tmp_path / "户信息.xlsx"
    write_workbook(good, rows)
    rows["members"][3]["id_number"] = rows["members"][3]["id_number"][:-1] + (
        "0" if rows["members"][3]["id_number"][-1] != "0" else "1"
    )
    bad = tmp_path / "户信息-有误.xlsx"
    write_workbook(bad, rows)

    page = browser_page
    page.goto(f"{live_server.url}/households/import/?project={project_a.pk}")
    page.fill("#id_username", "clerk_a")
    page.fill("#id_password", "Passw0rd!2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/households/import/**")

    page.set_input_files("#id_file", str(bad))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-result=rejected]")
    assert "未导入任何数据" in page.locator("[data-result]").inner_text()
    row = page.locator("#issue-table tbody tr").first
    assert "家庭成员" in row.inner_text() and "E5" in row.inner_text() and "校验位" in row.inner_text()
    with page.expect_download() as download:
        page.click("[data-report]")
    assert download.value.suggested_filename.endswith("问题标注.xlsx")

    page.goto(f"{live_server.url}/households/import/?project={project_a.pk}")
    page.set_input_files("#id_file", str(good))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-result=succeeded]")
    assert "已导入：6 户" in page.locator("[data-result]").inner_text()

    page.click("[data-map]")
    page.wait_for_selector("#parcel-map[data-loaded='12']")
    assert "视野内 12 块地块" in page.locator("#map-status").inner_text()
    # Click the middle of the first household's first parcel on the canvas.
    point = page.evaluate(
        """() => {
            const map = document.getElementById("parcel-map").leafletMap;
            const p = map.latLngToContainerPoint([29.3002, 106.4002]);
            const box = document.getElementById("parcel-map").getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    link = page.locator(".leaflet-popup-content a[data-household]")
    link.wait_for()
    assert "H000001" in link.inner_text()
    link.click()
    page.wait_for_url("**/households/*/")
    assert "H000001" in page.locator("h1").inner_text()
