"""Assignment texts written offline are handed in exactly once: the same key again (a retry,
the outbox, two requests at once) is the same submission; a refusal keeps the text in sight."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from fortalece.assignments.models import Assignment, Submission
from fortalece.assignments.services import submission_create
from fortalece.core.testing import client_for, run_at_once


def _url(w):
    return reverse("assignments:submit", args=[w.assignment.pk])


@pytest.mark.django_db
def test_the_form_is_marked_for_the_outbox_and_carries_a_key(course_work):
    page = client_for(course_work.users["learner"]).get(
        reverse("assignments:detail", args=[course_work.assignment.pk])
    )
    html = page.content.decode()
    assert 'data-outbox="assignment"' in html and 'name="key"' in html


@pytest.mark.django_db
def test_the_same_text_sent_three_times_is_one_submission(course_work):
    course_work.assignment.allow_resubmission = True
    course_work.assignment.save()
    client = client_for(course_work.users["learner"])
    key = str(uuid.uuid4())
    codes = [
        client.post(_url(course_work), {"text": "Escrito sin señal", "key": key}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 302]
    assert Submission.objects.count() == 1
    assert Submission.objects.get().status == Submission.Status.SUBMITTED  # not superseded


@pytest.mark.django_db
def test_a_refused_text_stays_on_the_page_with_the_reason(course_work):
    assignment = course_work.assignment
    assignment.due_at = timezone.now() - datetime.timedelta(days=30)
    assignment.late_policy = Assignment.LatePolicy.REFUSE
    assignment.late_refuse_after_days = 1
    assignment.save()
    client = client_for(course_work.users["learner"])
    response = client.post(
        _url(course_work),
        {"text": "Mi texto <b>escrito</b>", "key": str(uuid.uuid4())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409  # a conflict: the outbox stops and shows it
    html = response.content.decode()
    assert "data-conflict-message" in html
    assert "deadline has passed" in html
    assert "Mi texto &lt;b&gt;escrito&lt;/b&gt;" in html  # kept, and escaped
    assert not Submission.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_key_make_one_submission(course_work):
    """Threads on PostgreSQL (the lock and the unique key meet for real); SQLite serialises
    writes, so there the service is called twice in a row."""
    key = uuid.uuid4()

    def go(wait) -> int:
        wait()
        return submission_create(
            assignment=course_work.assignment,
            enrolment=course_work.enrolment,
            text="Dos pestañas",
            files=[],
            by=course_work.users["learner"],
            idempotency_key=key,
        ).pk

    results = run_at_once(go)
    assert len(results) == 2 and results[0] == results[1]
    assert Submission.objects.count() == 1
