"""manage.py policy_show PACK: every step, deadline, gate, threshold and rule of a policy pack
with its clause and quote, as the 政策包 page shows them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengqian.domain.errors import PolicyError
from zhengqian.domain.policy import available_packs, format_pack, load_pack


class Command(BaseCommand):
    help = "列出政策包的步骤、期限、关口、阈值和规则（附条款与原文摘录）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pack", help="政策包代码，如 putian-2014")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["pack"]
        packs = available_packs()
        if code not in packs:
            raise CommandError(f"未知的政策包：{code}（可用：{'、'.join(packs)}）")
        try:
            pack = load_pack(code)
        except PolicyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(format_pack(pack), ending="")
