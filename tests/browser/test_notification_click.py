"""A tap on a notification (the service worker's ``notificationclick``) focuses the app's
window already showing its URL, or opens that URL; a URL of another site, a ``javascript:``
one or none at all opens the app's start page instead, never the other site."""

from __future__ import annotations

import pytest

from fortalece.core.testing import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_learning import online_cohort, warm_up
from tests.browser.test_offline import ready

pytestmark = pytest.mark.django_db(transaction=True)

# Run inside the service worker: show a notification carrying ``data``, tap it (a
# notificationclick event dispatched on the worker with that notification), and report
# what the handler opened or focused. A script cannot open or focus windows (the browser
# allows it only on a real tap), so those two calls are recorded instead; the windows the
# handler looks among are the real ones.
TAP = """async (data) => {
    const opened = [], focused = [];
    const clients = self.clients;
    const matchAll = clients.matchAll.bind(clients);
    clients.openWindow = async (url) => { opened.push(url); return null; };
    clients.matchAll = async (options) => (await matchAll(options)).map((client) => ({
        url: client.url,
        focus: async () => { focused.push(client.url); return client; },
    }));
    const tag = "tap-" + Math.random();
    await self.registration.showNotification("Aviso", { body: "Toca", tag, data });
    const [notification] = await self.registration.getNotifications({ tag });
    const event = new NotificationEvent("notificationclick", { notification });
    let handled = Promise.resolve();
    // Only the browser's own events may be extended; this one hands the promise to us.
    Object.defineProperty(event, "waitUntil", { value: (promise) => { handled = promise; } });
    self.dispatchEvent(event);
    await handled;
    const left = (await self.registration.getNotifications({ tag })).length;
    return { opened, focused, left };
}"""


def test_a_tap_on_a_notification_opens_or_focuses_only_our_pages(phone):
    online_cohort()
    warm_up(phone)
    sign_in(phone, "itzel@example.org", PASSWORD)
    ready(phone)
    base = phone.base_url  # type: ignore[attr-defined]
    phone.context.grant_permissions(["notifications"], origin=base)
    phone.goto(base + "/learning/")
    ready(phone)
    worker = next(w for w in phone.context.service_workers if w.url.startswith(base))
    here = phone.url

    def tap(data):  # type: ignore[no-untyped-def]
        return worker.evaluate(TAP, data)

    # The page is open already: that window comes to the front, none is opened.
    assert tap({"url": here}) == {"opened": [], "focused": [here], "left": 0}
    # One of our pages not open: it opens (a relative URL is ours too).
    assert tap({"url": "/messages/notifications/"}) == {
        "opened": [base + "/messages/notifications/"],
        "focused": [],
        "left": 0,
    }
    # Anything else: the start page, never the other site.
    for data in (
        {"url": "https://evil.example/phish"},
        {"url": "//evil.example/phish"},
        {"url": "javascript:alert(1)"},
        {"url": "http://[::1"},
        {},
        None,
    ):
        result = tap(data)
        assert result["opened"] == [base + "/"], data
        assert result["focused"] == [] and result["left"] == 0, data
