"""Policy packs: the shipped packs are complete and true to their texts; bad packs are refused
with an error naming the file and the key."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from zhengqian.domain.calendar import PeriodRule, PeriodUnit
from zhengqian.domain.errors import DomainError, PolicyError
from zhengqian.domain.policy import (
    MAX_QUOTE_LENGTH,
    PACKS_DIRECTORY,
    SCOPES,
    Citation,
    PolicyPack,
    available_packs,
    format_pack,
    load_pack,
    normalise_text,
)

SHIPPED = ("banan-2015", "national-2019", "putian-2014", "yongzhou-linkage")
LOCAL = ("banan-2015", "putian-2014", "yongzhou-linkage")
SOURCES = PACKS_DIRECTORY / "sources"


def all_citations(pack: PolicyPack) -> list[tuple[str, Citation]]:
    items: list[tuple[str, Citation]] = []
    for section in ("steps", "deadlines", "gates", "thresholds", "rules"):
        for item in getattr(pack, section):
            items.append((f"{section}.{item.code}", item.citation))
    return items


# --------------------------------------------------------------------------- shipped packs


def test_the_four_packs_are_shipped() -> None:
    assert available_packs() == SHIPPED


@pytest.mark.parametrize("code", SHIPPED)
def test_pack_loads_and_validates(code: str) -> None:
    pack = load_pack(code)
    assert pack.code == code
    assert pack.version
    assert pack.document_title
    assert len(pack.fingerprint) == 64
    assert pack.lineage[0].startswith("national-2019@")
    assert pack.lineage[-1].startswith(f"{code}@")
    assert pack.extends == (None if code == "national-2019" else "national-2019")


@pytest.mark.parametrize("code", SHIPPED)
def test_every_item_carries_document_clause_and_short_quote(code: str) -> None:
    pack = load_pack(code)
    for key, citation in all_citations(pack):
        assert citation.document, key
        assert citation.clause, key
        assert citation.quote.strip(), key
        assert len(normalise_text(citation.quote)) <= MAX_QUOTE_LENGTH, key
        assert citation.label == f"{citation.document} {citation.clause}"


@pytest.mark.parametrize("code", LOCAL)
def test_local_quotes_are_verbatim_in_the_shipped_source_text(code: str) -> None:
    # Independent of the loader's own check: read the text here and look for every quote.
    source = normalise_text((SOURCES / f"{code}.txt").read_text(encoding="utf-8"))
    pack = load_pack(code)
    local = [(key, c) for key, c in all_citations(pack) if c.document == code]
    assert len(local) >= 10
    for key, citation in local:
        assert normalise_text(citation.quote) in source, f"{code} {key}: {citation.quote}"


def test_national_items_cite_the_statute_or_its_regulations() -> None:
    pack = load_pack("national-2019")
    for key, citation in all_citations(pack):
        assert citation.document in ("土地管理法", "实施条例"), key
        assert re.fullmatch(r"第[一二三四五六七八九十]+条", citation.clause), key


@pytest.mark.parametrize("code", LOCAL)
def test_local_items_cite_their_own_document_or_inherit_national_ones(code: str) -> None:
    for key, citation in all_citations(load_pack(code)):
        assert citation.document in (code, "土地管理法", "实施条例"), key


def test_sources_readme_lists_every_source() -> None:
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    for code in LOCAL:
        assert (SOURCES / f"{code}.txt").is_file()
        assert f"{code}.txt" in readme


NATIONAL_STEPS = {
    "project": [
        "pre_announcement",
        "status_survey",
        "stability_assessment",
        "compensation_plan",
        "hearing",
        "compensation_registration",
        "agreement",
        "approval_request",
        "approval",
        "expropriation_announcement",
        "payment_in_full",
        "land_handover",
    ],
    "household": [
        "surveyed",
        "registered",
        "agreement_signed",
        "paid",
        "handed_over",
        "resettled",
    ],
    "forced_vacate": ["compensation_decision", "order_to_hand_over", "court_enforcement"],
}


def test_national_steps_in_legal_order() -> None:
    pack = load_pack("national-2019")
    for scope, codes in NATIONAL_STEPS.items():
        assert [step.code for step in pack.steps_for(scope)] == codes
    assert pack.step("hearing").optional
    # 2019 order: plan, registration and agreements come before the approval request.
    assert set(pack.step("approval_request").requires) == {
        "status_survey",
        "stability_assessment",
        "compensation_plan",
        "compensation_registration",
        "agreement",
    }
    assert pack.step("approval").actor == "approving_authority"


@pytest.mark.parametrize("code", SHIPPED)
def test_required_steps_come_earlier_and_scopes_are_known(code: str) -> None:
    pack = load_pack(code)
    for step in pack.steps:
        assert step.scope in SCOPES
        assert step.evidence
        for required in step.requires:
            assert pack.step(required).order < step.order
    for scope in SCOPES:
        orders = [step.order for step in pack.steps_for(scope)]
        assert orders == sorted(orders)


@pytest.mark.parametrize("code", LOCAL)
def test_local_packs_keep_every_national_step(code: str) -> None:
    national = {step.code for step in load_pack("national-2019").steps}
    assert national <= {step.code for step in load_pack(code).steps}


def test_national_periods_gates_and_hearing_threshold() -> None:
    pack = load_pack("national-2019")
    announcement = pack.deadline("expropriation_announcement")
    assert (announcement.anchor, announcement.target, announcement.kind) == (
        "approval",
        "expropriation_announcement",
        "within",
    )
    assert announcement.rule == PeriodRule(PeriodUnit.WORKING_DAYS, 15)
    assert announcement.citation.label == "实施条例 第三十一条"
    plan = pack.deadline("compensation_plan_period")
    assert (plan.rule, plan.kind) == (PeriodRule(PeriodUnit.DAYS, 30), "at_least")
    assert pack.deadline("pre_announcement_period").rule == PeriodRule.of("working-days", 10)
    assert {gate.requires for gate in pack.gates_for("approval")} == {
        "funds_in_place",
        "social_security_funds_in_place",
    }
    assert pack.gate("announcement_after_approval").requires == "approval_done"
    trigger = pack.threshold("hearing_trigger")
    assert (trigger.value, trigger.comparison, trigger.unit) == (Fraction(1, 2), ">", "share")
    assert not trigger.met_by(Fraction(1, 2))
    assert trigger.met_by(Fraction(51, 100))
    assert pack.rule("rushed_planting_zero").value == "zero"


def test_putian_items() -> None:
    pack = load_pack("putian-2014")
    steps = {step.code for step in pack.steps}
    assert {
        "notification",
        "villager_assembly",
        "notified",
        "survey_objection",
        "survey_confirmed",
        "hearing_request",
        "coordination_opinion",
        "registration_review",
        "vacate_stability_assessment",
        "social_security_list",
        "archiving",
    } <= steps

    quorum = pack.threshold("assembly_quorum")
    assert (quorum.value, quorum.comparison, quorum.citation.clause) == (Fraction(2, 3), ">=", "(一)")
    assert quorum.met_by(Fraction(2, 3))  # 三分之二以上 includes two thirds
    assert not quorum.met_by(Fraction(66, 100))
    assert pack.rule("assembly_proxy_allowed").citation.clause == "(一)"
    assert pack.rule("assembly_counted_by_contract_certificate").citation.clause == "(一)"

    window = pack.threshold("objection_window")
    assert (window.value, window.unit, window.citation.clause) == (5, "working_days", "(二)")
    assert pack.deadline("survey_objection").rule == PeriodRule(PeriodUnit.WORKING_DAYS, 5)
    assert pack.rule("survey_refusal_counts_as_confirmed").value == "confirmed"

    hearing = pack.deadline("hearing_request")
    assert (hearing.anchor, hearing.rule.count, hearing.citation.clause) == ("notification", 5, "(三)")
    assert pack.threshold("hearing_rejection").value == Fraction(2, 3)

    announcement = pack.deadline("expropriation_announcement")
    assert announcement.rule == PeriodRule(PeriodUnit.WORKING_DAYS, 10)
    assert announcement.citation.label == "putian-2014 (四)"

    assert pack.rule("late_registration").value == "survey_result_used"
    assert pack.rule("late_registration").citation.clause == "(五)"
    plan = pack.deadline("compensation_plan")
    assert (plan.anchor, plan.rule, plan.citation.clause) == (
        "expropriation_announcement",
        PeriodRule(PeriodUnit.DAYS, 45),
        "(六)",
    )
    payment = pack.deadline("payment_in_full")
    assert (payment.anchor, payment.rule, payment.citation.clause) == (
        "registration_review",
        PeriodRule(PeriodUnit.MONTHS, 3),
        "(七)",
    )
    assert pack.gate("no_land_use_before_payment").step == "land_handover"
    assert pack.gate("no_land_use_before_payment").requires == "paid_in_full"
    handover = pack.deadline("land_handover")
    assert (handover.anchor, handover.rule, handover.citation.clause) == (
        "payment_in_full",
        PeriodRule(PeriodUnit.DAYS, 5),
        "(八)",
    )
    social = pack.gate("social_security_reviewed_before_request")
    assert (social.step, social.requires, social.citation.clause) == (
        "approval_request",
        "social_security_funds_reviewed",
        "(十五)",
    )
    assert pack.gate("notification_before_request").requires == "notification_done"
    assert {gate.requires for gate in pack.gates_for("order_to_hand_over")} == {
        "compensation_decision_done",
        "vacate_stability_assessment_done",
        "resettlement_in_place",
    }


def test_putian_overrides_the_announcement_gate_with_its_own_clause() -> None:
    gate = load_pack("putian-2014").gate("announcement_after_approval")
    assert gate.refusal == "不能发布征收土地公告：征地尚未批准（putian-2014 (四)）"
    national = load_pack("national-2019").gate("announcement_after_approval")
    assert national.citation.label == "土地管理法 第四十七条"


def test_yongzhou_items() -> None:
    pack = load_pack("yongzhou-linkage")
    assert [step.code for step in pack.steps_for("forced_vacate")] == [
        "compensation_notice",
        "compensation_decision",
        "vacate_notice",
        "order_to_hand_over",
        "demand_to_comply",
        "court_enforcement",
    ]
    chain = {
        "compensation_notice_period": ("compensation_notice", None, "7 working_days", "after"),
        "compensation_decision": (
            "compensation_notice",
            "compensation_notice_period",
            "10 days",
            "within",
        ),
        "vacate_notice_period": ("vacate_notice", None, "7 working_days", "after"),
        "order_to_hand_over": ("vacate_notice", "vacate_notice_period", "10 days", "within"),
        "demand_to_comply": ("order_to_hand_over", None, "6 months", "after"),
    }
    for code, (anchor, starts_after, rule, kind) in chain.items():
        item = pack.deadline(code)
        assert (item.anchor, item.starts_after, item.kind) == (anchor, starts_after, kind)
        assert item.rule == PeriodRule.parse(rule)
        assert item.citation.label == "yongzhou-linkage 五(一)5"
    assert pack.step("court_enforcement").requires == ("demand_to_comply",)
    assert pack.rule("late_registration").value == "waived"
    assert pack.deadline("compensation_plan").rule == PeriodRule(PeriodUnit.DAYS, 45)
    payment = pack.deadline("payment_in_full")
    assert (payment.anchor, payment.rule) == ("agreement", PeriodRule(PeriodUnit.MONTHS, 3))
    assert pack.deadline("household_payment").anchor == "agreement_signed"
    assert pack.rule("one_standard_per_project").citation.clause == "五(二)"
    incident = pack.threshold("incident_leaders_on_site")
    assert (incident.value, incident.unit, incident.citation.clause) == (2, "hours", "五(三)")
    assert "photo" in pack.step("expropriation_announcement").evidence


def test_banan_items() -> None:
    pack = load_pack("banan-2015")
    assert pack.step("pre_clearance").optional
    assert {gate.requires for gate in pack.gates_for("pre_clearance")} == {
        "pre_clearance_approved",
        "pledge_signed",
        "pre_funding_in_place",
    }
    assert pack.gate("pre_clearance_district_approval").citation.clause == "三"
    assert pack.rule("new_unlawful_building_zero").value == "zero"
    assert pack.rule("existing_unlawful_building_case_by_case").value == "case_by_case"
    assert pack.gate("pre_funding_before_start").step == "pre_announcement"
    assert pack.gate("special_account_before_payment").citation.clause == "五"
    assert pack.rule("special_account_per_project").value == "one_per_project"
    assert pack.deadline("property_certificate").rule == PeriodRule(PeriodUnit.MONTHS, 3)
    assert pack.deadline("property_certificate_latest").rule == PeriodRule(PeriodUnit.MONTHS, 6)
    assert pack.deadline("property_certificate").citation.clause == "四"


def test_lookups_refuse_unknown_codes() -> None:
    pack = load_pack("national-2019")
    for lookup in (pack.step, pack.deadline, pack.gate, pack.threshold, pack.rule):
        with pytest.raises(PolicyError, match="no_such_code"):
            lookup("no_such_code")
    with pytest.raises(PolicyError):
        pack.steps_for("village")
    assert "approval_done" in pack.facts()
    assert "funds_in_place" in pack.facts()


@pytest.mark.parametrize("code", SHIPPED)
def test_format_pack_lists_every_item_with_clause_and_quote(code: str) -> None:
    pack = load_pack(code)
    text = format_pack(pack)
    for key, citation in all_citations(pack):
        assert key.split(".", 1)[1] in text
        assert f"{citation.label}「{citation.quote}」" in text


# --------------------------------------------------------------------------- bad packs

BASE = """\
[pack]
code = "base"
name = "测试基础包"
document_title = "测试用法律"
version = "1"
document = "法"

[steps.first]
name = "第一步"
scope = "project"
order = 10
actor = "district_government"
evidence = ["document"]
clause = "第一条"
quote = "第一步的依据"

[steps.second]
name = "第二步"
scope = "project"
order = 20
actor = "township"
requires = ["first"]
evidence = ["photo"]
clause = "第二条"
quote = "第二步的依据"

[deadlines.second]
name = "第一步后十日内完成第二步"
anchor = "first"
target = "second"
rule = "10 days"
kind = "within"
clause = "第二条"
quote = "十日内"

[gates.second_after_funds]
name = "资金到位"
step = "second"
requires = "funds_in_place"
message = "不能进行第二步：资金未到位"
clause = "第三条"
quote = "资金到位"

[thresholds.quorum]
name = "到会比例"
value = "2/3"
comparison = ">="
unit = "share"
clause = "第四条"
quote = "三分之二以上"

[rules.late_registration]
name = "逾期登记"
value = "waived"
text = "逾期视为放弃。"
clause = "第五条"
quote = "视为放弃"
"""

CHILD_HEAD = """\
[pack]
code = "child"
name = "测试地方包"
document = "child"
document_title = "地方文件"
version = "2"
extends = "base"
"""


def write(directory: Path, code: str, text: str) -> None:
    (directory / f"{code}.toml").write_text(text, encoding="utf-8")


@pytest.fixture
def packs(tmp_path: Path) -> Path:
    write(tmp_path, "base", BASE)
    return tmp_path


def child_error(packs: Path, body: str) -> PolicyError:
    write(packs, "child", CHILD_HEAD + body)
    with pytest.raises(PolicyError) as caught:
        load_pack("child", packs)
    return caught.value


def test_base_fixture_is_valid(packs: Path) -> None:
    pack = load_pack("base", packs)
    assert [step.code for step in pack.steps_for("project")] == ["first", "second"]
    assert available_packs(packs) == ("base",)


def test_malformed_toml_names_the_file(packs: Path) -> None:
    write(packs, "broken", "[pack\ncode = 'broken'\n")
    with pytest.raises(PolicyError, match=r"^broken\.toml: TOML 语法错误") as caught:
        load_pack("broken", packs)
    assert isinstance(caught.value, DomainError)


def test_unknown_step_in_requires(packs: Path) -> None:
    error = child_error(
        packs,
        """
[steps.third]
name = "第三步"
scope = "project"
order = 30
actor = "township"
requires = ["second", "nowhere"]
evidence = ["document"]
clause = "(一)"
quote = "第三步"
""",
    )
    assert str(error).startswith("child.toml: steps.third.requires: 未知的步骤：nowhere")
    assert error.field == "steps.third.requires"


def test_missing_clause(packs: Path) -> None:
    error = child_error(
        packs,
        """
[rules.local]
name = "地方规则"
text = "文本"
quote = "文本"
""",
    )
    assert str(error).startswith("child.toml: rules.local.clause: 缺少必填项")


def test_missing_quote_in_the_base_pack(packs: Path) -> None:
    write(packs, "base", BASE.replace('quote = "资金到位"\n', ""))
    with pytest.raises(PolicyError, match=r"^base\.toml: gates\.second_after_funds\.quote: 缺少"):
        load_pack("base", packs)


def test_missing_document_when_the_pack_has_no_default(packs: Path) -> None:
    write(packs, "base", BASE.replace('document = "法"\n', ""))
    with pytest.raises(PolicyError, match=r"^base\.toml: steps\.first\.document: 缺少必填项"):
        load_pack("base", packs)


def test_negative_days(packs: Path) -> None:
    error = child_error(
        packs,
        """
[deadlines.second]
name = "负期限"
anchor = "first"
target = "second"
rule = "-5 days"
kind = "within"
clause = "(四)"
quote = "负期限"
""",
    )
    assert str(error) == "child.toml: deadlines.second.rule: 期限不能为负数：-5"


@pytest.mark.parametrize(
    ("rule", "problem"),
    [("ten days", "无法识别的期限"), ("10 fortnights", "无法识别的期限单位"), ("10", "无法识别")],
)
def test_bad_period_rule(packs: Path, rule: str, problem: str) -> None:
    write(packs, "base", BASE.replace('rule = "10 days"', f'rule = "{rule}"'))
    with pytest.raises(PolicyError, match=rf"^base\.toml: deadlines\.second\.rule: {problem}"):
        load_pack("base", packs)


def test_unknown_extends(packs: Path) -> None:
    write(packs, "child", CHILD_HEAD.replace('extends = "base"', 'extends = "atlantis-2020"'))
    with pytest.raises(PolicyError, match=r"^child\.toml: pack\.extends: 继承的策略包不存在：atlantis"):
        load_pack("child", packs)


def test_cycle_in_extends(packs: Path) -> None:
    write(packs, "base", BASE.replace('version = "1"', 'version = "1"\nextends = "child"'))
    write(packs, "child", CHILD_HEAD)
    with pytest.raises(PolicyError, match=r"pack\.extends: 循环继承：child → base → child"):
        load_pack("child", packs)


def test_unknown_pack() -> None:
    with pytest.raises(PolicyError, match=r"^nowhere-2020\.toml: 策略包不存在"):
        load_pack("nowhere-2020")
    with pytest.raises(PolicyError, match="不是合法的策略包代码"):
        load_pack("../national-2019")


def test_unknown_top_level_key(packs: Path) -> None:
    error = child_error(packs, "\n[rates.land]\nvalue = 1\n")
    assert str(error).startswith("child.toml: rates: 未知的键")


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ("order = 20", 'order = 20\ncolour = "red"', "steps.second.colour", "未知的键"),
        ('scope = "project"\norder = 20', 'scope = "estate"\norder = 20', "steps.second.scope", "未知的取值"),
        ('actor = "township"', 'actor = "mayor"', "steps.second.actor", "未知的取值"),
        ('evidence = ["photo"]', 'evidence = ["hologram"]', "steps.second.evidence", "未知的证据类型"),
        ("order = 20", 'order = "20"', "steps.second.order", "应为整数"),
        ("order = 20", "order = 5", "steps.second.order", "前置步骤 first"),
        ('requires = ["first"]', 'requires = ["second"]', "steps.second.requires", "自身"),
        ('kind = "within"', 'kind = "sometime"', "deadlines.second.kind", "未知的取值"),
        ('anchor = "first"', 'anchor = "zeroth"', "deadlines.second.anchor", "未知的步骤"),
        ('target = "second"', 'target = "first"', "deadlines.second.target", "不能相同"),
        ('step = "second"', 'step = "tenth"', "gates.second_after_funds.step", "未知的步骤"),
        ('requires = "funds_in_place"', 'requires = "moon_aligned"', "gates.second_after_funds.requires", "未知的事实"),
        ('value = "2/3"', "value = 0.66", "thresholds.quorum.value", "应为整数或字符串"),
        ('value = "2/3"', 'value = "2/0"', "thresholds.quorum.value", "无法识别的数值"),
        ('value = "2/3"', "value = -1", "thresholds.quorum.value", "不能为负数"),
        ('comparison = ">="', 'comparison = "about"', "thresholds.quorum.comparison", "未知的取值"),
        ('value = "waived"', 'value = "forgiven"', "rules.late_registration.value", "应为 waived"),
        (
            'quote = "视为放弃"',
            f'quote = "{"长" * (MAX_QUOTE_LENGTH + 1)}"',
            "rules.late_registration.quote",
            "引文过长",
        ),
        ('clause = "第五条"', 'clause = ""', "rules.late_registration.clause", "不能为空"),
        ('code = "base"', 'code = "other"', "pack.code", "应与文件名一致"),
    ],
)
def test_bad_values_name_file_and_key(packs: Path, old: str, new: str, key: str, problem: str) -> None:
    assert old in BASE
    write(packs, "base", BASE.replace(old, new, 1))
    with pytest.raises(PolicyError) as caught:
        load_pack("base", packs)
    assert str(caught.value).startswith(f"base.toml: {key}: "), str(caught.value)
    assert problem in str(caught.value)


def test_gate_may_require_any_step_done(packs: Path) -> None:
    write(packs, "base", BASE.replace('requires = "funds_in_place"', 'requires = "first_done"'))
    assert load_pack("base", packs).gate("second_after_funds").requires == "first_done"


def test_cycle_in_requires(packs: Path) -> None:
    error = child_error(
        packs,
        """
[steps.first]
name = "第一步（改）"
scope = "project"
order = 10
actor = "district_government"
requires = ["second"]
evidence = ["document"]
clause = "(一)"
quote = "改"
""",
    )
    assert "循环依赖" in str(error)
    assert re.match(r"^child\.toml: steps\.\w+\.requires: ", str(error))


def test_cycle_in_starts_after(packs: Path) -> None:
    error = child_error(
        packs,
        """
[deadlines.a]
name = "甲"
anchor = "first"
target = "second"
starts_after = "b"
rule = "1 days"
kind = "within"
clause = "(一)"
quote = "甲"

[deadlines.b]
name = "乙"
anchor = "first"
target = "second"
starts_after = "a"
rule = "1 days"
kind = "within"
clause = "(一)"
quote = "乙"
""",
    )
    assert "期限循环接续" in str(error)
    assert str(error).startswith("child.toml: deadlines.")


def test_quote_must_occur_in_the_source_text(packs: Path) -> None:
    (packs / "sources").mkdir()
    (packs / "sources" / "child.txt").write_text("对调查结果有异议的,\n相关权利人应在5个工作日内书面提出。", "utf-8")
    rule = """
[rules.objection]
name = "异议"
text = "五个工作日内书面提出异议。"
clause = "(二)"
quote = "{quote}"
"""
    head = CHILD_HEAD + 'source = "sources/child.txt"\n'
    write(packs, "child", head + rule.format(quote="有异议的, 相关权利人应在5个工作日内"))
    assert load_pack("child", packs).rule("objection").citation.clause == "(二)"
    write(packs, "child", head + rule.format(quote="相关权利人应在7个工作日内"))
    with pytest.raises(PolicyError, match=r"^child\.toml: rules\.objection\.quote: 引文未在原文"):
        load_pack("child", packs)


def test_override_by_code_and_inheritance(packs: Path) -> None:
    write(
        packs,
        "child",
        CHILD_HEAD
        + """
[steps.second]
name = "第二步（地方）"
scope = "project"
order = 20
actor = "expropriation_office"
requires = ["first"]
evidence = ["document", "photo"]
clause = "(二)"
quote = "地方第二步"

[deadlines.second]
name = "五个工作日内"
anchor = "first"
target = "second"
rule = "5 working-days"
kind = "within"
clause = "(三)"
quote = "五个工作日"

[steps.third]
name = "第三步"
scope = "household"
order = 30
actor = "household"
requires = ["second"]
evidence = ["signature_list"]
clause = "(四)"
quote = "第三步"
""",
    )
    base = load_pack("base", packs)
    child = load_pack("child", packs)
    assert child.step("second").name == "第二步（地方）"
    assert child.step("second").citation == Citation("child", "(二)", "地方第二步")
    assert child.deadline("second").rule == PeriodRule(PeriodUnit.WORKING_DAYS, 5)
    assert child.deadline("second").citation.label == "child (三)"
    # Inherited untouched, with the parent's citation.
    assert child.step("first") == base.step("first")
    assert child.gate("second_after_funds") == base.gate("second_after_funds")
    assert child.threshold("quorum").citation.document == "法"
    assert [step.code for step in child.steps_for("household")] == ["third"]
    assert child.lineage == ("base@1", "child@2")
    assert child.fingerprint != base.fingerprint
    assert base.step("second").name == "第二步"
    assert available_packs(packs) == ("base", "child")
