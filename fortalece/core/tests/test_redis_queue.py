"""Background work on Redis (RQ) when REDIS_URL is configured: a task enqueued through the
task API is run by an RQ worker, and a delayed retry is scheduled, not lost.

Needs a Redis server: CI sets FORTALECE_TEST_REDIS_URL (.ci/run); elsewhere these tests are
skipped with that reason.
"""

import os

import pytest
from django.core import mail
from django.core.mail import EmailMessage

REDIS_URL = os.environ.get("FORTALECE_TEST_REDIS_URL", "")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not REDIS_URL, reason="set FORTALECE_TEST_REDIS_URL (CI does)"),
]


@pytest.fixture
def rq_settings(settings):
    import django_rq.queues

    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.EMAIL_BACKEND = "fortalece.core.mail.QueuedEmailBackend"
    settings.FORTALECE_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queue = django_rq.queues.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def test_mail_is_queued_in_redis_and_delivered_by_an_rq_worker(rq_settings):
    from django_rq import get_worker
    from django_tasks_rq import Job
    from rq import SimpleWorker  # runs the job in this process, so the outbox is ours

    EmailMessage("Aviso", "Texto", "from@example.org", ["a@example.org"]).send()
    assert rq_settings.count == 1
    assert mail.outbox == []
    get_worker("default", job_class=Job, worker_class=SimpleWorker).work(burst=True)
    assert [m.subject for m in mail.outbox] == ["Aviso"]
