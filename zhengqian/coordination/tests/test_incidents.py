"""Incidents (yongzhou-linkage 五(三)) with a frozen clock: the 2-hour on-site clock of a larger
incident, the scan's escalation once it runs out, the joint meeting a major one needs before it
can be closed, the timeline, notifications in the bell."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from zhengqian.coordination import actions, actions_incidents, selectors
from zhengqian.coordination.models import Incident, IncidentStatus
from zhengqian.core import clock
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.procedure.models import Notification

pytestmark = pytest.mark.django_db

REPORT = "2026-03-02T09:30:00"


def _report(actor, project, township, severity, households=()):
    return actions_incidents.incident_report(
        actor=actor,
        project=project,
        township=township,
        occurred_at=clock.now() - timedelta(minutes=10),
        place="一村1组",
        size=30,
        severity=severity,
        summary="村民聚集阻工",
        first_response="街道到场劝导",
        households=households,
    )


def test_larger_incident_two_hour_clock_with_frozen_time(clerk_a, office_user, project_a, township_a, household_a):
    with clock.frozen(REPORT) as reported_at:
        incident = _report(clerk_a, project_a, township_a, "larger", [household_a])
        assert incident.on_site_due == reported_at + timedelta(hours=2)
        # the office hears at once (the bell), with the deadline
        note = Notification.objects.get(user=office_user, key=f"incident:{incident.pk}")
        assert "较大事件" in note.title and "11:30" in note.body
        assert list(incident.households.all()) == [household_a]
    with clock.frozen("2026-03-02T11:29:00"):
        state = selectors.incident_escalation(incident)
        assert not state.on_site_late and state.minutes_left == 1
        assert actions_incidents.incidents_check_clock() == 0
    with clock.frozen("2026-03-02T11:31:00"):
        assert selectors.incident_escalation(incident).on_site_late
        assert actions_incidents.incidents_check_clock() == 1
        assert actions_incidents.incidents_check_clock() == 0  # once
    late = Notification.objects.filter(user=office_user, key=f"incident-late:{incident.pk}")
    assert late.count() == 1 and "超时未到场" in late.get().title
    assert Notification.objects.filter(user=clerk_a, key=f"incident-late:{incident.pk}").exists()
    with clock.frozen("2026-03-02T12:00:00"):
        with pytest.raises(GateClosed):
            actions_incidents.incident_close(actor=office_user, incident=incident, text="平息")
        actions_incidents.incident_arrival(
            actor=office_user, incident=incident, leader_name="区长", arrived_at=clock.now() - timedelta(minutes=15)
        )
        incident.refresh_from_db()
        assert selectors.incident_escalation(incident).on_site_late  # arrived 11:45, after 11:30
        actions_incidents.incident_close(actor=office_user, incident=incident, text="平息")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    kinds = list(incident.actions.values_list("kind", flat=True))
    assert kinds == ["report", "first_response", "escalation", "late", "arrival", "close"]
    assert "超过2小时时限" in incident.actions.get(kind="arrival").text


def test_arrival_in_time_is_not_late(clerk_a, office_user, project_a, township_a):
    with clock.frozen(REPORT):
        incident = _report(clerk_a, project_a, township_a, "larger")
    with clock.frozen("2026-03-02T11:00:00"):
        actions_incidents.incident_arrival(
            actor=office_user, incident=incident, leader_name="区长", arrived_at=clock.now()
        )
    with clock.frozen("2026-03-02T15:00:00"):
        incident.refresh_from_db()
        assert not selectors.incident_escalation(incident).on_site_late
        assert actions_incidents.incidents_check_clock() == 0


def test_general_incident_has_no_clock_and_no_escalation(clerk_a, office_user, project_a, township_a):
    with clock.frozen(REPORT):
        incident = _report(clerk_a, project_a, township_a, "general")
    assert incident.on_site_due is None
    assert not Notification.objects.filter(key__startswith="incident").exists()
    with clock.frozen("2026-03-05T09:00:00"):
        assert actions_incidents.incidents_check_clock() == 0
        actions_incidents.incident_close(actor=office_user, incident=incident, text="指挥部协调解决")


def test_major_incident_needs_a_joint_meeting_to_close(clerk_a, office_user, project_a, township_a, departments):
    with clock.frozen(REPORT):
        incident = _report(clerk_a, project_a, township_a, "major")
        actions_incidents.incident_arrival(
            actor=office_user, incident=incident, leader_name="区长", arrived_at=clock.now()
        )
        with pytest.raises(GateClosed) as error:
            actions_incidents.incident_close(actor=office_user, incident=incident, text="x")
        assert "联席会议" in error.value.message
        meeting = actions.meeting_record(
            actor=office_user, title="研究处置", held_on=date(2026, 3, 2), incident=incident
        )
        actions.decision_record(
            actor=office_user,
            meeting=meeting,
            text="公安维持秩序",
            project=project_a,
            owners=[actions.Owner(department=departments["public_security"])],
            period_count=1,
        )
        actions_incidents.incident_close(actor=office_user, incident=incident, text="已解决")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.tasks.count() == 1  # the meeting's decision is a task of the incident
    assert incident.actions.filter(kind="joint_meeting").exists()


def test_report_validates_and_is_scoped(clerk_b, clerk_a, project_a, township_a, township_b):
    with clock.frozen(REPORT):
        with pytest.raises(InvalidInput) as error:
            _report(clerk_b, project_a, township_a, "larger")
        assert error.value.field == "township"
        with pytest.raises(InvalidInput) as error:
            actions_incidents.incident_report(
                actor=clerk_a,
                project=project_a,
                township=township_a,
                occurred_at=clock.now() + timedelta(hours=1),
                place="x",
                size=1,
                severity="larger",
                summary="x",
            )
        assert error.value.field == "occurred_at"
        with pytest.raises(InvalidInput) as error:
            _report(clerk_a, project_a, township_a, "huge")
        assert error.value.field == "severity"
    assert not Incident.objects.exists()


def test_incident_pages(client, clerk_a, clerk_b, office_user, project_a, township_a):
    client.force_login(clerk_a)
    with clock.frozen(REPORT):
        response = client.post(
            reverse("coordination:incident_create"),
            {
                "project": project_a.pk,
                "township": township_a.pk,
                "occurred_at": "2026-03-02T09:00",
                "place": "一村",
                "size": "12",
                "severity": "larger",
                "summary": "阻工",
                "households": "",
            },
        )
        assert response.status_code == 302
        incident = Incident.objects.get()
        page = client.get(reverse("coordination:incident", kwargs={"pk": incident.pk})).content.decode()
        assert "区政府主要负责人2小时内赶赴现场" in page and "剩余 120 分钟" in page
        bad = client.post(reverse("coordination:incident_create"), {"project": project_a.pk, "size": "0"})
        assert bad.status_code == 200 and 'data-field-error="size"' in bad.content.decode()
    client.force_login(clerk_b)
    assert client.get(reverse("coordination:incident", kwargs={"pk": incident.pk})).status_code == 404
    client.force_login(office_user)
    with clock.frozen("2026-03-02T11:00:00"):
        client.post(
            reverse("coordination:incident_action", kwargs={"pk": incident.pk, "what": "arrival"}),
            {"leader_name": "区长", "arrived_at": "2026-03-02T10:50"},
        )
    incident.refresh_from_db()
    assert incident.arrived_at == datetime(2026, 3, 2, 10, 50, tzinfo=clock.LOCAL_ZONE)
