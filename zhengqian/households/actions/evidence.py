"""Evidence (证据) on a household or one of its items, labelled with who, when and where
(putian-2014 (九))."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from zhengqian.core import audit, clock
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import Jurisdiction, User
from zhengqian.core.permissions import require
from zhengqian.domain.errors import InvalidInput
from zhengqian.projects.models import Project

from ..models import (
    Attachment,
    Building,
    Crop,
    EvidenceLink,
    Household,
    HouseholdMember,
    Parcel,
    SurveyRecord,
)
from .common import (
    _check_household_access,
    _in_scope,
    _text,
)

# --- evidence (putian-2014 (九)) ----------------------------------------------------------


def evidence_attach(
    *,
    actor: User,
    target: models.Model,
    content: bytes,
    original_name: str,
    taken_by: str,
    taken_at: datetime | str,
    place: str,
    content_type: str = "application/octet-stream",
    caption: str = "",
) -> EvidenceLink:
    """Attach a photo or file to a household, member, item or survey, labelled with who took
    it, when and where ("证据信息要标注完整", putian-2014 (九))."""
    household = _target_household(target)
    project = Project.objects.get(pk=target.project_id) if household is None else household.project
    if household is not None:
        household = _check_household_access(actor, household)
        path = household.village.path
    else:
        require(actor, "household.edit")
        path = Jurisdiction.objects.get(pk=target.village_id).path  # type: ignore[attr-defined]
        if not _in_scope(actor, path):
            raise InvalidInput("该地块不在您的辖区。", field="target")
    taken_by = _text(taken_by, "taken_by", "拍摄/记录人", 60, required=True)
    place = _text(place, "place", "地点", 200, required=True)
    caption = _text(caption, "caption", "说明", 500)
    if isinstance(taken_at, str):
        try:
            taken_at = datetime.fromisoformat(taken_at.strip())
        except ValueError:
            raise InvalidInput("拍摄时间格式应为 YYYY-MM-DD HH:MM。", field="taken_at") from None
    if not isinstance(taken_at, datetime):
        raise InvalidInput("请填写拍摄/记录时间。", field="taken_at")
    if taken_at.tzinfo is None:
        taken_at = taken_at.replace(tzinfo=clock.LOCAL_ZONE)
    if taken_at > clock.now():
        raise InvalidInput("拍摄时间不能晚于现在。", field="taken_at")
    with transaction.atomic():
        stored = evidence_store(
            actor=actor, content=content, original_name=original_name, content_type=content_type,
            taken_at=taken_at, place=place, note=caption, jurisdiction_path=path,
        )
        kind = ContentType.objects.get_for_model(type(target))
        if EvidenceLink.objects.filter(file=stored, content_type=kind, object_id=target.pk).exists():
            raise InvalidInput("同一文件已附在该记录上。", field="file")
        link = EvidenceLink.objects.create(
            file=stored, content_type=kind, object_id=target.pk, household=household, project=project,
            jurisdiction_path=path, taken_by=taken_by, taken_at=taken_at, place=place, caption=caption,
            created_by=actor, created_at=clock.now(),
        )
        audit.record(
            actor=actor, action="evidence.attach", obj=link,
            after={"file": stored.sha256, "target": f"{kind.model}:{target.pk}", "taken_by": taken_by,
                   "taken_at": taken_at, "place": place, "caption": caption},
            jurisdiction_path=path, object_label=f"{target} 证据",
        )
    return link


def _target_household(target: models.Model) -> Household | None:
    if isinstance(target, Household):
        return target
    if isinstance(target, Parcel):
        return None
    if isinstance(target, HouseholdMember | Building | Attachment | Crop | SurveyRecord):
        return Household.objects.select_related("project").get(pk=target.household_id)
    raise InvalidInput("不能在该类记录上附加证据。", field="target")
