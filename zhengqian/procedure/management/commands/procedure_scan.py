"""Nightly: ``manage.py procedure_scan`` (cron, e.g. ``5 0 * * *``). Idempotent: running it
twice on a day records each overdue step once and notifies each user once."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhengqian.procedure.scan import procedure_scan


class Command(BaseCommand):
    help = "扫描全部未完成程序步骤：重算届满日，记录逾期并站内通知责任人（可重复执行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="按该日期扫描（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError("日期格式应为 YYYY-MM-DD") from error
        report = procedure_scan(today=today)
        self.stdout.write(str(report))
