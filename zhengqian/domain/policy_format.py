"""Plain-text listing of a policy pack (``manage.py policy_show PACK``)."""

from __future__ import annotations

from zhengqian.domain.policy_model import SCOPES, PolicyPack


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
