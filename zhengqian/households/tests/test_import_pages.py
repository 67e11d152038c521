"""Pages and API of the workbook: upload, progress, result with the annotated error workbook,
template, export round trip, survey sheet (HTML and PDF), management commands."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import python_calamine
from django.core.management import call_command
from django.urls import reverse

from zhengqian.core import crypto
from zhengqian.core.models import AuditEvent
from zhengqian.households.excel.export import register_export
from zhengqian.households.excel.sample import sample_register, write_workbook
from zhengqian.households.imports import household_import, import_progress
from zhengqian.households.models import Household, HouseholdImport, HouseholdMember, ImportStatus, Parcel

PLACES = [("界石镇", "界石镇一村", "界石镇一村1组")]


@pytest.fixture(autouse=True)
def _inline_imports(settings, tmp_path):
    settings.HOUSEHOLD_IMPORT_IN_BACKGROUND = False
    settings.MEDIA_ROOT = tmp_path / "media"


def _xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    write_workbook(buffer, rows)
    return buffer.getvalue()


def _upload(client, project, content: bytes, name="户信息.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("households:import_new"), {"project": project.pk, "file": upload})


def test_upload_with_errors_shows_report_and_annotated_workbook(client, clerk_a, project_a):
    rows = sample_register(2, PLACES)
    rows["members"][0]["id_number"] = "500113199701010011"
    rows["buildings"][0]["floor_area"] = -3
    client.force_login(clerk_a)
    response = _upload(client, project_a, _xlsx(rows))
    batch = HouseholdImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("households:import_detail", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "未导入任何数据" in page and "校验位" in page and "E2" in page and "大于 0" in page
    assert Household.objects.count() == 0

    report = client.get(reverse("households:import_report", args=[batch.pk]))
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    content = b"".join(report.streaming_content)
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert workbook.sheet_names[0] == "问题清单"
    listing = workbook.get_sheet_by_name("问题清单").to_python()
    assert any("校验位" in row[4] for row in listing[1:])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        comments = "".join(archive.read(n).decode() for n in archive.namelist() if "comments" in n)
    assert "校验位" in comments and "大于 0" in comments


def test_upload_good_file_then_same_file_again(client, clerk_a, project_a):
    content = _xlsx(sample_register(3, PLACES))
    client.force_login(clerk_a)
    first = _upload(client, project_a, content)
    page = client.get(first.url).content.decode()
    assert "已导入：3 户" in page and Household.objects.count() == 3
    second = _upload(client, project_a, content, name="改了名字.xlsx")
    page = client.get(second.url).content.decode()
    assert "同一文件已" in page and Household.objects.count() == 3


def test_upload_form_refuses_non_xlsx_and_lists_batches(client, clerk_a, project_a):
    client.force_login(clerk_a)
    response = _upload(client, project_a, b"%PDF-1.4 not a workbook", name="scan.pdf")
    page = client.get(response.url).content.decode()
    assert "不是 Excel 工作簿" in page
    listing = client.get(reverse("households:import_new")).content.decode()
    assert "scan.pdf" in listing and "下载导入模板" in listing


def test_progress_partial_and_percent(client, clerk_a, project_a, rows_batch=None):
    client.force_login(clerk_a)
    response = _upload(client, project_a, _xlsx(sample_register(1, PLACES)))
    batch = HouseholdImport.objects.get()
    partial = client.get(reverse("households:import_progress", args=[batch.pk]))
    assert partial["HX-Refresh"] == "true" and "100%" in partial.content.decode()
    pending = HouseholdImport.objects.create(
        project=project_a, file_name="x.xlsx", sha256="0" * 64, size=1, jurisdiction_path=batch.jurisdiction_path,
        created_by=clerk_a, created_at=batch.created_at,
    )
    assert import_progress(pending)["percent"] == 2
    from django.core.cache import cache

    cache.set(f"household-import-progress:{pending.pk}", {"phase": "保存地块", "done": 50, "total": 100})
    assert import_progress(pending)["percent"] == 74
    assert response.status_code == 302


def test_background_thread_runs_the_import(clerk_a, project_a, settings, transactional_db):
    """The UI's default: the request returns at once, a thread imports, the row ends succeeded."""
    import threading

    from zhengqian.households.imports import import_start

    settings.HOUSEHOLD_IMPORT_IN_BACKGROUND = True
    started = []
    original = threading.Thread.start

    def start(self):
        started.append(self)
        original(self)

    threading.Thread.start = start
    try:
        batch = import_start(actor=clerk_a, project=project_a, content=_xlsx(sample_register(2, PLACES)),
                             file_name="bg.xlsx")
        started[0].join(timeout=60)
    finally:
        threading.Thread.start = original
    batch.refresh_from_db()
    assert batch.status == ImportStatus.SUCCEEDED and Household.objects.count() == 2


def test_template_download_imports_empty_as_error(client, clerk_a, project_a, tmp_path):
    client.force_login(clerk_a)
    response = client.get(reverse("households:import_template"))
    content = b"".join(response.streaming_content)
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert workbook.sheet_names[:2] == ["说明", "选项"]
    assert workbook.get_sheet_by_name("户").to_python()[0][:2] == ["户编号", "户主姓名"]
    path = tmp_path / "blank.xlsx"
    path.write_bytes(content)
    outcome = household_import(actor=clerk_a, project=project_a, path=path, file_name="blank.xlsx")
    assert not outcome.ok and any("没有数据行" in i.message for i in outcome.issues)


def test_export_round_trips_into_another_project(client, clerk_a, office_user, project_a, district, township_a,
                                                 tmp_path):
    from zhengqian.projects.actions import project_create

    rows = sample_register(4, PLACES)
    rows["parcels"].append({"code": "JT-1", "village": "界石镇一村", "ownership": "集体所有", "land_class": "水田",
                            "area_mu": 2})
    source = tmp_path / "source.xlsx"
    write_workbook(source, rows)
    assert household_import(actor=clerk_a, project=project_a, path=source, file_name="source.xlsx").ok
    client.force_login(clerk_a)
    response = client.get(reverse("households:export_register", args=[project_a.pk]))
    exported = b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(action="household.export").count() == 1

    other = project_create(actor=office_user, code="P-A-9", name="二期", owner_name="x", district=district,
                           townships=[township_a], land_area="1", policy_pack="putian-2014")
    path = tmp_path / "exported.xlsx"
    path.write_bytes(exported)
    outcome = household_import(actor=clerk_a, project=other, path=path, file_name="exported.xlsx")
    assert outcome.ok, [(i.sheet, i.cell, i.message) for i in outcome.issues[:5]]
    assert outcome.batch.counts == {"households": 4, "members": 12, "parcels": 9, "buildings": 4,
                                    "attachments": 4, "crops": 4}

    def snapshot(project):
        members = sorted(
            (m.household.code, m.name, m.relation, crypto.decrypt(m.id_number_encrypted), m.sex, m.birth_date)
            for m in HouseholdMember.objects.filter(project=project).select_related("household")
        )
        households = sorted(
            (h.code, h.head_name, h.village_id, h.group_id, h.phone, h.bank_account_no, h.bank_account_holder.name)
            for h in Household.objects.filter(project=project).select_related("bank_account_holder")
        )
        parcels = sorted(
            (p.code, p.household.code if p.household else "", p.land_class, p.area, p.ownership, p.measured_area,
             str(p.geometry)) for p in Parcel.objects.filter(project=project).select_related("household")
        )
        return members, households, parcels

    assert snapshot(project_a) == snapshot(other)
    # Exporting the copy gives the same workbook content.
    again = io.BytesIO()
    register_export(actor=clerk_a, project=other, target=again)
    first = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(exported))
    second = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(again.getvalue()))
    for name in first.sheet_names:
        assert first.get_sheet_by_name(name).to_python() == second.get_sheet_by_name(name).to_python(), name


def test_export_needs_the_full_id_right(client, make_user, project_a, district):
    supervisor = make_user("auditor", "supervisor", district)
    client.force_login(supervisor)
    assert client.get(reverse("households:export_register", args=[project_a.pk])).status_code == 403


def test_survey_sheet_html_and_pdf(client, clerk_a, project_a, tmp_path):
    path = tmp_path / "one.xlsx"
    write_workbook(path, sample_register(1, PLACES))
    assert household_import(actor=clerk_a, project=project_a, path=path, file_name="one.xlsx").ok
    household = Household.objects.get()
    client.force_login(clerk_a)
    page = client.get(reverse("households:survey_sheet", args=[household.pk])).content.decode()
    assert "征地拆迁现状调查表" in page and "户主（签字/捺印）" in page and "H000001-DK1" in page
    assert "500113" not in page.split("证件号码")[1][:400] or "***" in page  # IDs are masked
    response = client.get(reverse("households:survey_sheet_pdf", args=[household.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    import re
    import zlib

    streams = re.findall(rb"stream\r?\n(.*?)endstream", response.content, re.S)
    unpacked = b"".join(zlib.decompressobj().decompress(stream) for stream in streams)
    assert b"NotoSansCJK" in unpacked  # the CJK font is embedded, so Chinese prints anywhere


def test_api_import_and_detail(client, clerk_a, project_a):
    client.force_login(clerk_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = sample_register(2, PLACES)
    rows["households"][1]["village"] = "月球村"
    url = reverse("api-1:household_import_create", args=[project_a.pk])
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", _xlsx(rows))})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "rejected" and body["issues"][0]["column"] == "D" and body["issues"][0]["row"] == 3
    detail = client.get(reverse("api-1:household_import_detail", args=[body["id"]])).json()
    assert detail["issue_total"] == body["issue_total"]
    assert client.post(url, {}).json()["field"] == "file"


def test_management_commands(clerk_a, project_a, tmp_path, capsys):
    template = tmp_path / "template.xlsx"
    call_command("household_template", str(template))
    assert template.stat().st_size > 1000
    call_command("household_template", "--docs")
    assert "| 户编号 | 是 |" in capsys.readouterr().out

    bad = sample_register(2, PLACES)
    bad["members"][2]["relation"] = "户主"
    source = tmp_path / "bad.xlsx"
    write_workbook(source, bad)
    report = tmp_path / "report.xlsx"
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_households", str(source), "--project", project_a.code, "--user", "clerk_a",
                     "--report", str(report))
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "未导入任何数据" in out and "有多名户主" in out and report.exists()

    good = tmp_path / "good.xlsx"
    write_workbook(good, sample_register(2, PLACES))
    call_command("import_households", str(good), "--project", project_a.code, "--user", "clerk_a")
    assert "已导入" in capsys.readouterr().out and Household.objects.count() == 2
    assert AuditEvent.objects.filter(action="household.import", reason="manage.py import_households").exists()

    out_path = tmp_path / "export.xlsx"
    call_command("export_households", str(out_path), "--project", project_a.code, "--user", "clerk_a")
    assert "已导出 2 户" in capsys.readouterr().out and Path(out_path).exists()
