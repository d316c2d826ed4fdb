"""A person's data can be seen (subject access, JSON + PDF) and erased by anonymisation that
keeps every aggregate figure right; administrators only, with a fresh second factor."""

import json
import time

import pytest
from django.urls import reverse

from fortalece.accounts import mfa
from fortalece.core.models import AuditEvent
from fortalece.core.testing import Expect, assert_permission_matrix, client_for
from fortalece.people.models import Person
from fortalece.privacy import services


def _rows(world):
    return [
        Expect("anonymous", None, False),
        Expect("inactive", world.users["inactive"], False),
        Expect("manager", world.users["manager"], False),
        Expect("state manager", world.users["state_manager"], False),
        Expect("me", world.users["me"], False),
        Expect("trainer", world.users["trainer"], False),
        Expect("focal", world.users["focal"], False),
        Expect("donor", world.users["donor"], False),
        Expect("learner", world.users["learner"], False),
        Expect("admin", world.users["admin"], True),
    ]


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("privacy:person", {}),
        ("privacy:person_export", {"fmt": "json"}),
        ("privacy:person_export", {"fmt": "pdf"}),
        ("privacy:person_erase", {}),
    ],
)
def test_privacy_pages_are_for_administrators_only(world, name, kwargs):
    url = reverse(name, kwargs={"pk": world.person.pk, **kwargs})
    assert_permission_matrix(url, _rows(world))


def test_erasure_is_for_administrators_only(world):
    url = reverse("privacy:person_erase", kwargs={"pk": world.person.pk})
    rows = [r for r in _rows(world) if not r.allowed]
    assert_permission_matrix(url, rows, method="post")
    assert Person.objects.get(pk=world.person.pk).email == "officer@example.org"


def test_the_person_page_links_to_privacy_for_administrators_only(world):
    url = world.person.get_absolute_url()
    link = reverse("privacy:person", kwargs={"pk": world.person.pk})
    assert link in client_for(world.users["admin"]).get(url).content.decode()
    assert link not in client_for(world.users["manager"]).get(url).content.decode()


def test_subject_access_export_holds_their_data_and_is_audited(world):
    client = client_for(world.users["admin"])
    response = client.get(reverse("privacy:person_export", args=[world.person.pk, "json"]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["person"]["email"] == "officer@example.org"
    assert data["person"]["given_names"] == world.person.given_names
    assert len(data["enrolments"]) == 1
    pdf = client.get(reverse("privacy:person_export", args=[world.person.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, user=world.users["admin"])
    assert [e.detail["format"] for e in events.order_by("id")] == ["json", "pdf"]
    assert all(world.person.family_names not in str(e.detail) for e in events)


def test_an_export_needs_a_fresh_second_factor(world):
    client = client_for(world.users["admin"])
    session = client.session
    session[mfa.VERIFIED_AT] = time.time() - 3600
    session.save()
    response = client.get(reverse("privacy:person_export", args=[world.person.pk, "json"]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/mfa/code/")
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_erasure_removes_identity_and_keeps_aggregates(world):
    from fortalece.training.models import ProgrammeReach
    from fortalece.training.services.reach import reach_rebuild

    reach_rebuild()

    def aggregates():
        return sorted(
            ProgrammeReach.objects.values_list(
                "programme_id", "sex", "profession", "subdivision_id"
            )
        )

    before = aggregates()
    person = world.person
    client = client_for(world.users["admin"])
    response = client.post(reverse("privacy:person_erase", args=[person.pk]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.given_names, person.email, person.phone, person.user_id) == (
        services.ERASED,
        "",
        "",
        None,
    )
    assert person.enrolments.count() == 1
    reach_rebuild()
    assert aggregates() == before
    data = services.person_data(person)
    assert "officer@example.org" not in json.dumps(data)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ERASURE).count() == 1
