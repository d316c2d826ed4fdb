"""My learning: the learner's landing page shows what is next (one tap resumes), progress per
course and diploma, due dates and certificates, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fortalece.core.testing import client_for
from fortalece.learning import completion
from fortalece.learning.models import CourseItem
from fortalece.learning.services import item_open, item_record_result
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from fortalece.training.models import Course, Enrolment
from fortalece.training.tests.factories import CourseFactory, EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _page(world):
    return client_for(world.users["learner"]).get(
        reverse("learning:my_learning"), HTTP_ACCEPT_LANGUAGE="en"
    )


def test_what_is_next_is_the_first_unfinished_item_and_one_tap_opens_it(online):
    page = _page(online)
    assert page.status_code == 200
    card = page.context["mine"].next_up[0]
    assert card.next_item == online.lesson and not card.started
    html = page.content.decode()
    assert reverse("learning:item", args=[online.lesson.pk]) in html
    item_record_result(enrolment=online.enrolment, item=online.lesson, completed=True)
    card = _page(online).context["mine"].next_up[0]
    # The quiz opens on its own page: one tap, no detour through the item page.
    assert card.next_item == online.quiz and card.started
    assert card.next_url == reverse("quizzes:quiz", args=[online.quiz.pk])
    assert card.progress == completion.Progress(done=1, required=2)


def test_resumes_the_item_last_opened_and_not_finished(online):
    item_open(enrolment=online.enrolment, item=online.optional)
    card = _page(online).context["mine"].next_up[0]
    assert card.next_item == online.optional
    assert "Continue where you left off" in _page(online).content.decode()


def test_items_not_released_are_never_next(online):
    online.lesson.release_on = timezone.localdate() + datetime.timedelta(days=3)
    online.lesson.save()
    card = _page(online).context["mine"].next_up[0]
    assert card.next_item == online.quiz


def test_due_dates_list_open_work_not_yet_handed_in(online):
    from fortalece.assignments.models import Assignment, Submission
    from fortalece.quizzes.models import Quiz

    module = online.module
    due = timezone.now() + datetime.timedelta(days=2)
    work = CourseItemFactory(module=module, kind=CourseItem.Kind.ASSIGNMENT, title="Caso")
    assignment = Assignment.objects.create(item=work, due_at=due)
    Quiz.objects.create(item=online.quiz, closes_at=due + datetime.timedelta(days=1))
    old = CourseItemFactory(module=module, kind=CourseItem.Kind.ASSIGNMENT, title="Antigua")
    Assignment.objects.create(item=old, due_at=timezone.now() - datetime.timedelta(days=60))
    dues = _page(online).context["mine"].due
    assert [(d.item.title, d.overdue) for d in dues] == [("Caso", False), ("Cuestionario", False)]
    assert dues[0].url == reverse("assignments:detail", args=[assignment.pk])
    Submission.objects.create(
        assignment=assignment,
        enrolment=online.enrolment,
        attempt=1,
        text="Hecho",
        submitted_at=timezone.now(),
    )
    assert [d.item.title for d in _page(online).context["mine"].due] == ["Cuestionario"]


def test_diploma_progress_and_certificates(online):
    from fortalece.learning.services.diplomas import diploma_course_add, diploma_create

    diploma = diploma_create(programme=online.programme, title="Diplomado", hours=120)
    diploma_course_add(diploma=diploma, course=online.course)
    second = CourseFactory(programme=online.programme, modality=Course.Modality.ONLINE)
    diploma_course_add(diploma=diploma, course=second)
    mine = _page(online).context["mine"]
    assert [(d.diploma.title, d.progress.done, d.progress.required) for d in mine.diplomas] == [
        ("Diplomado", 0, 2)
    ]
    for item in (online.lesson, online.quiz):
        item_record_result(enrolment=online.enrolment, item=item, completed=True)
    page = _page(online)
    mine = page.context["mine"]
    assert mine.diplomas[0].progress.done == 1
    assert [c.course_title for c in mine.certificates] == [online.course.title]
    assert reverse("credentials:pdf", args=[mine.certificates[0].pk]) in page.content.decode()
    assert mine.next_up == []  # a completed course has nothing next


def test_shows_only_the_learners_own_courses(online):
    item_record_result(enrolment=online.other_enrolment, item=online.lesson, completed=True)
    mine = _page(online).context["mine"]
    assert [c.enrolment.pk for c in mine.courses] == [online.enrolment.pk]
    assert mine.courses[0].progress.done == 0


def test_learners_land_on_my_learning_and_staff_do_not(online):
    home = client_for(online.users["learner"]).get(reverse("core:home"))
    assert home.status_code == 302 and home["Location"] == reverse("learning:my_learning")
    assert client_for(online.users["manager"]).get(reverse("core:home")).status_code == 200
    menu = client_for(online.users["learner"]).get(reverse("learning:my_learning"))
    assert ("learning_mine", reverse("learning:my_learning")) in [
        (k, url) for k, _label, url in menu.context["nav_items"]
    ]


def _more_courses(world, n):
    for i in range(n):
        course = CourseFactory(programme=world.programme, modality=Course.Modality.ONLINE)
        cohort = WorkshopFactory(course=course, country=world.mexico, title=f"Cohorte {i}")
        enrolment = EnrolmentFactory(
            workshop=cohort, person=world.person, status=Enrolment.Status.ENROLLED
        )
        module = CourseModuleFactory(course=course)
        first = CourseItemFactory(module=module)
        CourseItemFactory(module=module, release_after=first)
        item_open(enrolment=enrolment, item=first)


def test_the_page_runs_a_fixed_number_of_queries(online, django_assert_max_num_queries):
    client = client_for(online.users["learner"])
    url = reverse("learning:my_learning")
    client.get(url)  # warm caches (sessions, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one_course:
        assert client.get(url).status_code == 200
    _more_courses(online, 6)
    with django_assert_max_num_queries(len(one_course.captured_queries)):
        page = client.get(url)
    assert len(page.context["mine"].courses) == 7


def test_a_lesson_offers_save_for_offline_with_its_files(online):
    html = (
        client_for(online.users["learner"])
        .get(reverse("learning:item", args=[online.lesson.pk]))
        .content.decode()
    )
    assert "data-save-offline hidden" in html  # shown by the script only
    assert reverse("learning:resource", args=[online.resource.pk]) in html
