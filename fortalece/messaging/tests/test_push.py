import json
from unittest import mock

import pytest
from django.urls import reverse

from fortalece.core.testing import client_for
from fortalece.messaging.models import Kind, PushSubscription
from fortalece.messaging.notify import notify

pytestmark = pytest.mark.django_db

SUBSCRIPTION = {
    "endpoint": "https://push.example.net/send/abc123",
    "keys": {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1X"
        "bjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    },
}


@pytest.fixture
def vapid(settings):
    settings.FORTALECE_VAPID_PUBLIC_KEY = "BPublicKeyForTests"
    settings.FORTALECE_VAPID_PRIVATE_KEY = "private-key-for-tests"
    return settings


def _subscribe(client, data=SUBSCRIPTION):
    return client.post(
        reverse("messaging:push_subscribe"), json.dumps(data), content_type="application/json"
    )


def test_push_is_off_without_keys(users):
    client = client_for(users["learner"])
    assert _subscribe(client).status_code == 404
    assert not PushSubscription.objects.exists()
    page = client.get(reverse("messaging:preferences")).content.decode()
    assert "data-push-button" not in page


def test_subscribe_stores_the_browser(users, vapid):
    client = client_for(users["learner"])
    page = client.get(reverse("messaging:preferences")).content.decode()
    assert "data-push-button" in page and 'data-key="BPublicKeyForTests"' in page
    assert _subscribe(client).status_code == 201
    assert _subscribe(client).status_code == 201  # the same browser again: one row
    row = PushSubscription.objects.get()
    assert row.user == users["learner"] and row.auth == SUBSCRIPTION["keys"]["auth"]
    assert _subscribe(client, {"endpoint": "http://insecure"}).status_code == 400
    assert (
        _subscribe(
            client, {"endpoint": "javascript:x", "keys": {"p256dh": "a", "auth": "b"}}
        ).status_code
        == 400
    )


def test_subscribe_needs_the_csrf_token(users, vapid):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["learner"])
    assert _subscribe(client).status_code == 403


def test_notification_sends_push_payload_of_the_service_workers_shape(users, vapid):
    PushSubscription.objects.create(
        user=users["learner"], endpoint=SUBSCRIPTION["endpoint"], p256dh="p", auth="a"
    )
    with mock.patch("pywebpush.webpush") as webpush:
        notify([users["learner"]], Kind.GRADE, "Tu tarea tiene calificación", "/learning/mine/")
    assert webpush.call_count == 1
    kwargs = webpush.call_args.kwargs
    assert kwargs["subscription_info"]["endpoint"] == SUBSCRIPTION["endpoint"]
    assert kwargs["vapid_private_key"] == "private-key-for-tests"
    payload = json.loads(kwargs["data"])
    assert set(payload) == {"title", "body", "url"}
    assert payload["body"] == "Tu tarea tiene calificación" and payload["url"] == "/learning/mine/"
    assert PushSubscription.objects.get().last_sent_at is not None


@pytest.mark.parametrize(("status", "kept"), [(410, False), (404, False), (500, True)])
def test_expired_subscriptions_are_deleted(users, vapid, status, kept):
    from pywebpush import WebPushException

    PushSubscription.objects.create(
        user=users["learner"], endpoint=SUBSCRIPTION["endpoint"], p256dh="p", auth="a"
    )
    error = WebPushException("gone", response=mock.Mock(status_code=status))
    with mock.patch("pywebpush.webpush", side_effect=error):
        notify([users["learner"]], Kind.GRADE, "x", "/")
    assert PushSubscription.objects.exists() is kept


def test_no_push_for_kinds_turned_off(users, vapid):
    from fortalece.messaging.models import Delivery, Preference

    Preference.objects.create(user=users["learner"], kind=Kind.GRADE, delivery=Delivery.OFF)
    PushSubscription.objects.create(
        user=users["learner"], endpoint=SUBSCRIPTION["endpoint"], p256dh="p", auth="a"
    )
    with mock.patch("pywebpush.webpush") as webpush:
        notify([users["learner"]], Kind.GRADE, "x", "/")
    assert webpush.call_count == 0
