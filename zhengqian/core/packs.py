"""The policy packs shipped in zhengqian/policies, loaded once per process."""

from __future__ import annotations

from functools import cache

from zhengqian.domain.errors import InvalidInput
from zhengqian.domain.policy import PolicyPack, available_packs, load_pack


@cache
def pack(code: str) -> PolicyPack:
    return load_pack(code)


def pack_choices() -> list[tuple[str, str]]:
    """(code, Chinese title) of every pack a project can be bound to."""
    return [(code, f"{pack(code).name}（{code}）") for code in available_packs()]


def require_pack(code: str) -> PolicyPack:
    if code not in available_packs():
        raise InvalidInput(f"未知的政策包：{code}", field="policy_pack")
    return pack(code)
