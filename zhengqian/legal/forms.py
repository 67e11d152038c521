from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms

from zhengqian.core.forms import StyledForm
from zhengqian.domain.calendar import MAX_YEAR, MIN_YEAR
from zhengqian.domain.errors import InvalidInput

from .notice import YearNotice, checked_notice, parse_holiday_lines, parse_workday_lines


def notice_digest(notice: YearNotice, replace: bool) -> str:
    """What was previewed: saving is allowed only for exactly this content."""
    payload = json.dumps([notice.as_record(), replace], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class CalendarYearForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=MIN_YEAR, max_value=MAX_YEAR)
    source_notice = forms.CharField(
        label="依据通知", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="标题及文号，如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）",
    )
    holidays = forms.CharField(
        label="放假安排", widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="每行一项：开始日期 结束日期 节日名称，如“2027-01-01 2027-01-03 元旦”；只放一天可只写一个日期。"
        "按通知原文逐项录入，含通知列入放假期间的周末。",
    )
    workdays = forms.CharField(
        label="调休上班日", required=False, widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="每行一项：日期 节日名称，如“2027-02-07 春节”。只能是周六或周日。",
    )
    replace = forms.BooleanField(label="替换已载入的该年度（旧安排将被删除，并记入审计日志）", required=False)
    reason = forms.CharField(label="替换原因", required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        try:
            holidays = parse_holiday_lines(data["holidays"])
            workdays = parse_workday_lines(data.get("workdays", ""))
            data["notice"] = checked_notice(
                year=data["year"], source_notice=data["source_notice"], holidays=holidays, workdays=workdays
            )
        except InvalidInput as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
        return data
