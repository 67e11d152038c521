"""manage.py deadline, calendar_load and policy_show: exact output, clear errors, nothing half-loaded."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhengqian.core.models import AuditEvent
from zhengqian.domain.policy import format_pack, load_pack
from zhengqian.legal.models import CalendarYear, OfficialDay

from .conftest import TOML_2027

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --------------------------------------------------------------------------- deadline


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (["2026-02-10", "--working-days", "5"], "2026-02-24\n"),
        (["2026-01-31", "--months", "1"], "2026-02-28\n"),
        (["2025-09-30", "--days", "1"], "2025-10-09\n"),
        (["2026-12-25", "--days", "10"], "2027-01-04 provisional\n"),
        (["2026-12-20", "--working-days", "10"], "2027-01-01 provisional\n"),
        (["2026-03-02", "--days", "0"], "2026-03-02\n"),
    ],
)
def test_deadline_prints_the_due_date(args, output):
    assert run("deadline", *args) == output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["2026-02-30", "--days", "3"], "日期不存在：2026-02-30"),
        (["2026-02-10", "--days", "-3"], "期限不能为负数：-3"),
        (["2026-02-10", "--months", "two"], "整数"),
        (["26-2-10", "--days", "3"], "YYYY-MM-DD"),
        (["2026-02-10"], "--working-days N"),
        (["--days", "3"], "起始日"),
        (["1800-01-01", "--days", "3"], "超出系统支持的范围"),
    ],
)
def test_deadline_errors_name_the_problem(args, words):
    with pytest.raises(CommandError, match=words):
        run("deadline", *args)


def test_deadline_batch_prints_one_line_per_input_line(tmp_path):
    lines = [
        "2026-02-10 working-days 5",
        "2026-02-30 days 3",
        "2026-12-25 days 10",
        "",
        "2026-01-31 months 1",
        "2026-01-01 weeks 2",
        "2026-01-01 days -1",
        "garbage",
        "2026-09-22   working-days   10  ",
    ]
    path = tmp_path / "periods.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = run("deadline", "--batch", str(path)).splitlines()
    assert len(output) == len(lines)
    assert output[0] == "2026-02-24"
    assert output[1] == "error: 日期不存在：2026-02-30"
    assert output[2] == "2027-01-04 provisional"
    assert output[3].startswith("error: 空行")
    assert output[4] == "2026-02-28"
    assert output[5].startswith("error: 未知的期限类型：'weeks'")
    assert output[6] == "error: 期限不能为负数：-1（民法典第二百条）"
    assert output[7].startswith("error: 每行应为")
    assert output[8] == "2026-10-13"


def test_deadline_batch_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("deadline", "--batch", str(tmp_path / "none.txt"))


def test_deadline_batch_excludes_start():
    with pytest.raises(CommandError, match="不能同时"):
        run("deadline", "2026-01-01", "--batch", "x.txt")


# --------------------------------------------------------------------------- policy_show


def test_policy_show_prints_the_pack():
    assert run("policy_show", "putian-2014") == format_pack(load_pack("putian-2014"))
    assert "putian-2014 (四)" in run("policy_show", "putian-2014")


def test_policy_show_unknown_pack_is_named():
    with pytest.raises(CommandError, match="未知的政策包：nowhere-2099"):
        run("policy_show", "nowhere-2099")


# --------------------------------------------------------------------------- calendar_load


@pytest.fixture
def notice_file(tmp_path):
    def write(text: str = TOML_2027, name: str = "2027.toml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_calendar_load_good_file(notice_file):
    output = run("calendar_load", notice_file())
    assert output.startswith("已载入 2027 年：放假 19 天（3 段），调休上班 2 天")
    row = CalendarYear.objects.get(year=2027)
    assert row.loaded_by is None
    assert OfficialDay.objects.get(day="2027-02-14").kind == "workday"
    assert AuditEvent.objects.get(action="calendar.load").actor_label == "system"
    assert run("deadline", "2026-12-31", "--days", "1") == "2027-01-04\n"


def test_calendar_load_dry_run_writes_nothing(notice_file):
    output = run("calendar_load", notice_file(), "--dry-run")
    assert "检查通过（未写入）" in output and "放假 2027-02-05 至 2027-02-13 春节" in output
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_calendar_load_existing_year_is_refused(notice_file):
    text = 'year = 2026\nsource_notice = "重复载入"\n[[holidays]]\nname = "春节"\nstart = 2026-02-15\n'
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="2026 年的节假日安排已载入"):
        run("calendar_load", notice_file(text))
    assert OfficialDay.objects.get(day="2026-02-16").name == "春节"  # the seed is untouched
    assert AuditEvent.objects.count() == events


def test_calendar_load_replace_writes_audit_event(notice_file, admin_user):
    run("calendar_load", notice_file())
    shorter = TOML_2027.split("[[workdays]]")[0]
    output = run("calendar_load", notice_file(shorter, "fix.toml"), "--replace", "--user", "root")
    assert output.startswith("已替换 2027 年")
    row = CalendarYear.objects.get(year=2027)
    assert row.loaded_by == admin_user
    assert not row.days.filter(kind="workday").exists()
    event = AuditEvent.objects.get(action="calendar.replace")
    assert event.actor == admin_user
    assert event.reason == "依据文件 fix.toml 替换"
    assert [d for d, _ in event.before["workdays"]] == ["2027-02-14", "2027-10-09"]
    assert event.after["workdays"] == []


def test_calendar_load_user_needs_the_capability(notice_file, clerk_a):
    with pytest.raises(CommandError, match="无权"):
        run("calendar_load", notice_file(), "--user", "clerk_a")
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda t: t.replace('name = "元旦"\nstart', 'name = "元旦\nstart'), "TOML 语法错误"),
        (lambda t: t.replace("start = 2027-10-01", "start = 2026-10-01"), "不在 2027 年内"),
        (lambda t: t.replace("date = 2027-02-14", "date = 2027-02-10"), "周六或周日"),
        (lambda t: t.replace('end = "2027-02-13"', 'end = "2027-02-30"'), "日期不存在：2027-02-30"),
        (lambda t: t.replace("end = 2027-01-03", "end = 2026-12-30"), "早于"),
        (lambda t: t.replace("year = 2027", "year = 2027\nmonth = 1"), "month: 未知的键"),
        (lambda t: t.replace("year = 2027", ""), "缺少必填项 year"),
        (lambda t: t.replace("date = 2027-10-09", "date = 2027-10-02"), "放假期间"),
        (lambda t: t.replace("start = 2027-10-01", "begin = 2027-10-01"), "begin: 未知的键"),
    ],
)
def test_calendar_load_bad_file_saves_nothing(notice_file, change, words):
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=words) as error:
        run("calendar_load", notice_file(change(TOML_2027)))
    assert "2027.toml" in str(error.value)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not OfficialDay.objects.filter(day__year=2027).exists()
    assert AuditEvent.objects.count() == events


def test_calendar_load_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("calendar_load", str(tmp_path / "none.toml"))
