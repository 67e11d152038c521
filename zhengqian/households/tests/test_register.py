"""Households and their parcels, buildings, attachments and crops: validation, scope, pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from zhengqian.core.models import AuditEvent, Jurisdiction
from zhengqian.core.permissions import PermissionDeniedError
from zhengqian.domain.errors import InvalidInput
from zhengqian.households import actions, selectors
from zhengqian.households.geometry import ellipsoidal_area, parse_geometry
from zhengqian.households.landclass import LAND_CLASSES, is_farmland, lookup
from zhengqian.households.models import Household, Parcel

from .factories import SQUARE, full_household, group_of, make_household, resident_id, village_of


def test_create_household_writes_audit_event(clerk_a, project_a, township_a):
    household = make_household(clerk_a, project_a, township_a, phone="138 0000 0000")
    event = AuditEvent.objects.get(action="household.create")
    assert event.object_id == str(household.pk) and event.jurisdiction_path == household.village.path
    assert household.survey_state == "not_surveyed" and household.status == "registered"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": " "}, "code"),
        ({"head_name": ""}, "head_name"),
        ({"head_name": 12}, "head_name"),
        ({"phone": "call me"}, "phone"),
        ({"village": None}, "village"),
        ({"village": 5}, "village"),
        ({"group": "1组"}, "group"),
    ],
)
def test_bad_household_input_names_the_field_and_saves_nothing(clerk_a, project_a, township_a, overrides, field):
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as error:
        make_household(clerk_a, project_a, township_a, **overrides)
    assert error.value.field == field
    assert Household.objects.count() == 0 and AuditEvent.objects.count() == before


def test_duplicate_code_village_outside_project_and_wrong_group_are_refused(
    clerk_a, office_user, project_a, township_a, township_b
):
    make_household(clerk_a, project_a, township_a)
    with pytest.raises(InvalidInput, match="已存在") as error:
        make_household(clerk_a, project_a, township_a)
    assert error.value.field == "code"
    with pytest.raises(InvalidInput, match="不在本项目涉及的镇街内"):
        make_household(office_user, project_a, township_b, code="H-2")
    with pytest.raises(InvalidInput, match="不在您的辖区"):
        make_household(clerk_a, project_a, township_b, code="H-3")
    with pytest.raises(InvalidInput, match="村民小组") as error:
        make_household(clerk_a, project_a, township_a, code="H-4", group=group_of(village_of(township_b)))
    assert error.value.field == "group"


def test_roles_without_the_capability_cannot_register(make_user, district, project_a, township_a):
    auditor = make_user("auditor", "supervisor", district)
    with pytest.raises(PermissionDeniedError):
        make_household(auditor, project_a, township_a)


def test_project_outside_scope_is_refused(clerk_b, project_a, township_a):
    with pytest.raises(InvalidInput, match="不在您的辖区") as error:
        make_household(clerk_b, project_a, township_a)
    assert error.value.field == "project"


def test_scope_other_township_sees_nothing(clerk_a, clerk_b, project_a, township_a):
    objects = full_household(clerk_a, project_a, township_a)
    assert list(selectors.households_for(user=clerk_a)) == [objects["household"]]
    assert list(selectors.households_for(user=clerk_b)) == []
    for getter, key in ((selectors.household_get, "household"), (selectors.parcel_get, "parcel"),
                        (selectors.building_get, "building"), (selectors.member_get, "member"),
                        (selectors.survey_get, "survey")):
        with pytest.raises(Http404):
            getter(user=clerk_b, pk=objects[key].pk)


def test_parcel_area_on_the_ellipsoid_and_mismatch_flag(clerk_a, project_a, township_a):
    household = make_household(clerk_a, project_a, township_a)
    measured = ellipsoidal_area(SQUARE)
    assert Decimal("9900") < measured < Decimal("10100")  # ~100 m × 100 m near lat 29.4
    good = actions.parcel_create(actor=clerk_a, project=project_a, village=household.village, household=household,
                                 land_class="0101", area=str(measured + 3), geometry=SQUARE)
    assert good.measured_area == measured and not good.area_mismatch
    assert good.area_mu == (good.area / (Decimal(10000) / 15)).quantize(Decimal("0.01"))
    bad = actions.parcel_create(actor=clerk_a, project=project_a, village=household.village, household=household,
                                land_class="0103", area="12000", geometry=SQUARE)
    assert bad.area_mismatch and bad.code == "H-001-DK2"
    assert not actions.parcel_create(actor=clerk_a, project=project_a, village=household.village, land_class="1104",
                                     area="50", ownership="collective").area_mismatch


def test_polygon_with_hole_and_multipolygon():
    outer = SQUARE["coordinates"][0]
    hole = [[106.5002, 29.4002], [106.5002, 29.4004], [106.5004, 29.4004], [106.5004, 29.4002], [106.5002, 29.4002]]
    with_hole = {"type": "Polygon", "coordinates": [outer, hole]}
    hole_area = ellipsoidal_area({"type": "Polygon", "coordinates": [hole]})
    assert ellipsoidal_area(with_hole) == ellipsoidal_area(SQUARE) - hole_area
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], [hole]]}
    assert ellipsoidal_area(multi) == ellipsoidal_area(SQUARE) + hole_area
    feature = parse_geometry({"type": "Feature", "geometry": SQUARE, "properties": {}})
    assert feature is not None and feature.geojson == SQUARE


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ("{not json", "GeoJSON"),
        ({"type": "Point", "coordinates": [106.5, 29.4]}, "Polygon"),
        ({"type": "Polygon", "coordinates": [[[29.4, 106.5], [29.5, 106.5], [29.5, 106.6], [29.4, 106.5]]]},
         "经度在前"),
        ({"type": "Polygon", "coordinates": [[[106.5, 29.4], [106.6, 29.5], [106.6, 29.4], [106.5, 29.5],
                                              [106.5, 29.4]]]}, "自相交"),
        ({"type": "Polygon", "coordinates": "x"}, "坐标"),
    ],
)
def test_bad_geometry_is_refused(clerk_a, project_a, township_a, geometry, message):
    household = make_household(clerk_a, project_a, township_a)
    with pytest.raises(InvalidInput, match=message) as error:
        actions.parcel_create(actor=clerk_a, project=project_a, village=household.village, household=household,
                              land_class="0101", area="100", geometry=geometry)
    assert error.value.field == "geometry"
    assert Parcel.objects.count() == 0


def test_land_class_table_and_bad_values(clerk_a, project_a, township_a):
    assert LAND_CLASSES["0101"] == "水田" and LAND_CLASSES["0702"] == "农村宅基地"
    assert LAND_CLASSES["1006"] == "农村道路" and len(LAND_CLASSES) == 73
    assert lookup("水浇地") == "0102" and lookup("1104 坑塘水面") == "1104" and lookup("沙滩") is None
    assert is_farmland("0103") and not is_farmland("0201")
    household = make_household(clerk_a, project_a, township_a)
    cases = (({"land_class": "0199", "area": "1"}, "land_class"), ({"land_class": "0101", "area": "-1"}, "area"),
             ({"land_class": "0101", "area": "abc"}, "area"), ({"land_class": "0101", "area": 1.5}, "area"),
             ({"land_class": "0101", "area": "1.001"}, "area"),
             ({"land_class": "0101", "area": "1", "ownership": "mine"}, "ownership"))
    for data, field in cases:
        with pytest.raises(InvalidInput) as error:
            actions.parcel_create(actor=clerk_a, project=project_a, village=household.village, **data)
        assert error.value.field == field


def test_items_validate_and_autonumber(clerk_a, project_a, township_a):
    household = make_household(clerk_a, project_a, township_a)
    building = actions.building_create(actor=clerk_a, household=household, structure="brick_wood", floor_area="88.8",
                                       floors="2", build_year="1998")
    assert building.code == "H-001-FW1" and building.floors == 2 and building.build_year == 1998
    for kwargs, field in (({"structure": "glass"}, "structure"), ({"floor_area": "0"}, "floor_area"),
                          ({"floors": "two"}, "floors"), ({"build_year": 3000}, "build_year"),
                          ({"legality": "maybe"}, "legality"), ({"code": "H-001-FW1"}, "code")):
        data = {"structure": "brick_wood", "floor_area": "10", **kwargs}
        with pytest.raises(InvalidInput) as error:
            actions.building_create(actor=clerk_a, household=household, **data)
        assert error.value.field == field
    with pytest.raises(InvalidInput) as error:
        actions.attachment_create(actor=clerk_a, household=household, kind="well", quantity="1", unit="桶")
    assert error.value.field == "unit"
    with pytest.raises(InvalidInput) as error:
        actions.crop_create(actor=clerk_a, household=household, kind="", quantity="1", unit="m2")
    assert error.value.field == "kind"
    other_project_parcel = Parcel(project_id=project_a.pk + 999)
    with pytest.raises(InvalidInput) as error:
        actions.crop_create(actor=clerk_a, household=household, kind="水稻", quantity="1", unit="m2",
                            parcel=other_project_parcel)
    assert error.value.field == "parcel"
    assert household.buildings.count() == 1 and household.crops.count() == 0


def test_item_update_and_delete_are_audited(clerk_a, project_a, township_a):
    objects = full_household(clerk_a, project_a, township_a)
    crop = actions.item_update(actor=clerk_a, item=objects["crop"], kind="玉米", quantity="500", unit="m2",
                               reason="复核")
    assert crop.kind == "玉米"
    event = AuditEvent.objects.get(action="crop.update")
    assert event.before["kind"] == "水稻" and event.after["kind"] == "玉米" and event.reason == "复核"
    actions.item_delete(actor=clerk_a, item=crop, reason="误登")
    assert not objects["household"].crops.exists()
    history = selectors.household_history(objects["household"])
    assert {"crop.delete", "crop.update", "household.create", "member.add"} <= set(history.values_list("action",
                                                                                                       flat=True))


def test_list_page_searches_filters_and_paginates(client, clerk_a, project_a, township_a):
    for n in range(25):
        make_household(clerk_a, project_a, township_a, code=f"H-{n:02d}", head_name=f"户主{n:02d}")
    client.force_login(clerk_a)
    page = client.get("/households/").content.decode()
    assert "第 1 / 2 页，共 25 条" in page
    found = client.get("/households/", {"q": "户主07"}).content.decode()
    assert "H-07" in found and "H-08" not in found
    assert "没有符合条件的户" in client.get("/households/", {"survey_state": "confirmed"}).content.decode()
    assert client.get("/households/", {"page": "999", "project": "abc", "village": "x"}).status_code == 200


def test_list_page_query_count_does_not_grow_with_rows(client, clerk_a, project_a, township_a):
    client.force_login(clerk_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/households/?project={project_a.pk}").status_code == 200
        return len(ctx.captured_queries)

    full_household(clerk_a, project_a, township_a, code="Q-0")
    few = queries()
    for n in range(1, 15):
        full_household(clerk_a, project_a, township_a, code=f"Q-{n}")
    assert queries() == few


def test_detail_page_query_count_does_not_grow_with_items(client, clerk_a, project_a, township_a):
    objects = full_household(clerk_a, project_a, township_a)
    household = objects["household"]
    client.force_login(clerk_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/households/{household.pk}/").status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for n in range(5):
        actions.crop_create(actor=clerk_a, household=household, kind=f"作物{n}", quantity="1", unit="m2")
        actions.member_add(actor=clerk_a, household=household, name=f"成员{n}", id_number=resident_id(serial=200 + n))
    assert queries() <= few + 2  # history grows by its id lists, not per row


def test_create_and_edit_pages(client, clerk_a, project_a, township_a):
    client.force_login(clerk_a)
    village = village_of(township_a)
    response = client.post("/households/new/", {"project": project_a.pk, "code": "W-1", "head_name": "王五",
                                                 "village": village.pk, "phone": "13800000000"})
    household = Household.objects.get(code="W-1")
    assert response.status_code == 302 and response["Location"] == f"/households/{household.pk}/"
    response = client.post(f"/households/{household.pk}/edit/", {"head_name": "王五", "village": village.pk,
                                                                  "status": "registered", "phone": "bad phone!"})
    assert "联系电话只能包含数字" in response.content.decode()
    response = client.post(f"/households/{household.pk}/parcels/new/", {"ownership": "contract", "land_class": "0101",
                                                                         "area": "1x"})
    assert "须为数字" in response.content.decode()
    assert Jurisdiction.objects.filter(pk=village.pk).exists()
