"""QR codes printed on notices, pointing at the notice's public page (issue 11 §5)."""

from __future__ import annotations

import base64
import io

from django.conf import settings


def public_url(path: str) -> str:
    """An absolute address on the public portal (settings.PUBLIC_BASE_URL + path)."""
    base = str(getattr(settings, "PUBLIC_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    return base + path


def qr_png(text: str) -> bytes:
    import qrcode

    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(text: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(text)).decode("ascii")
