"""The assessment figures on the demo data equal hand counts (banan-2015 (七)(八),
yongzhou-linkage 四(三)). The demo is loaded with the clock frozen on 2026-06-15, so every
relative date of the demo is fixed; the counts below are worked out from the demo's story
(see coordination/demo.py) and, for the procedure steps, by a plain loop over the rows."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhengqian.coordination import assessment
from zhengqian.coordination.models import AssessmentScore
from zhengqian.core import clock
from zhengqian.core.models import Department, Jurisdiction, User
from zhengqian.procedure.models import ProcedureStep

pytestmark = pytest.mark.django_db

TODAY = "2026-06-15T10:00:00"


@pytest.fixture
def demo(tmp_path, settings):
    settings.EVIDENCE_ROOT = tmp_path
    with clock.frozen(TODAY):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _steps_by_hand(township: Jurisdiction, paid: bool) -> tuple[int, int]:
    today = date(2026, 6, 15)
    good = total = 0
    for row in ProcedureStep.objects.filter(jurisdiction_path__startswith=township.path, household__isnull=False):
        if (row.code == "paid") != paid or row.due_on is None or row.due_provisional or row.optional:
            continue
        if row.due_on.year != 2026:
            continue
        if row.status == "done":
            total += 1
            good += row.done_on <= row.due_on
        elif row.status in ("not_started", "in_progress") and row.due_on < today:
            total += 1
    return good, total


def _figures(rows, label):
    row = next(r for r in rows if r.label == label)
    return row, {i.code: (i.good, i.total) for i in row.indicators}


def _check_hand_counts() -> None:
    office = User.objects.get(username="office")
    with clock.frozen(TODAY):
        rows = assessment.dashboard(user=office, period="2026")
    names = {d.code: d.name for d in Department.objects.all()}

    longzhou = Jurisdiction.objects.get(code="500113009")
    row, figures = _figures(rows, longzhou.name)
    assert figures["tasks"] == (0, 0)  # its decision task is due 20 days ahead
    assert figures["petitions"] == (0, 0)
    assert row.incidents == {"larger": 1, "major": 1}
    assert figures["steps"] == _steps_by_hand(longzhou, paid=False)
    assert figures["payments"] == _steps_by_hand(longzhou, paid=True)

    jieshi = Jurisdiction.objects.get(code="500113110")
    row, figures = _figures(rows, jieshi.name)
    assert figures["petitions"] == (1, 2)  # one answered in time, one 10 days overdue
    assert row.overdue_petitions == 1 and row.incidents == {}
    assert figures["steps"] == _steps_by_hand(jieshi, paid=False)

    row, figures = _figures(rows, names["public_security"])
    assert figures == {"tasks": (1, 1), "petitions": (0, 0)} and row.score == Decimal("100.0")
    row, figures = _figures(rows, names["finance"])
    assert figures == {"tasks": (0, 1), "petitions": (0, 0)} and row.score == Decimal("0.0")
    row, figures = _figures(rows, names["natural_resources"])
    assert figures == {"tasks": (0, 0), "petitions": (0, 1)} and row.overdue_petitions == 1
    row, figures = _figures(rows, names["letters_visits"])
    assert figures == {"tasks": (0, 0), "petitions": (1, 1)} and row.score == Decimal("100.0")
    row, figures = _figures(rows, names["civil_affairs"])
    assert figures == {"tasks": (0, 0), "petitions": (0, 0)}  # the support case is not due yet


def _check_compute(client) -> None:
    office = User.objects.get(username="office")
    client.force_login(office)
    with clock.frozen(TODAY):
        page = client.get(reverse("coordination:assessment") + "?period=2026").content.decode()
        assert 'data-indicator="petitions" data-good="1" data-total="2"' in page
        chart = json.loads(page.split('id="assessment-chart-data" type="application/json">')[1].split("</script>")[0])
        scores = dict(zip(chart["subjects"], chart["series"][0]["data"], strict=True))
        assert chart["series"][0]["name"] == "得分" and scores[Department.objects.get(code="finance").name] == "0.0"
        steps = next(s for s in chart["series"] if s["name"].startswith("程序步骤按期完成"))
        assert None in steps["data"]  # departments have no steps: no bar rather than a false 0
        assert client.post(reverse("coordination:assessment") + "?period=2026", {"what": "compute"}).status_code == 302
        client.post(reverse("coordination:assessment") + "?period=2026", {"what": "compute"})
    finance = AssessmentScore.objects.get(period="2026", department__code="finance")
    assert finance.score == Decimal("0.0") and finance.figures["indicators"]["tasks"] == {
        "good": 0,
        "total": 1,
        "weight": 25,
    }
    assert AssessmentScore.objects.filter(period="2026", department__code="finance").count() == 1
    bad = client.get(reverse("coordination:assessment") + "?period=abc")
    assert bad.status_code == 200


def _check_idempotent() -> None:
    from zhengqian.coordination.models import Decision, Incident, JointMeeting, Task

    with clock.frozen(TODAY):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert JointMeeting.objects.count() == 2 and Decision.objects.count() == 4
    assert Task.objects.count() == 5 and Incident.objects.count() == 2
    assert Department.objects.filter(duties__clause="yongzhou-linkage 三(十五)").exists()


def test_demo_assessment(client, demo):
    """One demo load (it takes a while) for the three checks."""
    _check_hand_counts()
    _check_compute(client)
    _check_idempotent()
