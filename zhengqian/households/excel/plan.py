"""What validation works with and produces: the places a workbook may name, what the project
already holds, the context of one run and the resulting `Plan` (validate.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zhengqian.core import clock
from zhengqian.core.models import Jurisdiction, JurisdictionLevel

from .issues import CellError, Issue
from .sealing import Sealer


@dataclass
class Places:
    """The villages and groups a workbook may name: those of the project's townships."""

    townships: dict[str, Jurisdiction]  # normalised name or code -> township
    villages_by_code: dict[str, Jurisdiction]
    villages_by_name: dict[str, list[Jurisdiction]]
    groups: dict[int, dict[str, Jurisdiction]]  # village id -> name or code -> group
    scope_path: str
    # Answers (a place or the CellError) per name as written: a workbook names a few dozen
    # places on tens of thousands of rows.
    _villages: dict[tuple[str, str], Jurisdiction | CellError] = field(default_factory=dict, init=False, repr=False)
    _groups: dict[tuple[int, str], Jurisdiction | CellError] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def for_project(cls, townships: list[Jurisdiction], scope_path: str) -> Places:
        township_ids = [t.pk for t in townships]
        villages = list(
            Jurisdiction.objects.filter(parent_id__in=township_ids, level=JurisdictionLevel.VILLAGE).select_related(
                "parent"
            )
        )
        groups: dict[int, dict[str, Jurisdiction]] = defaultdict(dict)
        for group in Jurisdiction.objects.filter(
            parent_id__in=[v.pk for v in villages], level=JurisdictionLevel.GROUP
        ):
            groups[group.parent_id][group.code] = group
            groups[group.parent_id][_norm(group.name)] = group
        by_name: dict[str, list[Jurisdiction]] = defaultdict(list)
        for village in villages:
            by_name[_norm(village.name)].append(village)
        lookup_townships = {}
        for township in townships:
            lookup_townships[township.code] = township
            lookup_townships[_norm(township.name)] = township
        return cls(
            townships=lookup_townships,
            villages_by_code={v.code: v for v in villages},
            villages_by_name=dict(by_name),
            groups=dict(groups),
            scope_path=scope_path,
        )

    def village(self, name: str, township_name: str) -> Jurisdiction:
        key = (name, township_name)
        answer = self._villages.get(key)
        if answer is None:
            try:
                answer = self._village(name, township_name)
            except CellError as problem:
                answer = problem
            self._villages[key] = answer
        if isinstance(answer, CellError):
            raise CellError(answer.message)
        return answer

    def _village(self, name: str, township_name: str) -> Jurisdiction:
        township = None
        if township_name:
            township = self.townships.get(township_name) or self.townships.get(_norm(township_name))
            if township is None:
                raise CellError(f"镇街“{township_name}”不是本项目涉及的镇街。")
        found = self.villages_by_code.get(name)
        candidates = [found] if found else self.villages_by_name.get(_norm(name), [])
        if township is not None:
            candidates = [v for v in candidates if v.parent_id == township.pk]
        if not candidates:
            where = f"镇街“{township.name}”" if township else "本项目涉及的镇街"
            raise CellError(f"村/社区“{name}”不在{where}内。")
        if len(candidates) > 1:
            names = "、".join(v.parent.name for v in candidates)
            raise CellError(f"村/社区“{name}”在{names}都有，请填写“镇街”列或区划代码。")
        village = candidates[0]
        if not village.path.startswith(self.scope_path):
            raise CellError(f"村/社区“{name}”不在您的管辖范围内。")
        return village

    def group(self, village: Jurisdiction, name: str) -> Jurisdiction:
        key = (village.pk, name)
        answer = self._groups.get(key)
        if answer is None:
            try:
                answer = self._group(village, name)
            except CellError as problem:
                answer = problem
            self._groups[key] = answer
        if isinstance(answer, CellError):
            raise CellError(answer.message)
        return answer

    def _group(self, village: Jurisdiction, name: str) -> Jurisdiction:
        found = self.groups.get(village.pk, {}).get(name) or self.groups.get(village.pk, {}).get(_norm(name))
        if found is None:
            raise CellError(f"村民小组“{name}”不在{village.name}下。")
        return found


@dataclass
class Existing:
    """What the project already holds, for duplicate checks against the database."""

    household_codes: set[str] = field(default_factory=set)
    parcel_codes: set[str] = field(default_factory=set)
    building_codes: set[str] = field(default_factory=set)
    attachment_codes: set[str] = field(default_factory=set)
    crop_codes: set[str] = field(default_factory=set)
    id_hashes: dict[str, str] = field(default_factory=dict)  # id hash -> household code


@dataclass
class Context:
    places: Places
    existing: Existing
    this_year: int
    sealer: Sealer = field(default_factory=Sealer)
    today: date = field(default_factory=clock.today)


@dataclass
class Plan:
    households: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> fields
    members: list[dict[str, Any]] = field(default_factory=list)
    parcels: dict[str, dict[str, Any]] = field(default_factory=dict)
    buildings: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    crops: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    issue_total: int = 0

    @property
    def ok(self) -> bool:
        return self.issue_total == 0

    def counts(self) -> dict[str, int]:
        return {
            "households": len(self.households),
            "members": len(self.members),
            "parcels": len(self.parcels),
            "buildings": len(self.buildings),
            "attachments": len(self.attachments),
            "crops": len(self.crops),
        }


def _norm(text: str) -> str:
    return "".join(str(text).split()).lower()
