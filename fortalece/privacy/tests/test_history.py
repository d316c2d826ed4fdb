"""Every create/update/delete of personal data is in an append-only history, bulk updates
included (PostgreSQL triggers; see privacy/models.py for SQLite)."""

import pytest
from django.db import DatabaseError, connection, transaction

from fortalece.core.figures import record
from fortalece.people.models import Person
from fortalece.privacy.models import EnrolmentEvent, PersonEvent, RoleAssignmentEvent
from fortalece.training.models import Enrolment

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="history triggers exist on PostgreSQL only"
)


@postgres_only
def test_creates_updates_bulk_updates_and_deletes_are_all_recorded(world):
    person = world.person
    person.refresh_from_db()
    before = PersonEvent.objects.filter(pgh_obj_id=person.pk).count()
    assert PersonEvent.objects.filter(pgh_obj_id=person.pk).order_by("pgh_id")[0].pgh_label == (
        "insert"
    )
    person.rank = "Sergeant"
    person.save()
    Person.objects.filter(pk=person.pk).update(rank="Inspector")  # no signals here
    with connection.cursor() as cursor:  # nor here
        cursor.execute("UPDATE people_person SET phone = %s WHERE id = %s", ["555", person.pk])
    labels = list(
        PersonEvent.objects.filter(pgh_obj_id=person.pk)
        .order_by("pgh_id")
        .values_list("pgh_label", "rank", "phone")
    )
    assert labels[before:] == [
        ("update", "Sergeant", person.phone),
        ("update", "Inspector", person.phone),
        ("update", "Inspector", "555"),
    ]
    bulk = Enrolment.objects.filter(workshop=world.workshop).update(status="attended")
    assert EnrolmentEvent.objects.filter(pgh_label="update").count() == bulk
    enrolment_id = world.enrolment.pk
    world.enrolment.delete()
    assert EnrolmentEvent.objects.filter(pgh_label="delete", pgh_obj_id=enrolment_id).exists()
    role_events = RoleAssignmentEvent.objects.count()
    assert role_events >= len([u for u in world.users.values() if u.role_assignments.exists()])
    record(
        "history",
        database=connection.vendor,
        person_events=len(labels),
        bulk_update_rows=bulk,
        raw_sql_caught=True,
    )


@postgres_only
def test_the_history_cannot_be_changed_or_deleted(world):
    event = PersonEvent.objects.filter(pgh_obj_id=world.person.pk).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonEvent.objects.filter(pk=event.pk).update(given_names="Forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        PersonEvent.objects.filter(pk=event.pk).delete()
    assert PersonEvent.objects.get(pk=event.pk).given_names == world.person.given_names


@postgres_only
def test_a_change_through_the_web_records_who_made_it(world):
    from fortalece.core.testing import client_for

    admin = world.users["admin"]
    response = client_for(admin).post(
        f"/people/{world.person.pk}/edit/",
        {
            "given_names": world.person.given_names,
            "family_names": world.person.family_names,
            "sex": world.person.sex,
            "profession": world.person.profession,
            "rank": "Commander",
            "institution": world.person.institution_id,
            "email": world.person.email,
            "phone": "",
        },
    )
    assert response.status_code in (200, 302)
    event = PersonEvent.objects.filter(pgh_obj_id=world.person.pk, rank="Commander").get()
    assert event.pgh_context.metadata["user"] == admin.pk
    assert event.pgh_context.metadata["path"] == f"/people/{world.person.pk}/edit/"


@postgres_only
def test_the_person_page_shows_the_history_and_erasure_clears_names_from_it(world):
    from django.urls import reverse

    from fortalece.core.testing import client_for
    from fortalece.privacy.services import person_erase

    person = world.person
    Person.objects.filter(pk=person.pk).update(rank="Captain")
    page = client_for(world.users["admin"]).get(reverse("privacy:person", args=[person.pk]))
    assert page.status_code == 200
    assert "rank" in page.content.decode()
    old_name = person.family_names
    person_erase(person=person)
    assert not PersonEvent.objects.filter(pgh_obj_id=person.pk, family_names=old_name).exists()
    assert PersonEvent.objects.filter(pgh_obj_id=person.pk).exists()


@postgres_only
def test_a_change_through_an_api_token_records_whose_token_it_was(world):
    """The history middleware runs before the API view signs the token's user in, so it knows
    no user; the service, told who acts, names them."""
    from django.test import Client

    from fortalece.api.services import token_create

    focal = world.users["focal"]
    raw = token_create(user=focal, name="sync", can_write=True)[1]
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        "/api/v1/people",
        {
            "given_names": "Ana María",
            "family_names": "Ruiz Soto",
            "sex": "female",
            "profession": "police",
            "institution_id": world.institution.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    event = PersonEvent.objects.get(pgh_obj_id=response.json()["id"], pgh_label="insert")
    assert event.pgh_context.metadata["user"] == focal.pk


@postgres_only
def test_changes_outside_a_request_record_who_the_service_was_told_acts(world):
    """A background job or a command has no request: the services' ``by`` names the actor."""
    from fortalece.people.services import person_update
    from fortalece.training.services import enrolment_set_status

    manager = world.users["manager"]
    person_update(person=world.person, by=manager, rank="Commander")
    enrolment_set_status(enrolment=world.enrolment, status="dropped", by=manager)
    person_event = PersonEvent.objects.get(pgh_obj_id=world.person.pk, rank="Commander")
    enrolment_event = EnrolmentEvent.objects.filter(
        pgh_obj_id=world.enrolment.pk, status="dropped"
    ).get()
    assert person_event.pgh_context.metadata == {"user": manager.pk}
    assert enrolment_event.pgh_context.metadata == {"user": manager.pk}
