"""Close every survey objection window that has ended (cron, e.g. daily at 00:30).

Idempotent: a confirmed survey is never touched again; a provisional window (its calendar
year not loaded) is recomputed and left open (putian-2014 (二), design.md §3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhengqian.households.actions import survey_close_windows


class Command(BaseCommand):
    help = "关闭已届满的现状调查异议期：期满无异议（含拒签未异议）视为确认（莆田 (二)）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按此日期判断（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = date.fromisoformat(options["today"]) if options.get("today") else None
        closed = survey_close_windows(actor=None, today=today)
        for survey in closed:
            basis = survey.get_confirmation_basis_display()
            self.stdout.write(f"已确认：{survey.household.code} 第{survey.version}版（{basis}）")
        self.stdout.write(f"共关闭 {len(closed)} 个异议期。")
