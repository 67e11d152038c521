"""A year's State Council holiday notice as entered by an administrator: checked, never guessed.

The notice arrives three ways — the 新增年度 form (one range per line), a TOML file for
``manage.py calendar_load`` and the action's keyword arguments — and all of them end in
:func:`checked_notice`, which either returns a complete :class:`YearNotice` or raises
:class:`InvalidInput` naming the field and the line; nothing is half-accepted.

File format (docs/operations.md, "新增节假日年度")::

    year = 2027
    source_notice = "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）"

    [[holidays]]            # one table per 放假 range, inclusive
    name = "元旦"
    start = 2027-01-01
    end = 2027-01-03        # optional: a single day when omitted

    [[workdays]]            # one table per 调休上班 day (a Saturday or Sunday)
    name = "春节"
    date = 2027-02-07
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from zhengqian.domain.calendar import MAX_YEAR, MIN_YEAR, OfficialDay
from zhengqian.domain.errors import InvalidInput

__all__ = [
    "HolidayRange",
    "YearNotice",
    "checked_notice",
    "format_holiday_lines",
    "format_workday_lines",
    "parse_holiday_lines",
    "parse_workday_lines",
    "read_notice_file",
]

CLAUSE = "全国年节及纪念日放假办法"
MAX_NAME = 40
MAX_NOTICE = 500
MAX_RANGE_DAYS = 31
WEEKDAYS = "一二三四五六日"

_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_HOLIDAY_LINE = re.compile(rf"^({_DATE})(?:\s*(?:至|到|~|～|—|\s)\s*({_DATE}))?\s+(\S.*?)\s*$")
_WORKDAY_LINE = re.compile(rf"^({_DATE})\s+(\S.*?)\s*$")


@dataclass(frozen=True, slots=True)
class HolidayRange:
    """Days off from ``start`` to ``end`` inclusive, for the festival ``name``."""

    start: date
    end: date
    name: str

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True, slots=True)
class YearNotice:
    """A complete, consistent notice for one year."""

    year: int
    source_notice: str
    holidays: tuple[HolidayRange, ...]
    workdays: tuple[tuple[date, str], ...]

    def official_days(self) -> list[OfficialDay]:
        days = [OfficialDay(day, "holiday", item.name) for item in self.holidays for day in item.days()]
        days += [OfficialDay(day, "workday", name) for day, name in self.workdays]
        return sorted(days, key=lambda entry: entry.day)

    def as_record(self) -> dict[str, Any]:
        """What the audit event stores: the notice as entered."""
        return {
            "year": self.year,
            "source_notice": self.source_notice,
            "holidays": [[item.start.isoformat(), item.end.isoformat(), item.name] for item in self.holidays],
            "workdays": [[day.isoformat(), name] for day, name in self.workdays],
        }


def _label(day: date) -> str:
    return f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"


def _name(value: object, field: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{where}缺少节日名称", field=field)
    name = value.strip()
    if len(name) > MAX_NAME:
        raise InvalidInput(f"{where}节日名称过长（上限 {MAX_NAME} 字）：{name}", field=field)
    return name


def _day(value: object, field: str, where: str) -> date:
    if isinstance(value, datetime):
        raise InvalidInput(f"{where}应为日期（YYYY-MM-DD），不是时间：{value!r}", field=field)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return _parse_date(value.strip(), field, where)
    raise InvalidInput(f"{where}日期无效：{value!r}", field=field)


def _parse_date(text: str, field: str, where: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match is None:
        raise InvalidInput(f"{where}日期格式应为 YYYY-MM-DD：{text!r}", field=field)
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise InvalidInput(f"{where}日期不存在：{text}", field=field) from None


def checked_notice(
    *,
    year: int,
    source_notice: str,
    holidays: Iterable[tuple[date, date, str]],
    workdays: Iterable[tuple[date, str]],
) -> YearNotice:
    """Validate a notice: every date inside ``year``, ranges ordered and not overlapping,
    make-up workdays on weekends and outside the holiday ranges, names given."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidInput(f"年度必须是整数：{year!r}", field="year")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(f"年度超出系统支持的范围（{MIN_YEAR}—{MAX_YEAR}）：{year}", field="year")
    notice = (source_notice or "").strip()
    if not notice:
        raise InvalidInput("请填写依据的国务院办公厅通知（标题及文号）。", field="source_notice")
    if len(notice) > MAX_NOTICE:
        raise InvalidInput(f"依据通知过长（上限 {MAX_NOTICE} 字）。", field="source_notice")

    ranges: list[HolidayRange] = []
    taken: dict[date, str] = {}
    for number, item in enumerate(holidays, start=1):
        where = f"放假安排第 {number} 项："
        try:
            start, end, raw_name = item
        except (TypeError, ValueError):
            raise InvalidInput(f"{where}应为（开始日期, 结束日期, 节日名称）", field="holidays") from None
        start, end = _day(start, "holidays", where), _day(end, "holidays", where)
        name = _name(raw_name, "holidays", where)
        if end < start:
            raise InvalidInput(f"{where}结束日期 {end} 早于开始日期 {start}", field="holidays", clause=CLAUSE)
        for day in (start, end):
            if day.year != year:
                raise InvalidInput(f"{where}日期 {day} 不在 {year} 年内", field="holidays")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise InvalidInput(f"{where}{start} 至 {end} 超过 {MAX_RANGE_DAYS} 天，请检查日期", field="holidays")
        holiday = HolidayRange(start, end, name)
        for day in holiday.days():
            if day in taken:
                raise InvalidInput(f"{where}{day} 已在“{taken[day]}”的放假安排中", field="holidays")
            taken[day] = name
        ranges.append(holiday)
    if not ranges:
        raise InvalidInput(f"{year} 年的通知至少应有一项放假安排。", field="holidays")

    extra: dict[date, str] = {}
    for number, item in enumerate(workdays, start=1):
        where = f"调休上班第 {number} 项："
        try:
            raw_day, raw_name = item
        except (TypeError, ValueError):
            raise InvalidInput(f"{where}应为（日期, 节日名称）", field="workdays") from None
        day = _day(raw_day, "workdays", where)
        name = _name(raw_name, "workdays", where)
        if day.year != year:
            raise InvalidInput(f"{where}日期 {day} 不在 {year} 年内", field="workdays")
        if day.weekday() < 5:
            raise InvalidInput(
                f"{where}{_label(day)} 本就是工作日；调休上班日只能是周六或周日", field="workdays", clause=CLAUSE
            )
        if day in taken:
            raise InvalidInput(f"{where}{day} 在“{taken[day]}”的放假期间，不能同时调休上班", field="workdays")
        if day in extra:
            raise InvalidInput(f"{where}{day} 重复登记", field="workdays")
        extra[day] = name
    return YearNotice(
        year=year,
        source_notice=notice,
        holidays=tuple(sorted(ranges, key=lambda item: item.start)),
        workdays=tuple(sorted(extra.items())),
    )


# --------------------------------------------------------------------------- form text


def parse_holiday_lines(text: str) -> list[tuple[date, date, str]]:
    """Lines "2027-01-01 2027-01-03 元旦" (also "…至…"), or "2027-01-01 元旦" for one day."""
    result = []
    for number, line in _lines(text):
        match = _HOLIDAY_LINE.match(line)
        where = f"放假安排第 {number} 行："
        if match is None:
            raise InvalidInput(f"{where}应为“开始日期 结束日期 节日名称”，实为 {line!r}", field="holidays")
        start = _parse_date(match.group(1), "holidays", where)
        end = _parse_date(match.group(2), "holidays", where) if match.group(2) else start
        result.append((start, end, match.group(3)))
    return result


def parse_workday_lines(text: str) -> list[tuple[date, str]]:
    """Lines "2027-02-07 春节"."""
    result = []
    for number, line in _lines(text):
        match = _WORKDAY_LINE.match(line)
        where = f"调休上班第 {number} 行："
        if match is None:
            raise InvalidInput(f"{where}应为“日期 节日名称”，实为 {line!r}", field="workdays")
        result.append((_parse_date(match.group(1), "workdays", where), match.group(2)))
    return result


def _lines(text: str) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate((text or "").splitlines(), start=1) if line.strip()]


def format_holiday_lines(holidays: Iterable[HolidayRange]) -> str:
    return "\n".join(
        f"{item.start} {item.name}" if item.start == item.end else f"{item.start} {item.end} {item.name}"
        for item in holidays
    )


def format_workday_lines(workdays: Iterable[tuple[date, str]]) -> str:
    return "\n".join(f"{day} {name}" for day, name in workdays)


# --------------------------------------------------------------------------- TOML file

_FILE_KEYS = frozenset({"year", "source_notice", "holidays", "workdays"})
_HOLIDAY_KEYS = frozenset({"name", "start", "end"})
_WORKDAY_KEYS = frozenset({"name", "date"})


def read_notice_file(path: Path) -> YearNotice:
    """Read and check a notice file; errors name the file and the key."""
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{path.name}: 无法读取：{exc.strerror or exc}", field="file") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name}: 不是 UTF-8 编码", field="file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path.name}: TOML 语法错误：{exc}", field="file") from None
    try:
        return _notice_from_data(data)
    except InvalidInput as error:
        raise InvalidInput(f"{path.name}: {error.message}", field=error.field, clause=error.clause) from None


def _notice_from_data(data: Mapping[str, Any]) -> YearNotice:
    _check_keys(data, _FILE_KEYS, "")
    for key in ("year", "source_notice", "holidays"):
        if key not in data:
            raise InvalidInput(f"缺少必填项 {key}", field=key)
    holidays = [
        (_required(item, "start", f"holidays[{i}]"), item.get("end", item.get("start")), item.get("name"))
        for i, item in enumerate(_tables(data, "holidays", _HOLIDAY_KEYS), start=1)
    ]
    workdays = [
        (_required(item, "date", f"workdays[{i}]"), item.get("name"))
        for i, item in enumerate(_tables(data, "workdays", _WORKDAY_KEYS), start=1)
    ]
    source_notice = data["source_notice"]
    if not isinstance(source_notice, str):
        raise InvalidInput(f"source_notice 应为字符串，实为 {source_notice!r}", field="source_notice")
    return checked_notice(year=data["year"], source_notice=source_notice, holidays=holidays, workdays=workdays)


def _check_keys(table: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    for key in table:
        if key not in allowed:
            place = f"{where}." if where else ""
            raise InvalidInput(f"{place}{key}: 未知的键（可用：{'、'.join(sorted(allowed))}）", field=key)


def _tables(data: Mapping[str, Any], key: str, allowed: frozenset[str]) -> list[Mapping[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidInput(f"{key} 应为表数组（[[{key}]]）", field=key)
    for i, item in enumerate(value, start=1):
        _check_keys(item, allowed, f"{key}[{i}]")
    return value


def _required(table: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise InvalidInput(f"{where}.{key}: 缺少必填项", field=where.split("[")[0])
    return table[key]
