"""manage.py calendar_load FILE [--replace --reason TEXT] [--user USERNAME] [--dry-run]

Loads one year's State Council holiday notice from a TOML file (format: docs/operations.md,
"新增节假日年度"). The file is checked completely before anything is written; a year already
loaded is refused unless --replace is given, which is audited as calendar.replace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengqian.core.models import User
from zhengqian.domain.errors import DomainError
from zhengqian.legal import actions, selectors
from zhengqian.legal.notice import read_notice_file


class Command(BaseCommand):
    help = "依据国务院办公厅通知载入一个年度的节假日安排（TOML 文件）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="通知文件（TOML）")
        parser.add_argument("--replace", action="store_true", help="替换已载入的同一年度（记入审计日志）")
        parser.add_argument("--reason", default="", help="替换原因")
        parser.add_argument("--user", default="", help="以该系统管理员的名义载入（默认：控制台操作员）")
        parser.add_argument("--dry-run", action="store_true", help="只检查文件并列出内容，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"用户不存在或已停用：{options['user']}")
        try:
            notice = read_notice_file(path)
        except DomainError as error:
            raise CommandError(str(error)) from None
        holidays = sum(len(item.days()) for item in notice.holidays)
        summary = (
            f"{notice.year} 年：放假 {holidays} 天（{len(notice.holidays)} 段），调休上班 {len(notice.workdays)} 天"
        )
        if options["dry_run"]:
            existing = selectors.calendar_year_get(notice.year)
            self.stdout.write(f"检查通过（未写入）：{summary}")
            for item in notice.holidays:
                self.stdout.write(f"  放假 {item.start} 至 {item.end} {item.name}")
            for day, name in notice.workdays:
                self.stdout.write(f"  上班 {day} {name}")
            if existing is not None:
                self.stdout.write(f"注意：{notice.year} 年已载入，保存时须加 --replace")
            return
        existed = selectors.calendar_year_get(notice.year) is not None
        reason = options["reason"].strip() or (f"依据文件 {path.name} 替换" if options["replace"] else "")
        try:
            row = actions.calendar_year_load(
                actor=actor, year=notice.year, source_notice=notice.source_notice,
                holidays=[(item.start, item.end, item.name) for item in notice.holidays],
                workdays=list(notice.workdays), replace=options["replace"], reason=reason,
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        except PermissionDenied as error:
            raise CommandError(f"{options['user']}：{error}") from None
        verb = "替换" if existed else "载入"
        self.stdout.write(f"已{verb} {summary}（依据：{row.source_notice}）")
