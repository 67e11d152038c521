"""The project map: parcels GeoJSON by bbox and zoom (limits, simplification, scope) and the
boundary; the map page."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from zhengqian.households import geo
from zhengqian.households.excel.sample import sample_register, write_workbook
from zhengqian.households.imports import household_import
from zhengqian.households.models import Parcel

PLACES = [("界石镇", "界石镇一村", "界石镇一村1组")]


@pytest.fixture
def parcels(clerk_a, project_a, tmp_path):
    """30 households, 60 parcel squares on a grid starting at (106.40, 29.30)."""
    path = tmp_path / "map.xlsx"
    write_workbook(path, sample_register(30, PLACES))
    outcome = household_import(actor=clerk_a, project=project_a, path=path, file_name=path.name)
    assert outcome.ok, outcome.issues[:3]
    return Parcel.objects.filter(project=project_a)


def _get(client, project, **params):
    response = client.get(reverse("api-1:parcels_geojson", args=[project.pk]), params)
    return response, (json.loads(response.content) if response.status_code == 200 else response.json())


def test_bbox_selects_only_the_viewport(client, clerk_a, project_a, parcels):
    client.force_login(clerk_a)
    response, data = _get(client, project_a, bbox="106.3,29.2,106.5,29.4", zoom=16)
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection" and data["total"] == 60 and not data["truncated"]
    # Only the first three grid cells (x 0..2 of the first row) touch this small box.
    response, data = _get(client, project_a, bbox="106.4000,29.3000,106.4011,29.3002", zoom=18)
    codes = sorted(f["properties"]["code"] for f in data["features"])
    assert codes == ["H000001-DK1", "H000001-DK2", "H000002-DK1"]
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["state"] == "not_surveyed" and feature["properties"]["household_id"]
    _, empty = _get(client, project_a, bbox="100,20,101,21", zoom=12)
    assert empty["features"] == [] and empty["total"] == 0


def test_limit_truncates_largest_first_and_reports_total(client, clerk_a, project_a, parcels):
    client.force_login(clerk_a)
    biggest = parcels.order_by("-area", "pk").first()
    _, data = _get(client, project_a, zoom=10, limit=5)
    assert data["returned"] == 5 and data["total"] is None and data["truncated"]
    assert data["features"][0]["properties"]["id"] == biggest.pk


def test_zoom_sets_the_simplification_tolerance(client, clerk_a, project_a, parcels):
    client.force_login(clerk_a)
    parcel = parcels.first()
    ring = parcel.geometry["coordinates"][0]
    # A square with many extra points along one edge: simplified away at low zoom.
    west, south = ring[0]
    east = ring[1][0]
    dense = [[west + (east - west) * i / 50, south] for i in range(50)] + ring[1:]
    parcel.set_geometry({"type": "Polygon", "coordinates": [dense]})
    parcel.save()
    bbox = f"{west - 0.001},{south - 0.001},{east + 0.001},{south + 0.001}"
    _, close = _get(client, project_a, bbox=bbox, zoom=20)
    _, far = _get(client, project_a, bbox=bbox, zoom=8)
    count = {f["properties"]["id"]: len(f["geometry"]["coordinates"][0]) for f in close["features"]}
    count_far = {f["properties"]["id"]: len(f["geometry"]["coordinates"][0]) for f in far["features"]}
    assert count[parcel.pk] == len(dense)
    assert count_far[parcel.pk] < 10
    assert geo.tolerance_for(20) == 0 and geo.tolerance_for(8) > geo.tolerance_for(12) > 0
    assert far["tolerance"] > 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "10,10,5,5"}, "bbox"),
        ({"bbox": "0,0,1,nan"}, "bbox"),
        ({"zoom": 40}, "zoom"),
        ({"limit": 0}, "limit"),
        ({"limit": 100000}, "limit"),
    ],
)
def test_bad_parameters_are_refused(client, clerk_a, project_a, params, field):
    client.force_login(clerk_a)
    response, body = _get(client, project_a, **params)
    assert response.status_code == 400 and body["field"] == field


def test_other_townships_project_is_404(client, clerk_b, project_a, parcels):
    client.force_login(clerk_b)
    assert client.get(reverse("api-1:parcels_geojson", args=[project_a.pk])).status_code == 404
    assert client.get(reverse("api-1:project_boundary_geojson", args=[project_a.pk])).status_code == 404
    assert client.get(reverse("households:map_project", args=[project_a.pk])).status_code == 404


def test_parcels_outside_the_users_subtree_are_not_served(
    client, clerk_a, office_user, district, township_a, township_b, tmp_path
):
    """A project over two townships: each clerk's map shows only the parcels of their own."""
    from zhengqian.projects.actions import project_create

    project = project_create(actor=office_user, code="P-AB", name="跨镇项目", owner_name="x", district=district,
                             townships=[township_a, township_b], land_area="1", policy_pack="putian-2014")
    path = tmp_path / "both.xlsx"
    write_workbook(path, sample_register(4, [*PLACES, ("南泉街道", "南泉街道一村", "南泉街道一村1组")]))
    assert household_import(actor=office_user, project=project, path=path, file_name=path.name).ok
    client.force_login(clerk_a)
    _, data = _get(client, project, zoom=12)
    villages = set(Parcel.objects.filter(pk__in=[f["properties"]["id"] for f in data["features"]])
                   .values_list("village__name", flat=True))
    assert data["total"] == 4 and villages == {"界石镇一村"}


def test_boundary_is_the_convex_hull_of_the_parcels(client, clerk_a, project_a, parcels):
    client.force_login(clerk_a)
    response = client.get(reverse("api-1:project_boundary_geojson", args=[project_a.pk]))
    feature = json.loads(response.content)
    assert feature["geometry"]["type"] == "Polygon"
    west, south, east, _north = feature["properties"]["bbox"]
    assert west == pytest.approx(106.40) and south == pytest.approx(29.30)
    assert east == pytest.approx(106.40 + 59 * 0.0005 + 0.0004)
    assert feature["properties"]["parcels"] == 60


def test_boundary_without_parcels(client, clerk_a, project_a):
    client.force_login(clerk_a)
    feature = json.loads(client.get(reverse("api-1:project_boundary_geojson", args=[project_a.pk])).content)
    assert feature["geometry"] is None


def test_map_page_and_set_geometry_sets_the_extent(client, clerk_a, project_a, parcels):
    client.force_login(clerk_a)
    page = client.get(reverse("households:map_project", args=[project_a.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "vendor/leaflet/leaflet.js" in text and "parcels.geojson" in text and "未调查（60）" in text
    parcel = parcels.first()
    parcel.set_geometry({"type": "Polygon", "coordinates": [[[107, 30], [107.1, 30], [107.1, 30.1], [107, 30]]]})
    parcel.save()
    parcel.refresh_from_db()
    assert (parcel.bbox_west, parcel.bbox_south, parcel.bbox_east, parcel.bbox_north) == (107, 30, 107.1, 30.1)


def test_bbox_follows_the_geometry_on_create_update_and_import(client, clerk_a, project_a, township_a, parcels):
    """No signal keeps the bounding box: the import stores each shape's extent with it, and
    parcel_create/parcel_update set it with the shape (Parcel.set_geometry); the map finds the
    parcel where its shape now is, and clearing the shape clears the box."""
    from django.db.models.signals import pre_save

    from zhengqian.households import actions
    from zhengqian.households.models import geometry_extent
    from zhengqian.households.tests.factories import SQUARE, village_of

    def box(parcel):
        parcel.refresh_from_db()
        return (parcel.bbox_west, parcel.bbox_south, parcel.bbox_east, parcel.bbox_north)

    assert not pre_save.has_listeners(Parcel)
    imported = list(parcels)
    assert len(imported) == 60
    for parcel in imported:  # import
        assert None not in box(parcel)
        assert box(parcel) == pytest.approx(geometry_extent(parcel.geometry))
    village = village_of(township_a)
    common = {"actor": clerk_a, "village": village, "land_class": "1104", "area": "10000", "ownership": "collective"}
    created = actions.parcel_create(project=project_a, geometry=SQUARE, **common)  # create
    assert box(created) == (106.5, 29.4, 106.501028, 29.400902)
    moved = {"type": "Polygon", "coordinates": [[[107, 30], [107.1, 30], [107.1, 30.1], [107, 30]]]}
    actions.parcel_update(parcel=created, geometry=moved, **common)  # update
    assert box(created) == (107, 30, 107.1, 30.1)
    first = imported[0]
    actions.parcel_update(parcel=first, geometry={"type": "MultiPolygon", "coordinates": [moved["coordinates"]]},
                          **{**common, "village": first.village, "household": first.household, "ownership": "contract"})
    assert box(first) == (107, 30, 107.1, 30.1)
    client.force_login(clerk_a)
    _, data = _get(client, project_a, bbox="106.99,29.99,107.11,30.11", zoom=14)
    assert {f["properties"]["id"] for f in data["features"]} == {created.pk, first.pk}
    actions.parcel_update(parcel=created, geometry=None, **common)  # shape removed
    assert box(created) == (None, None, None, None)
    _, data = _get(client, project_a, bbox="106.99,29.99,107.11,30.11", zoom=14)
    assert {f["properties"]["id"] for f in data["features"]} == {first.pk}


def test_map_query_count_does_not_grow_with_parcels(client, clerk_a, project_a, parcels):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(clerk_a)
    url = reverse("api-1:parcels_geojson", args=[project_a.pk])
    counts = []
    for limit in (2, 50):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"zoom": 14, "limit": limit}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


def test_parcels_are_coloured_by_agreement_then_survey(client, office_user, project_a, township_a, make_user, district):
    from zhengqian.compensation import actions as compensation
    from zhengqian.compensation.tests.factories import approved_standard, priced_household, sign
    from zhengqian.core import clock
    from zhengqian.households.tests.factories import SQUARE

    settings_leader = make_user("leader", "leadership_office", district)
    with clock.frozen("2026-03-02T10:00:00"):
        approved_standard(office_user, settings_leader, project_a)
        signed = priced_household(office_user, project_a, township_a, "C-1")
        drafted = priced_household(office_user, project_a, township_a, "C-2")
        surveyed = priced_household(office_user, project_a, township_a, "C-3", confirm=False)
        for household in (signed, drafted):
            compensation.valuation_run(actor=office_user, household=household)
        sign(office_user, compensation.agreement_generate(actor=office_user, household=signed))
        compensation.agreement_generate(actor=office_user, household=drafted)
    for index, household in enumerate((signed, drafted, surveyed)):
        parcel = household.parcels.get()
        ring = [[x + index * 0.01, y] for x, y in SQUARE["coordinates"][0]]
        parcel.set_geometry({"type": "Polygon", "coordinates": [ring]})
        parcel.save()
    client.force_login(office_user)
    _, data = _get(client, project_a, zoom=14)
    states = {f["properties"]["household_code"]: f["properties"]["state"] for f in data["features"]}
    assert states == {"C-1": "agreement_signed", "C-2": "agreement_draft", "C-3": "not_surveyed"}
    assert geo.state_counts(user=office_user, project=project_a)["agreement_signed"] == 1
