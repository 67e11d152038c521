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
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

from zhengqian.domain.calendar import PeriodRule
from zhengqian.domain.errors import CalendarError, PolicyError
from zhengqian.domain.policy_checks import validate_deadlines, validate_gates, validate_steps
from zhengqian.domain.policy_format import format_pack
from zhengqian.domain.policy_model import (
    _CODE,
    _DEADLINE_KEYS,
    _GATE_KEYS,
    _PACK_CODE,
    _PACK_KEYS,
    _RULE_KEYS,
    _RULE_TEXT,
    _SECTIONS,
    _STEP_KEYS,
    _THRESHOLD_KEYS,
    ACTORS,
    COMPARISONS,
    DEADLINE_KINDS,
    EVIDENCE_KINDS,
    FACTS,
    MAX_QUOTE_LENGTH,
    PACKS_DIRECTORY,
    RULE_VALUES,
    SCOPES,
    THRESHOLD_UNITS,
    Citation,
    DeadlineRule,
    Gate,
    PolicyPack,
    Rule,
    Step,
    Threshold,
    ThresholdValue,
    _Item,
    _step_key,
    normalise_text,
)

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
    validate_steps(steps, origin, rank)
    validate_deadlines(deadlines, steps, origin)
    validate_gates(gates, steps, origin)
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
