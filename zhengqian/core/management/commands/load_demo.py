"""Load the demo data set (idempotent). Each app may ship `demo.py` with `load(log)`;
they run in INSTALLED_APPS order, so later apps can build on earlier ones."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from zhengqian.core import demo


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）"

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("zhengqian.") or find_spec(f"{config.name}.demo") is None:
                    continue
                module = import_module(f"{config.name}.demo")
                module.load(lambda line, label=config.verbose_name: self.stdout.write(f"[{label}] {line}"))
        self.stdout.write("演示登录（http://127.0.0.1:8000）：")
        for line in demo.logins():
            self.stdout.write(line)
