"""Daily, next to ``procedure_scan``: notify newly overdue tasks and incidents whose leaders are
not on site in time (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhengqian.coordination.actions_petitions import coordination_scan


class Command(BaseCommand):
    help = "检查逾期任务和超时未到场的突发事件，发送站内通知（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        tasks, incidents = coordination_scan()
        self.stdout.write(f"新增逾期任务 {tasks} 项；超时未到场事件 {incidents} 起。")
