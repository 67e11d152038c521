"""A project walked through yongzhou-linkage with a frozen clock: the posting photo of the
announcement, late registration waived (五(一)2), payment from the special account, and one
household down the forced-vacate chain of 五(一)5 with its dates on the real 2025–2026
calendar, numbered documents, service and the court dossier."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from zhengqian.core import clock
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.domain.procedure import chain_schedule
from zhengqian.households.tests.factories import make_household
from zhengqian.procedure import actions, engine
from zhengqian.procedure.models import ProcedureDocument, ProcedureStep, StepBasis, StepStatus
from zhengqian.projects.actions import project_create

from .helpers import complete, d, fact, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def yongzhou(official_calendar, office_user, district, township_a):
    project = project_create(
        actor=office_user,
        code="YZ-T-1",
        name="滨江公园",
        owner_name="城管局",
        district=district,
        townships=[township_a],
        land_area="20000",
        policy_pack="yongzhou-linkage",
    )
    households = [
        make_household(office_user, project, township_a, code=f"Y-{n}", head_name=f"户主{n}") for n in range(3)
    ]
    return project, households


def row(project, code, household=None):
    return ProcedureStep.objects.get(project=project, household=household, code=code)


def to_announcement(office, leader, finance, project):
    complete(office, project, "pre_announcement", "2025-09-01")
    complete(office, project, "status_survey", "2025-09-08")
    complete(office, project, "stability_assessment", "2025-09-08")
    complete(office, project, "compensation_plan", "2025-09-15")
    complete(office, project, "compensation_registration", "2025-09-22")
    complete(office, project, "agreement", "2025-09-29")
    # 五(一)4: payment within 3 months of the agreement.
    assert row(project, "payment_in_full").due_on == d("2025-12-29")
    fact(finance, project, "funds_in_place", on="2025-10-10")
    complete(office, project, "approval_request", "2025-10-20")
    fact(leader, project, "social_security_funds_in_place", on="2025-10-21")
    complete(office, project, "approval", "2025-10-27")
    with clock.frozen("2025-11-03"):
        notice = actions.notice_draft(
            actor=office,
            project=project,
            kind="expropriation_announcement",
            issued_on="2025-11-03",
            registration_deadline="2025-11-20",
        )
        # 五(一)1: posted in the village and photographed — no photo, no publication.
        with pytest.raises(InvalidInput) as info:
            actions.notice_publish(
                actor=office, document=notice, published_on="2025-11-03", posting_place="新湾村", photos=[]
            )
        assert info.value.clause == "yongzhou-linkage 五(一)1"
        actions.notice_publish(
            actor=office,
            document=notice,
            published_on="2025-11-03",
            posting_place="新湾村村民小组醒目位置",
            photos=[upload("photo")],
        )
    assert notice.title == "征收土地通告"
    return notice


def serve(office, household, code, on):
    with clock.frozen(on):
        document = actions.chain_document_issue(actor=office, household=household, code=code, issued_on=on)
        actions.document_serve(
            actor=office,
            document=document,
            served_on=on,
            method="in_person",
            served_to=household.head_name,
            proofs=[upload("service_proof", name=f"{code}.jpg")],
        )
    return document


def test_walk_through_under_yongzhou_with_the_chain(yongzhou, office_user, leader, finance):
    project, households = yongzhou
    office = office_user
    signed, refusing, absent = households
    to_announcement(office, leader, finance, project)
    assert row(project, "expropriation_announcement").done_on == d("2025-11-03")

    # The household that signs: paid within 3 months of its agreement (五(一)4).
    complete(office, project, "registered", "2025-11-05", household=signed)
    complete(office, project, "agreement_signed", "2025-11-10", household=signed)
    assert row(project, "paid", signed).due_on == d("2026-02-10")

    # 五(一)2: late registration is deemed a waiver of the right to compensation.
    with clock.frozen("2025-11-21"):
        changed = actions.registration_apply_late(actor=office, project=project)
    assert {step.household_id for step in changed} == {refusing.pk, absent.pk}
    waived = row(project, "registered", absent)
    assert waived.status == StepStatus.WAIVED and waived.basis == StepBasis.RIGHTS_WAIVED
    assert "视为放弃补偿权利" in waived.waive_reason and "yongzhou-linkage 五(一)2" in waived.waive_reason

    # The chain cannot start for a household that signed.
    with clock.frozen("2025-11-10"), pytest.raises(InvalidInput):
        actions.chain_start(actor=office, household=signed, reason="x")
    with clock.frozen("2025-11-10"):
        actions.chain_start(actor=office, household=refusing, reason="拒不签订补偿协议、拒不腾地")
    first = serve(office, refusing, "compensation_notice", "2025-11-10")
    assert first.number == "YZ-T-1补告〔2025〕1号"
    # 补偿告知书（7个工作日）: ends 2025-11-19; 补偿决定书（10日内）after it: 11-29 is a Saturday → 12-01.
    decision = row(project, "compensation_decision", refusing)
    assert decision.due_on == d("2025-12-01")
    with clock.frozen("2025-11-19"), pytest.raises(GateClosed) as info:
        actions.chain_document_issue(
            actor=office, household=refusing, code="compensation_decision", issued_on="2025-11-19"
        )
    assert "须在 2025-11-19 之后" in str(info.value) and info.value.clause == "yongzhou-linkage 五(一)5"
    assert not ProcedureDocument.objects.filter(kind="compensation_decision").exists()  # no number taken
    serve(office, refusing, "compensation_decision", "2025-11-20")
    serve(office, refusing, "vacate_notice", "2025-11-24")
    # 限期腾地通知书（7个工作日）ends 12-03; 限期腾地决定书（10日内）: 12-13 Saturday → 12-15.
    assert row(project, "order_to_hand_over", refusing).due_on == d("2025-12-15")
    order = serve(office, refusing, "order_to_hand_over", "2025-12-04")
    assert order.title == "限期腾地决定书"
    # 催告书（6个月后）: not before 2026-06-04 has passed.
    with clock.frozen("2026-06-04"), pytest.raises(GateClosed):
        actions.chain_document_issue(actor=office, household=refusing, code="demand_to_comply", issued_on="2026-06-04")
    serve(office, refusing, "demand_to_comply", "2026-06-05")
    serve(office, refusing, "court_enforcement", "2026-06-10")
    assert row(project, "court_enforcement", refusing).status == StepStatus.DONE

    dates = {
        item.step.code: item
        for item in chain_schedule(
            engine.pack_of(project),
            engine.calendar(),
            {
                r.code: r.done_on
                for r in ProcedureStep.objects.filter(project=project, status="done").filter(household__in=[refusing])
                | ProcedureStep.objects.filter(project=project, household=None, status="done")
            },
        )
    }
    assert dates["compensation_decision"].earliest == d("2025-11-20")
    assert dates["order_to_hand_over"].earliest == d("2025-12-04")
    assert dates["order_to_hand_over"].latest == d("2025-12-15")
    assert all(item.lawful for item in dates.values())

    # The court dossier: one PDF and a ZIP whose manifest lists every file's SHA-256.
    with clock.frozen("2026-06-11"):
        dossier = actions.dossier_export(actor=office, household=refusing)
    assert dossier.pdf_bytes.startswith(b"%PDF")
    archive = zipfile.ZipFile(io.BytesIO(dossier.zip_bytes))
    manifest = json.loads(archive.read("manifest.json"))
    paths = {entry["path"] for entry in manifest["files"]}
    assert "dossier.pdf" in paths and "documents/YZ-T-1补告〔2025〕1号.pdf" in paths
    assert sum(1 for p in paths if p.startswith("evidence/")) >= 6  # service proofs, posting photo
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]


def test_chain_dates_across_mid_autumn_and_national_day(official_calendar, office_user, district, township_a):
    """2026: 补偿告知书 served Thu 24 Sep; 25 Sep (中秋) and 1–7 Oct are holidays, Sat 10 Oct is a
    make-up workday: the 7 working days end Mon 12 Oct, the decision may come from 13 Oct and
    must come by 22 Oct (10 days)."""
    pack = engine.pack_of(
        project_create(
            actor=office_user,
            code="YZ-T-2",
            name="x",
            owner_name="y",
            district=district,
            townships=[township_a],
            land_area="1",
            policy_pack="yongzhou-linkage",
        )
    )
    dates = {
        item.step.code: item
        for item in chain_schedule(pack, engine.calendar(), {"compensation_notice": d("2026-09-24")})
    }
    assert dates["compensation_decision"].earliest == d("2026-10-13")
    assert dates["compensation_decision"].latest == d("2026-10-22")


def test_payment_needs_the_special_account(yongzhou, office_user, leader, finance):
    project, _ = yongzhou
    to_announcement(office_user, leader, finance, project)
    with clock.frozen("2025-11-20"), pytest.raises(GateClosed) as info:
        actions.step_complete(
            actor=office_user,
            project=project,
            code="payment_in_full",
            done_on="2025-11-20",
            uploads=[upload("bank_record"), upload("document")],
        )
    assert info.value.clause == "yongzhou-linkage 三(十五)"
