"""Scope-sweep entries for every object URL of the compensation app (used by
zhengqian/core/tests/test_scope_sweep.py)."""

from __future__ import annotations

from typing import Any

from zhengqian.core import clock
from zhengqian.core.models import User
from zhengqian.households.tests.factories import village_of

from .. import actions
from ..models import RepricingJob
from .factories import approved_standard, priced_household


def _project(o: dict[str, Any]) -> dict[str, Any]:
    return {"project_id": o["project"].pk}


def _pk(name: str) -> Any:
    return lambda o: {"pk": o[name].pk}


COMPENSATION_URLS: dict[str, Any] = {
    "compensation:project": _project,
    "compensation:standard_create": _project,
    "compensation:valuation_list": _project,
    "compensation:publicity_list": _project,
    "compensation:signing_queue": _project,
    "compensation:standard_detail": _pk("standard"),
    "compensation:rate_create": _pk("standard"),
    "compensation:reward_create": _pk("standard"),
    "compensation:standard_submit": _pk("standard"),
    "compensation:standard_return": _pk("standard"),
    "compensation:standard_approve": _pk("standard"),
    "compensation:standard_reprice": _pk("standard"),
    "compensation:rate_edit": _pk("rate"),
    "compensation:rate_delete": _pk("rate"),
    "compensation:reward_delete": _pk("reward"),
    "compensation:job_detail": _pk("job"),
    "compensation:job_progress": _pk("job"),
    "compensation:household": _pk("priced"),
    "compensation:valuation_run": _pk("priced"),
    "compensation:agreement_generate": _pk("priced"),
    "compensation:valuation_detail": _pk("valuation"),
    "compensation:valuation_pdf": _pk("valuation"),
    "compensation:publicity_detail": _pk("publicity"),
    "compensation:publicity_public": _pk("publicity"),
    "compensation:publicity_pdf": _pk("publicity"),
    "compensation:publicity_publish": _pk("publicity"),
    "compensation:publicity_close": _pk("publicity"),
    "compensation:objection_create": _pk("publicity"),
    "compensation:objection_resolve": _pk("publicity_objection"),
    "compensation:agreement_detail": _pk("agreement"),
    "compensation:agreement_pdf": _pk("agreement"),
    "compensation:agreement_docx": _pk("agreement"),
    "compensation:agreement_scan": _pk("agreement"),
    "compensation:agreement_sign": _pk("agreement"),
    "compensation:agreement_supplement": _pk("agreement"),
    "compensation:agreement_update": _pk("agreement"),
    "api-1:standard_list": _project,
    "api-1:standard_create": _project,
    "api-1:standard_detail": lambda o: {"standard_id": o["standard"].pk},
    "api-1:rate_create": lambda o: {"standard_id": o["standard"].pk},
    "api-1:standard_submit": lambda o: {"standard_id": o["standard"].pk},
    "api-1:standard_approve": lambda o: {"standard_id": o["standard"].pk},
    "api-1:job_detail": lambda o: {"job_id": o["job"].pk},
    "api-1:job_changes": lambda o: {"job_id": o["job"].pk},
    "api-1:household_valuation": lambda o: {"household_id": o["priced"].pk},
    "api-1:valuation_create": lambda o: {"household_id": o["priced"].pk},
    "api-1:valuation_detail": lambda o: {"valuation_id": o["valuation"].pk},
    "api-1:publicity_list": _project,
    "api-1:publicity_create": _project,
    "api-1:publicity_detail": lambda o: {"publicity_id": o["publicity"].pk},
    "api-1:publicity_publish": lambda o: {"publicity_id": o["publicity"].pk},
    "api-1:publicity_objection": lambda o: {"publicity_id": o["publicity"].pk},
    "api-1:agreement_list": _project,
    "api-1:agreement_create": lambda o: {"household_id": o["priced"].pk},
    "api-1:agreement_detail": lambda o: {"agreement_id": o["agreement"].pk},
    "api-1:agreement_sign": lambda o: {"agreement_id": o["agreement"].pk},
}


def _rate(o: dict[str, Any]) -> dict[str, Any]:
    return {"category": "relocation", "item": "relocation", "name": "搬迁费", "unit": "household", "amount": "1",
            "payee": "household", "clause": "banan-2015 (五)"}


def _publicity(o: dict[str, Any]) -> dict[str, Any]:
    return {"village_id": o["priced"].village_id}


COMPENSATION_BODIES: dict[str, Any] = {
    "api-1:rate_create": _rate,
    "api-1:standard_approve": lambda o: {"approval_reference": "x"},
    "api-1:publicity_list": _publicity,
    "api-1:publicity_create": _publicity,
    "api-1:publicity_publish": lambda o: {"published_on": clock.today().isoformat()},
    "api-1:publicity_objection": lambda o: {"filed_on": clock.today().isoformat(), "filed_by_name": "张三",
                                            "content": "x"},
}


def compensation_objects(*, project: Any, township: Any) -> dict[str, Any]:
    """An approved standard, a priced household with a signed agreement, a re-pricing job and a
    published list with an objection, all in township A."""
    district = project.district
    office = User.objects.create_user(username="sweep_office", password="Passw0rd!2026", role="expropriation_office",
                                      jurisdiction=district)
    leader = User.objects.create_user(username="sweep_leader", password="Passw0rd!2026", role="leadership_office",
                                      jurisdiction=district)
    standard = approved_standard(office, leader, project)
    household = priced_household(office, project, township, "SWEEP-C1")
    valuation = actions.valuation_run(actor=office, household=household)
    agreement = actions.agreement_generate(actor=office, household=household)
    agreement = actions.agreement_sign(actor=office, agreement=agreement, signed_on=clock.today(),
                                       signatories="王建国", scan=b"%PDF-1.4 sweep", scan_name="签字件.pdf")
    publicity = actions.publicity_create(actor=office, project=project, village=village_of(township))
    actions.publicity_publish(actor=office, publicity=publicity, published_on=clock.today())
    objection = actions.publicity_objection_file(actor=office, publicity=publicity, filed_on=clock.today(),
                                                 filed_by_name="王建国", content="面积有误")
    return {
        "standard": standard, "rate": standard.rates.first(), "reward": standard.reward_windows.first(),
        "job": RepricingJob.objects.filter(standard=standard).first(), "priced": household, "valuation": valuation,
        "agreement": agreement, "publicity": publicity, "publicity_objection": objection,
    }
