"""Keeping rendered files (banan-2015 (七) 档案; putian-2014 (九) 证据固定): every file the
service renders goes into the evidence store by its SHA-256 and gets a ``RenderedDocument`` row
and an audit event ``document.render`` naming the hash, so the audit chain lists it."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from zhengqian.core import audit, clock
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import User
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from .models import RenderedDocument

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
    "html": "text/html; charset=utf-8",
}


def source_label(obj: models.Model | None) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else ""


def store_rendered(
    *,
    actor: User,
    content: bytes,
    filename: str,
    kind: str,
    title: str,
    number: str = "",
    project: Project | None = None,
    household: Household | None = None,
    source: models.Model | None = None,
    jurisdiction_path: str = "",
    content_type: str = "",
    extra: dict[str, Any] | None = None,
) -> RenderedDocument:
    """Store ``content`` by SHA-256 and list it in the audit chain (one transaction; joins the
    caller's when there is one, so a failed issue stores nothing)."""
    extension = filename.rsplit(".", 1)[-1].lower()
    with transaction.atomic():
        file = evidence_store(
            actor=actor,
            content=content,
            original_name=filename,
            content_type=content_type or CONTENT_TYPES.get(extension, "application/octet-stream"),
            jurisdiction_path=jurisdiction_path,
        )
        document = RenderedDocument.objects.create(
            kind=kind,
            title=title[:200],
            number=number,
            project=project,
            household=household,
            file=file,
            source=source_label(source),
            jurisdiction_path=jurisdiction_path,
            rendered_by=actor,
            rendered_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="document.render",
            obj=document,
            after={
                "kind": kind,
                "number": number,
                "sha256": file.sha256,
                "size": file.size,
                "filename": filename,
                "source": document.source,
                **(extra or {}),
            },
            jurisdiction_path=jurisdiction_path,
            object_label=str(document),
        )
    return document
