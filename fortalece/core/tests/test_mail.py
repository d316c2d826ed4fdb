"""Mail leaves through the worker: a page never waits for, or fails with, the mail server."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django_tasks import default_task_backend

from fortalece.core import mail as queued_mail
from fortalece.core.testing import make_user

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class BrokenBackend:
    """A mail server that is down."""

    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def queued(settings):
    settings.EMAIL_BACKEND = "fortalece.core.mail.QueuedEmailBackend"
    settings.FORTALECE_EMAIL_DELIVERY_BACKEND = LOCMEM
    return settings


def test_queued_backend_delivers_through_the_configured_backend(queued):
    message = EmailMultiAlternatives(
        "Recordatorio", "Texto", "from@example.org", ["a@example.org"], cc=["c@example.org"]
    )
    message.attach_alternative("<p>Texto</p>", "text/html")
    message.attach("notas.txt", b"\xc3\xb1", "text/plain")
    assert message.send() == 1
    [sent] = mail.outbox
    assert sent.subject == "Recordatorio"
    assert sent.to == ["a@example.org"] and sent.cc == ["c@example.org"]
    assert sent.alternatives[0][0] == "<p>Texto</p>"
    assert sent.attachments[0][0] == "notas.txt"
    assert sent.attachments[0][1] in (b"\xc3\xb1", "ñ")


def test_message_without_recipients_is_not_queued(queued):
    assert send_mail("s", "b", "from@example.org", []) == 0
    assert mail.outbox == []


def test_password_reset_answers_normally_when_the_mail_server_is_down(queued, client):
    queued.FORTALECE_EMAIL_DELIVERY_BACKEND = f"{__name__}.BrokenBackend"
    make_user("learner", email="olvido@example.org")
    response = client.post("/accounts/password/reset/", {"email": "olvido@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_failed_delivery_is_retried_later_with_a_delay(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.FORTALECE_EMAIL_DELIVERY_BACKEND = f"{__name__}.BrokenBackend"
    message = queued_mail.message_to_dict(
        EmailMultiAlternatives("s", "b", "from@example.org", ["a@example.org"])
    )
    default_task_backend.clear()
    assert queued_mail.send_email.call(message, 1) == 0
    [retry] = default_task_backend.results
    assert retry.args == [message, 2] or retry.args == (message, 2)
    assert retry.task.run_after is not None


def test_delivery_gives_up_after_the_last_retry(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.FORTALECE_EMAIL_DELIVERY_BACKEND = f"{__name__}.BrokenBackend"
    message = queued_mail.message_to_dict(
        EmailMultiAlternatives("s", "b", "from@example.org", ["a@example.org"])
    )
    last = len(queued_mail.RETRY_DELAYS_MINUTES) + 1
    with pytest.raises(ConnectionRefusedError):
        queued_mail.send_email.call(message, last)
