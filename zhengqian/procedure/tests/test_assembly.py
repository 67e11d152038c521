"""The villager assembly of putian-2014 (一): the roll by land-contract certificate, attendance
and proxies, the live tally (HTMX) and the 2/3 quorum — exactly 2/3 is met (以上 includes the
number); an assembly without quorum cannot be the step's evidence."""

from __future__ import annotations

import pytest

from zhengqian.core import clock
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households.tests.factories import make_household
from zhengqian.procedure import actions
from zhengqian.procedure.models import ProcedureStep

from .helpers import force_done, upload, uploads_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(official_calendar, project_a, office_user, township_a):
    """Project A (putian-2014) notified on 2026-01-14, with six certificate holders, one
    household sharing a certificate and one without a certificate."""
    households = [
        make_household(office_user, project_a, township_a, code=f"A-{n}", contract_certificate_no=f"C-{n}")
        for n in range(6)
    ]
    make_household(office_user, project_a, township_a, code="A-shared", contract_certificate_no="C-0")
    make_household(office_user, project_a, township_a, code="A-none")
    force_done(project_a, ["pre_announcement", "status_survey", "notification"], "2026-01-14")
    return project_a, households


def run(clerk, project, households, marks, *, close=True):
    with clock.frozen("2026-01-16"):
        assembly = actions.assembly_open(actor=clerk, project=project, held_on="2026-01-16", place="村委会")
        for household, mark in zip(households, marks, strict=False):
            if mark:
                actions.attendance_set(
                    actor=clerk,
                    assembly=assembly,
                    household_id=household.pk,
                    attendance=mark,
                    proxy_name="受托人" if mark == "proxy" else "",
                )
        if close:
            assembly = actions.assembly_close(
                actor=clerk,
                assembly=assembly,
                minutes=upload("minutes"),
                signature_list=upload("signature_list"),
                photos=[upload("photo")],
            )
    return assembly


@pytest.mark.parametrize(
    ("marks", "met", "counted"),
    [
        (["present"] * 4, True, 4),  # exactly 2/3 of 6
        (["present"] * 3 + ["proxy"], True, 4),  # proxies count (因故未能参加会议的可委托他人参加)
        (["present"] * 3, False, 3),
        (["proxy"] * 2 + ["present"] * 2, True, 4),
        (["present"] * 6, True, 6),
    ],
)
def test_quorum_edges(notified, clerk_a, marks, met, counted):
    project, households = notified
    assembly = run(clerk_a, project, households, marks)
    assert assembly.total == 6  # by certificate: the shared one once, none without
    tally = actions.assembly_tally(assembly)
    assert (tally.required, tally.counted, tally.met) == (4, counted, met)
    assert assembly.quorum_met is met and assembly.used_as_evidence is met
    step = ProcedureStep.objects.get(project=project, household=None, code="villager_assembly")
    assert (step.status == "done") is met
    if not met:
        assert "未达到" in assembly.quorum_text and "putian-2014 (一)" in assembly.quorum_text


def test_an_assembly_without_quorum_cannot_be_the_evidence(notified, clerk_a, office_user):
    project, households = notified
    run(clerk_a, project, households, ["present"] * 3)
    with clock.frozen("2026-01-17"), pytest.raises(GateClosed) as info:
        actions.step_complete(
            actor=office_user,
            project=project,
            code="villager_assembly",
            done_on="2026-01-16",
            uploads=uploads_for(project, "villager_assembly"),
        )
    assert "未达法定人数" in str(info.value) and info.value.clause == "putian-2014 (一)"
    # a second, quorate assembly completes the step
    run(clerk_a, project, households, ["present"] * 5)
    assert ProcedureStep.objects.get(project=project, household=None, code="villager_assembly").status == "done"


def test_attendance_rules(notified, clerk_a):
    project, households = notified
    assembly = run(clerk_a, project, households, [], close=False)
    with clock.frozen("2026-01-16"):
        with pytest.raises(InvalidInput, match="受托人"):
            actions.attendance_set(actor=clerk_a, assembly=assembly, household_id=households[0].pk, attendance="proxy")
        outsider = make_household(
            clerk_a, project, households[0].village.parent, code="late", contract_certificate_no="X"
        )
        with pytest.raises(InvalidInput, match="不在参会名册"):
            actions.attendance_set(actor=clerk_a, assembly=assembly, household_id=outsider.pk, attendance="present")


def test_assembly_before_notification_is_refused(official_calendar, project_a, clerk_a, office_user, township_a):
    make_household(office_user, project_a, township_a, code="A-1", contract_certificate_no="C-1")
    with clock.frozen("2026-01-16"), pytest.raises(GateClosed, match="尚未完成「征地告知"):
        actions.assembly_open(actor=clerk_a, project=project_a, held_on="2026-01-16", place="村委会")


def test_live_tally_with_htmx(client, notified, clerk_a):
    project, households = notified
    assembly = run(clerk_a, project, households, [], close=False)
    client.force_login(clerk_a)
    url = f"/procedure/assemblies/{assembly.pk}/attendance/{households[0].pk}/"
    with clock.frozen("2026-01-16"):
        page = client.get(f"/procedure/assemblies/{assembly.pk}/").content.decode()
        assert 'data-quorum="not-met"' in page and "data-required>4<" in page
        for household in households[:4]:
            url = f"/procedure/assemblies/{assembly.pk}/attendance/{household.pk}/"
            response = client.post(url, {"attendance": "present"}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
    assert f'id="att-{households[3].pk}" data-attendance="present"' in html
    assert 'hx-swap-oob="true"' in html and 'data-quorum="met"' in html and "data-counted>4<" in html
