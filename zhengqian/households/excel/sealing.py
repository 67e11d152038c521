"""ID numbers sealed in bulk: core.crypto's encrypt and lookup_hash for many values at once.

core.crypto derives its keys from the settings on every call, which is most of the cost when
an import seals 150,000 numbers. `Sealer` derives them once with core.crypto's own functions
and writes the same format; before use it proves that core.crypto decrypts what it sealed and
computes the same lookup hash, and falls back to core.crypto if not (a changed format).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from zhengqian.core import crypto

_PROBE = "11010519491231002X"


class Sealer:
    encrypt: Callable[[str], str]
    lookup_hash: Callable[[str], str]

    def __init__(self) -> None:
        self.encrypt, self.lookup_hash = crypto.encrypt, crypto.lookup_hash
        try:
            master = crypto._master_key()
            version = crypto._VERSION
            aes = AESGCM(crypto._derived(b"enc", master))
            mac_key = crypto._derived(b"mac", master)
        except AttributeError:  # core.crypto changed shape: use it as it is
            return
        associated = version.encode()
        prefix = f"{version}:"

        def encrypt(plaintext: str) -> str:
            nonce = os.urandom(12)
            return prefix + base64.b64encode(nonce + aes.encrypt(nonce, plaintext.encode("utf-8"), associated)).decode()

        keyed = hmac.new(mac_key, digestmod=hashlib.sha256)  # the key's pads hashed once

        def lookup_hash(value: str) -> str:
            mac = keyed.copy()
            mac.update(value.strip().upper().encode("utf-8"))
            return mac.hexdigest()

        try:
            same = crypto.decrypt(encrypt(_PROBE)) == _PROBE and lookup_hash(_PROBE) == crypto.lookup_hash(_PROBE)
        except Exception:  # any doubt: the slow, certain path
            same = False
        if same:
            self.encrypt, self.lookup_hash = encrypt, lookup_hash
