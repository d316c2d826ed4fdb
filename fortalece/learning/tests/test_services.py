from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fortalece.credentials.models import Certificate
from fortalece.learning.models import CourseItem, ItemProgress
from fortalece.learning.selectors import learner_enrolment
from fortalece.learning.services import item_open, item_record_result
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from fortalece.training.models import Enrolment, ProgrammeReach


@pytest.fixture
def online(world):
    module = CourseModuleFactory(course=world.course)
    lesson = CourseItemFactory(module=module)
    quiz = CourseItemFactory(module=module, kind=CourseItem.Kind.QUIZ)
    optional = CourseItemFactory(module=module, required=False)
    return world, lesson, quiz, optional


def test_completing_every_required_item_completes_enrolment_reach_and_certificate(online):
    world, lesson, quiz, optional = online
    enrolment = world.enrolment
    item_record_result(enrolment=enrolment, item=lesson, completed=True)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert not Certificate.objects.filter(enrolment=enrolment).exists()

    item_record_result(enrolment=enrolment, item=quiz, completed=False, score=40)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED

    item_record_result(enrolment=enrolment, item=quiz, completed=True, score=90)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.status_source == Enrolment.Source.ONLINE
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    reach = ProgrammeReach.objects.get(programme=world.programme, person=world.person)
    assert reach.completed


def test_completed_item_stays_completed_and_keeps_best_score(online):
    world, lesson, quiz, _ = online
    item_record_result(enrolment=world.enrolment, item=quiz, completed=True, score=80)
    progress = item_record_result(enrolment=world.enrolment, item=quiz, completed=False, score=20)
    assert progress.completed_at is not None
    assert progress.score == Decimal("80")
    assert ItemProgress.objects.filter(enrolment=world.enrolment).count() == 1


def test_score_out_of_range_and_foreign_item_are_refused(online, world):
    _, lesson, _, _ = online
    with pytest.raises(ValidationError):
        item_record_result(enrolment=world.enrolment, item=lesson, completed=True, score=101)
    foreign = CourseItemFactory()
    with pytest.raises(ValidationError):
        item_record_result(enrolment=world.enrolment, item=foreign, completed=True)
    with pytest.raises(ValidationError):
        item_open(enrolment=world.enrolment, item=foreign)


def test_learner_enrolment(online, world):
    assert learner_enrolment(world.users["learner"], world.course) == world.enrolment
    assert learner_enrolment(world.users["trainer"], world.course) is None
    world.enrolment.status = Enrolment.Status.DROPPED
    world.enrolment.save()
    assert learner_enrolment(world.users["learner"], world.course) is None


def test_course_certificate_names_the_diploma_hours_and_partners(online):
    from django.urls import reverse

    from fortalece.core.testing import client_for
    from fortalece.learning.services.diplomas import diploma_course_add, diploma_create

    world, lesson, quiz, _ = online
    diploma = diploma_create(
        programme=world.programme, title="Diplomado en primer contacto", hours=120
    )
    diploma_course_add(diploma=diploma, course=world.course)
    for item in (lesson, quiz):
        item_record_result(enrolment=world.enrolment, item=item, completed=True)
    certificate = Certificate.objects.get(enrolment=world.enrolment)
    assert diploma.awards.filter(person=world.person).exists()
    captured = {}
    import fortalece.credentials.views as views

    real = views.render_certificate_pdf

    def spy(cert, **kwargs):
        captured.update(kwargs)
        return real(cert, **kwargs)

    views.render_certificate_pdf = spy
    try:
        response = client_for(world.users["learner"]).get(
            reverse("credentials:pdf", args=[certificate.pk])
        )
    finally:
        views.render_certificate_pdf = real
    assert response.status_code == 200
    assert captured["programme"].startswith("Diplomado en primer contacto · ")
    assert captured["hours"] == world.course.hours


def test_attending_the_session_of_a_blended_item_completes_it(world):
    from fortalece.learning.services import session_items_sync
    from fortalece.training.models import Attendance

    module = CourseModuleFactory(course=world.course)
    lesson = CourseItemFactory(module=module)
    session_item = CourseItemFactory(
        module=module, kind=CourseItem.Kind.SESSION, session=world.session
    )
    item_record_result(enrolment=world.enrolment, item=lesson, completed=True)
    assert session_items_sync(enrolment=world.enrolment) == 0
    Attendance.objects.create(session=world.session, enrolment=world.enrolment, present=True)
    assert session_items_sync(enrolment=world.enrolment) == 1
    assert ItemProgress.objects.get(item=session_item).completed_at is not None
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.COMPLETED
    assert session_items_sync(enrolment=world.enrolment) == 0


def test_a_learner_of_another_cohort_attends_their_own_cohorts_session_in_the_same_place(
    world,
):
    """The item names the second session of the first cohort; a learner of the second cohort
    completes it at their own cohort's second session (not its first, not the first cohort's),
    sees that session on the item's page, and a cohort without one is told so."""
    import datetime

    from fortalece.accounts.models import Role
    from fortalece.core.testing import client_for, make_user
    from fortalece.learning.services import session_items_sync
    from fortalece.learning.services.progress import cohort_sessions
    from fortalece.people.tests.factories import PersonFactory
    from fortalece.training.models import Attendance, Session
    from fortalece.training.tests.factories import EnrolmentFactory, WorkshopFactory

    first = world.workshop
    second_of_first = Session.objects.create(workshop=first, date=first.end_date)
    module = CourseModuleFactory(course=world.course)
    item = CourseItemFactory(module=module, kind=CourseItem.Kind.SESSION, session=second_of_first)
    other = WorkshopFactory(
        course=world.course,
        country=world.mexico,
        start_date=datetime.date(2022, 5, 2),
        end_date=datetime.date(2022, 5, 3),
    )
    day1 = Session.objects.create(workshop=other, date=datetime.date(2022, 5, 2))
    day2 = Session.objects.create(workshop=other, date=datetime.date(2022, 5, 3))
    person = PersonFactory(institution=world.institution)
    enrolment = EnrolmentFactory(workshop=other, person=person, status=Enrolment.Status.ENROLLED)
    assert cohort_sessions(enrolment=enrolment, items=[item]) == {item.pk: day2}
    assert cohort_sessions(enrolment=world.enrolment, items=[item]) == {item.pk: second_of_first}

    Attendance.objects.create(session=day1, enrolment=enrolment, present=True)
    assert session_items_sync(enrolment=enrolment) == 0
    Attendance.objects.create(session=day2, enrolment=enrolment, present=True)
    assert session_items_sync(enrolment=enrolment) == 1
    assert ItemProgress.objects.get(item=item, enrolment=enrolment).completed_at is not None

    learner = make_user(Role.LEARNER, person=person)
    page = client_for(learner).get(f"/learning/take/items/{item.pk}/").content.decode()
    assert "3 de mayo de 2022" in page and other.title in page

    short = WorkshopFactory(course=world.course, country=world.mexico)
    Session.objects.create(workshop=short, date=short.start_date)
    lone = EnrolmentFactory(workshop=short, person=PersonFactory(institution=world.institution))
    assert cohort_sessions(enrolment=lone, items=[item]) == {item.pk: None}
    lone_user = make_user(Role.LEARNER, person=lone.person)
    page = client_for(lone_user).get(f"/learning/take/items/{item.pk}/").content.decode()
    assert "aún no tiene una sesión programada" in page
