import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortalece.core.testing import make_user
from fortalece.people.tests.factories import PersonFactory
from fortalece.programmes.tests.factories import ProgrammeFactory
from fortalece.training import services
from fortalece.training.completion import status_from_attendance
from fortalece.training.models import Attendance, Enrolment, ProgrammeReach, Session, Workshop
from fortalece.training.tests.factories import (
    CourseFactory,
    EnrolmentFactory,
    SessionFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

S = Enrolment.Status
START = datetime.date(2021, 11, 22)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workshop_with_sessions(n: int, *, threshold: int = 80, **kwargs) -> Workshop:
    workshop = WorkshopFactory(
        course=CourseFactory(completion_min_attendance=threshold),
        start_date=START,
        end_date=START + datetime.timedelta(days=max(n, 1) - 1),
        **kwargs,
    )
    for day in range(n):
        Session.objects.create(workshop=workshop, date=START + datetime.timedelta(days=day))
    return workshop


def attend(enrolment: Enrolment, present_in: int, *, absent_in: int = 0) -> None:
    """Mark the enrolment present in the first ``present_in`` sessions, absent in the next."""
    sessions = list(enrolment.workshop.sessions.all())
    for session in sessions[:present_in]:
        services.attendance_record(session=session, enrolment=enrolment, present=True, by=None)
    for session in sessions[present_in : present_in + absent_in]:
        services.attendance_record(session=session, enrolment=enrolment, present=False, by=None)
    enrolment.refresh_from_db()


def reached(enrolment: Enrolment) -> ProgrammeReach | None:
    return ProgrammeReach.objects.filter(
        programme_id=enrolment.workshop.programme_id, person_id=enrolment.person_id
    ).first()


# The completion rule ------------------------------------------------------------------------


def test_attending_exactly_the_threshold_completes_on_the_workshop_end_date():
    workshop = workshop_with_sessions(5)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 4, absent_in=1)
    assert enrolment.status == S.COMPLETED
    assert enrolment.sessions_attended == 4
    assert enrolment.completed_on == workshop.end_date
    assert reached(enrolment).completed


def test_attending_just_below_the_threshold_is_attended_not_completed():
    workshop = workshop_with_sessions(5)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 3, absent_in=2)
    assert enrolment.status == S.ATTENDED
    assert enrolment.completed_on is None
    assert reached(enrolment) is not None
    assert not reached(enrolment).completed


def test_a_workshop_without_sessions_completes_nobody():
    workshop = workshop_with_sessions(0)
    enrolment = EnrolmentFactory(workshop=workshop, status=S.COMPLETED)
    services.enrolment_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk))
    enrolment.refresh_from_db()
    assert enrolment.status == S.ENROLLED
    assert enrolment.sessions_attended == 0


def test_marking_everyone_absent_brings_status_back_to_enrolled_and_removes_reach():
    workshop = workshop_with_sessions(2)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 2)
    assert enrolment.status == S.COMPLETED
    for session in workshop.sessions.all():
        services.attendance_record(session=session, enrolment=enrolment, present=False, by=None)
    enrolment.refresh_from_db()
    assert enrolment.status == S.ENROLLED
    assert enrolment.completed_on is None
    assert reached(enrolment) is None


def test_dropped_stays_dropped_whatever_the_attendance():
    workshop = workshop_with_sessions(2)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 2)
    services.enrolment_set_status(enrolment=enrolment, status=S.DROPPED, by=None)
    services.enrolment_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk))
    enrolment.refresh_from_db()
    assert enrolment.status == S.DROPPED
    assert enrolment.completed_on is None
    assert reached(enrolment) is None


def test_nominated_is_never_changed_by_recompute():
    workshop = workshop_with_sessions(1)
    enrolment = EnrolmentFactory(workshop=workshop, status=S.NOMINATED)
    assert services.enrolment_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk)) == 0
    enrolment.refresh_from_db()
    assert enrolment.status == S.NOMINATED


def test_attendance_cannot_be_taken_for_dropped_or_nominated_people():
    workshop = workshop_with_sessions(1)
    session = workshop.sessions.get()
    for status in (S.DROPPED, S.NOMINATED):
        enrolment = EnrolmentFactory(workshop=workshop, status=status)
        with pytest.raises(ValidationError):
            services.attendance_record(session=session, enrolment=enrolment, present=True, by=None)
    assert not Attendance.objects.exists()


def test_attendance_of_another_workshop_is_refused():
    session = workshop_with_sessions(1).sessions.get()
    stranger = EnrolmentFactory(workshop=workshop_with_sessions(1))
    with pytest.raises(ValidationError):
        services.attendance_record(session=session, enrolment=stranger, present=True, by=None)


def test_re_enrolling_a_dropped_person_lets_attendance_decide_again():
    workshop = workshop_with_sessions(1)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 1)
    services.enrolment_set_status(enrolment=enrolment, status=S.DROPPED, by=None)
    services.enrolment_set_status(enrolment=enrolment, status=S.ENROLLED, by=None)
    enrolment.refresh_from_db()
    assert enrolment.status == S.COMPLETED
    assert reached(enrolment).completed


def test_adding_a_session_recomputes_completion():
    workshop = workshop_with_sessions(1)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 1)
    assert enrolment.status == S.COMPLETED
    services.session_create(
        workshop=workshop, date=START, start_time=datetime.time(14), topic="Afternoon"
    )
    enrolment.refresh_from_db()
    assert enrolment.status == S.ATTENDED  # 1 of 2 < 80 %


def test_deleting_a_session_recomputes_completion():
    workshop = workshop_with_sessions(2)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 1, absent_in=1)
    assert enrolment.status == S.ATTENDED
    services.session_delete(session=workshop.sessions.last())
    enrolment.refresh_from_db()
    assert enrolment.status == S.COMPLETED


def test_lowering_the_course_threshold_recomputes_its_enrolments():
    workshop = workshop_with_sessions(2)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 1, absent_in=1)
    assert enrolment.status == S.ATTENDED
    services.course_update(course=workshop.course, completion_min_attendance=50)
    enrolment.refresh_from_db()
    assert enrolment.status == S.COMPLETED


def test_recompute_takes_a_fixed_number_of_queries_whatever_the_number_of_enrolments():
    def queries_for(n: int) -> int:
        workshop = workshop_with_sessions(2)
        enrolments = EnrolmentFactory.create_batch(n, workshop=workshop)
        Attendance.objects.bulk_create(
            Attendance(session=s, enrolment=e, present=True)
            for s in workshop.sessions.all()
            for e in enrolments
        )
        with CaptureQueriesContext(connection) as context:
            changed = services.enrolment_recompute(enrolments=workshop.enrolments.all())
        assert changed == n
        return len(context.captured_queries)

    assert queries_for(3) == queries_for(30)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sessions=st.integers(0, 6),
    threshold=st.integers(1, 100),
    people=st.lists(
        st.tuples(
            st.sampled_from([s.value for s in S]),
            st.lists(st.sampled_from([None, True, False]), min_size=6, max_size=6),
        ),
        min_size=1,
        max_size=5,
    ),
)
def test_stored_status_is_consistent_with_attendance(sessions, threshold, people):
    """Whatever the marks, recompute stores what the pure rule says."""
    workshop = workshop_with_sessions(sessions, threshold=threshold)
    session_list = list(workshop.sessions.all())
    expected = {}
    for status, marks in people:
        enrolment = EnrolmentFactory(workshop=workshop, status=status)
        present = 0
        for session, mark in zip(session_list, marks, strict=False):
            if mark is not None:
                Attendance.objects.create(session=session, enrolment=enrolment, present=mark)
                present += mark
        expected[enrolment.pk] = (
            status_from_attendance(
                current=status, attended=present, sessions=sessions, threshold_pct=threshold
            ),
            present,
        )
    services.enrolment_recompute(enrolments=workshop.enrolments.all())
    for enrolment in workshop.enrolments.select_related("workshop"):
        status, present = expected[enrolment.pk]
        assert (enrolment.status, enrolment.sessions_attended) == (status, present)
        assert (enrolment.completed_on is not None) == (status == S.COMPLETED)
        is_reached = ProgrammeReach.objects.filter(
            programme_id=workshop.programme_id, person_id=enrolment.person_id
        ).exists()
        assert is_reached == (status in Enrolment.REACHED_STATUSES)


# Enrolment ---------------------------------------------------------------------------------


def test_enrolling_twice_returns_the_same_enrolment():
    workshop = workshop_with_sessions(1)
    person = PersonFactory()
    first, created = services.enrolment_create(workshop=workshop, person=person, by=None)
    second, created_again = services.enrolment_create(workshop=workshop, person=person, by=None)
    assert first.pk == second.pk
    assert (created, created_again) == (True, False)
    assert Enrolment.objects.filter(workshop=workshop, person=person).count() == 1


def test_enrolling_beyond_capacity_is_refused_with_a_clear_message():
    workshop = workshop_with_sessions(1, capacity=1)
    services.enrolment_create(workshop=workshop, person=PersonFactory(), by=None)
    with pytest.raises(ValidationError, match="full"):
        services.enrolment_create(workshop=workshop, person=PersonFactory(), by=None)


def test_dropped_people_free_their_place():
    workshop = workshop_with_sessions(1, capacity=1)
    first, _ = services.enrolment_create(workshop=workshop, person=PersonFactory(), by=None)
    services.enrolment_set_status(enrolment=first, status=S.DROPPED, by=None)
    services.enrolment_create(workshop=workshop, person=PersonFactory(), by=None)
    assert workshop.enrolments.count() == 2


def test_nominations_take_no_place_but_accepting_one_needs_a_free_place():
    workshop = workshop_with_sessions(1, capacity=1)
    nominated, _ = services.enrolment_create(
        workshop=workshop, person=PersonFactory(), by=None, status=S.NOMINATED
    )
    services.enrolment_create(workshop=workshop, person=PersonFactory(), by=None)
    with pytest.raises(ValidationError, match="full"):
        services.enrolment_set_status(enrolment=nominated, status=S.ENROLLED, by=None)
    nominated.refresh_from_db()
    assert nominated.status == S.NOMINATED


def test_re_enrolling_a_dropped_person_needs_a_free_place():
    workshop = workshop_with_sessions(1, capacity=1)
    dropped, _ = services.enrolment_create(workshop=workshop, person=PersonFactory(), by=None)
    services.enrolment_set_status(enrolment=dropped, status=S.DROPPED, by=None)
    services.enrolment_create(workshop=workshop, person=PersonFactory(), by=None)
    with pytest.raises(ValidationError, match="full"):
        services.enrolment_set_status(enrolment=dropped, status=S.ENROLLED, by=None)


def test_status_change_cannot_claim_attendance():
    enrolment = EnrolmentFactory(workshop=workshop_with_sessions(1))
    with pytest.raises(ValidationError):
        services.enrolment_set_status(enrolment=enrolment, status=S.COMPLETED, by=None)


def test_bulk_enrolment_skips_people_already_in_and_counts_new_ones():
    workshop = workshop_with_sessions(1)
    already = EnrolmentFactory(workshop=workshop)
    people = PersonFactory.create_batch(3)
    ids = [p.pk for p in people] + [already.person_id]
    user = make_user()
    assert (
        services.enrolments_bulk_create(
            workshop=workshop, person_ids=ids, status=S.ENROLLED, by=user
        )
        == 3
    )
    assert (
        services.enrolments_bulk_create(
            workshop=workshop, person_ids=ids, status=S.ENROLLED, by=user
        )
        == 0
    )
    assert workshop.enrolments.count() == 4


def test_bulk_enrolment_respects_capacity_all_or_nothing():
    workshop = workshop_with_sessions(1, capacity=2)
    ids = [p.pk for p in PersonFactory.create_batch(3)]
    with pytest.raises(ValidationError, match="full"):
        services.enrolments_bulk_create(
            workshop=workshop, person_ids=ids, status=S.ENROLLED, by=None
        )
    assert not workshop.enrolments.exists()


def test_bulk_enrolment_of_past_completions_counts_them_as_reached():
    workshop = workshop_with_sessions(0)
    person = PersonFactory()
    services.enrolments_bulk_create(
        workshop=workshop, person_ids=[person.pk], status=S.COMPLETED, by=None
    )
    enrolment = workshop.enrolments.get()
    assert enrolment.status == S.COMPLETED
    assert enrolment.completed_on == workshop.end_date
    assert reached(enrolment).completed


def test_bulk_enrolment_refuses_an_unknown_status():
    workshop = workshop_with_sessions(1)
    with pytest.raises(ValidationError):
        services.enrolments_bulk_create(
            workshop=workshop, person_ids=[PersonFactory().pk], status="graduated", by=None
        )


def test_bulk_attendance_records_present_and_absent_and_completes():
    workshop = workshop_with_sessions(1)
    here, away = EnrolmentFactory.create_batch(2, workshop=workshop)
    session = workshop.sessions.get()
    written = services.attendance_bulk_record(
        session=session, present_enrolment_ids=[here.pk], absent_enrolment_ids=[away.pk], by=None
    )
    assert written == 2
    here.refresh_from_db()
    away.refresh_from_db()
    assert (here.status, away.status) == (S.COMPLETED, S.ENROLLED)
    assert reached(here).completed and reached(away) is None
    # Recording the same marks again writes nothing.
    assert (
        services.attendance_bulk_record(
            session=session,
            present_enrolment_ids=[here.pk],
            absent_enrolment_ids=[away.pk],
            by=None,
        )
        == 0
    )


def test_removing_an_enrolment_removes_the_person_from_reach():
    workshop = workshop_with_sessions(1)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 1)
    assert reached(enrolment)
    services.enrolment_delete(enrolment=enrolment, by=None)
    assert not ProgrammeReach.objects.filter(person_id=enrolment.person_id).exists()


# Workshops and courses ---------------------------------------------------------------------


def test_workshop_create_copies_the_programme_and_generates_sessions():
    course = CourseFactory()
    workshop = services.workshop_create(
        generate_sessions=True,
        course=course,
        title="Cancún",
        start_date=START,
        end_date=START + datetime.timedelta(days=2),
        country=course.programme.countries.first(),
    )
    assert workshop.programme_id == course.programme_id
    assert [s.date for s in workshop.sessions.all()] == [
        START + datetime.timedelta(days=i) for i in range(3)
    ]


def test_workshop_create_without_generation_has_no_sessions():
    course = CourseFactory()
    workshop = services.workshop_create(
        course=course,
        title="Cancún",
        start_date=START,
        end_date=START,
        country=course.programme.countries.first(),
    )
    assert not workshop.sessions.exists()


def test_moving_a_workshop_to_a_course_of_another_programme_moves_its_reach():
    workshop = workshop_with_sessions(1)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 1)
    old_programme = workshop.programme_id
    country = workshop.country
    other_course = CourseFactory(programme=ProgrammeFactory(countries=[country]))
    services.workshop_update(workshop=workshop, course=other_course)
    assert workshop.programme_id == other_course.programme_id
    assert not ProgrammeReach.objects.filter(programme_id=old_programme).exists()
    assert ProgrammeReach.objects.filter(
        programme_id=other_course.programme_id, person_id=enrolment.person_id
    ).exists()


def test_course_with_workshops_cannot_change_programme():
    workshop = workshop_with_sessions(1)
    other = ProgrammeFactory(countries=[workshop.country])
    with pytest.raises(ValidationError):
        services.course_update(course=workshop.course, programme=other)


def test_course_with_workshops_cannot_be_deleted():
    workshop = workshop_with_sessions(1)
    with pytest.raises(ValidationError):
        services.course_delete(course=workshop.course)
    services.workshop_delete(workshop=workshop)
    services.course_delete(course=workshop.course)


def test_deleting_a_workshop_removes_its_reach():
    workshop = workshop_with_sessions(1)
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 1)
    services.workshop_delete(workshop=workshop)
    assert not ProgrammeReach.objects.exists()


def test_session_update_keeps_attendance_and_refuses_a_taken_slot():
    workshop = workshop_with_sessions(2)
    first, second = workshop.sessions.all()
    enrolment = EnrolmentFactory(workshop=workshop)
    attend(enrolment, 1)
    services.session_update(session=first, topic="Victim-centred approach")
    first.refresh_from_db()
    assert first.topic == "Victim-centred approach"
    assert first.attendance.count() == 1
    with pytest.raises(ValidationError):
        services.session_update(session=second, date=first.date)


def test_trainer_add_twice_updates_the_role():
    workshop = workshop_with_sessions(1)
    person = PersonFactory()
    services.trainer_add(workshop=workshop, person=person, role="lead")
    services.trainer_add(workshop=workshop, person=person, role="co_facilitator")
    assert workshop.workshoptrainer_set.get().role == "co_facilitator"
    services.trainer_remove(workshop=workshop, person_id=person.pk)
    assert not workshop.trainers.exists()


@pytest.mark.django_db(transaction=True)
def test_two_phones_marking_the_same_session_at_once_never_collide():
    """A double tap or two devices: both writes succeed, one mark per person, no 500."""
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises every write anyway)")
    workshop = WorkshopFactory()
    session = SessionFactory(workshop=workshop)
    enrolments = [EnrolmentFactory(workshop=workshop) for _ in range(30)]
    ids = [e.pk for e in enrolments]
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def mark(present: bool) -> None:
        from django.db import connection as thread_connection

        try:
            start.wait()
            services.attendance_bulk_record(
                session=session,
                present_enrolment_ids=ids if present else [],
                absent_enrolment_ids=[] if present else ids,
                by=None,
            )
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=mark, args=(i % 2 == 0,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Attendance.objects.filter(session=session).count() == len(ids)
