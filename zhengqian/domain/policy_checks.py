"""Cross-references of a merged policy pack (design.md §3): every step a step requires exists
and comes earlier, with no cycle; deadlines name real steps and chain without loops; gates name a
real step and a known fact. Errors name the pack file that defined the culprit and its key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from zhengqian.domain.errors import PolicyError
from zhengqian.domain.policy_model import _DONE, FACTS, DeadlineRule, Gate, Step


class Origin(Protocol):
    """The pack file an item came from (``policy._File``)."""

    name: str

    def error(self, key: str, problem: str) -> PolicyError: ...


def validate_steps(
    steps: Mapping[str, Step],
    origin: Mapping[tuple[str, str], Origin],
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


def validate_deadlines(
    deadlines: Mapping[str, DeadlineRule],
    steps: Mapping[str, Step],
    origin: Mapping[tuple[str, str], Origin],
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


def validate_gates(
    gates: Mapping[str, Gate],
    steps: Mapping[str, Step],
    origin: Mapping[tuple[str, str], Origin],
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
