"""Archive packages (banan-2015 (七) 档案管理): a project package, or one household's dossier,
as a ZIP with a PDF index, every document, every evidence file, ``manifest.json`` (path, size,
SHA-256 and title of each file), ``SHA256SUMS`` (coreutils format) and the stdlib-only
``archive_verify.py``. The SHA-256 of SHA256SUMS is the package's seal: it is written to the
audit log when the package is built, so an auditor can check a package offline against it."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from zhengqian.core import clock
from zhengqian.core.evidence import evidence_read
from zhengqian.core.models import EvidenceFile, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import InvalidInput
from zhengqian.households.models import Household
from zhengqian.projects.models import Project

from .models import RenderedDocument
from .numbering import next_number
from .render import html_to_pdf
from .storage import store_rendered

ARCHIVE_KINDS = ("archive", "dossier")
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Entry:
    path: str
    title: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._")[:120] or "file"


class _Collector:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self._paths: set[str] = set()
        self._files: set[tuple[str, int]] = set()

    def add_file(self, folder: str, file: EvidenceFile, title: str) -> None:
        if (folder, file.pk) in self._files:
            return
        self._files.add((folder, file.pk))
        path = f"{folder}/{file.sha256[:10]}-{_safe(file.original_name)}"
        if path not in self._paths:
            self._paths.add(path)
            self.entries.append(Entry(path, title, evidence_read(file)))


def _collect(project: Project, household: Household | None) -> _Collector:
    from zhengqian.compensation.models import Agreement
    from zhengqian.procedure.models import DocumentEvidence, ProcedureDocument, StepEvidence

    out = _Collector()
    documents = ProcedureDocument.objects.filter(project=project).select_related("pdf").order_by("kind", "year", "seq")
    steps = StepEvidence.objects.filter(step__project=project).select_related("file", "step").order_by("id")
    rendered = RenderedDocument.objects.filter(project=project).exclude(kind__in=ARCHIVE_KINDS).select_related("file")
    agreements = Agreement.objects.filter(project=project, signed_copy__isnull=False).select_related("signed_copy")
    if household is not None:
        documents = documents.filter(household=household)
        steps = steps.filter(step__household=household)
        rendered = rendered.filter(household=household)
        agreements = agreements.filter(household=household)
    for document in documents:
        out.add_file("documents/procedure", document.pdf, f"{document.title} {document.number}")
        for item in DocumentEvidence.objects.filter(document=document).select_related("file"):
            out.add_file("evidence", item.file, f"{document.number} {item.get_kind_display()}")
    for item in steps:
        out.add_file("evidence", item.file, f"步骤 {item.step.code} {item.get_kind_display()}")
    for doc in rendered.order_by("id"):
        out.add_file("documents/rendered", doc.file, f"{doc.title}{' ' + doc.number if doc.number else ''}")
    for agreement in agreements:
        assert agreement.signed_copy is not None
        out.add_file("evidence", agreement.signed_copy, f"{agreement.number} 签字件")
    return out


def _readme(title: str, number: str) -> str:
    return (
        f"{title} {number}\n\n"
        "核验方法（离线，无需本系统）：\n"
        "  python3 archive_verify.py 本档案包.zip --seal <审计日志中 document.render 事件记录的 sums_sha256>\n"
        "或解压后在目录内执行：sha256sum -c SHA256SUMS\n"
        "manifest.json 列出每个文件的路径、字节数与 SHA-256；index.pdf 为目录。\n"
    )


def build_zip(*, title: str, number: str, entries: list[Entry]) -> tuple[bytes, str]:
    """The package bytes and its seal (SHA-256 of SHA256SUMS)."""
    created_at = clock.now()
    index_html = render_to_string("documents/pdf/archive_index.html", {
        "title": title, "number": number, "created_at": created_at,
        "files": [{"path": e.path, "title": e.title, "size": len(e.data), "sha256": e.sha256} for e in entries],
    })
    files = [Entry("index.pdf", "档案目录", html_to_pdf(index_html)), *entries]
    manifest = json.dumps({
        "format": "zhengqian-archive/1", "title": title, "number": number, "created_at": created_at.isoformat(),
        "files": [{"path": e.path, "size": len(e.data), "sha256": e.sha256, "title": e.title} for e in files],
    }, ensure_ascii=False, indent=1).encode("utf-8")
    sums_lines = [f"{e.sha256}  {e.path}" for e in files]
    sums_lines.append(f"{hashlib.sha256(manifest).hexdigest()}  manifest.json")
    sums = ("\n".join(sums_lines) + "\n").encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in files:
            archive.writestr(entry.path, entry.data)
        archive.writestr("manifest.json", manifest)
        archive.writestr("SHA256SUMS", sums)
        archive.writestr("README.txt", _readme(title, number).encode("utf-8"))
        archive.writestr("archive_verify.py", (Path(__file__).parent / "archive_verify.py").read_bytes())
    return buffer.getvalue(), hashlib.sha256(sums).hexdigest()


def _check(actor: User, project: Project) -> None:
    from zhengqian.projects.selectors import projects_for

    require(actor, "archive.build")
    if not isinstance(project, Project) or not projects_for(user=actor).filter(pk=project.pk).exists():
        raise InvalidInput("征地项目不存在或不在您的辖区。", field="project")


def archive_build(*, actor: User, project: Project) -> RenderedDocument:
    """The project archive package (banan-2015 (七)), numbered 〔年〕N号 and stored."""
    _check(actor, project)
    with transaction.atomic():
        _, number = next_number(scope=project.code, kind="archive", year=clock.today().year, prefix=f"{project.code}档")
        title = f"{project.name} 征地档案包"
        content, seal = build_zip(title=title, number=number, entries=_collect(project, None).entries)
        return store_rendered(actor=actor, content=content, filename=f"档案包-{project.code}-{number}.zip",
                              kind="archive", title=title, number=number, project=project, source=project,
                              jurisdiction_path=project.district.path, extra={"sums_sha256": seal})


def dossier_build(*, actor: User, household: Household) -> RenderedDocument:
    """One household's dossier (一户一档): its documents, evidence and index."""
    project = household.project
    _check(actor, project)
    if not (actor.scope_path and household.village.path.startswith(actor.scope_path)):
        raise InvalidInput("该户不存在或不在您的辖区。", field="household")
    with transaction.atomic():
        year = clock.today().year
        _, number = next_number(scope=project.code, kind="dossier", year=year, prefix=f"{project.code}户档")
        title = f"{project.name} {household.code} {household.head_name} 一户一档"
        content, seal = build_zip(title=title, number=number, entries=_collect(project, household).entries)
        return store_rendered(actor=actor, content=content, filename=f"一户一档-{household.code}.zip",
                              kind="dossier", title=title, number=number, project=project, household=household,
                              source=household, jurisdiction_path=household.village.path,
                              extra={"sums_sha256": seal})


def seal_of(document: RenderedDocument) -> str:
    """The seal recorded in the audit log when ``document`` was built."""
    from zhengqian.core.models import AuditEvent

    event: Any = AuditEvent.objects.filter(action="document.render", object_type="documents.rendereddocument",
                                           object_id=str(document.pk)).first()
    return str((event.after or {}).get("sums_sha256", "")) if event else ""
