import pytest
from django.urls import reverse

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.reporting.models import ReachYear

pytestmark = pytest.mark.django_db

URL = "/reports/indicators/"
ALLOWED = {
    "admin",
    "manager",
    "state_manager",
    "other_state_manager",
    "other_manager",
    "me",
    "donor",
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def add_people(world, count, *, sex="female", subdivision=None, year=2021, programme=None):
    institution = InstitutionFactory(
        country=world.mexico, subdivision=subdivision or world.michoacan, kind="police"
    )
    people = []
    for _ in range(count):
        person = PersonFactory(institution=institution, sex=sex, profession="police")
        ReachYear.objects.create(
            programme=programme or world.programme,
            person=person,
            year=year,
            sex=sex,
            profession="police",
            institution=institution,
            institution_kind="police",
            country=world.mexico,
            subdivision=institution.subdivision,
            participations=1,
            completions=1,
            hours=8,
            in_person=True,
            online=False,
            blended=False,
            train_the_trainer=False,
            other_course=True,
            completed=True,
        )
        people.append(person)
    return people


def test_permission_matrix(world):
    assert reverse("reporting:indicators") == URL
    assert_permission_matrix(URL, matrix(world, ALLOWED))
    assert_permission_matrix(URL + "?by=municipality&from=2020&to=2022", matrix(world, ALLOWED))


def test_a_manager_sees_exact_figures_by_every_breakdown(world):
    add_people(world, 20)
    add_people(world, 2, sex="male", subdivision=world.jalisco)
    client = client_for(world.users["manager"])
    response = client.get(URL, {"by": "state", "from": "2021", "to": "2021"})
    report = response.context["report"]
    assert report["headline"]["people"] == 22 and not report["suppressed"]
    rows = {r.label: r.people for r in report["table"]["rows"]}
    assert rows == {"Michoacán": [20, 0, 0, 20], "Jalisco": [0, 2, 0, 2]}
    assert report["table"]["total"].people == [20, 2, 0, 22]
    for by in (
        "sex",
        "profession",
        "institution_kind",
        "institution",
        "country",
        "state",
        "municipality",
        "modality",
        "delivery",
        "ttt",
        "year",
        "nonsense",
    ):
        assert client.get(URL, {"by": by}).status_code == 200


def test_donors_never_see_a_small_count_or_a_name(world):
    add_people(world, 20)
    people = add_people(world, 2, sex="male", subdivision=world.jalisco)
    response = client_for(world.users["donor"]).get(URL, {"by": "state"})
    report = response.context["report"]
    assert report["suppressed"]
    html = response.content.decode()
    for row in report["table"]["rows"] + [report["table"]["total"]]:
        assert all(n is None or n == 0 or n >= 5 for n in row.people), row
    # Jalisco's 2 men: hidden, and so is enough else that 22 - 20 cannot give them away.
    jalisco = next(r for r in report["table"]["rows"] if r.label == "Jalisco")
    assert jalisco.people[1] is None and jalisco.people[3] is None
    assert people[0].family_names not in html and "hidden" in html


def test_a_programme_the_user_cannot_see_is_ignored_not_shown(world):
    add_people(world, 7, programme=world.other_programme)
    add_people(world, 6)
    response = client_for(world.users["manager"]).get(
        URL, {"programme": [world.other_programme.pk, "x", "99999999999"]}
    )
    # Only the programme chosen and visible counts: none of them here, so everything visible.
    assert response.context["filters"].programme_ids == (world.programme.pk,)
    assert response.context["report"]["headline"]["people"] == 6


def test_the_page_takes_a_fixed_number_of_queries(world):
    add_people(world, 6)
    client = client_for(world.users["admin"])
    few = query_count(client, URL + "?by=institution")
    add_people(world, 30, subdivision=world.jalisco)
    add_people(world, 12, year=2022)
    assert query_count(client, URL + "?by=institution") == few
