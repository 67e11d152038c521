"""The procedure engine: where each step of a project or household stands, and what the law
forbids doing next (design.md §3; docs/policy-packs.md).

Everything here is pure: the policy pack, the official calendar, the step records, the facts
and ``today`` come in as arguments; nothing reads a clock or a database. Django actions call

- :func:`evaluate` to show every step of one scope with its state, its due date and why it
  may not be completed yet;
- :func:`check_complete` before recording a step as done, which raises the refusal —
  :class:`GateClosed` (the law's order) or :class:`InvalidInput` (a bad date, missing
  evidence) — with the clause it rests on;
- :func:`check_waive` before waiving an optional step (a hearing nobody asked for);
- :func:`assembly_quorum`, :func:`hearing_rejection`, :func:`hearing_trigger` for the counted
  thresholds, :func:`chain_schedule` for the forced-vacate chain and
  :func:`late_registration_outcome` for the consequence of a late registration.

Readings encoded here (each also stated where it is applied):

- A required step is satisfied when it is done or waived; a gate fact ``<step>_done`` holds
  only when the step is actually done (a waiver is not the act a gate demands). Only optional
  steps may be waived: a local pack adds but never removes a statutory step.
- ``<step>_done`` facts are derived from the records and may not be supplied by the caller;
  any other fact must be one of :data:`zhengqian.domain.policy.FACTS` and is false unless
  given as true.
- A completion date may be neither in the future nor before the completion date of a
  required step or of a deadline's anchor (the same day is allowed: putian-2014 (六) lets the
  plan be announced together with the announcement).
- ``at_least`` and ``after`` periods must have fully run: the target is lawful only on a day
  after their due date. While that date is provisional (暂定, a year without a loaded holiday
  notice) the period is not treated as run, and a ``within`` window of an optional step (a
  right: objection, hearing request) is not treated as closed (design.md §3).
- "Overdue" is a legal conclusion and is never drawn on a provisional date.
- 以上 includes the number itself and 超过 does not (民法典 第一千二百五十九条), so
  "三分之二以上" is met by exactly 2/3 and "多数" (read as more than half) is not met by half.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from zhengqian.domain.calendar import WorkCalendar
from zhengqian.domain.chain import ChainStep, chain_schedule
from zhengqian.domain.deadlines import Deadline, days_left
from zhengqian.domain.errors import DomainError, GateClosed, InvalidInput
from zhengqian.domain.policy import (
    EVIDENCE_KINDS,
    FACTS,
    SCOPES,
    Gate,
    PolicyPack,
    Step,
)
from zhengqian.domain.schedule import ScheduledDate, schedule
from zhengqian.domain.votes import CLAUSE_INCLUSIVE, QuorumResult, assembly_quorum, hearing_rejection, hearing_trigger

# The procedure's public API, including the thresholds (votes.py) and the chain (chain.py).
__all__ = [
    "CLAUSE_INCLUSIVE",
    "ChainStep",
    "LateRegistration",
    "QuorumResult",
    "StepRecord",
    "StepState",
    "StepStatus",
    "assembly_quorum",
    "chain_schedule",
    "check_complete",
    "check_waive",
    "evaluate",
    "facts_from_records",
    "hearing_rejection",
    "hearing_trigger",
    "late_registration",
    "late_registration_explanation",
    "late_registration_outcome",
]


_DONE = "_done"


class StepState(StrEnum):
    """Where a step stands."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"
    WAIVED = "waived"

    @property
    def label(self) -> str:
        """The Chinese label shown to staff."""
        return _STATE_LABELS[self]


_STATE_LABELS = {
    StepState.NOT_STARTED: "未开始",
    StepState.IN_PROGRESS: "进行中",
    StepState.DONE: "已完成",
    StepState.OVERDUE: "已逾期",
    StepState.WAIVED: "已豁免",
}


@dataclass(frozen=True, slots=True)
class StepRecord:
    """What has happened to one step: started, done (the date the act took effect), or waived."""

    code: str
    started_on: date | None = None
    done_on: date | None = None
    waived: bool = False
    waive_reason: str = ""

    @property
    def satisfied(self) -> bool:
        """Done or waived: enough for a step that requires this one."""
        return self.done_on is not None or self.waived


@dataclass(frozen=True, slots=True)
class StepStatus:
    """One step as :func:`evaluate` sees it on ``today``.

    ``due`` is the earliest latest-date (``within``) deadline on the step whose start is
    known; ``not_before`` the latest end of its ``at_least``/``after`` periods (the step is
    lawful only on a day after it). ``reasons`` are Chinese sentences, each with its clause.
    """

    step: Step
    state: StepState
    record: StepRecord | None
    due: Deadline | None
    days_left: int | None
    provisional: bool
    not_before: Deadline | None
    blocking_gates: tuple[Gate, ...]
    missing_requires: tuple[Step, ...]
    can_complete: bool
    reasons: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.step.code


# --------------------------------------------------------------------------- facts and records


def facts_from_records(pack: PolicyPack, records: Mapping[str, StepRecord]) -> dict[str, bool]:
    """``<step>_done`` for every step of ``pack``: true when the step has a completion date.

    A waived step does not make its ``_done`` fact true: a gate asks for the act itself.
    """
    return {f"{step.code}{_DONE}": _is_done(records.get(step.code)) for step in pack.steps}


def _is_done(record: StepRecord | None) -> bool:
    return record is not None and record.done_on is not None


def _checked_records(pack: PolicyPack, records: Mapping[str, StepRecord]) -> None:
    for key, record in records.items():
        if not isinstance(record, StepRecord):
            raise InvalidInput(f"步骤记录类型无效：{key}", field=key)
        if key != record.code:
            raise InvalidInput(f"步骤记录的键 {key} 与其代码 {record.code} 不一致", field=key)
        if not pack.has_step(key):
            raise InvalidInput(f"策略包 {pack.code} 中没有步骤：{key}", field=key)
        if record.waived and record.done_on is not None:
            raise InvalidInput(f"步骤「{pack.step(key).name}」不能既已完成又已豁免", field=key)
        if record.waived and not record.waive_reason.strip():
            raise InvalidInput(f"步骤「{pack.step(key).name}」已豁免但未说明理由", field=key)
        if record.started_on is not None and record.done_on is not None and record.done_on < record.started_on:
            raise InvalidInput(
                f"步骤「{pack.step(key).name}」的完成日期 {record.done_on} 早于开始日期 {record.started_on}",
                field=key,
            )


def _all_facts(pack: PolicyPack, records: Mapping[str, StepRecord], facts: Mapping[str, bool]) -> dict[str, bool]:
    derived = facts_from_records(pack, records)
    merged = dict.fromkeys(FACTS, False)
    for name, value in facts.items():
        if name in derived:
            raise InvalidInput(f"事实 {name} 由步骤记录推出，不能直接提供", field=name)
        if name not in FACTS:
            raise InvalidInput(f"未知的事实：{name}", field=name)
        if not isinstance(value, bool):
            raise InvalidInput(f"事实 {name} 应为真或假，实为 {value!r}", field=name)
        merged[name] = value
    merged.update(derived)
    return merged


def _deadline(item: ScheduledDate) -> Deadline:
    return Deadline(
        start=item.anchor_date,
        rule=item.rule,
        due=item.due,
        provisional=item.provisional,
        clause=item.citation.label,
    )


def _unloaded_years(calendar: WorkCalendar, item: ScheduledDate) -> str:
    years = [y for y in range(item.anchor_date.year, item.due.year + 1) if not calendar.is_loaded(y)]
    return "、".join(f"{year}年" for year in years) or "相关年份"


# --------------------------------------------------------------------------- refusals


def _refusals(
    pack: PolicyPack,
    calendar: WorkCalendar,
    records: Mapping[str, StepRecord],
    facts: Mapping[str, bool],
    scheduled: Iterable[ScheduledDate],
    step: Step,
    done_on: date,
    today: date,
) -> list[DomainError]:
    """Every reason the law forbids recording ``step`` as done on ``done_on``, in the order
    they are reported: repetition, order (gates, requires), dates, periods."""
    clause = step.citation.label
    refusals: list[DomainError] = []
    record = records.get(step.code)
    if record is not None and record.done_on is not None:
        refusals.append(
            InvalidInput(f"「{step.name}」已于 {record.done_on} 完成，不能重复完成", clause=clause, field="step")
        )
    elif record is not None and record.waived:
        refusals.append(InvalidInput(f"「{step.name}」已豁免，不能再完成", clause=clause, field="step"))
    # Gates first: their messages are written for the user ("不能发布征收土地公告：征地尚未批准").
    for gate in pack.gates_for(step.code):
        if not facts.get(gate.requires, False):
            refusals.append(GateClosed(gate.message, clause=gate.citation.label))
    for code in step.requires:
        required = records.get(code)
        if required is None or not required.satisfied:
            refusals.append(GateClosed(f"不能完成「{step.name}」：尚未完成「{pack.step(code).name}」", clause=clause))
    if done_on > today:
        refusals.append(
            InvalidInput(f"「{step.name}」的完成日期 {done_on} 晚于今天 {today}", clause=clause, field="done_on")
        )
    if record is not None and record.started_on is not None and done_on < record.started_on:
        refusals.append(
            InvalidInput(
                f"「{step.name}」的完成日期 {done_on} 早于开始日期 {record.started_on}", clause=clause, field="done_on"
            )
        )
    for code in step.requires:
        required = records.get(code)
        if required is not None and required.done_on is not None and done_on < required.done_on:
            refusals.append(
                InvalidInput(
                    f"「{step.name}」的完成日期 {done_on} 早于「{pack.step(code).name}」的完成日期 {required.done_on}",
                    clause=clause,
                    field="done_on",
                )
            )
    for item in scheduled:
        if item.target != step.code:
            continue
        label = item.citation.label
        anchor = records.get(item.anchor)
        anchor_on = anchor.done_on if anchor is not None else None
        if anchor_on is not None and done_on < anchor_on and item.anchor not in step.requires:
            refusals.append(
                InvalidInput(
                    f"「{step.name}」的完成日期 {done_on} 早于起算步骤"
                    f"「{pack.step(item.anchor).name}」的日期 {anchor_on}",
                    clause=label,
                    field="done_on",
                )
            )
        if item.kind in ("at_least", "after"):
            if item.provisional:
                refusals.append(
                    GateClosed(
                        f"不能完成「{step.name}」：{item.name}的届满日 {item.label} 为暂定"
                        f"（{_unloaded_years(calendar, item)}节假日安排尚未载入），不能认定期限已经届满",
                        clause=label,
                    )
                )
            elif done_on <= item.due:
                refusals.append(
                    GateClosed(
                        f"不能完成「{step.name}」：{item.name}，须在 {item.due} 之后",
                        clause=label,
                    )
                )
        elif step.optional and not item.provisional and done_on > item.due:
            # A right not exercised in its window lapses (putian-2014 (三): 逾期未提出的,
            # 视为放弃听证); never on a provisional date.
            refusals.append(GateClosed(f"「{step.name}」的期限已于 {item.due} 届满（{item.name}）", clause=label))
    return refusals


def _scheduled(pack: PolicyPack, calendar: WorkCalendar, records: Mapping[str, StepRecord]) -> list[ScheduledDate]:
    known = {code: record.done_on for code, record in records.items() if record.done_on is not None}
    return list(schedule(pack, calendar, known))


def check_complete(
    pack: PolicyPack,
    calendar: WorkCalendar,
    records: Mapping[str, StepRecord],
    facts: Mapping[str, bool],
    step_code: str,
    done_on: date,
    today: date,
    evidence_kinds: Collection[str],
) -> None:
    """Refuse to record ``step_code`` as done on ``done_on`` unless the law allows it.

    Raises, with the clause: :class:`GateClosed` when a required step is neither done nor
    waived, when a gate's fact does not hold, when an ``at_least``/``after`` period has not run
    (or ends on a provisional date), or when the window of an optional step has closed;
    :class:`InvalidInput` when the step is already done or waived, when ``done_on`` is in the
    future or before the date of a required step or a deadline's anchor, or when evidence the
    step requires is missing ("completing a step without its evidence, out of order, twice, with
    a date before its anchor or in the future: refused with the clause").

    ``records`` must hold every record the step depends on: for a household step, the
    project's records merged with the household's.
    """
    _checked_records(pack, records)
    step = pack.step(step_code)
    all_facts = _all_facts(pack, records, facts)
    refusals = _refusals(pack, calendar, records, all_facts, _scheduled(pack, calendar, records), step, done_on, today)
    if refusals:
        raise refusals[0]
    unknown = sorted(set(evidence_kinds) - set(EVIDENCE_KINDS))
    if unknown:
        raise InvalidInput(f"未知的证据类型：{'、'.join(unknown)}", field="evidence")
    missing = [kind for kind in step.evidence if kind not in evidence_kinds]
    if missing:
        names = "、".join(EVIDENCE_KINDS[kind] for kind in missing)
        raise InvalidInput(f"「{step.name}」缺少证据：{names}", clause=step.citation.label, field="evidence")


def check_waive(pack: PolicyPack, records: Mapping[str, StepRecord], step_code: str, reason: str) -> None:
    """Refuse to waive ``step_code`` unless it is optional, not yet done or waived, and a reason
    is given. A statutory step cannot be waived: a local rule adds but never removes (and
    banan-2015 三: 不得随意变通、删减工作流程)."""
    step = pack.step(step_code)
    clause = step.citation.label
    if not step.optional:
        raise GateClosed(f"「{step.name}」是必经步骤，不能豁免", clause=clause)
    record = records.get(step_code)
    if record is not None and record.done_on is not None:
        raise InvalidInput(f"「{step.name}」已于 {record.done_on} 完成，不能豁免", clause=clause, field="step")
    if record is not None and record.waived:
        raise InvalidInput(f"「{step.name}」已豁免", clause=clause, field="step")
    if not reason.strip():
        raise InvalidInput("豁免必须说明理由", clause=clause, field="reason")


# --------------------------------------------------------------------------- evaluation


def evaluate(
    pack: PolicyPack,
    calendar: WorkCalendar,
    records: Mapping[str, StepRecord],
    facts: Mapping[str, bool],
    today: date,
    scope: str = "project",
) -> tuple[StepStatus, ...]:
    """Every step of ``scope`` in procedure order, with its state on ``today``.

    ``records`` maps step codes to records and may include steps of other scopes (a household
    step requires project steps, so pass the project's records merged with the household's).
    ``can_complete`` says whether :func:`check_complete` would accept the step done today with
    all its evidence; ``reasons`` say why not, and what its deadlines are.
    """
    if scope not in SCOPES:
        raise InvalidInput(f"未知的步骤范围：{scope}", field="scope")
    _checked_records(pack, records)
    all_facts = _all_facts(pack, records, facts)
    scheduled = _scheduled(pack, calendar, records)
    return tuple(_status(pack, calendar, records, all_facts, scheduled, step, today) for step in pack.steps_for(scope))


def _status(
    pack: PolicyPack,
    calendar: WorkCalendar,
    records: Mapping[str, StepRecord],
    facts: Mapping[str, bool],
    scheduled: list[ScheduledDate],
    step: Step,
    today: date,
) -> StepStatus:
    record = records.get(step.code)
    mine = [item for item in scheduled if item.target == step.code]
    limits = sorted((item for item in mine if item.kind == "within"), key=lambda item: item.due)
    waits = sorted((item for item in mine if item.kind != "within"), key=lambda item: item.due)
    due = limits[0] if limits else None
    wait = waits[-1] if waits else None
    done = record is not None and record.done_on is not None
    waived = record is not None and record.waived
    reasons: list[str] = []
    if waived and record is not None:
        state = StepState.WAIVED
        reasons.append(f"已豁免：{record.waive_reason}（{step.citation.label}）")
    elif done and record is not None and record.done_on is not None:
        state = StepState.DONE
        reasons.append(f"已于 {record.done_on} 完成（{step.citation.label}）")
        for item in limits:
            if record.done_on > item.due:
                reasons.append(f"逾期完成：{item.name}，应于 {item.label} 前完成（{item.citation.label}）")
    elif due is not None and today > due.due and not due.provisional and not step.optional:
        state = StepState.OVERDUE
    elif record is not None and record.started_on is not None:
        state = StepState.IN_PROGRESS
    else:
        state = StepState.NOT_STARTED
    blocking = tuple(gate for gate in pack.gates_for(step.code) if not facts.get(gate.requires, False))
    missing = tuple(
        pack.step(code) for code in step.requires if records.get(code) is None or not records[code].satisfied
    )
    refusals = _refusals(pack, calendar, records, facts, scheduled, step, today, today)
    if not done and not waived:
        reasons.extend(str(error) for error in refusals)
        for item in limits:
            reasons.append(_limit_reason(item, today))
        for item in waits:
            if not item.provisional and today > item.due:
                reasons.append(f"{item.name}已于 {item.due} 届满（{item.citation.label}）")
    left = days_left(calendar, due=due.due, today=today) if due is not None and not done and not waived else None
    return StepStatus(
        step=step,
        state=state,
        record=record,
        due=_deadline(due) if due is not None else None,
        days_left=left,
        provisional=any(item.provisional for item in mine),
        not_before=_deadline(wait) if wait is not None else None,
        blocking_gates=blocking,
        missing_requires=missing,
        can_complete=not refusals,
        reasons=tuple(reasons),
    )


def _limit_reason(item: ScheduledDate, today: date) -> str:
    clause = item.citation.label
    if item.provisional:
        return f"{item.name}：应于 {item.label} 前完成，届满日暂定，不据此认定逾期（{clause}）"
    if today > item.due:
        return f"{item.name}：应于 {item.due} 前完成，已逾期 {(today - item.due).days} 日（{clause}）"
    return f"{item.name}：应于 {item.due} 前完成，尚余 {(item.due - today).days} 日（{clause}）"


# --------------------------------------------------------------------------- late registration


@dataclass(frozen=True, slots=True)
class LateRegistration:
    """The consequence of a registration not made within the announced period."""

    value: str  # "waived" | "survey_result_used" | "unspecified"
    explanation: str
    clause: str


def late_registration(pack: PolicyPack) -> LateRegistration:
    """What the pack says happens to a late registration: yongzhou-linkage 五(一)2 "逾期不办理的，
    视为放弃补偿权利" (``waived``); putian-2014 (五) "其补偿登记以征地实施单位的调查核实结果为准"
    (``survey_result_used``). A pack without the rule gets ``unspecified``: 土地管理法 第四十七条
    requires registration within the period but attaches no consequence to missing it."""
    if not pack.has_rule("late_registration"):
        return LateRegistration(
            "unspecified",
            f"策略包 {pack.code} 未规定逾期未办理补偿登记的后果；法律仅要求在公告规定期限内办理补偿登记"
            "（土地管理法 第四十七条），不得据此认定放弃补偿权利",
            "土地管理法 第四十七条",
        )
    rule = pack.rule("late_registration")
    clause = rule.citation.label
    if rule.value == "waived":
        text = f"逾期未办理征地补偿登记的，视为放弃补偿权利（{clause}）"
    else:
        text = f"逾期未办理征地补偿登记的，其补偿登记以征地实施单位的调查核实结果为准，仍予补偿（{clause}）"
    return LateRegistration(rule.value, text, clause)


def late_registration_outcome(pack: PolicyPack) -> str:
    """``"waived"``, ``"survey_result_used"`` or ``"unspecified"`` (see :func:`late_registration`)."""
    return late_registration(pack).value


def late_registration_explanation(pack: PolicyPack) -> str:
    """The consequence in Chinese with its clause (see :func:`late_registration`)."""
    return late_registration(pack).explanation
