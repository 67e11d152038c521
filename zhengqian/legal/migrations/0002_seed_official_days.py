"""Seed the official days of 2014–2026 from the `chinese-calendar` package, so every fresh
database knows the State Council holiday arrangements of those years (design.md §3).

Days are grouped by their calendar year. A holiday is a day inside a notice's 放假 range (the
package lists the days the notice names, weekends included when the notice includes them); a
workday is a weekend day the notice makes a working day (调休上班). Later years are added by an
administrator (工作日历 → 新增年度, or `manage.py calendar_load FILE`).
"""

from django.db import migrations
from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 2014, 2026
REVISION = "seed-chinese-calendar"

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

# Titles of the notices; document numbers only where verified.
NOTICES = {
    2015: "国务院办公厅关于2015年部分节假日安排的通知；国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知",
    2020: "国务院办公厅关于2020年部分节假日安排的通知；国务院办公厅关于延长2020年春节假期的通知",
    2025: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
    2026: "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
}
# Every year's notice names at least these; a package without them for a year is refused.
REQUIRED = ("元旦", "春节", "劳动节", "国庆节")

def _name(value):
    text = getattr(value, "value", value)
    try:
        return NAMES[text]
    except KeyError:
        raise RuntimeError(f"chinese-calendar 中有未知的节日名称：{text!r}") from None

def official_days_by_year():
    """{year: [(date, kind, name), ...]} for FIRST_YEAR..LAST_YEAR from chinese_calendar."""
    import chinese_calendar

    by_year = {year: [] for year in range(FIRST_YEAR, LAST_YEAR + 1)}
    for day, value in chinese_calendar.holidays.items():
        if day.year in by_year:
            by_year[day.year].append((day, "holiday", _name(value)))
    for day, value in chinese_calendar.workdays.items():
        if day.year in by_year:
            if day.weekday() < 5:
                raise RuntimeError(f"chinese-calendar 把工作日 {day} 列为调休上班日")
            by_year[day.year].append((day, "workday", _name(value)))
    for year, days in by_year.items():
        names = {name for _, kind, name in days if kind == "holiday"}
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise RuntimeError(f"chinese-calendar 缺少 {year} 年的节假日：{'、'.join(missing)}")
        days.sort()
    return by_year

def seed(apps, schema_editor):
    CalendarYear = apps.get_model("legal", "CalendarYear")
    OfficialDay = apps.get_model("legal", "OfficialDay")
    now = timezone.now()
    for year, days in official_days_by_year().items():
        if CalendarYear.objects.filter(year=year).exists():
            continue
        notice = NOTICES.get(year, f"国务院办公厅关于{year}年部分节假日安排的通知")
        row = CalendarYear.objects.create(
            year=year, source_notice=f"{notice}；初始数据取自 chinese-calendar 软件包", loaded_at=now, revision=REVISION
        )
        OfficialDay.objects.bulk_create(OfficialDay(day=day, kind=kind, name=name, year=row) for day, kind, name in days)

def unseed(apps, schema_editor):
    CalendarYear = apps.get_model("legal", "CalendarYear")
    OfficialDay = apps.get_model("legal", "OfficialDay")
    seeded = CalendarYear.objects.filter(revision=REVISION, year__gte=FIRST_YEAR, year__lte=LAST_YEAR)
    OfficialDay.objects.filter(year__in=seeded).delete()
    seeded.delete()

class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
