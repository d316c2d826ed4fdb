import pytest
from django.urls import reverse

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.programmes.models import Programme
from fortalece.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

VIEWERS = {
    "admin",
    "manager",
    "state_manager",
    "other_state_manager",
    "me",
    "trainer",
    "focal",
    "donor",
}
EDITORS = {"admin", "manager"}


def test_list_and_detail_permission_matrix(world):
    assert_permission_matrix(reverse("programmes:list"), matrix(world, VIEWERS | {"other_manager"}))
    assert_permission_matrix(
        reverse("programmes:detail", args=[world.programme.pk]), matrix(world, VIEWERS)
    )


@pytest.mark.parametrize("name", ["update", "delete", "target_create"])
def test_editing_permission_matrix(world, name):
    assert_permission_matrix(
        reverse(f"programmes:{name}", args=[world.programme.pk]), matrix(world, EDITORS)
    )


def test_target_pages_permission_matrix(world):
    for name in ("target_update", "target_delete"):
        url = reverse(f"programmes:{name}", args=[world.programme.pk, world.target.pk])
        assert_permission_matrix(url, matrix(world, EDITORS))


def test_create_pages_are_for_country_managers(world):
    allowed = {"admin", "manager", "other_manager"}
    assert_permission_matrix(reverse("programmes:create"), matrix(world, allowed))
    assert_permission_matrix(
        reverse("programmes:organisation_create"),
        matrix(world, allowed | {"state_manager", "other_state_manager"}),
    )


def test_manager_creates_a_programme_only_in_their_country_and_only_once(world):
    client = client_for(world.users["manager"])
    data = {
        "name": "Programa de prueba",
        "code": "programa-prueba",
        "countries": [world.mexico.pk],
        "start_date": "2021-11-01",
        "partners-TOTAL_FORMS": "3",
        "partners-INITIAL_FORMS": "0",
    }
    assert client.post(reverse("programmes:create"), data).status_code == 302
    second = client.post(reverse("programmes:create"), data)
    assert second.status_code == 200
    assert Programme.objects.filter(code="programa-prueba").count() == 1

    data.update(code="elsewhere", countries=[world.guatemala.pk])
    response = client.post(reverse("programmes:create"), data)
    assert response.status_code == 200
    assert not Programme.objects.filter(code="elsewhere").exists()


def test_states_must_belong_to_the_chosen_countries(world):
    client = client_for(world.users["admin"])
    data = {
        "name": "X",
        "code": "x-code",
        "countries": [world.guatemala.pk],
        "subdivisions": [world.michoacan.pk],
        "start_date": "2021-11-01",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("programmes:create"), data)
    assert response.status_code == 200
    assert not Programme.objects.filter(code="x-code").exists()


def test_programme_with_workshops_cannot_be_deleted(world):
    client_for(world.users["admin"]).post(reverse("programmes:delete", args=[world.programme.pk]))
    assert Programme.objects.filter(pk=world.programme.pk).exists()
    empty = ProgrammeFactory(countries=[world.mexico])
    client_for(world.users["admin"]).post(reverse("programmes:delete", args=[empty.pk]))
    assert not Programme.objects.filter(pk=empty.pk).exists()


def test_list_query_count_is_fixed(world):
    client = client_for(world.users["admin"])
    url = reverse("programmes:list")
    before = query_count(client, url)
    for _ in range(20):
        ProgrammeFactory(countries=[world.mexico])
    assert query_count(client, url) == before


def _refuse(*args, **kwargs):
    from django.core.exceptions import ValidationError

    raise ValidationError("Refused by the service.")


TARGET = {"description": "600 liaisons", "metric": "people_reached", "value": "600"}


@pytest.mark.parametrize(
    ("service", "name", "data"),
    [
        ("organisation_create", "organisation_create", {"name": "IBERO", "kind": "other"}),
        ("target_create", "target_create", TARGET),
        ("target_update", "target_update", TARGET),
    ],
)
def test_what_the_service_refuses_shows_on_the_form(world, monkeypatch, service, name, data):
    from fortalece.programmes import services

    monkeypatch.setattr(services, service, _refuse)
    args = {
        "organisation_create": [],
        "target_create": [world.programme.pk],
        "target_update": [world.programme.pk, world.target.pk],
    }[name]
    response = client_for(world.users["admin"]).post(reverse(f"programmes:{name}", args=args), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Refused by the service."]
    assert b"Refused by the service." in response.content
