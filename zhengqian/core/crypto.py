"""Field encryption for personal data (design §5): AES-GCM at rest, HMAC for exact lookup."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_VERSION = "v1"


def _master_key() -> bytes:
    raw = settings.FIELD_ENCRYPTION_KEY.strip()
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        try:
            key = base64.b64decode(raw, validate=True)
        except binascii.Error as exc:
            raise ValueError("FIELD_ENCRYPTION_KEY must be 32 bytes in hex or base64") from exc
    if len(key) != 32:
        raise ValueError("FIELD_ENCRYPTION_KEY must be 32 bytes in hex or base64")
    return key


@lru_cache(maxsize=4)
def _derived(purpose: bytes, master: bytes) -> bytes:
    # Separate keys for encryption and lookup, so one can never be used as the other.
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=b"zhengqian:" + purpose).derive(master)


def encrypt(plaintext: str) -> str:
    """AES-256-GCM with a random 96-bit nonce; returns 'v1:' + base64(nonce || ciphertext)."""
    key = _derived(b"enc", _master_key())
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), _VERSION.encode())
    return f"{_VERSION}:" + base64.b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    version, _, body = token.partition(":")
    if version != _VERSION:
        raise ValueError("unknown ciphertext version")
    blob = base64.b64decode(body)
    key = _derived(b"enc", _master_key())
    return AESGCM(key).decrypt(blob[:12], blob[12:], version.encode()).decode("utf-8")


def lookup_hash(value: str) -> str:
    """Keyed HMAC-SHA256 of a normalised value: equal inputs match, the value is not revealed."""
    key = _derived(b"mac", _master_key())
    return hmac.new(key, value.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """'110101199003071234' -> '110***********1234' (first 3 and last 4 kept)."""
    value = value.strip()
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(name: str) -> str:
    """'张三' -> '张*', '欧阳娜娜' -> '欧***': the family name's first character only."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)
