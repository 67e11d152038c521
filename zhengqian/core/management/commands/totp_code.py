"""Print a user's current TOTP code. Development only: refused unless DEBUG is on."""

from __future__ import annotations

from typing import Any

import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengqian.core import actions, clock
from zhengqian.core.models import User


class Command(BaseCommand):
    help = "显示用户当前的动态口令（仅开发环境）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("仅在开发环境（DEBUG）下可用")
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not actions.totp_secret(user):
            raise CommandError("用户不存在或未设置动态口令")
        self.stdout.write(pyotp.TOTP(actions.totp_secret(user)).at(clock.now()))
