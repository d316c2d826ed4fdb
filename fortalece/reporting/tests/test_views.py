import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from conftest import matrix
from fortalece.accounts.models import Role
from fortalece.core.choices import Profession
from fortalece.core.exports import safe_cell
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.geography.tests.factories import SubdivisionFactory
from fortalece.people.models import Person
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.training.models import ProgrammeReach

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Labels such as "hidden" are checked in English; the site's default language is Spanish."""
    settings.LANGUAGE_CODE = "en"


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
    # Two men are "<5"; the women are hidden too, or 22 - 20 would give the men away.
    assert sorted(v for _, v in donor["by_sex"]) == ["<5", "hidden"]
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
    """Figures are GROUP BY queries: 3 or 300 people reached, the same number of queries."""
    client = client_for(world.users["manager"])
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    _reach(world, 3)
    before = query_count(client, url)
    _many(world, 297, subdivision=world.jalisco)
    assert ProgrammeReach.objects.count() == 300
    assert query_count(client, url) == before
    assert query_count(client, url + "?state=" + str(world.jalisco.pk)) == before


def _many(world, count, subdivision, sex="male"):
    institution = InstitutionFactory(country=world.mexico, subdivision=subdivision)
    people = Person.objects.bulk_create(
        Person(
            given_names="Persona",
            family_names=f"Sintética {n}",
            sex=sex,
            profession=Profession.POLICE,
            institution=institution,
            search_name=f"persona sintetica {n}",
            family_key="sintetica",
        )
        for n in range(count)
    )
    ProgrammeReach.objects.bulk_create(
        ProgrammeReach(
            programme=world.programme,
            person=person,
            sex=sex,
            profession=Profession.POLICE,
            subdivision=subdivision,
            first_reached_on=datetime.date(2020 + n % 5, 1 + n % 12, 1),
        )
        for n, person in enumerate(people)
    )


@pytest.mark.parametrize("name", ["dashboard", "dashboard_export"])
def test_refusals_are_404_outside_the_scope_and_403_for_roles_without_the_dashboard(world, name):
    url = reverse(f"reporting:{name}", args=[world.programme.pk])
    expected = {"other_manager": 404, "trainer": 403, "focal": 403, "learner": 403}
    got = {label: client_for(world.users[label]).get(url).status_code for label in expected}
    assert got == expected
    other = reverse(f"reporting:{name}", args=[world.other_programme.pk])
    assert client_for(world.users["donor"]).get(other).status_code == 404
    assert client_for(world.users["manager"]).get(other).status_code == 404
    missing = reverse(f"reporting:{name}", args=[999999])
    assert client_for(world.users["admin"]).get(missing).status_code == 404


def test_dashboard_shows_figures_charts_tables_and_the_small_cell_rule(world):
    _reach(world, 6)
    _reach(world, 7, subdivision=world.jalisco, sex="male")
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    with translation.override("en"):
        page = client_for(world.users["manager"]).get(url).content.decode()
    assert page.count("<svg") >= 4 and "<desc" in page
    assert page.count("<details>") == 4
    assert 'id="small-cells"' in page
    assert "style=" not in page.split("<main", 1)[-1]
    assert "Jalisco" in page and "Michoac" in page


def test_donor_filtering_down_to_a_few_people_sees_no_figures(world):
    _reach(world, 20)
    _reach(world, 3, subdivision=world.jalisco)
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    donor = client_for(world.users["donor"])
    response = donor.get(url, {"state": world.jalisco.pk})
    assert response.context["data"]["reached"] is None
    assert all(isinstance(v, str) for _, v in response.context["data"]["by_sex"])
    manager = client_for(world.users["manager"]).get(url, {"state": world.jalisco.pk})
    assert manager.context["data"]["reached"] == 3


def test_a_donor_who_manages_another_country_still_sees_published_figures(world):
    user = world.users["donor"]
    user.role_assignments.create(role=Role.PROGRAMME_MANAGER, country=world.guatemala)
    _reach(world, 20)
    _reach(world, 2, sex="male")
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    data = client_for(user).get(url).context["data"]
    assert data["suppressed"] is True
    assert sorted(v for _, v in data["by_sex"]) == ["<5", "hidden"]


def test_managers_never_see_a_small_cell_of_sex_not_stated(world):
    _reach(world, 20)
    _reach(world, 2, sex="not_stated")
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    data = client_for(world.users["manager"]).get(url).context["data"]
    assert sorted(v for _, v in data["by_sex"] if isinstance(v, int)) == [20]
    assert "<5" in dict(data["by_sex"]).values()
    assert data["reached"] == 22


@pytest.mark.parametrize(
    "query",
    [
        {"state": "9" * 30},
        {"state": "-1"},
        {"state": "\u00b2"},  # a digit to str.isdigit, not to int()
        {"from": "2021-01-01", "to": "2021-1-x"},
        {"from": "9999-12", "to": "9999-12"},
        {"from": "2021-13", "to": "abc"},
        {"from": "0-1"},
    ],
)
def test_nonsense_filters_are_ignored(world, query):
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    assert client_for(world.users["manager"]).get(url, query).status_code == 200
    export = reverse("reporting:dashboard_export", args=[world.programme.pk])
    assert client_for(world.users["manager"]).get(export, query).status_code == 200


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def test_xlsx_export_keeps_numbers_numeric_and_neutralises_formulas(world):
    evil = SubdivisionFactory(country=world.mexico, code="MX-ZZZ", name="@SUM(A1)")
    _reach(world, 6, subdivision=evil)
    _reach(world, 8, subdivision=world.jalisco, sex="male")
    url = reverse("reporting:dashboard_export", args=[world.programme.pk])
    book = _workbook(client_for(world.users["manager"]).get(url))
    assert len(book.sheetnames) == 5  # summary, sex, profession, state, month
    summary = [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert summary[:4] == [14, 0, 0, 0]  # reached, completed, completion %, workshops held
    states = dict(book.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert states == {"Jalisco": 8, "'@SUM(A1)": 6}
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value[:1] in "=+-@\t\r\n")


def test_donor_export_hides_the_same_cells_as_the_page(world):
    _reach(world, 20)
    _reach(world, 2, subdivision=world.jalisco, sex="male")
    url = reverse("reporting:dashboard_export", args=[world.programme.pk])
    book = _workbook(client_for(world.users["donor"]).get(url))
    csv = client_for(world.users["donor"]).get(url, {"format": "csv"}).content.decode()
    states = dict(book.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert set(states.values()) == {"<5", "hidden"}
    assert ",2\r\n" not in csv and "<5" in csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+52 55 1234", "'+52 55 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("\x00x", "'\x00x"),
        ("Jalisco", "Jalisco"),
        ("a=b", "a=b"),
        (5, 5),
        (-5, -5),
        (2.5, 2.5),
        (None, ""),
    ],
)
def test_export_cells_are_formula_safe(value, expected):
    assert safe_cell(value) == expected
