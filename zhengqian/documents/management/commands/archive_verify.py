"""manage.py archive_verify <package.zip> [--seal SHA256]: the offline check of an archive
package (same code as the standalone zhengqian/documents/archive_verify.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengqian.documents.archive_verify import verify


class Command(BaseCommand):
    help = "核验档案包：每个文件的 SHA-256 与 manifest.json / SHA256SUMS 一致（可选核对审计日志中的封存哈希）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package")
        parser.add_argument("--seal", default="", help="审计日志记录的 SHA256SUMS 哈希")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = verify(options["package"], options["seal"])
        except Exception as exc:
            raise CommandError(f"无法读取档案包: {exc}") from exc
        for problem in report.problems:
            self.stdout.write(problem)
        if not report.intact:
            raise CommandError(f"核验不通过: {len(report.problems)} 处问题")
        self.stdout.write(f"OK 核验通过: {report.checked} 个文件与清单一致; SHA256SUMS {report.sums_sha256}")
