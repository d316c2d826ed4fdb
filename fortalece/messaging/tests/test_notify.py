import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from fortalece.core.testing import client_for
from fortalece.messaging.jobs import digest_send
from fortalece.messaging.models import Delivery, DigestRun, Kind, Notification, Preference
from fortalece.messaging.notify import notify, unsubscribe_token

pytestmark = pytest.mark.django_db


def test_notify_writes_the_bell_and_emails_at_once_by_default(users):
    learner = users["learner"]
    notify([learner], Kind.GRADE, "Tu tarea tiene calificación", "/learning/mine/")
    row = Notification.objects.get(recipient=learner)
    assert row.kind == Kind.GRADE and row.read_at is None and row.emailed_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [learner.email]
    assert "Tu tarea tiene calificación" in mail.outbox[0].body
    assert "/messages/unsubscribe/" in mail.outbox[0].body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers


def test_off_and_digest_send_no_email_now(users):
    learner, trainer = users["learner"], users["trainer"]
    Preference.objects.create(user=learner, kind=Kind.GRADE, delivery=Delivery.OFF)
    Preference.objects.create(user=trainer, kind=Kind.GRADE, delivery=Delivery.DIGEST)
    notify([learner, trainer], Kind.GRADE, "x", "/")
    assert Notification.objects.count() == 2  # the bell shows it either way
    assert mail.outbox == []


def test_notify_keeps_links_on_this_site(users):
    notify([users["learner"]], Kind.MESSAGE, "x", "https://evil.example/")
    notify([users["learner"]], Kind.MESSAGE, "y", "//evil.example/")
    assert set(Notification.objects.values_list("url", flat=True)) == {""}


def test_bell_count_in_the_header_and_mark_read(users):
    learner = users["learner"]
    notify([learner], Kind.ANNOUNCEMENT, "Uno", "/")
    notify([learner], Kind.ANNOUNCEMENT, "Dos", "/")
    client = client_for(learner)
    page = client.get(reverse("messaging:notifications")).content.decode()
    assert re.search(r'class="bell__count"[^>]*>2<', page)
    first = Notification.objects.filter(recipient=learner).first()
    client.post(reverse("messaging:notification_read", args=[first.pk]))
    assert Notification.objects.filter(recipient=learner, read_at__isnull=True).count() == 1
    client.post(reverse("messaging:notifications_read_all"))
    assert not Notification.objects.filter(recipient=learner, read_at__isnull=True).exists()
    page = client.get(reverse("messaging:notifications")).content.decode()
    assert "bell__count" not in page


def test_nobody_marks_another_users_notification(users):
    (row,) = notify([users["learner"]], Kind.GRADE, "x", "/")
    response = client_for(users["trainer"]).post(
        reverse("messaging:notification_read", args=[row.pk])
    )
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_preferences_page_saves_a_choice_per_kind(users):
    client = client_for(users["learner"])
    page = client.get(reverse("messaging:preferences"))
    assert page.status_code == 200
    assert (
        "not available on this server" in page.content.decode()
        or "no están" in page.content.decode()
    )
    data = {kind.value: Delivery.IMMEDIATELY for kind in Kind}
    data[Kind.NEW_CONTENT] = Delivery.OFF
    data[Kind.ANNOUNCEMENT] = Delivery.DIGEST
    assert client.post(reverse("messaging:preferences"), data).status_code == 302
    chosen = dict(Preference.objects.filter(user=users["learner"]).values_list("kind", "delivery"))
    assert chosen[Kind.NEW_CONTENT] == Delivery.OFF
    assert chosen[Kind.ANNOUNCEMENT] == Delivery.DIGEST


def test_unsubscribe_link_works_without_signing_in(client, users):
    learner = users["learner"]
    notify([learner], Kind.ANNOUNCEMENT, "Aviso", "/")
    link = re.search(r"http\S+/messages/unsubscribe/\S+/", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]
    assert client.get(path).status_code == 200  # a GET (a mail scanner) changes nothing
    assert not Preference.objects.filter(user=learner).exists()
    assert client.post(path).status_code == 200
    pref = Preference.objects.get(user=learner, kind=Kind.ANNOUNCEMENT)
    assert pref.delivery == Delivery.OFF
    mail.outbox.clear()
    notify([learner], Kind.ANNOUNCEMENT, "Otro aviso", "/")
    assert mail.outbox == []


def test_a_forged_or_altered_unsubscribe_token_is_refused(client, users):
    token = unsubscribe_token(users["learner"], Kind.GRADE)
    assert (
        client.post(reverse("messaging:unsubscribe", args=[token[:-2] + "xx"])).status_code == 404
    )
    assert client.post(reverse("messaging:unsubscribe", args=["abc"])).status_code == 404
    assert not Preference.objects.exists()


def test_digest_arrives_next_morning_exactly_once(users):
    """A notification the learner wants in the digest, on Monday afternoon; the scheduler
    runs every minute; the digest leaves once, on Tuesday at 7:00 local time."""
    from fortalece.core.scheduling import schedule_due

    learner = users["learner"]
    Preference.objects.create(user=learner, kind=Kind.NEW_CONTENT, delivery=Delivery.DIGEST)
    with freeze_time("2026-03-02 21:00:00"):  # Monday 15:00 in Mexico City
        notify([learner], Kind.NEW_CONTENT, "Nueva lección: Primer contacto", "/")
        schedule_due(now=datetime.datetime.now(datetime.UTC))
    assert mail.outbox == []
    with freeze_time("2026-03-03 12:30:00"):  # Tuesday 6:30: not yet
        schedule_due(now=datetime.datetime.now(datetime.UTC))
    assert mail.outbox == []
    with freeze_time("2026-03-03 13:01:00"):  # Tuesday 7:01
        schedule_due(now=datetime.datetime.now(datetime.UTC))
        schedule_due(now=datetime.datetime.now(datetime.UTC))
    assert len(mail.outbox) == 1
    assert "Nueva lección: Primer contacto" in mail.outbox[0].body
    assert DigestRun.objects.get(user=learner).day == datetime.date(2026, 3, 3)
    with freeze_time("2026-03-03 13:05:00"):  # the job itself run again for the day
        assert digest_send(day=datetime.date(2026, 3, 3)) == 0
    with freeze_time("2026-03-04 13:01:00"):  # Wednesday: nothing new, no e-mail
        schedule_due(now=datetime.datetime.now(datetime.UTC))
    assert len(mail.outbox) == 1
    assert Notification.objects.get().emailed_at is not None


def test_digest_leaves_out_what_was_already_read(users):
    learner = users["learner"]
    Preference.objects.create(user=learner, kind=Kind.NEW_CONTENT, delivery=Delivery.DIGEST)
    (row,) = notify([learner], Kind.NEW_CONTENT, "Leído", "/")
    Notification.objects.filter(pk=row.pk).update(read_at=row.created_at)
    assert digest_send(day=datetime.date(2026, 3, 3)) == 0
    assert mail.outbox == []


def test_bell_costs_one_query_per_page(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notify([users["learner"]], Kind.GRADE, "x", "/")
    client = client_for(users["learner"])
    client.get(reverse("messaging:announcements"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("messaging:announcements")).status_code == 200
    counted = [q for q in queries.captured_queries if "messaging_notification" in q["sql"]]
    assert len(counted) == 1


def test_inbox_summary_tag(users):
    from django.template import Context, Template

    learner = users["learner"]
    notify([learner], Kind.ANNOUNCEMENT, "a", "/")
    notify([learner], Kind.MESSAGE, "b", "/")
    notify([learner], Kind.GRADE, "c", "/")
    from django.utils import translation

    with translation.override("en"):
        html = Template("{% load messaging %}{% inbox_summary user %}").render(
            Context({"user": learner})
        )
    assert "/messages/notifications/" in html and "/messages/announcements/" in html
    assert "3 unread notifications" in html
    assert "1 new announcement<" in html
    assert "1 conversation with new messages" in html
    from django.contrib.auth.models import AnonymousUser

    empty = Template("{% load messaging %}{% inbox_summary user %}").render(
        Context({"user": AnonymousUser()})
    )
    assert empty.strip() == ""


def test_daily_jobs_are_scheduled():
    from fortalece.core.scheduling import registered_jobs

    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["messaging_digest"].every == "daily" and jobs["messaging_digest"].at_hour == 7
    assert jobs["messaging_reminders"].every == "daily"


def test_digest_follows_each_users_choice_and_the_defaults(users):
    learner, trainer, manager = users["learner"], users["trainer"], users["manager"]
    Preference.objects.create(user=trainer, kind=Kind.NEW_CONTENT, delivery=Delivery.OFF)
    Preference.objects.create(user=manager, kind=Kind.ANNOUNCEMENT, delivery=Delivery.DIGEST)
    notify([learner, trainer], Kind.NEW_CONTENT, "Nueva lección", "/")  # default: digest
    notify([manager], Kind.ANNOUNCEMENT, "Aviso", "/")
    assert mail.outbox == []
    assert digest_send(day=datetime.date(2026, 3, 3)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([learner.email, manager.email])
