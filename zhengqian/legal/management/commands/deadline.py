"""manage.py deadline START --working-days N | --days N | --months N
manage.py deadline --batch FILE      (lines "START KIND N", KIND = working-days | days | months)

Prints the due date as YYYY-MM-DD, followed by " provisional" when the period touches a year
whose holiday notice is not loaded. In batch mode every input line gets exactly one output line,
in order: the due date, or "error: <message>".
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengqian.domain.calendar import PeriodRule, WorkCalendar
from zhengqian.domain.errors import CalendarError, DomainError
from zhengqian.legal.selectors import work_calendar

KINDS = {"working-days": "working_days", "working_days": "working_days", "days": "days", "months": "months"}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_COUNT = re.compile(r"^[+-]?\d+$")
_CHUNK = 10_000


def parse_start(text: str) -> date:
    match = _DATE.match(text)
    if match is None:
        raise CalendarError(f"起始日格式应为 YYYY-MM-DD：{text!r}", field="start")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CalendarError(f"日期不存在：{text}", field="start") from None


def parse_count(text: str) -> int:
    if not _COUNT.match(text):
        raise CalendarError(f"期限数量应为整数：{text!r}", field="count")
    return int(text)


def compute(calendar: WorkCalendar, start_text: str, kind: str, count_text: str) -> str:
    """One output line for START KIND N, raising DomainError for anything wrong."""
    unit = KINDS.get(kind)
    if unit is None:
        raise CalendarError(f"未知的期限类型：{kind!r}（应为 working-days、days 或 months）", field="kind")
    start = parse_start(start_text)
    result = calendar.due(start, PeriodRule.of(unit, parse_count(count_text)))
    return result.due.isoformat() + (" provisional" if result.provisional else "")


def batch_line(calendar: WorkCalendar, line: str) -> str:
    parts = line.split()
    if not parts:
        return "error: 空行（应为“起始日 类型 数量”，如 2026-02-10 working-days 5）"
    if len(parts) != 3:
        return f"error: 每行应为“起始日 类型 数量”（如 2026-02-10 working-days 5），实为 {line.strip()!r}"
    try:
        return compute(calendar, *parts)
    except DomainError as error:
        return f"error: {error}"


class Command(BaseCommand):
    help = "推算期限截止日（民法典第二百条至第二百零四条；未载入节假日安排的年度标注 provisional）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start", nargs="?", help="起始日 YYYY-MM-DD（当日不计入）")
        unit = parser.add_mutually_exclusive_group()
        unit.add_argument("--working-days", dest="working_days", metavar="N", help="N 个工作日")
        unit.add_argument("--days", metavar="N", help="N 日（末日为休息日的顺延）")
        unit.add_argument("--months", metavar="N", help="N 个月")
        unit.add_argument("--batch", metavar="FILE", help="每行“START KIND N”的文件；- 表示标准输入")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] is not None:
            if options["start"] is not None:
                raise CommandError("--batch 与起始日不能同时使用")
            self._batch(options["batch"])
            return
        if options["start"] is None:
            raise CommandError("请给出起始日，如：deadline 2026-02-10 --working-days 5")
        units = (("working-days", "working_days"), ("days", "days"), ("months", "months"))
        chosen = [(kind, options[key]) for kind, key in units if options[key] is not None]
        if not chosen:
            raise CommandError("请给出期限：--working-days N、--days N 或 --months N 之一")
        kind, count = chosen[0]
        try:
            self.stdout.write(compute(work_calendar(), options["start"], kind, count))
        except DomainError as error:
            raise CommandError(str(error)) from None

    def _batch(self, name: str) -> None:
        if name == "-":
            text = sys.stdin.read()
        else:
            path = Path(name)
            try:
                text = path.read_text(encoding="utf-8-sig")
            except FileNotFoundError:
                raise CommandError(f"找不到文件：{name}") from None
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"无法读取文件 {name}：{exc}") from None
        calendar = work_calendar()
        lines = text.splitlines()
        for begin in range(0, len(lines), _CHUNK):
            chunk = lines[begin:begin + _CHUNK]
            self.stdout.write("\n".join(batch_line(calendar, line) for line in chunk))
