import datetime

import pytest
from django.urls import reverse

from conftest import matrix
from fortalece.core.exports import safe_cell
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.geography.tests.factories import SubdivisionFactory
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.reporting.models import ProgrammeReach

pytestmark = pytest.mark.django_db

DASHBOARD = {"admin", "manager", "state_manager", "other_state_manager", "me", "donor"}


def _reach(world, count, subdivision=None, sex="female"):
    institution = InstitutionFactory(
        country=world.mexico, subdivision=subdivision or world.michoacan
    )
    for _ in range(count):
        person = PersonFactory(institution=institution, sex=sex)
        ProgrammeReach.objects.create(
            programme=world.programme,
            person=person,
            sex=sex,
            profession=person.profession,
            subdivision=institution.subdivision,
            first_reached_on=datetime.date(2021, 11, 22),
        )


def test_permission_matrix(world):
    for name in ("dashboard", "dashboard_export"):
        assert_permission_matrix(
            reverse(f"reporting:{name}", args=[world.programme.pk]), matrix(world, DASHBOARD)
        )


def test_donors_see_small_cells_suppressed_and_managers_see_numbers(world):
    _reach(world, 20)
    _reach(world, 2, sex="male")
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    donor = client_for(world.users["donor"]).get(url).context["data"]
    assert (
        dict(donor["by_sex"]) == {"Female": None, "Male": None}
        or None in dict(donor["by_sex"]).values()
    )
    manager = client_for(world.users["manager"]).get(url).context["data"]
    assert manager["reached"] == 22
    assert sorted(v for _, v in manager["by_sex"]) == [2, 20]


def test_filters_by_state_and_period(world):
    _reach(world, 6)
    _reach(world, 7, subdivision=world.jalisco)
    client = client_for(world.users["manager"])
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    assert client.get(url, {"state": world.jalisco.pk}).context["data"]["reached"] == 7
    assert client.get(url, {"from": "2022-01"}).context["data"]["reached"] == 0
    assert client.get(url, {"from": "2021-11", "to": "2021-11"}).context["data"]["reached"] == 13


def test_exports_neutralise_formulas_and_keep_numbers(world):
    evil = SubdivisionFactory(country=world.mexico, name='=HYPERLINK("http://x")')
    _reach(world, 6, subdivision=evil)
    client = client_for(world.users["manager"])
    csv = client.get(
        reverse("reporting:dashboard_export", args=[world.programme.pk]), {"format": "csv"}
    )
    assert "'=HYPERLINK" in csv.content.decode()
    xlsx = client.get(reverse("reporting:dashboard_export", args=[world.programme.pk]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", 5, 2.5, "ok")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        5,
        2.5,
        "ok",
    ]


def test_dashboard_query_count_does_not_grow(world):
    client = client_for(world.users["manager"])
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    _reach(world, 3)
    before = query_count(client, url)
    _reach(world, 60, subdivision=world.jalisco)
    assert query_count(client, url) == before
