"""Password rule beyond Django's: letters and digits at least (等保 2.0 口令复杂度)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    def validate(self, password: str, user: Any = None) -> None:
        has_letter = any(c.isalpha() for c in password)
        has_digit = any(c.isdigit() for c in password)
        has_other = any(not c.isalnum() for c in password)
        if sum([has_letter, has_digit, has_other]) < 2 or not has_letter:
            raise ValidationError("密码须同时包含字母和数字（或符号）。", code="password_classes")

    def get_help_text(self) -> str:
        return "密码须同时包含字母和数字（或符号）。"


class MinimumLengthValidator:
    """Django's length rule, with the message in Chinese (its zh-hans catalogue lacks this one)."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短，至少需要 {self.min_length} 个字符。", code="password_too_short")

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
