import pytest
from django.core import mail
from django.urls import reverse

from fortalece.core.testing import client_for
from fortalece.messaging.models import Kind, Message, Notification, Thread

pytestmark = pytest.mark.django_db


def _open_direct(client, other):
    response = client.post(reverse("messaging:thread_new"), {"to": other.pk})
    assert response.status_code == 302
    return Thread.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_learner_writes_to_their_trainer(online):
    learner, trainer = online.users["learner"], online.users["trainer"]
    client = client_for(learner)
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    assert f'value="{trainer.pk}"' in inbox
    assert f'value="{online.users["other_trainer"].pk}"' not in inbox
    thread = _open_direct(client, trainer)
    assert _open_direct(client, trainer) == thread  # one conversation per pair
    url = reverse("messaging:thread", args=[thread.pk])
    assert client.post(url, {"body": "Buenas tardes, ¿hay prórroga?"}).status_code == 302
    row = Notification.objects.get(recipient=trainer, kind=Kind.MESSAGE)
    assert row.url == url
    assert len(mail.outbox) == 1
    # A second message before the trainer reads: still one notice in the bell.
    client.post(url, {"body": "Gracias"})
    assert Notification.objects.filter(recipient=trainer).count() == 1
    trainer_client = client_for(trainer)
    page = trainer_client.get(url).content.decode()
    assert "¿hay prórroga?" in page
    assert not Notification.objects.filter(recipient=trainer, read_at__isnull=True).exists()


def test_nobody_else_reads_a_direct_conversation(online):
    thread = _open_direct(client_for(online.users["learner"]), online.users["trainer"])
    url = reverse("messaging:thread", args=[thread.pk])
    for name in ("other_learner", "other_trainer", "manager", "admin"):
        assert client_for(online.users[name]).get(url).status_code == 404, name
        assert client_for(online.users[name]).post(url, {"body": "x"}).status_code == 404, name
    assert not Message.objects.exists()


def test_a_learner_cannot_write_to_a_stranger(online):
    client = client_for(online.users["learner"])
    response = client.post(
        reverse("messaging:thread_new"), {"to": online.users["other_learner"].pk}
    )
    assert response.status_code == 302 and response["Location"] == reverse("messaging:inbox")
    assert not Thread.objects.exists()


def test_cohort_discussion_is_for_the_cohort_and_moderated_by_its_trainer(online):
    learner = client_for(online.users["learner"])
    response = learner.get(reverse("messaging:cohort_thread", args=[online.workshop.pk]))
    assert response.status_code == 302
    thread = Thread.objects.get(kind=Thread.Kind.COHORT)
    url = reverse("messaging:thread", args=[thread.pk])
    learner.post(url, {"body": "Hola a todas"})
    message = Message.objects.get()
    assert Notification.objects.filter(recipient=online.users["trainer"]).exists()
    assert not Notification.objects.filter(recipient=online.users["other_learner"]).exists()
    other = client_for(online.users["other_learner"])
    assert (
        other.get(reverse("messaging:cohort_thread", args=[online.workshop.pk])).status_code == 404
    )
    assert other.get(url).status_code == 404
    hide = reverse("messaging:message_hide", args=[message.pk])
    assert learner.post(hide).status_code == 403
    assert client_for(online.users["other_trainer"]).post(hide).status_code == 404
    assert client_for(online.users["trainer"]).post(hide).status_code == 302
    message.refresh_from_db()
    assert message.hidden_at is not None
    assert "Hola a todas" not in other.get(url).content.decode()
    member = client_for(online.users["learner"])
    member_view = client_for(online.users["manager"]).get(url)
    assert member_view.status_code == 200  # a manager in scope moderates
    assert member.get(url).status_code == 200


def test_message_script_is_escaped(online):
    client = client_for(online.users["learner"])
    thread = _open_direct(client, online.users["trainer"])
    url = reverse("messaging:thread", args=[thread.pk])
    client.post(url, {"body": "<script>alert(1)</script>\n<b onmouseover=x>hola</b>"})
    page = client_for(online.users["trainer"]).get(url).content.decode()
    assert "<script>alert(1)" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_message_rate_limit(online, settings):
    settings.FORTALECE_MESSAGE_RATE = "3/m"
    client = client_for(online.users["learner"])
    thread = _open_direct(client, online.users["trainer"])
    url = reverse("messaging:thread", args=[thread.pk])
    for n in range(3):
        assert client.post(url, {"body": f"mensaje {n}"}).status_code == 302
    limited = client.post(url, {"body": "el cuarto"})
    assert limited.status_code == 429
    assert "el cuarto" in limited.content.decode()
    assert Message.objects.count() == 3
