"""A lesson with many comments on a phone: a page of threads at a time, newest first; "Show
older comments" adds the next page in place with htmx (the same link is a plain page link
without JavaScript); reporting a comment loaded that way swaps its thread alone."""

import pytest
from playwright.sync_api import expect

from fortalece.accounts.models import Role
from fortalece.core.testing import PASSWORD, make_user
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from fortalece.messaging.models import Comment
from fortalece.messaging.selectors import THREADS_PER_PAGE
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Enrolment
from fortalece.training.tests.factories import EnrolmentFactory
from tests.browser.conftest import go, shot, sign_in
from tests.browser.test_learning import online_cohort, warm_up

pytestmark = pytest.mark.django_db(transaction=True)


def test_older_comments_load_in_place_and_can_be_reported_there(phone):
    course, enrolment = online_cohort()
    lesson = CourseItemFactory(
        module=CourseModuleFactory(course=course), title="Escucha activa", body="<p>Hola</p>"
    )
    classmate = PersonFactory(given_names="Rosa", family_names="Huerta")
    EnrolmentFactory(
        workshop=enrolment.workshop, person=classmate, status=Enrolment.Status.ENROLLED
    )
    author = make_user(Role.LEARNER, person=classmate)
    threads = THREADS_PER_PAGE * 2 + 3
    for n in range(threads):
        Comment.objects.create(
            item=lesson, workshop=enrolment.workshop, author=author, body=f"Hilo {n}"
        )
    warm_up(phone)
    sign_in(phone, "itzel@example.org", PASSWORD)
    go(phone, f"/learning/take/items/{lesson.pk}/")
    items = phone.locator("#comment-list > li")
    expect(items).to_have_count(THREADS_PER_PAGE)
    expect(items.first).to_contain_text(f"Hilo {threads - 1}")
    more = phone.locator("#comments-more a")
    more.click()
    expect(items).to_have_count(THREADS_PER_PAGE * 2)
    assert phone.url.endswith(f"/learning/take/items/{lesson.pk}/")  # no page load
    more.click()
    expect(items).to_have_count(threads)
    expect(phone.locator("#comments-more")).to_have_count(0)
    expect(items.last).to_contain_text("Hilo 0")
    shot(phone, "comments-all-pages-phone-es")
    # The oldest, loaded by htmx, is reported in place: its thread alone is swapped.
    oldest = Comment.objects.get(body="Hilo 0")
    thread = phone.locator(f"#comment-{oldest.pk}")
    thread.locator("summary", has_text="Reportar").click()
    thread.get_by_role("button", name="Reportar a moderación").click()
    expect(phone.locator(f"#comment-{oldest.pk} [role=status]")).to_be_visible()
    expect(items).to_have_count(threads)
    assert oldest.reports.count() == 1
