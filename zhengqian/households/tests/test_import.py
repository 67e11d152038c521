"""Excel import of the register: a good file, every kind of bad row, all-or-nothing, re-import,
files that are not workbooks, zip bombs, formulas and empty sheets."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengqian.core.models import AuditEvent
from zhengqian.households import imports
from zhengqian.households.excel import safety
from zhengqian.households.excel.sample import resident_id, sample_register, write_workbook
from zhengqian.households.imports import household_import
from zhengqian.households.models import (
    Attachment,
    Building,
    Crop,
    Household,
    HouseholdImport,
    HouseholdMember,
    ImportStatus,
    Parcel,
)

PLACES = [("界石镇", "界石镇一村", "界石镇一村1组")]
TABLES = (Household, HouseholdMember, Parcel, Building, Attachment, Crop)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def nothing_saved() -> bool:
    return not any(counts().values())


@pytest.fixture
def rows():
    return sample_register(3, PLACES)


@pytest.fixture
def book(tmp_path):
    def write(data, name="register.xlsx") -> Path:
        path = tmp_path / name
        write_workbook(path, data)
        return path

    return write


def run(actor, project, path):
    return household_import(actor=actor, project=project, path=path, file_name=path.name)


def messages(outcome) -> list[str]:
    return [f"{i.sheet}!{i.cell} {i.message}" for i in outcome.issues] + [outcome.batch.message]


def test_good_file_is_imported_in_one_audit_event(clerk_a, project_a, rows, book, frozen_clock):
    before = AuditEvent.objects.count()
    outcome = run(clerk_a, project_a, book(rows))
    assert outcome.ok, messages(outcome)
    assert counts() == {"Household": 3, "HouseholdMember": 9, "Parcel": 6, "Building": 3, "Attachment": 3, "Crop": 3}
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "household.import"
    assert event.after["counts"]["households"] == 3
    assert event.jurisdiction_path.startswith(clerk_a.jurisdiction.path)
    household = Household.objects.get(code="H000001")
    assert household.village.name == "界石镇一村" and household.group.name == "界石镇一村1组"
    assert household.bank_account_holder.name == household.head_name
    head = household.members.get(relation="head")
    assert head.id_number_masked.startswith("500") and head.id_number_hash
    assert head.birth_date is not None and head.sex in ("male", "female")
    parcel = Parcel.objects.get(code="H000001-DK1")
    assert parcel.geometry["type"] == "Polygon" and parcel.bbox_west < parcel.bbox_east
    assert parcel.measured_area and not parcel.area_mismatch
    assert Building.objects.get(code="H000001-FW1").parcel == parcel
    assert Crop.objects.get(code="H000001-QM1").unit == "mu"
    assert outcome.batch.status == ImportStatus.SUCCEEDED and outcome.batch.counts["members"] == 9


def test_reimport_of_the_same_file_is_refused(clerk_a, project_a, rows, book):
    path = book(rows)
    assert run(clerk_a, project_a, path).ok
    again = run(clerk_a, project_a, path)
    assert not again.ok
    assert "同一文件已" in again.batch.message and "不重复导入" in again.batch.message
    assert Household.objects.count() == 3


def test_same_file_may_go_into_another_project(clerk_a, office_user, project_a, rows, book, district, township_a):
    from zhengqian.projects.actions import project_create

    path = book(rows)
    assert run(clerk_a, project_a, path).ok
    other = project_create(actor=office_user, code="P-A-2", name="界石二期", owner_name="建设公司", district=district,
                           townships=[township_a], land_area="100", policy_pack="putian-2014")
    assert run(office_user, other, path).ok
    assert Household.objects.filter(project=other).count() == 3


def _issue(outcome, sheet, cell=None):
    found = [i for i in outcome.issues if i.sheet == sheet and (cell is None or i.cell == cell)]
    assert found, messages(outcome)
    return found[0].message


@pytest.mark.parametrize(
    ("sheet_key", "index", "field", "value", "sheet", "cell", "expected"),
    [
        ("members", 0, "id_number", "500113199701010011", "家庭成员", "E2", "校验位"),
        ("members", 1, "id_number", "5001131997", "家庭成员", "E3", "18 位"),
        ("members", 0, "sex", "男", "家庭成员", "F2", "性别不符"),
        ("members", 0, "birth_date", "1990-01-01", "家庭成员", "G2", "出生日期"),
        ("members", 0, "relation", "邻居", "家庭成员", "C2", "不是可选值"),
        ("households", 0, "village", "不存在村", "户", "D2", "不在镇街“界石镇”内"),
        ("households", 0, "group", "9组", "户", "E2", "不在界石镇一村下"),
        ("households", 0, "phone", "call me", "户", "G2", "联系电话"),
        ("households", 0, "bank_account_no", "12ab", "户", "K2", "8—30 位数字"),
        ("households", 1, "code", "H000001", "户", "A3", "与第 2 行重复"),
        ("parcels", 0, "area", "-5", "地块", "G2", "大于 0"),
        ("parcels", 0, "area", "十亩", "地块", "G2", "应为数字"),
        ("parcels", 0, "land_class", "稻田", "地块", "F2", "二级地类"),
        ("parcels", 0, "geometry", "POLYGON ((1 2, 3 4", "地块", "I2", "WKT"),
        ("parcels", 0, "geometry", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", "地块", "I2", "CGCS2000"),
        ("parcels", 1, "code", "H000001-DK1", "地块", "A3", "重复"),
        ("buildings", 0, "floors", "2.5", "房屋", "E2", "整数"),
        ("buildings", 0, "structure", "木屋", "房屋", "D2", "不是可选值"),
        ("buildings", 0, "household_code", "H999999", "房屋", "B2", "不存在"),
        ("buildings", 0, "parcel_code", "DK-NONE", "房屋", "C2", "不存在"),
        ("items", 0, "unit", "桶", "附着物及青苗", "H2", "不是可选值"),
        ("items", 0, "quantity", "0", "附着物及青苗", "G2", "大于 0"),
        ("items", 0, "kind", "飞机", "附着物及青苗", "E2", "不是可选值"),
        ("items", 1, "spec", "很高", "附着物及青苗", "F3", "青苗没有"),
    ],
)
def test_each_kind_of_bad_cell_is_reported_and_nothing_saved(
    clerk_a, project_a, rows, book, sheet_key, index, field, value, sheet, cell, expected
):
    rows[sheet_key][index][field] = value
    outcome = run(clerk_a, project_a, book(rows))
    assert not outcome.ok
    assert expected in _issue(outcome, sheet, cell)
    assert nothing_saved()
    assert outcome.batch.status == ImportStatus.REJECTED and outcome.batch.issue_total >= 1
    assert outcome.batch.issues[0]["sheet"]


def test_cross_sheet_rules(clerk_a, project_a, book):
    rows = sample_register(4, PLACES)
    rows["members"][0]["name"] = "别人"  # head's name differs from the 户 sheet
    rows["members"][4]["relation"] = "户主"  # household 2 gets a second head
    rows["households"][2]["bank_account_holder"] = "陌生人"  # holder is not a member
    rows["members"].append({**rows["members"][6], "household_code": "H000004", "relation": "子女"})  # same ID twice
    outcome = run(clerk_a, project_a, book(rows))
    text = "\n".join(messages(outcome))
    assert "户主姓名与“户”表第 2 行" in text
    assert "有多名户主" in text
    assert "不是本户家庭成员" in text
    assert "一人只能登记在一户" in text
    assert "H000004 的户主" not in text  # a household with a wrong member row is not judged on its head
    assert nothing_saved()


def test_household_without_head_and_duplicates_against_database(clerk_a, project_a, rows, book):
    assert run(clerk_a, project_a, book(rows, "first.xlsx")).ok
    second = sample_register(4, PLACES)  # H000001–H000003 already exist, with the same people
    second["members"] = [m for m in second["members"] if m["household_code"] != "H000004" or m["relation"] != "户主"]
    outcome = run(clerk_a, project_a, book(second, "second.xlsx"))
    text = "\n".join(messages(outcome))
    assert "户编号 H000001 已在本项目登记" in text
    assert "没有户 H000004 的户主" in text
    assert "此人已登记在本项目的户 H000001" not in text  # households already refused are not re-checked
    assert Household.objects.count() == 3


def test_person_already_in_another_household_of_the_project(clerk_a, project_a, rows, book):
    assert run(clerk_a, project_a, book(rows, "first.xlsx")).ok
    second = sample_register(1, PLACES, prefix="N")
    second["members"][1]["id_number"] = HouseholdMember.objects.none() or rows["members"][1]["id_number"]
    second["parcels"] = [{**p, "code": "N-" + p["code"]} for p in second["parcels"]]
    second["buildings"][0]["parcel_code"] = "N-" + second["buildings"][0]["parcel_code"]
    for item in second["items"]:
        item["parcel_code"] = "N-" + item["parcel_code"]
        item["code"] = "N-" + item["code"]
    second["buildings"][0]["code"] = "N-FW"
    outcome = run(clerk_a, project_a, book(second, "second.xlsx"))
    assert "此人已登记在本项目的户 H000001" in "\n".join(messages(outcome))


def test_unknown_village_outside_scope(clerk_b, project_a, rows, book, township_b):
    # clerk_b cannot see project A at all
    with pytest.raises(Exception, match="不存在或不在您的辖区"):
        run(clerk_b, project_a, book(rows))


def test_headers_by_alias_title_row_and_mu(clerk_a, project_a, tmp_path):
    path = tmp_path / "alias.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("户信息")
    sheet.write_row(0, 0, ["界石道路项目 户信息登记表"])
    sheet.write_row(1, 0, ["户号", " 户主 ", "村", "组", "备注", "我们自己的列"])
    sheet.write_row(2, 0, ["A1", "张三", "界石镇一村", "界石镇一村1组", "", "忽略"])
    members = workbook.add_worksheet("成员")
    members.write_row(0, 0, ["户号", "姓名", "关系", "身份证号码"])
    members.write_row(1, 0, ["A1", "张三", "本人", resident_id(1, __import__("datetime").date(1999, 9, 9))])
    parcels = workbook.add_worksheet("宗地")
    parcels.write_row(0, 0, ["宗地编号", "户号", "地类", "面积（亩）"])
    parcels.write_row(1, 0, ["Z1", "A1", "0103"])
    parcels.write_number(1, 3, 1.5)
    workbook.close()
    outcome = run(clerk_a, project_a, path)
    assert outcome.ok, messages(outcome)
    assert Parcel.objects.get().area == Decimal("1000.00")
    assert HouseholdMember.objects.get().relation == "head"


def test_long_number_typed_as_number_is_refused(clerk_a, project_a, rows, tmp_path):
    path = tmp_path / "numbers.xlsx"
    write_workbook(path, rows)
    # Rewrite the first member's ID as a number, as Excel does when the column is not text.
    rows["members"][0]["id_number"] = 500113199701010019
    write_workbook(path, rows)
    outcome = run(clerk_a, project_a, path)
    assert "丢失末几位" in _issue(outcome, "家庭成员", "E2")


def test_missing_sheet_and_missing_column(clerk_a, project_a, rows, book):
    del rows["members"]
    for record in rows["buildings"]:
        record.pop("structure")
    outcome = run(clerk_a, project_a, book(rows))
    text = "\n".join(messages(outcome))
    assert "缺少工作表“家庭成员”" in text
    assert "“结构”不能为空" in text
    assert nothing_saved()


def test_empty_sheets(clerk_a, project_a, tmp_path):
    path = tmp_path / "empty.xlsx"
    workbook = xlsxwriter.Workbook(path)
    workbook.add_worksheet("户").write_row(0, 0, ["户编号", "户主姓名", "村/社区"])
    workbook.add_worksheet("家庭成员")
    workbook.close()
    outcome = run(clerk_a, project_a, path)
    text = "\n".join(messages(outcome))
    assert "户!" in text and "工作表没有数据行" in text
    assert "家庭成员!" in text and "工作表为空" in text
    assert nothing_saved()


def test_not_xlsx(clerk_a, project_a, tmp_path):
    for name, content, expected in [
        ("a.xlsx", b"code,name\n1,2\n", "不是 Excel 工作簿"),
        ("b.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel"),
        ("c.xlsx", b"PK\x03\x04garbage", "已损坏"),
        ("d.xlsx", b"", "文件为空"),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        outcome = run(clerk_a, project_a, path)
        assert outcome.batch.status == ImportStatus.REJECTED
        assert expected in outcome.batch.message, (name, outcome.batch.message)
    zipped = tmp_path / "e.xlsx"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "缺少 xl/workbook.xml" in run(clerk_a, project_a, zipped).batch.message
    assert nothing_saved()


def test_oversized_file_is_refused(clerk_a, project_a, rows, book, settings):
    settings.HOUSEHOLD_IMPORT_MAX_BYTES = 1000
    outcome = run(clerk_a, project_a, book(rows))
    assert "文件过大" in outcome.batch.message
    assert nothing_saved()


def _bomb(path: Path, size: int) -> None:
    """A valid-looking workbook whose one sheet unpacks to `size` bytes of zeros-like XML."""
    buffer = io.BytesIO()
    write_workbook(buffer, sample_register(1, PLACES))
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(
        path, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"</sheetData>" + b" " * size)
            target.writestr(item.filename, data)


def test_compression_bomb_is_refused_before_reading(clerk_a, project_a, tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    _bomb(path, 50 * 1024 * 1024)  # 50 MB of spaces compress ~1000:1
    assert path.stat().st_size < 1024 * 1024
    read = pytest.fail
    monkeypatch.setattr(imports, "read_workbook", lambda *_: read("calamine must not open a bomb"))
    outcome = run(clerk_a, project_a, path)
    assert "压缩炸弹" in outcome.batch.message
    assert nothing_saved()


def test_total_unpacked_size_is_limited(tmp_path):
    path = tmp_path / "big.xlsx"
    _bomb(path, 3 * 1024 * 1024)
    limits = safety.Limits(unpacked_bytes=2 * 1024 * 1024, ratio=10_000)
    with pytest.raises(safety.WorkbookRefused, match="解压后"):
        safety.check_workbook(path, limits)


def test_formulas_are_refused_with_their_cells(clerk_a, project_a, rows, tmp_path):
    path = tmp_path / "formula.xlsx"
    workbook = xlsxwriter.Workbook(path)
    from zhengqian.households.excel.layout import SHEETS

    for spec in SHEETS:
        sheet = workbook.add_worksheet(spec.name)
        keys = [column.key for column in spec.columns]
        sheet.write_row(0, 0, [column.header for column in spec.columns])
        for row_index, record in enumerate(rows[spec.key], start=1):
            for column_index, key in enumerate(keys):
                if record.get(key) not in (None, ""):
                    sheet.write_string(row_index, column_index, str(record[key]))
        if spec.key == "buildings":
            sheet.write_formula(1, keys.index("floor_area"), "=60*2", None, 120)
    workbook.close()
    outcome = run(clerk_a, project_a, path)
    assert "公式" in _issue(outcome, "房屋", "F2")
    assert nothing_saved()


def test_exception_in_the_middle_of_saving_leaves_nothing(clerk_a, project_a, rows, book, monkeypatch):
    from zhengqian.households.excel import bulk

    original = bulk.insert

    def explode(model, rows):
        if model is Building:
            assert Household.objects.count() == 3 and Parcel.objects.count() == 6  # already written…
            raise RuntimeError("disk full")
        return original(model, rows)

    monkeypatch.setattr(bulk, "insert", explode)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        run(clerk_a, project_a, book(rows))
    assert nothing_saved()  # …and rolled back with everything else
    assert AuditEvent.objects.count() == before
    assert not HouseholdImport.objects.filter(status=ImportStatus.SUCCEEDED).exists()


def test_role_without_register_rights_is_refused(make_user, township_a, project_a, rows, book):
    from django.core.exceptions import PermissionDenied

    finance = make_user("finance", "finance_officer", township_a)
    with pytest.raises(PermissionDenied):
        run(finance, project_a, book(rows))


def test_vectorised_shape_checks_match_parcel_form(clerk_a, project_a, rows, book):
    """Areas and refusals of the bulk path equal geometry.parse_geometry's, holes included."""
    from zhengqian.households.geometry import parse_geometry

    holed = (
        "POLYGON ((106.5 29.5, 106.502 29.5, 106.502 29.502, 106.5 29.502, 106.5 29.5),"
        " (106.5005 29.5005, 106.5010 29.5005, 106.5010 29.5010, 106.5005 29.5010, 106.5005 29.5005))"
    )
    multi = (
        '{"type":"MultiPolygon","coordinates":[[[[106.6,29.6],[106.601,29.6],[106.601,29.601],[106.6,29.6]]],'
        '[[[106.7,29.7],[106.7005,29.7],[106.7005,29.7005],[106.7,29.7]]]]}'
    )
    rows["parcels"][0]["geometry"] = holed
    rows["parcels"][1]["geometry"] = multi
    rows["parcels"][0]["area"] = rows["parcels"][1]["area"] = 40000
    assert run(clerk_a, project_a, book(rows)).ok
    import shapely
    from shapely.geometry import mapping

    for code, text in (("H000001-DK1", holed), ("H000001-DK2", multi)):
        parcel = Parcel.objects.get(code=code)
        geometry = mapping(shapely.from_wkt(text)) if text.startswith("POLYGON") else text
        expected = parse_geometry(__import__("json").loads(__import__("json").dumps(geometry)))
        assert parcel.measured_area == expected.area


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.1 + 0.2, "0.30"), (120.456, "120.46"), (120.455, "120.46"), (2, "2.00"), ("1,234.5", "1234.50"),
     (1e-9, None), (-1.0, None), ("abc", None), (True, None)],
)
def test_decimal_cells(value, expected):
    from zhengqian.households.excel import cells
    from zhengqian.households.excel.issues import CellError

    parse = cells.decimal(maximum=Decimal("99999999"))
    if expected is None:
        with pytest.raises(CellError):
            parse(value)
        return
    assert parse(value) == Decimal(expected)
    if isinstance(value, float):
        assert cells.float_to_hundredths(value) == Decimal(expected)


@given(
    area=st.sampled_from(["500113", "110105", "500222", "510212", "990000", "000000", "500101"]),
    born=st.one_of(
        st.dates(min_value=date(1890, 1, 1), max_value=date(2040, 12, 31)).map(lambda d: d.strftime("%Y%m%d")),
        st.from_regex(r"\A(19|20)[0-9]{2}(1[3-9]|00|02)(3[0-9]|00)\Z"),
    ),
    serial=st.integers(min_value=0, max_value=999),
    last=st.one_of(st.none(), st.sampled_from(list("0123456789Xx"))),
)
@settings(max_examples=300, deadline=None)
def test_fast_id_check_agrees_with_idnumbers(area, born, serial, last):
    """validate._checked_id accepts exactly what idnumbers.check_id accepts, with its messages."""
    from stdnum.cn import ric

    from zhengqian.core import clock
    from zhengqian.domain.errors import InvalidInput
    from zhengqian.households.excel.validate import _checked_id
    from zhengqian.households.idnumbers import check_id

    body = f"{area}{born}{serial:03d}"
    number = body + (last if last is not None else ric.calc_check_digit(body + "0"))
    with clock.frozen("2026-03-02"):
        try:
            expected = check_id("resident_id", number)
        except InvalidInput as error:
            with pytest.raises(InvalidInput) as raised:
                _checked_id("resident_id", number, date(2026, 3, 2))
            assert raised.value.message == error.message
        else:
            assert _checked_id("resident_id", number, date(2026, 3, 2)) == expected
