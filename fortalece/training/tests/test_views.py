import datetime

import pytest
from django.urls import reverse

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Attendance, Enrolment, Session, Workshop, WorkshopTrainer
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


# Attendance on a phone ---------------------------------------------------------------------


def attendance_url(world, session=None):
    return reverse(
        "training:session_attendance", args=[world.workshop.pk, (session or world.session).pk]
    )


def test_attendance_page_has_big_buttons_and_a_summary_line(world):
    EnrolmentFactory.create_batch(2, workshop=world.workshop)
    client = client_for(world.users["trainer"])
    client.post(attendance_url(world), {"all_present": "1"})
    response = client.get(attendance_url(world), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "3 of 3 present" in html
    assert "Mark everyone present" in html
    roster = html[html.index('<div id="roster">') :]
    assert roster.count('aria-pressed="true"') == 3
    assert 'style="' not in html and "<script>" not in html


def test_attendance_toggle_with_htmx_saves_at_once_and_returns_the_roster(world):
    other = EnrolmentFactory(workshop=world.workshop)
    client = client_for(world.users["trainer"])
    client.post(attendance_url(world), {"all_present": "1"}, HTTP_HX_REQUEST="true")
    response = client.post(
        attendance_url(world),
        {"enrolment": other.pk, "present": "0"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "training/_attendance_roster.html"
    assert "1 of 2 present" in response.content.decode()
    assert Attendance.objects.get(enrolment=other).present is False


def test_attendance_toggle_without_javascript_is_a_normal_post(world):
    response = client_for(world.users["trainer"]).post(
        attendance_url(world), {"enrolment": world.enrolment.pk, "present": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == attendance_url(world)
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.COMPLETED


def test_attendance_for_someone_dropped_meanwhile_shows_a_message_not_an_error(world):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=Enrolment.Status.DROPPED)
    response = client_for(world.users["trainer"]).post(
        attendance_url(world),
        {"enrolment": world.enrolment.pk, "present": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_cannot_mark_people_of_another_workshop(world):
    foreign = EnrolmentFactory(workshop=world.other_workshop)
    client_for(world.users["admin"]).post(
        attendance_url(world), {"enrolment": foreign.pk, "present": "1"}
    )
    assert not Attendance.objects.exists()


def test_trainer_cannot_take_attendance_in_a_workshop_they_do_not_train(world):
    other = WorkshopFactory(course=world.course, subdivision=world.michoacan)
    session = Session.objects.create(workshop=other, date=other.start_date)
    url = reverse("training:session_attendance", args=[other.pk, session.pk])
    client = client_for(world.users["trainer"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"all_present": "1"}).status_code == 404


# Enrolment, nomination and status --------------------------------------------------------


def test_enrolling_someone_already_in_says_so(world):
    response = client_for(world.users["manager"]).post(
        reverse("training:workshop_enrol", args=[world.workshop.pk]),
        {"person": world.person.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert any("already" in str(m) for m in response.context["messages"])


def test_manager_accepts_a_nomination(world):
    own = PersonFactory(institution=world.institution)
    client_for(world.users["focal"]).post(
        reverse("training:workshop_nominate", args=[world.workshop.pk]), {"person": own.pk}
    )
    nomination = Enrolment.objects.get(person=own)
    assert nomination.status == Enrolment.Status.NOMINATED
    client_for(world.users["manager"]).post(
        reverse("training:enrolment_status", args=[world.workshop.pk, nomination.pk]),
        {"action": "enrolled"},
    )
    nomination.refresh_from_db()
    assert nomination.status == Enrolment.Status.ENROLLED


def test_accepting_a_nomination_into_a_full_workshop_is_refused_with_a_message(world):
    Workshop.objects.filter(pk=world.workshop.pk).update(capacity=1)
    nomination = EnrolmentFactory(workshop=world.workshop, status=Enrolment.Status.NOMINATED)
    response = client_for(world.users["manager"]).post(
        reverse("training:enrolment_status", args=[world.workshop.pk, nomination.pk]),
        {"action": "enrolled"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    nomination.refresh_from_db()
    assert nomination.status == Enrolment.Status.NOMINATED
    assert any("full" in str(m) for m in response.context["messages"])


def test_drop_and_re_enrol(world):
    url = reverse("training:enrolment_status", args=[world.workshop.pk, world.enrolment.pk])
    client = client_for(world.users["trainer"])
    client.post(url, {"action": "dropped"})
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.DROPPED
    client.post(url, {"action": "enrolled"})
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.ENROLLED


def test_remove_deletes_the_enrolment(world):
    client_for(world.users["manager"]).post(
        reverse("training:enrolment_status", args=[world.workshop.pk, world.enrolment.pk]),
        {"action": "remove"},
    )
    assert not Enrolment.objects.filter(pk=world.enrolment.pk).exists()


def test_person_search_finds_by_normalised_name_within_the_users_people(world):
    world.person.given_names, world.person.family_names = "José", "Núñez"
    world.person.search_name = "jose nunez"
    world.person.save()
    url = reverse("training:person_search", args=[world.workshop.pk])
    response = client_for(world.users["manager"]).post(url, {"q": "NÚÑEZ"})
    assert list(response.context["people"]) == [world.person]
    assert world.person.pk in response.context["enrolled"]
    stranger = world.stranger
    response = client_for(world.users["manager"]).post(url, {"q": stranger.family_names})
    assert stranger not in list(response.context["people"])


def test_focal_point_search_offers_only_their_own_staff(world):
    url = reverse("training:person_search", args=[world.workshop.pk]) + "?for=nominate"
    response = client_for(world.users["focal"]).post(url, {"q": world.stranger.family_names})
    assert world.stranger not in list(response.context["people"])


# Workshops, sessions and trainers --------------------------------------------------------


def workshop_data(world, **overrides):
    data = {
        "course": world.course.pk,
        "title": "Taller Morelia",
        "start_date": "2022-03-07",
        "end_date": "2022-03-08",
        "country": world.mexico.pk,
        "subdivision": world.michoacan.pk,
    }
    data.update(overrides)
    return data


def test_state_manager_plans_a_workshop_in_their_state_only(world):
    client = client_for(world.users["state_manager"])
    url = reverse("training:workshop_create")
    response = client.post(url, workshop_data(world, subdivision=world.jalisco.pk))
    assert response.status_code == 200
    assert "subdivision" in response.context["form"].errors
    assert client.post(url, workshop_data(world)).status_code == 302
    assert Workshop.objects.get(title="Taller Morelia").programme == world.programme


def test_workshop_create_without_generated_sessions(world):
    client_for(world.users["manager"]).post(
        reverse("training:workshop_create"), workshop_data(world)
    )
    assert not Workshop.objects.get(title="Taller Morelia").sessions.exists()


def test_workshop_create_from_a_course_prefills_it(world):
    response = client_for(world.users["manager"]).get(
        reverse("training:workshop_create") + f"?course={world.course.pk}"
    )
    assert response.context["form"].initial["course"] == world.course


def test_workshop_update_and_delete(world):
    client = client_for(world.users["manager"])
    response = client.post(
        reverse("training:workshop_update", args=[world.workshop.pk]),
        workshop_data(world, title="Renamed", capacity="25"),
    )
    assert response.status_code == 302
    world.workshop.refresh_from_db()
    assert (world.workshop.title, world.workshop.capacity) == ("Renamed", 25)
    client.post(reverse("training:workshop_delete", args=[world.workshop.pk]))
    assert not Workshop.objects.filter(pk=world.workshop.pk).exists()


def test_session_add_edit_delete(world):
    client = client_for(world.users["state_manager"])
    w = world.workshop
    client.post(reverse("training:session_create", args=[w.pk]), {"date": "2021-11-23"})
    added = w.sessions.get(date="2021-11-23")
    response = client.post(
        reverse("training:session_update", args=[w.pk, added.pk]),
        {"date": "2021-11-24", "topic": "Referral to Women's Justice Centres"},
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.topic.startswith("Referral")
    outside = client.post(
        reverse("training:session_update", args=[w.pk, added.pk]), {"date": "2022-01-01"}
    )
    assert outside.status_code == 200 and outside.context["form"].errors
    client.post(reverse("training:session_delete", args=[w.pk, added.pk]))
    assert not Session.objects.filter(pk=added.pk).exists()


def test_trainers_add_and_remove(world):
    url = reverse("training:workshop_trainers", args=[world.workshop.pk])
    client = client_for(world.users["manager"])
    client.post(url, {"person": world.person.pk, "role": "co_facilitator"})
    assert world.workshop.workshoptrainer_set.get(person=world.person).role == "co_facilitator"
    client.post(url, {"remove": world.person.pk})
    assert not world.workshop.trainers.filter(pk=world.person.pk).exists()
    # People outside the manager's scope cannot be made trainers.
    assert client.post(url, {"person": world.stranger.pk, "role": "lead"}).status_code == 404


# Courses -----------------------------------------------------------------------------------


def _course_data(world):
    return {
        "programme": world.programme.pk,
        "title": "Primer respondiente",
        "modality": "in_person",
        "hours": "20",
        "completion_min_attendance": "80",
    }


def test_course_create_update_and_refused_delete(world):
    client = client_for(world.users["manager"])
    data = _course_data(world)
    assert client.post(reverse("training:course_create"), data).status_code == 302
    course = world.programme.courses.get(title="Primer respondiente")
    data["hours"] = "24"
    client.post(reverse("training:course_update", args=[course.pk]), data)
    course.refresh_from_db()
    assert course.hours == 24
    response = client.post(
        reverse("training:course_delete", args=[world.course.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert world.programme.courses.filter(pk=world.course.pk).exists()
    assert any("workshops" in str(m) for m in response.context["messages"])
    client.post(reverse("training:course_delete", args=[course.pk]))
    assert not world.programme.courses.filter(pk=course.pk).exists()


def test_what_course_create_refuses_shows_on_the_form(world, monkeypatch):
    from django.core.exceptions import ValidationError

    from fortalece.training import services

    def refuse(**fields):
        raise ValidationError({"title": "Refused by the service."})

    monkeypatch.setattr(services, "course_create", refuse)
    data = _course_data(world)
    response = client_for(world.users["manager"]).post(reverse("training:course_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["Refused by the service."]
    assert b"Refused by the service." in response.content


def test_course_with_workshops_cannot_move_to_another_programme(world):
    from fortalece.programmes.tests.factories import ProgrammeFactory

    other = ProgrammeFactory(countries=[world.mexico])
    response = client_for(world.users["admin"]).post(
        reverse("training:course_update", args=[world.course.pk]),
        {
            "programme": other.pk,
            "title": world.course.title,
            "modality": "in_person",
            "hours": "16",
            "completion_min_attendance": "80",
        },
    )
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    world.course.refresh_from_db()
    assert world.course.programme == world.programme


# Lists and my training -------------------------------------------------------------------


def test_workshop_list_filters(world):
    client = client_for(world.users["admin"])
    url = reverse("training:workshop_list")
    programme = client.get(url, {"programme": world.programme.pk}).context["object_list"]
    assert list(programme) == [world.workshop]
    state = client.get(url, {"subdivision": world.jalisco.pk}).context["object_list"]
    assert list(state) == []
    upcoming = WorkshopFactory(
        course=world.course,
        start_date=datetime.date(2099, 1, 1),
        end_date=datetime.date(2099, 1, 2),
    )
    assert list(client.get(url, {"when": "upcoming"}).context["object_list"]) == [upcoming]
    assert upcoming not in client.get(url, {"when": "past"}).context["object_list"]


def test_workshop_list_counts_places_taken(world):
    Workshop.objects.filter(pk=world.workshop.pk).update(capacity=20)
    EnrolmentFactory(workshop=world.workshop, status=Enrolment.Status.DROPPED)
    EnrolmentFactory(workshop=world.workshop, status=Enrolment.Status.NOMINATED)
    response = client_for(world.users["manager"]).get(reverse("training:workshop_list"))
    row = next(w for w in response.context["object_list"] if w.pk == world.workshop.pk)
    assert row.enrolled == 1
    assert "1 / 20" in response.content.decode()


def test_course_list_filter_by_programme(world):
    response = client_for(world.users["admin"]).get(
        reverse("training:course_list"), {"programme": world.programme.pk}
    )
    assert list(response.context["object_list"]) == [world.course]


def test_my_training_shows_a_learner_their_enrolments_and_attendance(world):
    Attendance.objects.create(session=world.session, enrolment=world.enrolment, present=True)
    response = client_for(world.users["learner"]).get(
        reverse("training:my_training"), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert world.workshop.title in html
    assert response.context["rows"][0][1] == 1  # sessions in the workshop
    assert not response.context["teaching"]


def test_my_training_shows_a_trainer_the_workshops_they_train(world):
    response = client_for(world.users["trainer"]).get(reverse("training:my_training"))
    assert [t.workshop for t in response.context["teaching"]] == [world.workshop]


def test_my_training_without_a_person_record_shows_the_empty_state(world):
    response = client_for(world.users["manager"]).get(reverse("training:my_training"))
    assert response.status_code == 200
    assert not response.context["enrolments"]


# Fixed query counts: 3 rows versus 30 ----------------------------------------------------


def test_attendance_page_and_toggle_take_the_same_queries_for_3_or_30_people(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["trainer"])
    url = attendance_url(world)

    def measure():
        get = query_count(client, url)
        with CaptureQueriesContext(connection) as toggle:
            client.post(
                url, {"enrolment": world.enrolment.pk, "present": "1"}, HTTP_HX_REQUEST="true"
            )
        return get, len(toggle.captured_queries)

    EnrolmentFactory.create_batch(2, workshop=world.workshop)
    client.post(url, {"all_present": "1"})
    small = measure()
    EnrolmentFactory.create_batch(27, workshop=world.workshop)
    client.post(url, {"all_present": "1"})
    assert measure() == small


def test_pages_with_rosters_take_the_same_queries_for_3_or_30_people(world):
    client = client_for(world.users["manager"])
    urls = [
        reverse("training:workshop_detail", args=[world.workshop.pk]),
        reverse("training:workshop_enrol", args=[world.workshop.pk]),
    ]
    EnrolmentFactory.create_batch(2, workshop=world.workshop)
    small = [query_count(client, u) for u in urls]
    EnrolmentFactory.create_batch(27, workshop=world.workshop)
    assert [query_count(client, u) for u in urls] == small


def test_lists_take_the_same_queries_for_3_or_30_rows(world):
    from fortalece.training.tests.factories import CourseFactory

    client = client_for(world.users["manager"])
    urls = [reverse("training:workshop_list"), reverse("training:course_list")]

    def grow(n):
        for _ in range(n):
            workshop = WorkshopFactory(course=CourseFactory(programme=world.programme))
            EnrolmentFactory.create_batch(2, workshop=workshop)

    grow(2)
    small = [query_count(client, u) for u in urls]
    grow(27)
    assert [query_count(client, u) for u in urls] == small


def test_my_training_takes_the_same_queries_for_3_or_30_workshops(world):
    client = client_for(world.users["learner"])
    url = reverse("training:my_training")

    def grow(n):
        for _ in range(n):
            workshop = WorkshopFactory(course=world.course)
            Session.objects.create(workshop=workshop, date=workshop.start_date)
            EnrolmentFactory(workshop=workshop, person=world.person)
            WorkshopTrainer.objects.create(workshop=workshop, person=world.person)

    grow(2)
    small = query_count(client, url)
    grow(27)
    assert query_count(client, url) == small


def test_a_focal_point_sees_only_their_own_staff_in_the_roster(world):
    outsider = EnrolmentFactory(workshop=world.workshop)  # someone from another institution
    url = reverse("training:workshop_detail", args=[world.workshop.pk])
    focal = client_for(world.users["focal"]).get(url).context
    assert list(focal["roster"]) == [world.enrolment]
    assert focal["summary"]["active"] == 2
    manager = client_for(world.users["manager"]).get(url).context
    assert set(manager["roster"]) == {world.enrolment, outsider}


def test_course_page_lists_an_online_cohort_that_has_no_state(world):
    """An online cohort has neither venue nor state: the course page once answered 500."""
    WorkshopFactory(
        course=world.course,
        programme=world.course.programme,
        title="Cohorte en línea",
        venue="",
        subdivision=None,
        municipality=None,
    )
    response = client_for(world.users["manager"]).get(
        reverse("training:course_detail", args=[world.course.pk])
    )
    assert response.status_code == 200
    assert "Cohorte en línea" in response.content.decode()
