import datetime

import pytest
from django.urls import reverse

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Attendance, Enrolment, Session, Workshop
from fortalece.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"admin", "manager", "state_manager", "other_state_manager", "other_manager"}
TRAINING_STAFF = MANAGERS | {"me", "trainer", "focal"}


def test_lists_permission_matrix(world):
    assert_permission_matrix(reverse("training:course_list"), matrix(world, TRAINING_STAFF))
    assert_permission_matrix(reverse("training:workshop_list"), matrix(world, TRAINING_STAFF))
    # Curricula belong to programmes: state managers plan workshops but do not add courses.
    assert_permission_matrix(
        reverse("training:course_create"), matrix(world, {"admin", "manager", "other_manager"})
    )
    assert_permission_matrix(reverse("training:workshop_create"), matrix(world, MANAGERS))
    assert_permission_matrix(reverse("training:my_training"), matrix(world, set(world.users)))


def test_course_pages_permission_matrix(world):
    pk = world.course.pk
    assert_permission_matrix(
        reverse("training:course_detail", args=[pk]),
        matrix(
            world,
            {"admin", "manager", "state_manager", "other_state_manager", "me", "trainer", "focal"},
        ),
    )
    for name in ("course_update", "course_delete"):
        assert_permission_matrix(
            reverse(f"training:{name}", args=[pk]), matrix(world, {"admin", "manager"})
        )


def test_workshop_pages_permission_matrix(world):
    pk = world.workshop.pk
    assert_permission_matrix(
        reverse("training:workshop_detail", args=[pk]),
        matrix(world, {"admin", "manager", "state_manager", "me", "trainer", "focal"}),
    )
    for name in ("workshop_update", "workshop_delete", "session_create", "workshop_trainers"):
        assert_permission_matrix(
            reverse(f"training:{name}", args=[pk]),
            matrix(world, {"admin", "manager", "state_manager"}),
        )
    assert_permission_matrix(
        reverse("training:session_delete", args=[pk, world.session.pk]),
        matrix(world, {"admin", "manager", "state_manager"}),
    )
    for url in (
        reverse("training:workshop_enrol", args=[pk]),
        reverse("training:session_attendance", args=[pk, world.session.pk]),
    ):
        assert_permission_matrix(
            url, matrix(world, {"admin", "manager", "state_manager", "trainer"})
        )
    assert_permission_matrix(
        reverse("training:person_search", args=[pk]),
        matrix(world, {"admin", "manager", "state_manager", "trainer"}),
        method="post",
        data={"q": "ab"},
    )
    assert_permission_matrix(
        reverse("training:workshop_nominate", args=[pk]), matrix(world, {"admin", "focal"})
    )
    assert_permission_matrix(
        reverse("training:enrolment_status", args=[pk, world.enrolment.pk]),
        matrix(world, {"admin", "manager", "state_manager", "trainer"}),
        method="post",
        data={"action": "enrolled"},
    )


def test_trainer_cannot_reach_another_workshop(world):
    other = WorkshopFactory(course=world.course, subdivision=world.michoacan)
    client = client_for(world.users["trainer"])
    assert client.get(reverse("training:workshop_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("training:workshop_enrol", args=[other.pk])).status_code in (403, 404)


def test_all_present_then_one_absent_completes_the_others(world):
    second = Session.objects.create(workshop=world.workshop, date=datetime.date(2021, 11, 23))
    absent = EnrolmentFactory(workshop=world.workshop)
    client = client_for(world.users["trainer"])
    for session in (world.session, second):
        url = reverse("training:session_attendance", args=[world.workshop.pk, session.pk])
        client.post(url, {"all_present": "1"})
    client.post(
        reverse("training:session_attendance", args=[world.workshop.pk, second.pk]),
        {"enrolment": absent.pk, "present": "0"},
        HTTP_HX_REQUEST="true",
    )
    world.enrolment.refresh_from_db()
    absent.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.COMPLETED
    assert absent.status == Enrolment.Status.ATTENDED  # 1 of 2 sessions < 80%
    assert Attendance.objects.filter(enrolment=absent, present=False).count() == 1


def test_enrolling_twice_creates_one_enrolment(world):
    newcomer = PersonFactory(institution=world.institution)
    client = client_for(world.users["manager"])
    url = reverse("training:workshop_enrol", args=[world.workshop.pk])
    client.post(url, {"person": newcomer.pk})
    client.post(url, {"person": newcomer.pk})
    assert Enrolment.objects.filter(person=newcomer, workshop=world.workshop).count() == 1


def test_capacity_is_respected_with_a_clear_message(world):
    Workshop.objects.filter(pk=world.workshop.pk).update(capacity=1)
    newcomer = PersonFactory(institution=world.institution)
    response = client_for(world.users["manager"]).post(
        reverse("training:workshop_enrol", args=[world.workshop.pk]),
        {"person": newcomer.pk},
        follow=True,
    )
    assert not Enrolment.objects.filter(person=newcomer).exists()
    assert any("full" in str(m) or "lleno" in str(m) for m in response.context["messages"])


def test_focal_point_nominates_only_their_own_staff(world):
    own = PersonFactory(institution=world.institution)
    client = client_for(world.users["focal"])
    url = reverse("training:workshop_nominate", args=[world.workshop.pk])
    client.post(url, {"person": own.pk})
    assert Enrolment.objects.get(person=own).status == Enrolment.Status.NOMINATED
    assert client.post(url, {"person": world.stranger.pk}).status_code == 404


def test_workshop_create_generates_one_session_a_day(world):
    response = client_for(world.users["manager"]).post(
        reverse("training:workshop_create"),
        {
            "course": world.course.pk,
            "title": "Taller Morelia",
            "start_date": "2022-03-07",
            "end_date": "2022-03-09",
            "country": world.mexico.pk,
            "subdivision": world.michoacan.pk,
            "generate_sessions": "on",
        },
    )
    assert response.status_code == 302
    assert Workshop.objects.get(title="Taller Morelia").sessions.count() == 3


def test_attendance_page_and_lists_have_fixed_query_counts(world):
    client = client_for(world.users["admin"])
    url = reverse("training:session_attendance", args=[world.workshop.pk, world.session.pk])
    list_url = reverse("training:workshop_list")
    before, before_list = query_count(client, url), query_count(client, list_url)
    for _ in range(25):
        EnrolmentFactory(workshop=world.workshop)
        WorkshopFactory(course=world.course)
    assert query_count(client, url) == before
    assert query_count(client, list_url) == before_list
