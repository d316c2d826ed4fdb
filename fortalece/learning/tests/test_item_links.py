"""No link on the item pages that its reader cannot follow: whoever may add a quiz may set it
up, results are linked for those who see attempts, a preview links the assignment only for
those who may open it."""

import pytest
from django.urls import reverse

from fortalece.accounts.models import Role
from fortalece.core.testing import make_user
from fortalece.learning.models import CourseItem
from fortalece.learning.tests.factories import CourseItemFactory
from fortalece.learning.tests.test_item_form import _add_url, _client, _data
from fortalece.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_trainer(online):
    """A trainer with a role on the programme who trains none of the course's cohorts: an
    author of the course's content."""
    return make_user(Role.TRAINER, programme=online.programme, person=PersonFactory())


def test_an_author_who_trains_no_cohort_sets_up_the_quiz_she_adds(online, programme_trainer):
    client = _client(programme_trainer)
    outline = client.get(reverse("learning:course", args=[online.course.pk])).content.decode()
    settings_url = reverse("quizzes:settings", args=[online.quiz.pk])
    assert settings_url in outline
    assert client.get(settings_url).status_code == 200
    assert client.get(reverse("quizzes:bank", args=[online.course.pk])).status_code == 200
    response = client.post(_add_url(online.module, "quiz"), _data(online, "quiz"))
    item = CourseItem.objects.get(title="Elemento nuevo")
    assert response["Location"] == reverse("quizzes:settings", args=[item.pk])


def test_quiz_results_are_linked_only_for_those_who_see_attempts(online, programme_trainer):
    settings_url = reverse("quizzes:settings", args=[online.quiz.pk])
    results_url = reverse("quizzes:results", args=[online.quiz.pk])
    bank_url = reverse("quizzes:bank", args=[online.course.pk])
    author = _client(programme_trainer)
    assert results_url not in author.get(settings_url).content.decode()
    assert author.get(results_url).status_code in (403, 404)
    assert results_url not in author.get(bank_url).content.decode()
    manager = _client(online.users["manager"])
    assert results_url in manager.get(settings_url).content.decode()
    assert manager.get(results_url).status_code == 200
    assert results_url in manager.get(bank_url).content.decode()


def test_the_bank_links_no_results_of_a_quiz_never_set_up(online):
    # online.quiz has no Quiz row until its settings page is opened: results would be a 404.
    page = _client(online.users["manager"]).get(reverse("quizzes:bank", args=[online.course.pk]))
    assert reverse("quizzes:results", args=[online.quiz.pk]) not in page.content.decode()
    assert reverse("quizzes:settings", args=[online.quiz.pk]) in page.content.decode()


def test_the_outline_links_quiz_settings_only_for_bank_authors(online):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = online.users["state_manager"]  # sees the course, edits no bank
    html = Template("{% load quizzes_tags %}{% quiz_settings_link item %}").render(
        Context({"request": request, "item": online.quiz})
    )
    assert html == ""
    request.user = online.users["manager"]
    html = Template("{% load quizzes_tags %}{% quiz_settings_link item %}").render(
        Context({"request": request, "item": online.quiz})
    )
    assert reverse("quizzes:settings", args=[online.quiz.pk]) in html


def test_a_preview_links_the_assignment_only_for_those_who_may_open_it(online):
    from fortalece.assignments.tests.factories import AssignmentFactory

    assignment = AssignmentFactory(
        item=CourseItemFactory(module=online.module, kind="assignment", title="Caso")
    )
    preview = reverse("learning:item_preview", args=[assignment.item.pk])
    detail = reverse("assignments:detail", args=[assignment.pk])
    # A manager of another state previews the course's content but sees none of its cohorts.
    outsider = _client(online.users["other_state_manager"])
    assert outsider.get(preview).status_code == 200
    assert outsider.get(detail).status_code == 404
    assert detail not in outsider.get(preview).content.decode()
    manager = _client(online.users["manager"])
    assert detail in manager.get(preview).content.decode()
    assert manager.get(detail).status_code == 200
