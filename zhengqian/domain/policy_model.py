"""Policy pack value objects: steps, deadlines, gates, thresholds and rules, each with its
citation (design.md §3). Reading and validating packs is in ``policy.py``; import from there."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Literal, TypeAlias, TypeVar

from zhengqian.domain.calendar import PeriodRule
from zhengqian.domain.errors import PolicyError

PACKS_DIRECTORY = Path(__file__).resolve().parent.parent / "policies"

SCOPES = ("project", "household", "forced_vacate")
DEADLINE_KINDS = ("within", "after", "at_least")
COMPARISONS = (">=", ">", "<=", "<", "==")
MAX_QUOTE_LENGTH = 60

#: Who performs a step (role codes; the glossary's parties).
ACTORS: Mapping[str, str] = {
    "approving_authority": "有批准权的人民政府（国务院或省级人民政府）",
    "district_government": "区/县人民政府（管委会）",
    "leadership_group": "征地拆迁工作领导小组",
    "leadership_office": "领导小组办公室",
    "expropriation_office": "征地办 / 征收办公室（征地实施单位）",
    "township": "镇人民政府 / 街道办事处",
    "village": "村委会 / 村民小组",
    "collective": "农村集体经济组织",
    "department": "职能部门",
    "finance": "财政部门",
    "project_owner": "业主单位 / 平台公司",
    "court": "人民法院",
    "household": "被征地农户 / 被征收人",
}

#: What a step leaves behind as proof.
EVIDENCE_KINDS: Mapping[str, str] = {
    "document": "文书",
    "photo": "照片",
    "video": "录像",
    "minutes": "会议记录 / 笔录",
    "signature_list": "签字名册",
    "service_proof": "送达回证",
    "bank_record": "银行凭证",
    "map": "图件",
}

#: Facts a gate may require, besides ``<step>_done`` for every step of the pack.
FACTS: Mapping[str, str] = {
    "funds_in_place": "征地补偿等有关费用已测算落实、足额到位",
    "funds_in_special_account": "征收补偿资金已足额缴存征地拆迁专户",
    "paid_in_full": "补偿费用已足额支付到位",
    "pledge_signed": "分管区领导和平台公司已作出书面承诺",
    "pre_clearance_approved": "先行清理已经区政府集体研究审批",
    "pre_funding_in_place": "征地拆迁前置资金已足额到位",
    "resettlement_in_place": "货币补偿或房屋产权调换等安置已落实到位",
    "social_security_funds_in_place": "被征地农民社会保障费用已足额到位",
    "social_security_funds_reviewed": "社会保障资金落实情况已经人力资源和社会保障部门审核",
    "special_account_opened": "已建立资金管理专户并按项目建立专帐",
    "standard_approved": "补偿标准已经领导小组和区政府审定",
}

THRESHOLD_UNITS: Mapping[str, str] = {
    "share": "比例",
    "households": "户",
    "persons": "人",
    "days": "日",
    "working_days": "个工作日",
    "months": "个月",
    "hours": "小时",
}

#: Rules whose ``value`` is one of a closed set (the engine branches on it).
RULE_VALUES: Mapping[str, tuple[str, ...]] = {
    "late_registration": ("waived", "survey_result_used"),
}

DeadlineKind: TypeAlias = Literal["within", "after", "at_least"]
ThresholdValue: TypeAlias = Fraction | Decimal | int

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_PACK_CODE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_RULE_TEXT = re.compile(r"^\s*([+-]?\d+)\s*([^\d\s].*?)\s*$")
_WHITESPACE = re.compile(r"\s+")
_DONE = "_done"

_SECTIONS = ("steps", "deadlines", "gates", "thresholds", "rules")
_PACK_KEYS = frozenset({"code", "name", "document", "document_title", "version", "extends", "source"})
_CITATION_KEYS = frozenset({"document", "clause", "quote"})
_STEP_KEYS = _CITATION_KEYS | {
    "name",
    "scope",
    "order",
    "actor",
    "requires",
    "evidence",
    "optional",
}
_DEADLINE_KEYS = _CITATION_KEYS | {
    "name",
    "anchor",
    "target",
    "rule",
    "kind",
    "starts_after",
}
_GATE_KEYS = _CITATION_KEYS | {"name", "step", "requires", "message"}
_THRESHOLD_KEYS = _CITATION_KEYS | {"name", "value", "comparison", "unit"}
_RULE_KEYS = _CITATION_KEYS | {"name", "text", "value"}


def normalise_text(text: str) -> str:
    """``text`` without any whitespace: how quotes are compared with their source (the texts
    break lines mid-sentence, and Chinese has no meaningful spaces)."""
    return _WHITESPACE.sub("", text)


# --------------------------------------------------------------------------- value objects


@dataclass(frozen=True, slots=True)
class Citation:
    """Where an item comes from: document short name, clause, and a verbatim quote."""

    document: str
    clause: str
    quote: str

    @property
    def label(self) -> str:
        """``"putian-2014 (四)"``, ``"实施条例 第三十一条"``."""
        return f"{self.document} {self.clause}"

    def __str__(self) -> str:
        return f"{self.label}「{self.quote}」"


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the procedure, for a project, a household or the forced-vacate chain."""

    code: str
    name: str
    scope: str
    order: int
    actor: str
    requires: tuple[str, ...]
    evidence: tuple[str, ...]
    citation: Citation
    optional: bool = False


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """A period that starts when ``anchor`` is done and bounds ``target``.

    ``kind``: ``within`` — target done on or before the due date; ``at_least`` — the anchor's
    own period (a notice's posting) lasts at least that long, so the target comes after the due
    date; ``after`` — a waiting period, the target may be taken only after the due date.
    ``starts_after`` names another deadline whose due date starts this one instead of the
    anchor's date (e.g. "补偿决定书（10日内）" counted from the end of the 7-working-day notice).
    """

    code: str
    name: str
    anchor: str
    target: str
    rule: PeriodRule
    kind: DeadlineKind
    citation: Citation
    starts_after: str | None = None

    @property
    def is_limit(self) -> bool:
        """True for ``within`` (a latest date), False for a minimum or waiting period."""
        return self.kind == "within"


@dataclass(frozen=True, slots=True)
class Gate:
    """A refusal: ``step`` may not be done until the fact ``requires`` holds."""

    code: str
    name: str
    step: str
    requires: str
    message: str
    citation: Citation

    @property
    def refusal(self) -> str:
        """The user's message with its clause: "不能发布征收土地公告：征地尚未批准（putian-2014 (四)）"."""
        return f"{self.message}（{self.citation.label}）"


@dataclass(frozen=True, slots=True)
class Threshold:
    """A number the law fixes: a quorum (2/3), a window (5 working days), a time (2 hours)."""

    code: str
    name: str
    value: ThresholdValue
    unit: str
    comparison: str
    citation: Citation

    def met_by(self, actual: ThresholdValue) -> bool:
        """Whether ``actual`` satisfies the threshold, e.g. ``Fraction(attending, total)``
        against the 2/3 assembly quorum (三分之二以上 includes 2/3 itself: ``>=``)."""
        left, right = _as_fraction(actual), _as_fraction(self.value)
        if self.comparison == ">=":
            return left >= right
        if self.comparison == ">":
            return left > right
        if self.comparison == "<=":
            return left <= right
        if self.comparison == "<":
            return left < right
        return left == right

    @property
    def display(self) -> str:
        """``"≥ 2/3"``, ``"≤ 5个工作日"``."""
        symbol = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}[self.comparison]
        unit = "" if self.unit == "share" else THRESHOLD_UNITS[self.unit]
        return f"{symbol} {self.value}{unit}"


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule that is not a date: late registration waived, one standard per project…

    ``value`` is a short machine-readable setting ("waived", "survey_result_used", "zero");
    for rules listed in :data:`RULE_VALUES` it is one of a closed set.
    """

    code: str
    name: str
    text: str
    citation: Citation
    value: str = ""


_Item = TypeVar("_Item", Step, DeadlineRule, Gate, Threshold, Rule)


@dataclass(frozen=True)
class PolicyPack:
    """A pack merged with its ancestors: the complete rules a project is bound to.

    ``lineage`` lists ``code@version`` from the root (national) pack down; ``fingerprint`` is
    the SHA-256 of the files in that order, so a project can tell if its pack was edited.
    """

    code: str
    name: str
    document: str
    document_title: str
    version: str
    extends: str | None
    steps: tuple[Step, ...]
    deadlines: tuple[DeadlineRule, ...]
    gates: tuple[Gate, ...]
    thresholds: tuple[Threshold, ...]
    rules: tuple[Rule, ...]
    lineage: tuple[str, ...] = ()
    fingerprint: str = ""

    @cached_property
    def _steps(self) -> dict[str, Step]:
        return {item.code: item for item in self.steps}

    @cached_property
    def _deadlines(self) -> dict[str, DeadlineRule]:
        return {item.code: item for item in self.deadlines}

    @cached_property
    def _gates(self) -> dict[str, Gate]:
        return {item.code: item for item in self.gates}

    @cached_property
    def _thresholds(self) -> dict[str, Threshold]:
        return {item.code: item for item in self.thresholds}

    @cached_property
    def _rules(self) -> dict[str, Rule]:
        return {item.code: item for item in self.rules}

    def _lookup(self, index: Mapping[str, _Item], code: str, what: str) -> _Item:
        try:
            return index[code]
        except KeyError:
            raise PolicyError(f"策略包 {self.code} 中没有{what}：{code}", field=code) from None

    def has_step(self, code: str) -> bool:
        return code in self._steps

    def step(self, code: str) -> Step:
        return self._lookup(self._steps, code, "步骤")

    def deadline(self, code: str) -> DeadlineRule:
        return self._lookup(self._deadlines, code, "期限")

    def gate(self, code: str) -> Gate:
        return self._lookup(self._gates, code, "关口")

    def threshold(self, code: str) -> Threshold:
        return self._lookup(self._thresholds, code, "阈值")

    def rule(self, code: str) -> Rule:
        return self._lookup(self._rules, code, "规则")

    def has_rule(self, code: str) -> bool:
        return any(rule.code == code for rule in self.rules)

    def rule_value(self, code: str) -> str | None:
        """The rule's closed-set value (e.g. late_registration = waived), None if absent."""
        return self.rule(code).value if self.has_rule(code) else None

    def steps_for(self, scope: str) -> tuple[Step, ...]:
        """The steps of one scope, in procedure order."""
        if scope not in SCOPES:
            raise PolicyError(f"未知的步骤范围：{scope}（应为 {'、'.join(SCOPES)}）", field="scope")
        return tuple(sorted((s for s in self.steps if s.scope == scope), key=_step_key))

    def gates_for(self, step: str) -> tuple[Gate, ...]:
        """The gates guarding ``step``."""
        self.step(step)
        return tuple(gate for gate in self.gates if gate.step == step)

    def deadlines_for(self, target: str) -> tuple[DeadlineRule, ...]:
        """The deadlines bounding ``target``."""
        self.step(target)
        return tuple(item for item in self.deadlines if item.target == target)

    def facts(self) -> tuple[str, ...]:
        """Every fact a gate of this pack may require: :data:`FACTS` and ``<step>_done``."""
        return tuple(sorted({*FACTS, *(f"{step.code}{_DONE}" for step in self.steps)}))


def _step_key(step: Step) -> tuple[int, str]:
    return (step.order, step.code)


def _as_fraction(value: ThresholdValue) -> Fraction:
    return Fraction(value)
