"""Helpers of the procedure tests: evidence uploads and walking a project through its pack."""

from __future__ import annotations

from datetime import date

from zhengqian.core import clock
from zhengqian.procedure.actions import Upload

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001f5a0d2d70000000049454e44ae426082"
)


def upload(kind: str, name: str = "", content: bytes = b"") -> Upload:
    """A small file standing in for a scanned document / photo of ``kind``."""
    if kind == "photo":
        return Upload("photo", content or PNG + kind.encode(), name or "现场照片.png", "image/png")
    body = content or f"%PDF-1.4 {kind} {name}".encode()
    return Upload(kind, body, name or f"{kind}.pdf", "application/pdf")


def uploads_for(project, code: str, *, salt: str = "") -> list[Upload]:
    from zhengqian.procedure.engine import pack_of

    return [
        upload(kind, content=f"{code}-{kind}-{salt}".encode() + (PNG if kind == "photo" else b""))
        for kind in pack_of(project).step(code).evidence
    ]


def complete(actor, project, code: str, on: str, household=None, **extra):
    """Complete ``code`` on ``on`` with the clock frozen that day and all its evidence."""
    from zhengqian.procedure.actions import step_complete

    with clock.frozen(on):
        return step_complete(
            actor=actor,
            project=project,
            code=code,
            done_on=on,
            household=household,
            uploads=uploads_for(project, code, salt=f"{household.pk if household else ''}{on}"),
            **extra,
        )


def fact(actor, project, code: str, on: str = "2026-01-02", value: bool = True):
    from zhengqian.procedure.actions import fact_record

    with clock.frozen(on):
        return fact_record(
            actor=actor,
            project=project,
            code=code,
            value=value,
            reason="测试登记",
            upload=upload("document", content=f"fact-{code}-{project.pk}".encode()) if value else None,
        )


def d(text: str) -> date:
    return date.fromisoformat(text)


def force_done(project, codes, on: str, household=None):
    """Record steps done directly (setting up a later stage without its paperwork); the
    governing deadlines are refreshed as an action would."""
    from zhengqian.procedure import engine
    from zhengqian.procedure.models import ProcedureStep

    pack = engine.pack_of(project)
    engine.ensure_project_steps(project, pack)
    if household is not None:
        engine.ensure_household_steps(project, pack, [household])
    ProcedureStep.objects.filter(project=project, household=household, code__in=codes).update(
        status="done", done_on=date.fromisoformat(on)
    )
    engine.refresh_project(project, pack)
    if household is not None:
        engine.refresh_household(household, pack)
