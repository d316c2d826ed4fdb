"""Web push reaches an installed app: the service worker shows a push's {title, body, url} as a
notification (the notifications app sends them with pywebpush); a URL of another site is never
opened from a notification."""

from __future__ import annotations

import json

import pytest

from fortalece.core.testing import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_learning import online_cohort, warm_up
from tests.browser.test_offline import ready

pytestmark = pytest.mark.django_db(transaction=True)

SHOWN = """async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => [n.title, n.body, n.data.url]);
}"""


def test_a_push_becomes_a_notification_that_opens_our_page(phone):
    online_cohort()
    warm_up(phone)
    sign_in(phone, "itzel@example.org", PASSWORD)
    ready(phone)
    base = phone.base_url  # type: ignore[attr-defined]
    phone.context.grant_permissions(["notifications"], origin=base)
    cdp = phone.context.new_cdp_session(phone)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(
        e["registrations"]))  # fmt: skip
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if registrations:
            break
        phone.wait_for_timeout(100)
    registration = next(r for r in registrations if r["scopeURL"].startswith(base))
    for payload in (
        {"title": "Nueva calificación", "body": "Análisis de un caso: 9/10", "url": "/learning/"},
        {"title": "Aviso", "body": "Enlace ajeno", "url": "https://evil.example/phish"},
    ):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": base,
                "registrationId": registration["registrationId"],
                "data": json.dumps(payload),
            },
        )
    shown: list = []
    for _ in range(50):
        shown = phone.evaluate(SHOWN)
        if len(shown) == 2:
            break
        phone.wait_for_timeout(100)
    assert sorted(map(tuple, shown)) == [
        ("Aviso", "Enlace ajeno", base + "/"),
        ("Nueva calificación", "Análisis de un caso: 9/10", base + "/learning/"),
    ]
