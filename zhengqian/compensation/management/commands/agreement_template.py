"""Write the agreement .docx template (docxtpl tags) for an office to adapt; point
settings.COMPENSATION_AGREEMENT_DOCX at the edited file to use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhengqian.compensation.documents import build_agreement_template


class Command(BaseCommand):
    help = "生成补偿协议 Word 模板（docxtpl 标签），供修改后通过 COMPENSATION_AGREEMENT_DOCX 使用"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default="agreement-template.docx", help="输出文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        path.write_bytes(build_agreement_template())
        self.stdout.write(f"已写出 {path}（{path.stat().st_size} 字节）")
