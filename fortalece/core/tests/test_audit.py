import pytest
from django.test import Client

from fortalece.core.models import AuditEvent
from fortalece.core.testing import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db


def test_successful_and_failed_sign_ins_are_logged_without_the_email():
    user = make_user("administrator", email="stacy@example.org")
    client = Client()
    client.post("/accounts/login/", {"login": "stacy@example.org", "password": "wrong password!"})
    client.post("/accounts/login/", {"login": "stacy@example.org", "password": PASSWORD})

    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["login_failed", "login"]
    failed = AuditEvent.objects.get(kind="login_failed")
    assert "stacy" not in str(failed.detail)
    assert failed.ip_address == "127.0.0.1"
    assert AuditEvent.objects.get(kind="login").user == user


def test_refused_access_is_logged():
    learner = make_user("learner")
    response = client_for(learner).get("/users/")
    assert response.status_code == 403
    event = AuditEvent.objects.get(kind="access_denied")
    assert event.user == learner
    assert event.path == "/users/"
