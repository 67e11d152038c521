"""Counted thresholds of the procedure: the villager assembly's quorum (putian-2014 (一)),
representatives rejecting a coordination opinion (putian-2014 (三)) and the national hearing
trigger (土地管理法 第四十七条). Pure; see procedure.py for the readings of 以上 and 超过."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from zhengqian.domain.errors import InvalidInput, PolicyError
from zhengqian.domain.policy import PolicyPack, Threshold

#: 民法典 第一千二百五十九条: "民法所称的'以上'、'以下'、'以内'、'届满'，包括本数；所称的
#: '不满'、'超过'、'以外'，不包括本数。"
CLAUSE_INCLUSIVE = "民法典 第一千二百五十九条"


@dataclass(frozen=True, slots=True)
class QuorumResult:
    """A counted threshold: ``required`` is the smallest count of ``total`` that meets it."""

    total: int
    required: int
    counted: int
    met: bool
    clause: str
    explanation: str


def _count(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"人数必须是整数：{value!r}", field=field)
    if value < 0:
        raise InvalidInput(f"人数不能为负数：{value}", field=field)
    return value


def _minimum(threshold: Threshold, total: int) -> int:
    """The smallest whole count of ``total`` that meets a share threshold (>= or >)."""
    share = Fraction(threshold.value) * total
    if threshold.comparison == ">=":
        return -((-share.numerator) // share.denominator)  # ceiling: 以上 includes the number
    if threshold.comparison == ">":
        return share.numerator // share.denominator + 1  # 超过 excludes it
    raise InvalidInput(
        f"阈值 {threshold.code} 不是“以上/超过”类的比例，不能计算最低人数", clause=threshold.citation.label
    )


def _share(threshold: Threshold, total: int, counted: int, what: str) -> tuple[int, bool, str]:
    if threshold.unit != "share":
        raise PolicyError(f"阈值 {threshold.code} 不是比例", field=threshold.code)
    if total == 0:
        raise InvalidInput(f"{what}为 0，无法计算比例", clause=threshold.citation.label, field="total")
    if counted > total:
        raise InvalidInput(f"计入人数 {counted} 超过{what} {total}", clause=threshold.citation.label, field="counted")
    required = _minimum(threshold, total)
    met = threshold.met_by(Fraction(counted, total))
    word = "以上" if threshold.comparison == ">=" else "超过"
    rule = f"{threshold.display}（“{word}”{'包括' if word == '以上' else '不包括'}本数，{CLAUSE_INCLUSIVE}）"
    return required, met, rule


def assembly_quorum(pack: PolicyPack, affected_households: int, present: int, proxies: int) -> QuorumResult:
    """Whether the villager assembly is quorate: putian-2014 (一) "被征地农民大会应确保三分之二
    以上的被征地农户代表参加", households counted by land-contract certificate, proxies counted
    where the pack allows them ("因故未能参加会议的可委托他人参加"). Exactly 2/3 is met: 以上
    includes the number (民法典 第一千二百五十九条). No affected households → InvalidInput."""
    threshold = pack.threshold("assembly_quorum")
    total = _count(affected_households, "affected_households")
    present = _count(present, "present")
    proxies = _count(proxies, "proxies")
    allowed = pack.rule_value("assembly_proxy_allowed") == "allowed"
    counted = present + (proxies if allowed else 0)
    if present + proxies > total:
        raise InvalidInput(
            f"参会 {present} 户与委托 {proxies} 户之和超过被征地农户数 {total}",
            clause=threshold.citation.label,
            field="present",
        )
    required, met, rule = _share(threshold, total, counted, "被征地农户数")
    proxy_note = f"、委托他人参加 {proxies} 户" if allowed else f"（委托 {proxies} 户不计入：本策略包未允许委托）"
    explanation = (
        f"被征地农户 {total} 户，亲自参加 {present} 户{proxy_note}，计 {counted} 户；"
        f"应达 {rule}，即至少 {required} 户；{'已达到' if met else '未达到'}（{threshold.citation.label}）"
    )
    return QuorumResult(total, required, counted, met, threshold.citation.label, explanation)


def hearing_rejection(pack: PolicyPack, representatives: int, disagreeing: int) -> QuorumResult:
    """Whether the hearing representatives reject the coordination opinion: putian-2014 (三)
    "三分之二以上的听证代表不同意协调意见的" (exactly 2/3 rejects). The consequence is the pack's
    rule ``coordination_rejected`` (continue mass work), not a veto of the approval request."""
    threshold = pack.threshold("hearing_rejection")
    total = _count(representatives, "representatives")
    counted = _count(disagreeing, "disagreeing")
    required, met, rule = _share(threshold, total, counted, "听证代表人数")
    consequence = ""
    if met and pack.has_rule("coordination_rejected"):
        consequence = f"；{pack.rule('coordination_rejected').text}"
    explanation = (
        f"听证代表 {total} 人，不同意协调意见 {counted} 人；否决须 {rule}，即至少 {required} 人；"
        f"{'协调意见被否决' if met else '协调意见未被否决'}{consequence}（{threshold.citation.label}）"
    )
    return QuorumResult(total, required, counted, met, threshold.citation.label, explanation)


def hearing_trigger(pack: PolicyPack, members: int, objecting: int) -> QuorumResult:
    """Whether a hearing must be held: 实施条例 第二十八条 "多数被征地的农村集体经济组织成员
    认为拟定的征地补偿安置方案不符合法律、法规规定的", 多数 read as more than half — exactly
    half does not trigger it (超过 excludes the number, 民法典 第一千二百五十九条)."""
    threshold = pack.threshold("hearing_trigger")
    total = _count(members, "members")
    counted = _count(objecting, "objecting")
    required, met, rule = _share(threshold, total, counted, "集体经济组织成员人数")
    explanation = (
        f"被征地集体经济组织成员 {total} 人，认为方案不符合法律法规 {counted} 人；须 {rule}，即至少 {required} 人；"
        f"{'应当组织听证' if met else '未达到应当组织听证的人数'}（{threshold.citation.label}）"
    )
    return QuorumResult(total, required, counted, met, threshold.citation.label, explanation)
