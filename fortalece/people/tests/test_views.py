import pytest
from django.urls import reverse

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.people.models import Person, PersonMerge
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.training.models import Attendance, Enrolment
from fortalece.training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

STAFF = {
    "admin",
    "manager",
    "state_manager",
    "other_state_manager",
    "other_manager",
    "me",
    "trainer",
    "focal",
}


def test_list_pages_permission_matrix(world):
    assert_permission_matrix(reverse("people:person_list"), matrix(world, STAFF))
    assert_permission_matrix(reverse("people:institution_list"), matrix(world, STAFF))


def test_person_pages_permission_matrix(world):
    pk = world.person.pk
    cases = {
        "person_detail": {"admin", "manager", "state_manager", "me", "focal", "trainer"},
        "person_update": {"admin", "manager", "state_manager", "focal"},
        "person_delete": {"admin", "manager", "state_manager"},
        "person_duplicates": {"admin", "manager", "state_manager"},
    }
    for name, allowed in cases.items():
        assert_permission_matrix(reverse(f"people:{name}", args=[pk]), matrix(world, allowed))
    twin = PersonFactory(institution=world.institution)
    assert_permission_matrix(
        reverse("people:person_merge", args=[pk, twin.pk]),
        matrix(world, {"admin", "manager", "state_manager"}),
    )
    assert_permission_matrix(
        reverse("people:person_create"),
        matrix(
            world,
            {"admin", "manager", "state_manager", "other_state_manager", "other_manager", "focal"},
        ),
    )


def test_institution_pages_permission_matrix(world):
    pk = world.institution.pk
    assert_permission_matrix(
        reverse("people:institution_detail", args=[pk]),
        matrix(world, {"admin", "manager", "state_manager", "me", "focal", "trainer"}),
    )
    for name in ("institution_update", "institution_delete"):
        assert_permission_matrix(
            reverse(f"people:{name}", args=[pk]),
            matrix(world, {"admin", "manager", "state_manager"}),
        )
    assert_permission_matrix(
        reverse("people:institution_create"),
        matrix(
            world, {"admin", "manager", "state_manager", "other_state_manager", "other_manager"}
        ),
    )


def test_contact_details_are_hidden_from_trainers_and_me_officers(world):
    for label, visible in (("manager", True), ("focal", True), ("me", False), ("trainer", False)):
        body = (
            client_for(world.users[label])
            .get(reverse("people:person_detail", args=[world.person.pk]))
            .content
        )
        assert (b"officer@example.org" in body) is visible, label


def _person_data(world, **extra):
    data = {
        "given_names": world.person.given_names,
        "family_names": world.person.family_names,
        "sex": "female",
        "profession": "police",
        "institution": world.institution.pk,
        "email": "",
        "phone": "",
        "rank": "",
    }
    data.update(extra)
    return data


def test_creating_a_likely_duplicate_asks_for_confirmation(world):
    client = client_for(world.users["manager"])
    before = Person.objects.count()
    response = client.post(reverse("people:person_create"), _person_data(world))
    assert response.status_code == 200
    assert response.context["duplicates"][0].person == world.person
    assert Person.objects.count() == before
    response = client.post(reverse("people:person_create"), _person_data(world, create_anyway="on"))
    assert response.status_code == 302
    assert Person.objects.count() == before + 1


@pytest.mark.parametrize("create_anyway", ["", "on"])
def test_what_the_service_refuses_shows_on_the_person_form(world, monkeypatch, create_anyway):
    from django.core.exceptions import ValidationError

    from fortalece.people import services

    def refuse(**fields):
        raise ValidationError("Refused by the service.")

    monkeypatch.setattr(services, "person_create", refuse)
    data = _person_data(world, create_anyway=create_anyway)
    if not create_anyway:
        data.update(given_names="Nadia", family_names="Quintero Salas")
    response = client_for(world.users["manager"]).post(reverse("people:person_create"), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Refused by the service."]
    assert b"Refused by the service." in response.content


def test_focal_point_cannot_move_a_person_to_another_institution(world):
    elsewhere = InstitutionFactory(country=world.mexico, subdivision=world.michoacan)
    client = client_for(world.users["focal"])
    response = client.post(
        reverse("people:person_update", args=[world.person.pk]),
        _person_data(world, institution=elsewhere.pk, given_names="Nuevo"),
    )
    assert response.status_code == 200
    world.person.refresh_from_db()
    assert world.person.institution == world.institution


def test_merge_keeps_every_enrolment_and_attendance_mark(world):
    twin = PersonFactory(institution=world.institution, given_names=world.person.given_names)
    other = EnrolmentFactory(person=twin, status=Enrolment.Status.ENROLLED)
    same_workshop = EnrolmentFactory(workshop=world.workshop, person=twin)
    Attendance.objects.create(session=world.session, enrolment=same_workshop, present=True)
    response = client_for(world.users["manager"]).post(
        reverse("people:person_merge", args=[world.person.pk, twin.pk]), {"choice_email": "keep"}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=twin.pk).exists()
    enrolments = Enrolment.objects.filter(person=world.person)
    assert set(enrolments.values_list("workshop_id", flat=True)) == {
        world.workshop.pk,
        other.workshop_id,
    }
    kept = enrolments.get(workshop=world.workshop)
    assert kept.attendance.filter(present=True).count() == 1
    assert PersonMerge.objects.get().moved_enrolments == 2


def test_person_list_query_count_is_fixed(world):
    client = client_for(world.users["admin"])
    url = reverse("people:person_list")
    before = query_count(client, url)
    for _ in range(25):
        PersonFactory(institution=InstitutionFactory(country=world.mexico))
    assert query_count(client, url) == before
    assert query_count(client, reverse("people:institution_list")) == query_count(
        client, reverse("people:institution_list")
    )


def test_a_national_force_filters_by_institution_name_not_a_list_of_thousands(world):
    """Up to 200 institutions in scope, the filter lists them; beyond, it is a name to search
    (a list of every institution of a national force weighed 210 KB on every page), and a
    link naming one institution by id still works."""
    from fortalece.people.forms import INSTITUTION_CHOICES_AT_MOST
    from fortalece.people.models import Institution

    client = client_for(world.users["admin"])
    url = reverse("people:person_list")
    page = client.get(url).content.decode()
    assert '<select name="institution"' in page and 'name="institution_name"' not in page
    Institution.objects.bulk_create(
        Institution(
            name=f"Policía Municipal {n}", kind=world.institution.kind, country=world.mexico
        )
        for n in range(INSTITUTION_CHOICES_AT_MOST)
    )
    wanted = PersonFactory(
        family_names="Zamora",
        institution=InstitutionFactory(name="Fiscalía de Oaxaca", country=world.mexico),
    )
    other = PersonFactory(family_names="Ybarra", institution=world.institution)
    page = client.get(url).content.decode()
    assert '<select name="institution"' not in page and 'name="institution_name"' in page
    assert len(page) < 60_000
    found = client.post(url, {"institution_name": "fiscalía de"}, follow=True)
    assert list(found.context["object_list"]) == [wanted]
    assert other not in found.context["object_list"]
    by_id = client.get(url, {"institution": wanted.institution_id})
    assert list(by_id.context["object_list"]) == [wanted]


def test_search_ignores_accents_and_case(world):
    PersonFactory(given_names="José", family_names="Núñez Ávila", institution=world.institution)
    response = client_for(world.users["admin"]).post(
        reverse("people:person_list"), {"q": "nunez avila"}, follow=True
    )
    assert [p.family_names for p in response.context["object_list"]] == ["Núñez Ávila"]


def test_the_people_list_counts_no_further_than_its_cap(world, monkeypatch):
    """A national force is a million people: the list counts to a cap (a LIMIT subquery) and
    says "more than" beyond it; under the cap it says how many pages there are."""
    from fortalece.people import views

    client = client_for(world.users["admin"])
    url = reverse("people:person_list")
    shown = Person.objects.count()
    monkeypatch.setattr(views, "PEOPLE_COUNTED_AT_MOST", 3)
    monkeypatch.setattr("django.conf.settings.FORTALECE_PAGE_SIZE", 1)
    for _ in range(max(0, 5 - shown)):
        PersonFactory(institution=world.institution)
    page = client.get(url)
    paginator = page.context["page_obj"].paginator
    assert paginator.capped and paginator.count == 3 and paginator.num_pages == 3
    assert "Página 1 de más de 3" in page.content.decode()
    last = client.get(url, {"page": 99}).context["page_obj"]
    assert last.number == 3 and len(last.object_list) == 1
    monkeypatch.setattr(views, "PEOPLE_COUNTED_AT_MOST", 10_000)
    page = client.get(url).content.decode()
    assert f"Página 1 de {Person.objects.count()}" in page
