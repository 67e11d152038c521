"""Policy packs: what the law says, as data (design.md §3, "Policy packs").

A pack is one TOML file in ``zhengqian/policies/``: the procedure's steps, the deadlines
between them, the gates that refuse to let work run ahead of the law, the thresholds
(quorums, windows) and the other rules of one document. Every item carries a citation —
document, clause and a short verbatim quote — so each refusal and each date the system shows
can name its legal source. A local pack ``extends`` the national one and overrides items by
code; it can add but never remove. The schema is described in ``docs/policy-packs.md``.

Loading validates everything and raises :class:`PolicyError` naming the file and the key
(``putian-2014.toml: deadlines.expropriation_announcement.rule: 期限不能为负数：-5``): malformed
TOML, unknown keys, missing or over-long citations, quotes not found in the pack's source
text, unknown step references, bad period rules, cycles in ``extends``, ``requires`` or
``starts_after``, and ``requires`` that contradict ``order``.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypeVar

from zhengqian.domain.calendar import PeriodRule
from zhengqian.domain.errors import CalendarError, PolicyError

__all__ = [
    "ACTORS",
    "COMPARISONS",
    "DEADLINE_KINDS",
    "EVIDENCE_KINDS",
    "FACTS",
    "MAX_QUOTE_LENGTH",
    "PACKS_DIRECTORY",
    "RULE_VALUES",
    "SCOPES",
    "THRESHOLD_UNITS",
    "Citation",
    "DeadlineRule",
    "Gate",
    "PolicyPack",
    "Rule",
    "Step",
    "Threshold",
    "ThresholdValue",
    "available_packs",
    "format_pack",
    "load_pack",
    "normalise_text",
]

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


# --------------------------------------------------------------------------- reading TOML


class _File:
    """One pack file being read; every error names it and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name

    def error(self, key: str, problem: str) -> PolicyError:
        where = f"{self.name}: {key}" if key else self.name
        return PolicyError(f"{where}: {problem}", field=key or None)

    def check_keys(self, table: Mapping[str, Any], allowed: Iterable[str], path: str) -> None:
        allowed_set = frozenset(allowed)
        for key in table:
            if key not in allowed_set:
                raise self.error(_join(path, key), f"未知的键（可用：{'、'.join(sorted(allowed_set))}）")

    def table(self, parent: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
        value = parent.get(key, {})
        if not isinstance(value, dict):
            raise self.error(_join(path, key), "应为表（table）")
        return value

    def text(self, table: Mapping[str, Any], key: str, path: str, *, default: str | None = None) -> str:
        if key not in table:
            if default is not None:
                return default
            raise self.error(_join(path, key), "缺少必填项")
        value = table[key]
        if not isinstance(value, str):
            raise self.error(_join(path, key), f"应为字符串，实为 {value!r}")
        value = value.strip()
        if not value:
            raise self.error(_join(path, key), "不能为空")
        return value

    def integer(self, table: Mapping[str, Any], key: str, path: str) -> int:
        if key not in table:
            raise self.error(_join(path, key), "缺少必填项")
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(_join(path, key), f"应为整数，实为 {value!r}")
        return value

    def flag(self, table: Mapping[str, Any], key: str, path: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise self.error(_join(path, key), f"应为 true 或 false，实为 {value!r}")
        return value

    def codes(self, table: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = table.get(key, [])
        where = _join(path, key)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(where, f"应为字符串列表，实为 {value!r}")
        for item in value:
            if not _CODE.match(item):
                raise self.error(where, f"代码应为小写英文加下划线：{item!r}")
        if len(set(value)) != len(value):
            raise self.error(where, "有重复项")
        return tuple(value)

    def choice(self, table: Mapping[str, Any], key: str, path: str, choices: Iterable[str]) -> str:
        value = self.text(table, key, path)
        options = tuple(choices)
        if value not in options:
            raise self.error(_join(path, key), f"未知的取值 {value!r}（可用：{'、'.join(options)}）")
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@dataclass
class _ParsedFile:
    file: _File
    code: str
    name: str
    document: str
    document_title: str
    version: str
    extends: str | None
    digest: str
    steps: dict[str, Step]
    deadlines: dict[str, DeadlineRule]
    gates: dict[str, Gate]
    thresholds: dict[str, Threshold]
    rules: dict[str, Rule]


def _read(path: Path) -> tuple[_File, dict[str, Any], bytes]:
    file = _File(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise file.error("", f"无法读取：{exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise file.error("", "不是 UTF-8 编码") from None
    except tomllib.TOMLDecodeError as exc:
        raise file.error("", f"TOML 语法错误：{exc}") from None
    return file, data, raw


def _parse_file(path: Path, expected_code: str) -> _ParsedFile:
    file, data, raw = _read(path)
    file.check_keys(data, ("pack", *_SECTIONS), "")
    if "pack" not in data:
        raise file.error("pack", "缺少 [pack] 表")
    pack = file.table(data, "pack", "")
    file.check_keys(pack, _PACK_KEYS, "pack")
    code = file.text(pack, "code", "pack")
    if code != expected_code:
        raise file.error("pack.code", f"应与文件名一致：{expected_code!r}，实为 {code!r}")
    extends: str | None = None
    if "extends" in pack:
        extends = file.text(pack, "extends", "pack")
        if not _PACK_CODE.match(extends):
            raise file.error("pack.extends", f"不是合法的策略包代码：{extends!r}")
    document = pack.get("document", "")
    if not isinstance(document, str):
        raise file.error("pack.document", f"应为字符串，实为 {document!r}")
    parsed = _ParsedFile(
        file=file,
        code=code,
        name=file.text(pack, "name", "pack"),
        document=document.strip(),
        document_title=file.text(pack, "document_title", "pack"),
        version=file.text(pack, "version", "pack"),
        extends=extends,
        digest=hashlib.sha256(raw).hexdigest(),
        steps={},
        deadlines={},
        gates={},
        thresholds={},
        rules={},
    )
    parsed.steps = _items(file, data, "steps", lambda c, t, p: _step(file, parsed, c, t, p))
    parsed.deadlines = _items(file, data, "deadlines", lambda c, t, p: _deadline(file, parsed, c, t, p))
    parsed.gates = _items(file, data, "gates", lambda c, t, p: _gate(file, parsed, c, t, p))
    parsed.thresholds = _items(file, data, "thresholds", lambda c, t, p: _threshold(file, parsed, c, t, p))
    parsed.rules = _items(file, data, "rules", lambda c, t, p: _rule(file, parsed, c, t, p))
    if "source" in pack:
        _check_quotes(parsed, file.text(pack, "source", "pack"))
    return parsed


def _items(
    file: _File,
    data: Mapping[str, Any],
    section: str,
    build: Callable[[str, Mapping[str, Any], str], _Item],
) -> dict[str, _Item]:
    result: dict[str, _Item] = {}
    for code, table in file.table(data, section, "").items():
        path = f"{section}.{code}"
        if not _CODE.match(code):
            raise file.error(path, "代码应为小写英文字母开头，仅含小写字母、数字和下划线")
        if not isinstance(table, dict):
            raise file.error(path, "应为表（table）")
        result[code] = build(code, table, path)
    return result


def _citation(file: _File, pack: _ParsedFile, table: Mapping[str, Any], path: str) -> Citation:
    document = file.text(table, "document", path, default=pack.document or None)
    quote = file.text(table, "quote", path)
    if len(normalise_text(quote)) > MAX_QUOTE_LENGTH:
        raise file.error(
            _join(path, "quote"),
            f"引文过长（{len(normalise_text(quote))} 字，上限 {MAX_QUOTE_LENGTH} 字）",
        )
    return Citation(document=document, clause=file.text(table, "clause", path), quote=quote)


def _step(file: _File, pack: _ParsedFile, code: str, table: Mapping[str, Any], path: str) -> Step:
    file.check_keys(table, _STEP_KEYS, path)
    evidence = file.codes(table, "evidence", path)
    for kind in evidence:
        if kind not in EVIDENCE_KINDS:
            raise file.error(
                _join(path, "evidence"),
                f"未知的证据类型 {kind!r}（可用：{'、'.join(EVIDENCE_KINDS)}）",
            )
    requires = file.codes(table, "requires", path)
    if code in requires:
        raise file.error(_join(path, "requires"), "步骤不能以自身为前置")
    order = file.integer(table, "order", path)
    if order < 0:
        raise file.error(_join(path, "order"), f"不能为负数：{order}")
    return Step(
        code=code,
        name=file.text(table, "name", path),
        scope=file.choice(table, "scope", path, SCOPES),
        order=order,
        actor=file.choice(table, "actor", path, ACTORS),
        requires=requires,
        evidence=evidence,
        citation=_citation(file, pack, table, path),
        optional=file.flag(table, "optional", path),
    )


def _period(file: _File, table: Mapping[str, Any], path: str) -> PeriodRule:
    text = file.text(table, "rule", path)
    where = _join(path, "rule")
    match = _RULE_TEXT.match(text)
    if match is None:
        raise file.error(where, f"无法识别的期限 {text!r}（例如 “10 working_days”、“45 days”、“3 months”）")
    count = int(match.group(1))
    if count < 0:
        raise file.error(where, f"期限不能为负数：{count}")
    try:
        return PeriodRule.of(match.group(2), count)
    except CalendarError as exc:
        raise file.error(where, exc.message) from None


def _optional_code(file: _File, table: Mapping[str, Any], key: str, path: str) -> str | None:
    if key not in table:
        return None
    value = file.text(table, key, path)
    if not _CODE.match(value):
        raise file.error(_join(path, key), f"代码应为小写英文加下划线：{value!r}")
    return value


def _deadline(file: _File, pack: _ParsedFile, code: str, table: Mapping[str, Any], path: str) -> DeadlineRule:
    file.check_keys(table, _DEADLINE_KEYS, path)
    kind = file.choice(table, "kind", path, DEADLINE_KINDS)
    starts_after = _optional_code(file, table, "starts_after", path)
    if starts_after == code:
        raise file.error(_join(path, "starts_after"), "期限不能接续自身")
    return DeadlineRule(
        code=code,
        name=file.text(table, "name", path),
        anchor=file.text(table, "anchor", path),
        target=file.text(table, "target", path),
        rule=_period(file, table, path),
        kind="within" if kind == "within" else "after" if kind == "after" else "at_least",
        citation=_citation(file, pack, table, path),
        starts_after=starts_after,
    )


def _gate(file: _File, pack: _ParsedFile, code: str, table: Mapping[str, Any], path: str) -> Gate:
    file.check_keys(table, _GATE_KEYS, path)
    requires = file.text(table, "requires", path)
    if not _CODE.match(requires):
        raise file.error(_join(path, "requires"), f"事实代码应为小写英文加下划线：{requires!r}")
    return Gate(
        code=code,
        name=file.text(table, "name", path),
        step=file.text(table, "step", path),
        requires=requires,
        message=file.text(table, "message", path),
        citation=_citation(file, pack, table, path),
    )


def _threshold_value(file: _File, table: Mapping[str, Any], path: str) -> ThresholdValue:
    where = _join(path, "value")
    if "value" not in table:
        raise file.error(where, "缺少必填项")
    raw = table["value"]
    value: ThresholdValue
    if isinstance(raw, (bool, float)):
        raise file.error(where, f'应为整数或字符串形式的分数、小数（如 "2/3"、"0.5"），实为 {raw!r}')
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        try:
            value = Fraction(raw.strip()) if "/" in raw else Decimal(raw.strip())
        except (ValueError, ZeroDivisionError, InvalidOperation):
            raise file.error(where, f"无法识别的数值：{raw!r}") from None
        if isinstance(value, Decimal) and not value.is_finite():
            raise file.error(where, f"无法识别的数值：{raw!r}")
    else:
        raise file.error(where, f"应为整数或字符串，实为 {raw!r}")
    if value < 0:
        raise file.error(where, f"不能为负数：{raw}")
    return value


def _threshold(file: _File, pack: _ParsedFile, code: str, table: Mapping[str, Any], path: str) -> Threshold:
    file.check_keys(table, _THRESHOLD_KEYS, path)
    return Threshold(
        code=code,
        name=file.text(table, "name", path),
        value=_threshold_value(file, table, path),
        unit=file.choice(table, "unit", path, THRESHOLD_UNITS),
        comparison=file.choice(table, "comparison", path, COMPARISONS),
        citation=_citation(file, pack, table, path),
    )


def _rule(file: _File, pack: _ParsedFile, code: str, table: Mapping[str, Any], path: str) -> Rule:
    file.check_keys(table, _RULE_KEYS, path)
    value = ""
    if "value" in table:
        value = file.text(table, "value", path)
    allowed = RULE_VALUES.get(code)
    if allowed is not None and value not in allowed:
        raise file.error(_join(path, "value"), f"应为 {'、'.join(allowed)} 之一，实为 {value!r}")
    return Rule(
        code=code,
        name=file.text(table, "name", path),
        text=file.text(table, "text", path),
        citation=_citation(file, pack, table, path),
        value=value,
    )


def _check_quotes(pack: _ParsedFile, source: str) -> None:
    """Every quote citing the pack's own document must occur in its source text."""
    file = pack.file
    if not pack.document:
        raise file.error("pack.source", "指定了 source 时必须同时指定 document")
    source_path = (file.path.parent / source).resolve()
    try:
        text = normalise_text(source_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise file.error("pack.source", f"无法读取原文 {source}：{exc}") from None
    for section, items in _sections(pack):
        for code, item in items.items():
            citation: Citation = item.citation
            if citation.document == pack.document and normalise_text(citation.quote) not in text:
                raise file.error(f"{section}.{code}.quote", f"引文未在原文 {source} 中找到：{citation.quote!r}")


def _sections(pack: _ParsedFile) -> tuple[tuple[str, Mapping[str, Any]], ...]:
    return (
        ("steps", pack.steps),
        ("deadlines", pack.deadlines),
        ("gates", pack.gates),
        ("thresholds", pack.thresholds),
        ("rules", pack.rules),
    )


# --------------------------------------------------------------------------- merging, validation


def available_packs(directory: Path | None = None) -> tuple[str, ...]:
    """Codes of the packs in ``directory`` (default: ``zhengqian/policies``), sorted."""
    folder = directory if directory is not None else PACKS_DIRECTORY
    return tuple(sorted(path.stem for path in folder.glob("*.toml") if path.is_file()))


def load_pack(code: str, directory: Path | None = None) -> PolicyPack:
    """Load ``<code>.toml`` merged with the packs it extends, validated.

    A child's item replaces its parent's item of the same code (whole item, no field-level
    merge); everything else is inherited. Raises :class:`PolicyError` naming file and key.
    """
    folder = directory if directory is not None else PACKS_DIRECTORY
    chain = _chain(code, folder)
    origin: dict[tuple[str, str], _File] = {}
    merged: dict[str, dict[str, Any]] = {section: {} for section in _SECTIONS}
    # When two items disagree, the error goes to the one written last (the child's).
    rank = {parsed.file.name: index for index, parsed in enumerate(chain)}
    for parsed in chain:
        for section, items in _sections(parsed):
            for item_code, item in items.items():
                merged[section][item_code] = item
                origin[(section, item_code)] = parsed.file
    steps: dict[str, Step] = merged["steps"]
    deadlines: dict[str, DeadlineRule] = merged["deadlines"]
    gates: dict[str, Gate] = merged["gates"]
    _validate_steps(steps, origin, rank)
    _validate_deadlines(deadlines, steps, origin)
    _validate_gates(gates, steps, origin)
    leaf = chain[-1]
    digest = hashlib.sha256("".join(parsed.digest for parsed in chain).encode()).hexdigest()
    return PolicyPack(
        code=leaf.code,
        name=leaf.name,
        document=leaf.document,
        document_title=leaf.document_title,
        version=leaf.version,
        extends=leaf.extends,
        steps=tuple(sorted(steps.values(), key=_step_key)),
        deadlines=tuple(deadlines.values()),
        gates=tuple(gates.values()),
        thresholds=tuple(merged["thresholds"].values()),
        rules=tuple(merged["rules"].values()),
        lineage=tuple(f"{parsed.code}@{parsed.version}" for parsed in chain),
        fingerprint=digest,
    )


def _chain(code: str, folder: Path) -> list[_ParsedFile]:
    if not _PACK_CODE.match(code):
        raise PolicyError(f"不是合法的策略包代码：{code!r}", field="code")
    chain: list[_ParsedFile] = []
    current: str | None = code
    while current is not None:
        path = folder / f"{current}.toml"
        if not path.is_file():
            if not chain:
                raise PolicyError(f"{current}.toml: 策略包不存在（目录 {folder}）", field="code")
            raise chain[-1].file.error("pack.extends", f"继承的策略包不存在：{current}")
        if any(parsed.code == current for parsed in chain):
            names = " → ".join([*(parsed.code for parsed in chain), current])
            raise chain[-1].file.error("pack.extends", f"循环继承：{names}")
        chain.append(_parse_file(path, current))
        current = chain[-1].extends
    chain.reverse()
    return chain


def _validate_steps(
    steps: Mapping[str, Step],
    origin: Mapping[tuple[str, str], _File],
    rank: Mapping[str, int],
) -> None:
    def latest(codes: Iterable[str]) -> str:
        # The step among ``codes`` defined in the most derived pack (last one on ties).
        return max(codes, key=lambda code: rank[origin[("steps", code)].name])

    for step in steps.values():
        for required in step.requires:
            if required not in steps:
                raise origin[("steps", step.code)].error(f"steps.{step.code}.requires", f"未知的步骤：{required}")
    # Cycles first, for a clearer message than the order check would give.
    state: dict[str, int] = {}
    for start in steps:
        cycle = _find_cycle(start, steps, state, [])
        if cycle:
            culprit = latest(reversed(cycle[:-1]))
            raise origin[("steps", culprit)].error(f"steps.{culprit}.requires", f"循环依赖：{' → '.join(cycle)}")
    for step in steps.values():
        for required in step.requires:
            if steps[required].order >= step.order:
                culprit = latest((step.code, required))
                raise origin[("steps", culprit)].error(
                    f"steps.{culprit}.order",
                    f"前置步骤 {required} 的 order（{steps[required].order}）"
                    f"应小于 {step.code} 的 order（{step.order}）",
                )


def _find_cycle(code: str, steps: Mapping[str, Step], state: dict[str, int], path: list[str]) -> list[str]:
    """A ``requires`` cycle reachable from ``code`` as ``[a, b, …, a]``, or ``[]``."""
    if state.get(code) == 2:
        return []
    if state.get(code) == 1:
        return [*path[path.index(code) :], code]
    state[code] = 1
    path.append(code)
    for required in steps[code].requires:
        cycle = _find_cycle(required, steps, state, path)
        if cycle:
            return cycle
    path.pop()
    state[code] = 2
    return []


def _validate_deadlines(
    deadlines: Mapping[str, DeadlineRule],
    steps: Mapping[str, Step],
    origin: Mapping[tuple[str, str], _File],
) -> None:
    for item in deadlines.values():
        file = origin[("deadlines", item.code)]
        for key in ("anchor", "target"):
            value = getattr(item, key)
            if value not in steps:
                raise file.error(f"deadlines.{item.code}.{key}", f"未知的步骤：{value}")
        if item.anchor == item.target:
            raise file.error(f"deadlines.{item.code}.target", "起算步骤与所限步骤不能相同")
        if item.starts_after is not None and item.starts_after not in deadlines:
            raise file.error(f"deadlines.{item.code}.starts_after", f"未知的期限：{item.starts_after}")
    for item in deadlines.values():
        seen = [item.code]
        current = item.starts_after
        while current is not None:
            if current in seen:
                raise origin[("deadlines", item.code)].error(
                    f"deadlines.{item.code}.starts_after",
                    f"期限循环接续：{' → '.join([*seen, current])}",
                )
            seen.append(current)
            current = deadlines[current].starts_after


def _validate_gates(
    gates: Mapping[str, Gate],
    steps: Mapping[str, Step],
    origin: Mapping[tuple[str, str], _File],
) -> None:
    for gate in gates.values():
        file = origin[("gates", gate.code)]
        if gate.step not in steps:
            raise file.error(f"gates.{gate.code}.step", f"未知的步骤：{gate.step}")
        fact = gate.requires
        if fact in FACTS:
            continue
        if fact.endswith(_DONE) and fact.removesuffix(_DONE) in steps:
            continue
        raise file.error(
            f"gates.{gate.code}.requires",
            f"未知的事实：{fact}（可用：FACTS 中的事实，或“步骤代码_done”）",
        )


# --------------------------------------------------------------------------- display


def format_pack(pack: PolicyPack) -> str:
    """Plain-text listing for ``manage.py policy_show PACK``: every item with its citation."""
    lines = [f"{pack.code}  {pack.name}", f"版本：{pack.version}"]
    lines.append(f"依据：{pack.document_title}")
    if pack.extends:
        lines.append(f"继承：{pack.extends}")
    if pack.lineage:
        lines.append(f"来源链：{' → '.join(pack.lineage)}")
    if pack.fingerprint:
        lines.append(f"指纹：{pack.fingerprint}")
    scope_names = {"project": "项目步骤", "household": "到户步骤", "forced_vacate": "强制腾地"}
    for scope in SCOPES:
        steps = pack.steps_for(scope)
        if not steps:
            continue
        lines += ["", f"{scope_names[scope]}（{scope}）"]
        for step in steps:
            flags = "（可选）" if step.optional else ""
            lines.append(f"  {step.order:>4}  {step.code}  {step.name}{flags}")
            lines.append(
                f"        执行：{step.actor}  前置：{', '.join(step.requires) or '—'}"
                f"  证据：{', '.join(step.evidence) or '—'}"
            )
            lines.append(f"        {step.citation}")
    kinds = {"within": "{rule}内", "after": "{rule}期满后", "at_least": "不少于{rule}"}
    if pack.deadlines:
        lines += ["", "期限"]
        for item in sorted(pack.deadlines, key=lambda d: (pack.step(d.target).order, d.code)):
            start = f"{item.anchor}" + (f"（{item.starts_after} 期满起）" if item.starts_after else "")
            lines.append(
                f"  {item.code}  {item.name}：{start} → {item.target}，"
                f"{kinds[item.kind].format(rule=item.rule)}（{item.kind}）"
            )
            lines.append(f"        {item.citation}")
    if pack.gates:
        lines += ["", "关口"]
        for gate in sorted(pack.gates, key=lambda g: (pack.step(g.step).order, g.code)):
            lines.append(f"  {gate.code}  {gate.name}：{gate.step} 须先满足 {gate.requires}")
            lines.append(f"        拒绝：{gate.refusal}")
            lines.append(f"        {gate.citation}")
    if pack.thresholds:
        lines += ["", "阈值"]
        for threshold in pack.thresholds:
            lines.append(f"  {threshold.code}  {threshold.name}：{threshold.display}")
            lines.append(f"        {threshold.citation}")
    if pack.rules:
        lines += ["", "规则"]
        for rule in pack.rules:
            value = f" = {rule.value}" if rule.value else ""
            lines.append(f"  {rule.code}{value}  {rule.name}：{rule.text}")
            lines.append(f"        {rule.citation}")
    return "\n".join(lines) + "\n"
