"""The evidence store (putian-2014 (八)(九): 全过程记录, 证据固定).

A file is kept once, by the SHA-256 of its bytes, under
`settings.EVIDENCE_ROOT/<first two hex digits>/<sha256>`; storing the same bytes again returns
the existing record. Each new file is an audit event, so the store is listed in the chain.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from zhengqian.domain.errors import InvalidInput

from . import audit, clock
from .models import EvidenceFile, User

MAX_BYTES = 50 * 1024 * 1024


def evidence_path(sha256: str) -> Path:
    return Path(settings.EVIDENCE_ROOT) / sha256[:2] / sha256


def evidence_read(evidence: EvidenceFile) -> bytes:
    return evidence_path(evidence.sha256).read_bytes()


def _write_once(sha256: str, content: bytes) -> None:
    target = evidence_path(sha256)
    if target.exists() and target.stat().st_size == len(content):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def evidence_store(
    *,
    actor: User,
    content: bytes,
    original_name: str,
    content_type: str = "application/octet-stream",
    taken_at: datetime | None = None,
    place: str = "",
    note: str = "",
    jurisdiction_path: str = "",
) -> EvidenceFile:
    """Keep `content` as evidence; the same bytes stored twice give the same record."""
    if not content:
        raise InvalidInput("文件为空。", field="file")
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB。", field="file")
    name = os.path.basename((original_name or "").replace("\\", "/")).strip()[:255] or "未命名"
    sha256 = hashlib.sha256(content).hexdigest()
    existing = EvidenceFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    _write_once(sha256, content)
    with transaction.atomic():
        evidence = EvidenceFile(
            sha256=sha256,
            original_name=name,
            content_type=(content_type or "application/octet-stream")[:100],
            size=len(content),
            uploaded_by=actor,
            uploaded_at=clock.now(),
            taken_at=taken_at,
            place=place[:200],
            note=note[:500],
        )
        try:
            with transaction.atomic():
                evidence.save(force_insert=True)
        except IntegrityError:
            # Stored by someone else in the meantime: same bytes, same record.
            return EvidenceFile.objects.get(sha256=sha256)
        audit.record(
            actor=actor,
            action="evidence.store",
            obj=evidence,
            after={"sha256": sha256, "original_name": name, "size": len(content)},
            jurisdiction_path=jurisdiction_path,
        )
    return evidence
