"""Recompute the audit hash chain: exit 0 and the count when intact, exit 1 naming the
first broken event otherwise."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from zhengqian.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链"

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.intact:
            self.stdout.write(f"OK {report.count} events")
            return
        self.stderr.write(
            f"BROKEN at event id={report.first_broken_id} seq={report.first_broken_seq}: {report.problem} "
            f"({report.count} events intact before it)"
        )
        sys.exit(1)
