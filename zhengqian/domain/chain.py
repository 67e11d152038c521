"""The forced-vacate chain (yongzhou-linkage 五(一)5; putian-2014 (八)): which document may be
served when, given the ones already served. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from zhengqian.domain.calendar import WorkCalendar
from zhengqian.domain.policy import Gate, PolicyPack, Step
from zhengqian.domain.schedule import ScheduledDate, schedule


@dataclass(frozen=True, slots=True)
class ChainStep:
    """One document of the forced-vacate chain.

    ``earliest`` is the first lawful day (the day after the last waiting period ends),
    ``latest`` the last lawful day (the earliest ``within`` deadline); either is ``None`` when
    the pack sets no such period or its start is not yet known. ``lawful`` is ``None`` until the
    document is served, then whether ``served_on`` respects every period and precedes nothing it
    requires.
    """

    step: Step
    served_on: date | None
    earliest: date | None
    latest: date | None
    provisional: bool
    periods: tuple[ScheduledDate, ...]
    gates: tuple[Gate, ...]
    lawful: bool | None
    notes: tuple[str, ...]


def chain_schedule(pack: PolicyPack, calendar: WorkCalendar, served: Mapping[str, date]) -> tuple[ChainStep, ...]:
    """The forced-vacate chain of ``pack`` (``scope = "forced_vacate"`` steps in order) with the
    dates that follow from the documents already served.

    yongzhou-linkage 五(一)5: 补偿告知书（7个工作日）→ 补偿决定书（10日内）→ 限期腾地通知书
    （7个工作日）→ 限期腾地决定书（10日内）→ 履行行政决定催告书（6个月后）→ 申请人民法院强制执行;
    each "10日内" runs from the end of the preceding 7-working-day period (``starts_after``).
    putian-2014 (八) has no periods but gates: the stability assessment and resettlement in
    place before the order to hand over land. ``served`` may also hold steps of other scopes
    (the announcement) that a period starts from.
    """
    items = schedule(pack, calendar, served)
    result: list[ChainStep] = []
    for step in pack.steps_for("forced_vacate"):
        mine = tuple(item for item in items if item.target == step.code)
        waits = [item for item in mine if item.kind != "within"]
        limits = [item for item in mine if item.kind == "within"]
        earliest = max(item.due for item in waits) + timedelta(days=1) if waits else None
        latest = min(item.due for item in limits) if limits else None
        served_on = served.get(step.code)
        notes: list[str] = []
        lawful: bool | None = None
        if served_on is not None:
            lawful = True
            for item in mine:
                if not item.allows(served_on):
                    lawful = False
                    bound = "之前" if item.kind == "within" else "之后"
                    notes.append(f"{item.name}：应在 {item.label} {bound}，实际 {served_on}（{item.citation.label}）")
            for code in step.requires:
                before = served.get(code)
                if before is None or served_on < before:
                    lawful = False
                    notes.append(f"「{pack.step(code).name}」须在「{step.name}」之前（{step.citation.label}）")
        result.append(
            ChainStep(
                step=step,
                served_on=served_on,
                earliest=earliest,
                latest=latest,
                provisional=any(item.provisional for item in mine),
                periods=mine,
                gates=pack.gates_for(step.code),
                lawful=lawful,
                notes=tuple(notes),
            )
        )
    return tuple(result)
