"""The cutoff at notification: baseline per item; anything added or enlarged afterwards is
flagged with its clause (putian-2014 (二) 抢栽抢种抢建, banan-2015 (三) 新增两违)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhengqian.core import clock
from zhengqian.core.models import AuditEvent
from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.domain.errors import GateClosed, InvalidInput
from zhengqian.households import actions, selectors
from zhengqian.households.models import RegisterFreeze

from .factories import full_household, make_household


@pytest.fixture
def frozen_objects(clerk_a, office_user, project_a, township_a, frozen_clock):
    objects = full_household(clerk_a, project_a, township_a)
    actions.register_freeze(actor=office_user, project=project_a, notified_on="2026-02-20")
    for key in ("parcel", "building", "attachment", "crop"):
        objects[key].refresh_from_db()
    return objects


def test_freeze_stores_the_baseline_of_every_item(frozen_objects, project_a):
    assert frozen_objects["building"].baseline_quantity == Decimal("120.50")
    assert frozen_objects["crop"].baseline_quantity == Decimal("600.00")
    assert frozen_objects["parcel"].baseline_quantity == Decimal("10000.00")
    assert all(frozen_objects[k].cutoff_flag == "" for k in ("parcel", "building", "attachment", "crop"))
    freeze = RegisterFreeze.objects.get(project=project_a)
    assert freeze.counts == {"households": 1, "parcel": 1, "building": 1, "attachment": 1, "crop": 1}
    event = AuditEvent.objects.get(action="register.freeze")
    assert event.after["notified_on"] == "2026-02-20"


def test_items_added_after_the_cutoff_are_rushed(frozen_objects, clerk_a):
    household = frozen_objects["household"]
    crop = actions.crop_create(actor=clerk_a, household=household, kind="苗木", quantity="300", unit="plant")
    assert (crop.cutoff_flag, crop.cutoff_clause) == ("rushed", "putian-2014 (二)")
    shed = actions.building_create(actor=clerk_a, household=household, structure="simple", floor_area="30")
    assert (shed.cutoff_flag, shed.cutoff_clause) == ("rushed", "putian-2014 (二)")
    assert crop.baseline_quantity is None
    assert set(selectors.households_for(user=clerk_a, flagged=True)) == {household}


def test_enlarged_after_the_cutoff_is_flagged_and_shrinking_is_not(frozen_objects, clerk_a):
    building = frozen_objects["building"]
    data = {"structure": building.structure, "floors": building.floors, "use": building.use,
            "legality": building.legality, "build_year": building.build_year, "parcel": building.parcel}
    enlarged = actions.item_update(actor=clerk_a, item=building, floor_area="150", **data)
    assert (enlarged.cutoff_flag, enlarged.cutoff_clause) == ("enlarged", "putian-2014 (二)")
    assert enlarged.baseline_quantity == Decimal("120.50")  # what counts; the excess is priced at zero
    back = actions.item_update(actor=clerk_a, item=enlarged, floor_area="100", **data)
    assert back.cutoff_flag == "" and back.cutoff_clause == ""
    parcel = frozen_objects["parcel"]
    remeasured = actions.parcel_update(actor=clerk_a, parcel=parcel, village=parcel.village, household=parcel.household,
                                       land_class="0101", area="10050")
    assert remeasured.cutoff_flag == ""  # land is not planted or built: a survey correction


def test_banan_projects_flag_new_buildings_as_new_unlawful(office_user, project_b, township_b, frozen_clock):
    household = make_household(office_user, project_b, township_b)
    old = actions.building_create(actor=office_user, household=household, structure="brick_concrete", floor_area="80")
    actions.register_freeze(actor=office_user, project=project_b, notified_on="2026-03-01")
    new = actions.building_create(actor=office_user, household=household, structure="simple", floor_area="25")
    assert (new.cutoff_flag, new.cutoff_clause, new.legality) == ("new_unlawful", "banan-2015 (三)", "new_unlawful")
    old.refresh_from_db()
    bigger = actions.item_update(actor=office_user, item=old, structure="brick_concrete", floor_area="95")
    assert (bigger.cutoff_flag, bigger.cutoff_clause, bigger.legality) == ("enlarged", "banan-2015 (三)", "permitted")
    well = actions.attachment_create(actor=office_user, household=household, kind="well", quantity="1", unit="mouth")
    assert (well.cutoff_flag, well.cutoff_clause) == ("rushed", "putian-2014 (二)")


def test_freeze_is_once_office_only_and_not_in_the_future(frozen_objects, clerk_a, office_user, project_a, project_b):
    with pytest.raises(GateClosed, match="不能重复冻结"):
        actions.register_freeze(actor=office_user, project=project_a, notified_on="2026-02-21")
    with pytest.raises(PermissionDeniedError):
        actions.register_freeze(actor=clerk_a, project=project_b, notified_on="2026-02-21")
    with pytest.raises(InvalidInput) as error:
        actions.register_freeze(actor=office_user, project=project_b, notified_on="2026-12-31")
    assert error.value.field == "notified_on"
    assert not RegisterFreeze.objects.filter(project=project_b).exists()


def test_freeze_button_on_the_list_for_office_roles(client, office_user, clerk_a, project_a, township_a):
    make_household(clerk_a, project_a, township_a)
    client.force_login(clerk_a)
    assert "冻结调查基线" not in client.get(f"/households/?project={project_a.pk}").content.decode()
    client.force_login(office_user)
    assert "冻结调查基线" in client.get(f"/households/?project={project_a.pk}").content.decode()
    today = clock.today().isoformat()
    response = client.post(f"/households/projects/{project_a.pk}/freeze/", {"notified_on": today})
    assert response.status_code == 302
    assert f"基线已冻结（告知 {today}）" in client.get(f"/households/?project={project_a.pk}").content.decode()
