import pytest
from django.core import mail
from django.urls import reverse

from fortalece.core.testing import client_for
from fortalece.messaging.models import Announcement, Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Post the announcement form; its notifications leave once committed (as in a real
    request), so the commit callbacks run."""

    def post(client, name, pk, body="<p>Mañana hay sesión en línea.</p>", title="Sesión de dudas"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse(f"messaging:{name}", args=[pk]), {"title": title, "body": body}
            )

    return post


def test_trainer_announces_to_their_cohort_learner_gets_bell_and_email(online, send):
    trainer = client_for(online.users["trainer"])
    response = send(trainer, "announce_cohort", online.workshop.pk)
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.workshop == online.workshop and announcement.recipient_count == 1
    learner = online.users["learner"]
    assert Notification.objects.filter(recipient=learner, kind=Kind.ANNOUNCEMENT).count() == 1
    assert not Notification.objects.filter(recipient=online.users["other_learner"]).exists()
    assert [m.to for m in mail.outbox] == [[learner.email]]
    client = client_for(learner)
    page = client.get(reverse("core:home"), follow=True).content.decode()  # My learning
    assert 'class="bell__count" aria-hidden="true">1<' in page
    detail = client.get(reverse("messaging:announcement", args=[announcement.pk]))
    assert "Mañana hay sesión en línea." in detail.content.decode()
    # Opening it reads its notification.
    assert not Notification.objects.filter(recipient=learner, read_at__isnull=True).exists()


def test_course_announcement_reaches_every_cohort(online, send):
    manager = client_for(online.users["manager"])
    assert send(manager, "announce_course", online.course.pk).status_code == 302
    reached = set(Notification.objects.values_list("recipient", flat=True))
    assert online.users["learner"].pk in reached
    assert online.users["other_learner"].pk in reached
    assert online.users["other_trainer"].pk in reached


def test_programme_announcement_needs_a_programme_manager(online, send):
    assert send(
        client_for(online.users["trainer"]), "announce_programme", online.programme.pk
    ).status_code in (403, 404)
    assert (
        send(
            client_for(online.users["manager"]), "announce_programme", online.programme.pk
        ).status_code
        == 302
    )


def test_who_may_announce_to_a_cohort(online, send):
    for name in ("other_trainer", "learner", "other_manager", "donor"):
        response = send(client_for(online.users[name]), "announce_cohort", online.workshop.pk)
        assert response.status_code in (403, 404), name
    assert not Announcement.objects.exists()


def test_learners_see_only_announcements_for_them(online, send):
    send(client_for(online.users["other_trainer"]), "announce_cohort", online.other_cohort.pk)
    announcement = Announcement.objects.get()
    learner = client_for(online.users["learner"])
    assert learner.get(reverse("messaging:announcement", args=[announcement.pk])).status_code == 404
    assert "Sesión de dudas" not in learner.get(reverse("messaging:announcements")).content.decode()
    other = client_for(online.users["other_learner"])
    assert other.get(reverse("messaging:announcement", args=[announcement.pk])).status_code == 200


def test_announcement_script_is_sanitised(online, send):
    trainer = client_for(online.users["trainer"])
    send(
        trainer,
        "announce_cohort",
        online.workshop.pk,
        body='<p>Hola</p><script>alert(1)</script><img src=x onerror="alert(2)">',
    )
    announcement = Announcement.objects.get()
    assert "<script" not in announcement.body and "onerror" not in announcement.body
    page = (
        client_for(online.users["learner"])
        .get(reverse("messaging:announcement", args=[announcement.pk]))
        .content.decode()
    )
    assert "<script>alert(1)" not in page and "onerror" not in page
    assert "Hola" in page
    # The title is escaped everywhere it appears.
    send(trainer, "announce_cohort", online.workshop.pk, "<p>x</p>", "<script>alert(3)</script>")
    listing = (
        client_for(online.users["learner"]).get(reverse("messaging:announcements")).content.decode()
    )
    assert "<script>alert(3)" not in listing and "&lt;script&gt;alert(3)" in listing
    notifications = (
        client_for(online.users["learner"]).get(reverse("messaging:notifications")).content.decode()
    )
    assert "<script>alert(3)" not in notifications


def test_author_deletes_their_announcement_a_learner_cannot(online, send):
    send(client_for(online.users["trainer"]), "announce_cohort", online.workshop.pk)
    announcement = Announcement.objects.get()
    url = reverse("messaging:announcement_delete", args=[announcement.pk])
    assert client_for(online.users["learner"]).post(url).status_code in (403, 404)
    assert client_for(online.users["trainer"]).post(url).status_code == 302
    assert not Announcement.objects.exists()


def test_paragraphs_typed_in_the_plain_box_stay_paragraphs(online):
    from fortalece.messaging.services import announcement_create

    made = announcement_create(
        author=online.users["trainer"],
        title="Aviso",
        body="Primero.\n\nSegundo & último.",
        workshop=online.workshop,
    )
    assert made.body.count("<p>") == 2 and "Primero." in made.body
