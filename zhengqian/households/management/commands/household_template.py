"""Write the blank register workbook (户 / 家庭成员 / 地块 / 房屋 / 附着物及青苗), or with
--docs print the column table of docs/import-format.md."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhengqian.households.excel.layout import SHEETS
from zhengqian.households.excel.writer import write_template


class Command(BaseCommand):
    help = "生成户信息导入模板：manage.py household_template OUT.xlsx（--docs 输出列说明 Markdown）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", nargs="?", help="输出的 .xlsx 文件")
        parser.add_argument("--docs", action="store_true", help="输出各表各列及别名（Markdown）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["docs"]:
            self.stdout.write(columns_markdown())
            return
        if not options["out"]:
            self.stderr.write("请给出输出文件名，例如：manage.py household_template 户信息导入模板.xlsx")
            raise SystemExit(2)
        write_template(options["out"])
        self.stdout.write(f"已生成 {options['out']}")


def columns_markdown() -> str:
    lines = []
    for sheet in SHEETS:
        aliases = "、".join(sheet.aliases)
        lines += [f"### {sheet.name}{'（必需）' if sheet.required else '（可选）'}", "", f"表名别名：{aliases}", ""]
        lines += ["| 列 | 必填 | 别名 | 说明 |", "|---|---|---|---|"]
        for column in sheet.columns:
            lines.append(
                f"| {column.header} | {'是' if column.required else ''} | {'、'.join(column.aliases)} | {column.note} |"
            )
        lines.append("")
    return "\n".join(lines)
