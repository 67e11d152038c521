"""Every gate of every shipped pack refuses, with its own message and clause, when everything
else its step needs is in place; and putian-2014 (八)'s forced-vacate variant end to end."""

from __future__ import annotations

import pytest

from zhengqian.core import clock
from zhengqian.domain.errors import GateClosed
from zhengqian.domain.policy import FACTS
from zhengqian.households.tests.factories import make_household
from zhengqian.procedure import actions, engine
from zhengqian.procedure.models import ProcedureStep, ProjectFact
from zhengqian.projects.actions import project_create

from .helpers import fact, force_done, upload, uploads_for

pytestmark = pytest.mark.django_db

PACKS = ("national-2019", "putian-2014", "yongzhou-linkage", "banan-2015")


def gate_cases():
    from zhengqian.core.packs import pack

    return [(code, gate.code) for code in PACKS for gate in pack(code).gates]


def closure(pack, code):
    """Every step ``code`` requires, directly or not."""
    seen: set[str] = set()
    stack = list(pack.step(code).requires)
    while stack:
        item = stack.pop()
        if item not in seen:
            seen.add(item)
            stack.extend(pack.step(item).requires)
    return seen


@pytest.mark.parametrize(("pack_code", "gate_code"), gate_cases())
def test_every_gate_refuses_with_its_clause(official_calendar, leader, office_user, district, township_a, pack_code,
                                            gate_code):
    project = project_create(actor=leader, code=f"G-{gate_code}"[:40], name="x", owner_name="y", district=district,
                             townships=[township_a], land_area="1", policy_pack=pack_code)
    pack = engine.pack_of(project)
    gate = pack.gate(gate_code)
    step = pack.step(gate.step)
    held_back = {gate.requires.removesuffix("_done")} if gate.requires.endswith("_done") else set()
    if gate.requires == "paid_in_full":
        held_back.add("paid")  # for a household, its own payment is the fact
    needed = closure(pack, step.code)
    for other in pack.gates_for(step.code):  # the other gates' steps are done too
        if other.code != gate.code and other.requires.endswith("_done"):
            done = other.requires.removesuffix("_done")
            needed |= {done} | closure(pack, done)
    needed -= held_back
    household = None
    if step.scope != "project":
        household = make_household(office_user, project, township_a, code="G-H")
        if step.scope == "forced_vacate":
            engine.ensure_household_steps(project, pack, [household])
            engine.ensure_chain_steps(household, pack)
    project_codes = [c for c in needed if pack.step(c).scope == "project"]
    own_codes = [c for c in needed if pack.step(c).scope != "project"]
    force_done(project, project_codes, "2026-01-05")
    if household is not None:
        force_done(project, own_codes, "2026-01-05", household=household)
    for name in FACTS:
        if name not in (gate.requires, "paid_in_full"):
            ProjectFact.objects.create(project=project, code=name, value=True, source="funds", recorded_by=leader,
                                       recorded_at=clock.now(), reason="测试")
    with clock.frozen("2026-03-02"), pytest.raises(GateClosed) as info:
        actions.step_complete(actor=leader, project=project, code=step.code, household=household,
                              done_on="2026-03-02", uploads=uploads_for(project, step.code))
    assert info.value.message == gate.message
    assert info.value.clause == gate.citation.label


def test_putian_forced_vacate_goes_through_the_stability_assessment(official_calendar, project_a, office_user, leader,
                                                                    township_a):
    household = make_household(office_user, project_a, township_a, code="PV-1")
    force_done(project_a, ["pre_announcement", "status_survey", "notification", "approval",
                           "expropriation_announcement"], "2026-03-02")
    with clock.frozen("2026-03-10"):
        actions.chain_start(actor=office_user, household=household, reason="未签协议")
    codes = list(ProcedureStep.objects.filter(household=household, scope="forced_vacate").order_by("order")
                 .values_list("code", flat=True))
    assert codes == ["compensation_decision", "vacate_stability_assessment", "order_to_hand_over",
                     "court_enforcement"]

    def serve(code, on):
        with clock.frozen(on):
            document = actions.chain_document_issue(actor=office_user, household=household, code=code, issued_on=on)
            return actions.document_serve(actor=office_user, document=document, served_on=on, method="left_at_home",
                                          served_to="户主", proofs=[upload("service_proof", name=f"{code}.jpg")])

    serve("compensation_decision", "2026-03-10")
    with clock.frozen("2026-03-20"), pytest.raises(GateClosed) as info:
        actions.chain_document_issue(actor=office_user, household=household, code="order_to_hand_over",
                                     issued_on="2026-03-20")
    assert "社会稳定风险" in str(info.value) and info.value.clause == "putian-2014 (八)"
    with clock.frozen("2026-03-18"):
        actions.step_complete(actor=office_user, project=project_a, household=household,
                              code="vacate_stability_assessment", done_on="2026-03-18",
                              uploads=uploads_for(project_a, "vacate_stability_assessment"))
    with clock.frozen("2026-03-20"), pytest.raises(GateClosed, match="安置方案尚未落实到位"):
        actions.chain_document_issue(actor=office_user, household=household, code="order_to_hand_over",
                                     issued_on="2026-03-20")
    fact(leader, project_a, "resettlement_in_place", on="2026-03-19")
    order = serve("order_to_hand_over", "2026-03-20")
    assert order.title == "责令交出土地决定书" and order.number == "P-A-1责交〔2026〕1号"
    serve("court_enforcement", "2026-04-20")
    assert ProcedureStep.objects.get(household=household, code="court_enforcement").status == "done"
