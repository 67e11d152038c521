"""manage.py lookup_code <project code> <household code>: print the household's self-lookup
code (the one printed on its 补偿信息查询告知单)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengqian.households.models import Household
from zhengqian.public.codes import lookup_code


class Command(BaseCommand):
    help = "打印某户的自助查询码"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project")
        parser.add_argument("household")

    def handle(self, *args: Any, **options: Any) -> None:
        household = Household.objects.filter(project__code=options["project"], code=options["household"]).first()
        if household is None:
            raise CommandError("未找到该户。")
        code = lookup_code(household.pk)
        self.stdout.write(f"{code[:4]}-{code[4:]}")
