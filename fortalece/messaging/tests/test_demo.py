import pytest

from fortalece.core.testing import client_for
from fortalece.demo.seed import messaging as demo
from fortalece.messaging.models import Announcement, Comment, Message, Notification, Thread

pytestmark = pytest.mark.django_db


def test_demo_seeds_announcements_messages_comments_once(online):
    learner, manager = online.users["learner"], online.users["manager"]
    learner.email, manager.email = "learner@demo.fortalece.org", "manager@demo.fortalece.org"
    learner.save()
    manager.save()
    assert demo.seed(say=lambda *_: None)
    assert Announcement.objects.count() == 2
    assert Thread.objects.filter(kind=Thread.Kind.COHORT, workshop=online.workshop).exists()
    assert Thread.objects.filter(kind=Thread.Kind.DIRECT).exists()
    assert Message.objects.count() == 4
    assert Comment.objects.filter(item=online.lesson, workshop=online.workshop).count() >= 2
    assert Notification.objects.filter(recipient=learner, read_at__isnull=True).count() == 2
    assert not demo.seed(say=lambda *_: None)  # idempotent
    assert Announcement.objects.count() == 2
    page = client_for(learner).get(f"/learning/take/items/{online.lesson.pk}/").content.decode()
    assert "¿La guía de primer contacto aplica" in page
