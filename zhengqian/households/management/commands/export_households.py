"""Export a project's register to the import workbook layout (round-trips), audited:
manage.py export_households --project CODE OUT.xlsx [--user USERNAME]."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengqian.core.models import User
from zhengqian.households.excel.export import register_export
from zhengqian.projects.models import Project


class Command(BaseCommand):
    help = "导出项目的户信息（与导入模板同格式，含完整证件号码，记入审计日志）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="输出的 .xlsx 文件")
        parser.add_argument("--project", required=True, help="项目编号")
        parser.add_argument("--user", help="导出人用户名（其辖区内的户）；缺省为项目创建人")

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(code=options["project"]).first()
        if project is None:
            raise CommandError(f"项目不存在：{options['project']}")
        actor = (
            User.objects.filter(username=options["user"], is_active=True).first()
            if options["user"]
            else project.created_by
        )
        if actor is None:
            raise CommandError(f"用户不存在或已停用：{options['user']}")
        count = register_export(actor=actor, project=project, target=options["out"])
        self.stdout.write(f"已导出 {count} 户到 {options['out']}")
