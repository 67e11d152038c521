"""Actions on resettled persons, the project's scheme and each household's choice
(banan-2015 (二)(四), putian-2014 (十二)(十三)).

Housing pool: ``actions_housing``; selection days and allocation: ``actions_allocation``;
handover, certificates and transition: ``actions_handover``; social security: ``actions_social``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhengqian.compensation.actions.common import amount, day, integer, text
from zhengqian.core import audit, clock
from zhengqian.core.crypto import mask_name
from zhengqian.core.evidence import evidence_store
from zhengqian.core.models import Jurisdiction, User
from zhengqian.core.permissions import require
from zhengqian.domain import resettlement as rules
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households.models import Household, HouseholdMember, HouseholdStatus, Legality
from zhengqian.projects.models import Project

from . import facts
from .models import (
    Allocation,
    Estate,
    HouseholdOption,
    PersonDecision,
    PersonList,
    PersonObjection,
    Scheme,
)

SCHEME_FIELDS = [
    "require_contract",
    "count_non_agricultural",
    "minimum_age",
    "per_person_m2",
    "max_over_m2",
    "price_within",
    "price_above",
    "refund_unused",
    "source",
]
OPTION_FIELDS = [
    "form",
    "persons",
    "entitled_area",
    "estate",
    "priority_group",
    "chosen_on",
    "signed_by_name",
    "signature",
    "note",
    "clause",
]
DECISION_FIELDS = ["counts", "reason", "clause", "age_band", "decided_on", "overridden"]


# --------------------------------------------------------------------------- checks


def in_scope(actor: User, path: str) -> bool:
    scope = actor.scope_path
    return bool(scope) and path.startswith(scope)


def check_project(actor: User, project: Project) -> Project:
    from zhengqian.projects.selectors import projects_for

    if not isinstance(project, Project) or not projects_for(user=actor).filter(pk=project.pk).exists():
        raise InvalidInput("征地项目不存在或不在您的辖区。", field="project")
    return project


def check_household(actor: User, household: Household) -> Household:
    if not isinstance(household, Household):
        raise InvalidInput("该户不存在。", field="household")
    household = Household.objects.select_related("village", "project").get(pk=household.pk)
    if not in_scope(actor, household.village.path):
        raise InvalidInput("该户不在您的辖区。", field="household")
    if household.status != HouseholdStatus.REGISTERED:
        raise GateClosed(f"{household.code} 户已注销。", clause=rules.CLAUSE_PERSONS)
    return household


def check_estate(actor: User, estate: Estate) -> Estate:
    if not isinstance(estate, Estate):
        raise InvalidInput("安置房小区不存在。", field="estate")
    estate = Estate.objects.select_related("jurisdiction").get(pk=estate.pk)
    if not in_scope(actor, estate.jurisdiction.path):
        raise InvalidInput("安置房小区不在您的辖区。", field="estate")
    return estate


def scheme_of(project: Project) -> Scheme | None:
    return Scheme.objects.filter(project=project).first()


def require_scheme(project: Project) -> Scheme:
    scheme = scheme_of(project)
    if scheme is None:
        raise GateClosed("本项目尚未登记安置方案（人均安置面积、安置价等），请先登记", clause=rules.CLAUSE_FORMS)
    return scheme


def person_rules(scheme: Scheme | None) -> rules.PersonRules:
    if scheme is None:
        return rules.PersonRules()
    kinds = {"agricultural", "resident"} | ({"non_agricultural"} if scheme.count_non_agricultural else set())
    return rules.PersonRules(
        hukou_types=frozenset(kinds), require_contract=scheme.require_contract, minimum_age=scheme.minimum_age
    )


def area_rules(scheme: Scheme) -> rules.AreaRules:
    return rules.AreaRules(
        per_person_m2=scheme.per_person_m2,
        max_over_m2=scheme.max_over_m2,
        price_within=scheme.price_within,
        price_above=scheme.price_above,
        refund_unused=scheme.refund_unused,
        clause=f"{rules.CLAUSE_FORMS}；{scheme.source}",
    )


# --------------------------------------------------------------------------- scheme


def scheme_set(*, actor: User, project: Project, **values: Any) -> Scheme:
    """Record the project's published resettlement scheme (banan-2015 (二) 安置标准及形式)."""
    require(actor, "resettlement.manage")
    check_project(actor, project)
    data = {
        "require_contract": bool(values.get("require_contract", True)),
        "count_non_agricultural": bool(values.get("count_non_agricultural", False)),
        "minimum_age": integer(values.get("minimum_age", 0), "minimum_age", "最低年龄", 0, 120),
        "per_person_m2": amount(values.get("per_person_m2"), "per_person_m2", "人均安置面积", places=2),
        "max_over_m2": amount(values.get("max_over_m2", "10"), "max_over_m2", "允许超出面积", places=2),
        "price_within": amount(values.get("price_within", "0"), "price_within", "安置价", places=2),
        "price_above": amount(values.get("price_above", "0"), "price_above", "超面积价", places=2),
        "refund_unused": amount(values.get("refund_unused", "0"), "refund_unused", "未用足面积退还", places=2),
        "source": text(values.get("source"), "source", "方案文号/依据", 120, required=True),
    }
    if not data["per_person_m2"]:
        raise InvalidInput("人均安置面积须大于 0。", field="per_person_m2")
    with transaction.atomic():
        project = Project.objects.select_for_update().select_related("district").get(pk=project.pk)
        scheme = Scheme.objects.filter(project=project).first()
        before = audit.snapshot(scheme, SCHEME_FIELDS) if scheme else None
        if scheme is None:
            scheme = Scheme(project=project)
        for name, value in data.items():
            setattr(scheme, name, value)
        scheme.updated_by, scheme.updated_at = actor, clock.now()
        scheme.save()
        audit.record(
            actor=actor,
            action="resettlement.scheme.set",
            obj=scheme,
            before=before,
            after=audit.snapshot(scheme, SCHEME_FIELDS),
            jurisdiction_path=project.district.path,
        )
    return scheme


# --------------------------------------------------------------------------- resettled persons


def _person(member: HouseholdMember, has_contract: bool) -> rules.Person:
    return rules.Person(
        name=member.name,
        hukou_type=member.hukou_type,
        birth_date=member.birth_date,
        sex=member.sex,
        relation=member.relation,
        household_has_contract=has_contract,
    )


def persons_determine(*, actor: User, household: Household, on: Any = None) -> list[PersonDecision]:
    """Decide for every member whether they count as a resettled person, with the reason and
    clause, by the project's scheme (banan-2015 (二), putian-2014 (十二)); the result also sets
    ``is_resettlement_person``, which valuations count. A decision changed on an upheld
    objection is kept."""
    require(actor, "resettlement.manage")
    household = check_household(actor, household)
    when = day(on, "on", "核定日期") if on not in (None, "") else clock.today()
    assert when is not None
    person_rules_ = person_rules(scheme_of(household.project))
    has_contract = bool(household.contract_certificate_no.strip())
    decisions = []
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("village").get(pk=household.pk)
        for member in HouseholdMember.objects.filter(household=household).order_by("id"):
            decision = rules.decide_person(_person(member, has_contract), person_rules_, when)
            row = PersonDecision.objects.filter(member=member).first()
            if row is not None and row.overridden:
                decisions.append(row)
                continue
            before = audit.snapshot(row, DECISION_FIELDS) if row else None
            row = row or PersonDecision(member=member, household=household, project_id=household.project_id)
            row.counts, row.reason, row.clause = decision.counts, decision.reason, decision.clause
            row.age_band = decision.band.value if decision.band else ""
            row.decided_on, row.jurisdiction_path, row.updated_at = when, household.village.path, clock.now()
            row.save()
            if member.is_resettlement_person != decision.counts:
                HouseholdMember.objects.filter(pk=member.pk).update(
                    is_resettlement_person=decision.counts, updated_at=clock.now()
                )
            after = audit.snapshot(row, DECISION_FIELDS)
            if before != after:
                audit.record(
                    actor=actor,
                    action="resettlement.person.decide",
                    obj=row,
                    before=before,
                    after=after,
                    jurisdiction_path=household.village.path,
                    object_label=f"{household.code} {member.name}",
                )
            decisions.append(row)
    return decisions


def person_list_publish(
    *, actor: User, project: Project, village: Jurisdiction, published_on: Any, days: Any = 7
) -> PersonList:
    """Publish a village's resettled-person list with masked names (putian-2014 (九)(十) 公示)."""
    require(actor, "resettlement.manage")
    check_project(actor, project)
    if not isinstance(village, Jurisdiction) or not in_scope(actor, village.path):
        raise InvalidInput("村/社区不在您的辖区。", field="village")
    start = day(published_on, "published_on", "公示日期")
    period = integer(days, "days", "公示天数", 1, 60)
    assert start is not None and period is not None
    decisions = (
        PersonDecision.objects.filter(project=project, household__village=village)
        .select_related("member", "household")
        .order_by("household__code", "member_id")
    )
    if not decisions.exists():
        raise GateClosed("该村尚无核定的安置人口，不能公示", clause=rules.CLAUSE_PERSONS)
    entries = [
        {
            "household": row.household.code,
            "name": mask_name(row.member.name),
            "id_number": row.member.id_number_masked,
            "counts": row.counts,
            "reason": row.reason,
            "clause": row.clause,
        }
        for row in decisions
    ]
    with transaction.atomic():
        listing = PersonList.objects.create(
            project=project,
            village=village,
            published_on=start,
            ends_on=start + timedelta(days=period),
            entries=entries,
            created_by=actor,
            created_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="resettlement.person_list.publish",
            obj=listing,
            after={"entries": len(entries), "published_on": start},
            jurisdiction_path=village.path,
        )
    return listing


def person_objection_file(
    *, actor: User, decision: PersonDecision, filed_on: Any, filed_by_name: Any, content: Any
) -> PersonObjection:
    require(actor, "resettlement.manage")
    if not in_scope(actor, decision.jurisdiction_path):
        raise InvalidInput("该人员不在您的辖区。", field="decision")
    filed = day(filed_on, "filed_on", "提出日期")
    name = text(filed_by_name, "filed_by_name", "提出人", 40, required=True)
    body = text(content, "content", "异议内容", 2000, required=True)
    with transaction.atomic():
        objection = PersonObjection.objects.create(
            decision=decision,
            filed_on=filed,
            filed_by_name=name,
            content=body,
            created_by=actor,
            created_at=clock.now(),
        )
        audit.record(
            actor=actor,
            action="resettlement.person.objection",
            obj=objection,
            after={"content": body, "filed_by_name": name},
            jurisdiction_path=decision.jurisdiction_path,
        )
    return objection


def person_objection_resolve(
    *, actor: User, objection: PersonObjection, upheld: bool, resolution: Any
) -> PersonObjection:
    """Resolve an objection; when upheld the decision is turned, marked as changed on review,
    and the member's ``is_resettlement_person`` follows."""
    require(actor, "resettlement.manage")
    if not in_scope(actor, objection.decision.jurisdiction_path):
        raise InvalidInput("该异议不在您的辖区。", field="objection")
    note = text(resolution, "resolution", "复核意见", 2000, required=True)
    with transaction.atomic():
        objection = PersonObjection.objects.select_for_update().select_related("decision").get(pk=objection.pk)
        if objection.outcome != PersonObjection.Outcome.PENDING:
            raise InvalidInput("该异议已复核。", field="objection")
        objection.outcome = PersonObjection.Outcome.UPHELD if upheld else PersonObjection.Outcome.DISMISSED
        objection.resolution = note
        objection.save()
        decision = PersonDecision.objects.select_for_update().get(pk=objection.decision_id)
        before = audit.snapshot(decision, DECISION_FIELDS)
        if upheld:
            decision.counts = not decision.counts
            decision.reason = f"异议复核改定：{note}"[:200]
            decision.overridden = True
            decision.updated_at = clock.now()
            decision.save()
            HouseholdMember.objects.filter(pk=decision.member_id).update(
                is_resettlement_person=decision.counts, updated_at=clock.now()
            )
        audit.record(
            actor=actor,
            action="resettlement.person.objection_resolve",
            obj=decision,
            before=before,
            after=audit.snapshot(decision, DECISION_FIELDS),
            reason=note,
            jurisdiction_path=decision.jurisdiction_path,
        )
    return objection


# --------------------------------------------------------------------------- the household's choice


def resettled_persons(household: Household) -> int:
    return HouseholdMember.objects.filter(household=household, is_resettlement_person=True).count()


def has_house(household: Household) -> bool:
    return household.buildings.filter(use="residential").exclude(legality=Legality.NEW_UNLAWFUL).exists()


def forms_for(household: Household) -> list[tuple[rules.Form, bool, str, str]]:
    """Every form with whether this household may choose it, the reason and the clause."""
    persons = resettled_persons(household)
    house = has_house(household)
    contract = bool(household.contract_certificate_no.strip())
    return [
        (form, *rules.form_allowed(form, persons=persons, has_house=house, has_contract=contract))
        for form in rules.Form
    ]


def option_choose(
    *,
    actor: User,
    household: Household,
    form: Any,
    chosen_on: Any,
    signed_by_name: Any,
    estate: Estate | None = None,
    priority_group: Any = 9,
    note: Any = "",
    signature: bytes | None = None,
    signature_name: str = "签字确认书.pdf",
) -> HouseholdOption:
    """Record the household's resettlement form, dated and signed (banan-2015 (四)); a form the
    household is not entitled to is refused with the reason. Housing fixes the entitled area
    (persons × area per person of the scheme). An unsigned agreement follows the choice."""
    require(actor, "resettlement.manage")
    household = check_household(actor, household)
    try:
        chosen = rules.Form(form)
    except ValueError:
        raise InvalidInput(f"安置方式无效：{form!r}。", field="form") from None
    when = day(chosen_on, "chosen_on", "选择日期")
    signer = text(signed_by_name, "signed_by_name", "签字人", 40, required=True)
    group = integer(priority_group, "priority_group", "选房优先组", 1, 9)
    memo = text(note, "note", "备注", 200)
    if estate is not None:
        estate = check_estate(actor, estate)
    with transaction.atomic():
        household = Household.objects.select_for_update().select_related("village", "project").get(pk=household.pk)
        if Allocation.objects.filter(household=household, cancelled=False).exists():
            raise GateClosed(
                f"{household.code} 户已分配安置房，须先撤销分配才能改选安置方式", clause=rules.CLAUSE_ALLOCATION
            )
        if not HouseholdMember.objects.filter(household=household, name=signer).exists():
            raise InvalidInput(f"签字人“{signer}”不是本户家庭成员。", field="signed_by_name")
        persons = resettled_persons(household)
        allowed, reason, clause = rules.form_allowed(
            chosen,
            persons=persons,
            has_house=has_house(household),
            has_contract=bool(household.contract_certificate_no.strip()),
        )
        if not allowed:
            raise GateClosed(f"不能选择该安置方式：{reason}", clause=clause, field="form")
        area = Decimal(0)
        if chosen == rules.Form.HOUSING:
            area = rules.entitled_area(persons, area_rules(require_scheme(household.project)))
        elif estate is not None:
            raise InvalidInput("只有安置房安置才选择意向小区。", field="estate")
        option = HouseholdOption.objects.filter(household=household).first()
        before = audit.snapshot(option, OPTION_FIELDS) if option else None
        option = option or HouseholdOption(household=household, project_id=household.project_id)
        if signature:
            option.signature = evidence_store(
                actor=actor, content=signature, original_name=signature_name, jurisdiction_path=household.village.path
            )
        option.form, option.persons, option.entitled_area, option.estate = chosen.value, persons, area, estate
        option.priority_group, option.chosen_on, option.signed_by_name, option.note = group, when, signer, memo
        option.clause, option.jurisdiction_path, option.updated_at = clause, household.village.path, clock.now()
        option.save()
        audit.record(
            actor=actor,
            action="resettlement.option.choose",
            obj=option,
            before=before,
            after=audit.snapshot(option, OPTION_FIELDS),
            jurisdiction_path=household.village.path,
            object_label=f"{household.code} {option.get_form_display()}",
        )
        _follow_agreement(actor, household, chosen)
        facts.refresh(actor=actor, project=household.project)
    return option


_AGREEMENT_CHOICE = {
    rules.Form.HOUSING: "housing",
    rules.Form.CASH: "cash",
    rules.Form.PURCHASE: "purchase",
    rules.Form.CROSS_REGION: "cross_region",
}


def _follow_agreement(actor: User, household: Household, form: rules.Form) -> None:
    """The household's unsigned agreement carries the chosen form (its signed one never changes)."""
    from zhengqian.compensation.actions import agreement_update
    from zhengqian.compensation.models import Agreement, AgreementKind, AgreementStatus

    value = _AGREEMENT_CHOICE.get(form)
    draft = Agreement.objects.filter(
        household=household, kind=AgreementKind.ORIGINAL, status=AgreementStatus.DRAFT
    ).first()
    if value is not None and draft is not None and draft.resettlement_choice != value:
        agreement_update(actor=actor, agreement=draft, resettlement_choice=value)


def resettlement_in_place(household: Household) -> tuple[bool, str]:
    """先安置后拆迁 (putian-2014 (十四)): a household's original house may be scheduled for
    demolition only when its resettlement is in place — a signed choice, and for housing a
    unit allocated to it."""
    option = HouseholdOption.objects.filter(household=household).first()
    if option is None:
        return False, "尚未选择安置方式"
    if option.form == rules.Form.HOUSING:
        allocation = Allocation.objects.filter(household=household, cancelled=False).select_related("unit").first()
        if allocation is None:
            return False, "选择安置房安置，尚未分配安置房"
        return True, f"已分配 {allocation.unit}"
    return True, f"已选择{option.get_form_display()}（{option.chosen_on}）"


def today_or(value: date | None) -> date:
    return value or clock.today()
