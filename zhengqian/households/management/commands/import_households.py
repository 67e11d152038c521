"""Import a register workbook into a project, all or nothing:
manage.py import_households --project CODE FILE.xlsx [--user USERNAME] [--report ERRORS.xlsx]."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengqian.core.models import User
from zhengqian.domain.errors import DomainError
from zhengqian.households.excel.writer import write_annotated
from zhengqian.households.imports import household_import
from zhengqian.projects.models import Project


class Command(BaseCommand):
    help = "导入户信息工作簿（逐行校验，全部无误才一次性保存；有误时列出问题，退出码 1）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="户信息工作簿 .xlsx")
        parser.add_argument("--project", required=True, help="项目编号")
        parser.add_argument("--user", help="导入人用户名（须有户籍登记权限）；缺省为项目创建人")
        parser.add_argument("--report", help="有问题时，把标注了问题的工作簿写到此文件")

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(code=options["project"]).first()
        if project is None:
            raise CommandError(f"项目不存在：{options['project']}")
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"用户不存在或已停用：{options['user']}")
        else:
            actor = project.created_by
            self.stderr.write(f"以项目创建人 {actor.username} 的身份导入（可用 --user 指定）。")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        last = [""]

        def progress(phase: str, done: int, total: int) -> None:
            if phase != last[0] or (total and done == total):
                last[0] = phase
                self.stderr.write(f"  {phase} {done}/{total}" if total > 1 else f"  {phase}")
                sys.stderr.flush()

        try:
            outcome = household_import(
                actor=actor, project=project, path=path, file_name=path.name, progress=progress,
                reason="manage.py import_households",
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        batch = outcome.batch
        if outcome.ok:
            counts = batch.counts
            self.stdout.write(
                f"已导入（第 {batch.pk} 批）：{counts['households']} 户，{counts['members']} 名成员，"
                f"{counts['parcels']} 块地块，{counts['buildings']} 处房屋，"
                f"{counts['attachments']} 项附着物，{counts['crops']} 项青苗。"
            )
            return
        self.stdout.write(f"未导入任何数据：{batch.message}")
        for issue in outcome.issues:
            where = f"{issue.sheet}!{issue.cell}" if issue.cell else issue.sheet
            column = f"［{issue.header}］" if issue.header else ""
            self.stdout.write(f"  {where} {column}{issue.message}")
        if options["report"] and outcome.issues:
            write_annotated(options["report"], path, outcome.issues)
            self.stdout.write(f"已写出标注了问题的工作簿：{options['report']}")
        raise SystemExit(1)
