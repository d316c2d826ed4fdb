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


def test_chromium_finds_the_app_installable(phone):
    online_cohort()
    warm_up(phone)
    sign_in(phone, "itzel@example.org", PASSWORD)
    ready(phone)
    phone.reload()  # controlled by the worker from the start
    cdp = phone.context.new_cdp_session(phone)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito profiles, where nothing installs: the one error
    # that is about the browser, not the app.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and not manifest["errors"]


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
    payloads = [
        {"title": "Nueva calificación", "body": "Análisis de un caso: 9/10", "url": "/learning/"},
        {"title": "Aviso", "body": "Enlace ajeno", "url": "https://evil.example/phish"},
    ]
    shown: list = []
    for count, payload in enumerate(payloads, start=1):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": base,
                "registrationId": registration["registrationId"],
                "data": json.dumps(payload),
            },
        )
        for _ in range(100):
            shown = phone.evaluate(SHOWN)
            if len(shown) >= count:
                break
            phone.wait_for_timeout(100)
    assert sorted(map(tuple, shown)) == [
        ("Aviso", "Enlace ajeno", base + "/"),
        ("Nueva calificación", "Análisis de un caso: 9/10", base + "/learning/"),
    ]
