"""Issue an API token for a user (printed on the last line), list or revoke tokens."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengqian.core import actions
from zhengqian.core.models import ApiToken, User


class Command(BaseCommand):
    help = "签发 API 令牌（最后一行为令牌），或 --list / --revoke PREFIX"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="用途说明")
        parser.add_argument("--revoke", metavar="PREFIX", help="吊销以此前缀开头的令牌")
        parser.add_argument("--list", action="store_true", help="列出该用户的令牌")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['username']}")
        if options["list"]:
            for token in ApiToken.objects.filter(user=user).order_by("created_at"):
                state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}\t{token.created_at:%Y-%m-%d %H:%M}\t{state}\t{token.name}")
            return
        if options["revoke"]:
            tokens = ApiToken.objects.filter(user=user, prefix__startswith=options["revoke"], revoked_at__isnull=True)
            if not tokens:
                raise CommandError("没有匹配的有效令牌")
            for token in tokens:
                actions.api_token_revoke(actor=None, token=token)
                self.stdout.write(f"revoked {token.prefix}")
            return
        _, plain = actions.api_token_create(actor=None, user=user, name=options["name"])
        self.stdout.write(plain)
