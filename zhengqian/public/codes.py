"""The code printed on a household's notice, its second factor for the self-lookup.

Derived from the household's id with a keyed HMAC (core.crypto.lookup_hash, key from
FIELD_ENCRYPTION_KEY): nothing secret is stored, the code cannot be guessed from the
household's number, and the office can print it again at any time."""

from __future__ import annotations

import hmac

from zhengqian.core import crypto

# No 0/O, 1/I/L: the code is read off paper and typed on a phone.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def lookup_code(household_id: int) -> str:
    digest = int(crypto.lookup_hash(f"public-lookup-code:{household_id}"), 16)
    chars = []
    for _ in range(LENGTH):
        digest, index = divmod(digest, len(_ALPHABET))
        chars.append(_ALPHABET[index])
    return "".join(chars)


def normalise(value: str) -> str:
    """Full-width to half-width, spaces and dashes out, upper case: how people type codes."""
    out = []
    for char in value or "":
        code = ord(char)
        if 0xFF01 <= code <= 0xFF5E:
            char = chr(code - 0xFEE0)
        if char.isspace() or char in "-_":
            continue
        out.append(char.upper())
    return "".join(out)


def code_matches(household_id: int, value: str) -> bool:
    return hmac.compare_digest(lookup_code(household_id).encode(), normalise(value).encode("utf-8"))
