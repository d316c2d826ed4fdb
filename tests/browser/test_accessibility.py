"""Issue 8: the learner's pages pass axe-core with no serious or critical violation, in Spanish
and in English, on a 390×844 phone: My learning, a lesson, a quiz (its page and an attempt),
an assignment, the outbox with an answer waiting, and the offline page.

axe-core comes bundled with axe-playwright-python (no network); its results are printed and
recorded as the "accessibility" figure."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from fortalece.core.figures import record
from fortalece.core.testing import PASSWORD
from tests.browser.conftest import go, sign_in
from tests.browser.test_learning import warm_up
from tests.browser.test_offline import offline_course, ready

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = ("serious", "critical")


def _check(page: Page, axe: Axe, label: str, found: dict[str, list[str]]) -> None:
    page.wait_for_load_state("networkidle")
    results = axe.run(page)
    problems = [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
    minor = [v["id"] for v in results.response["violations"] if v["impact"] not in BLOCKING]
    print(f"axe {label}: {len(problems)} serious/critical, minor: {minor or 'none'}")
    found[label] = problems


def test_learner_pages_have_no_serious_accessibility_violations(phone):
    w = offline_course()
    warm_up(phone)
    axe = Axe()
    # The checker finds what it must (so a clean result means something).
    phone.set_content('<html lang="es"><body><main><img src="data:,"><button></button></main>')
    spotted = {v["id"] for v in axe.run(phone).response["violations"]}
    assert {"image-alt", "button-name"} <= spotted, spotted
    found: dict[str, list[str]] = {}
    sign_in(phone, "itzel@example.org", PASSWORD)
    ready(phone)
    go(phone, f"/learning/quizzes/item/{w.quiz.item.pk}/")
    phone.locator(f"form[action='/learning/quizzes/item/{w.quiz.item.pk}/start/'] button").click()
    phone.wait_for_load_state("networkidle")
    attempt = phone.url
    pages = [
        ("my-learning", "/learning/mine/"),
        ("lesson", f"/learning/take/items/{w.lesson.pk}/"),
        ("quiz", f"/learning/quizzes/item/{w.quiz.item.pk}/"),
        ("attempt", attempt.removeprefix(phone.base_url)),  # type: ignore[attr-defined]
        ("assignment", f"/learning/assignments/{w.assignment.pk}/"),
        ("offline", "/offline/"),
    ]
    for language in ("es", "en"):
        if language == "en":
            phone.get_by_role("button", name="Menú").click()
            phone.get_by_role("button", name="EN", exact=True).click()
            phone.wait_for_load_state("networkidle")
        for label, path in pages:
            go(phone, path)
            assert phone.locator("html").get_attribute("lang") == language, (label, language)
            _check(phone, axe, f"{label}-{language}", found)
        # The outbox shown with an answer waiting (offline), in the same language.
        go(phone, f"/learning/assignments/{w.assignment.pk}/")
        phone.context.set_offline(True)
        phone.locator("textarea[name=text]").fill("Sin señal.")
        phone.locator("form[data-outbox] button[type=submit]").click()
        phone.wait_for_selector("[data-outbox-banner]:not([hidden])")
        _check(phone, axe, f"outbox-{language}", found)
        phone.evaluate(
            """() => new Promise((resolve) => {
                const open = indexedDB.open("fortalece-outbox", 1);
                open.onsuccess = () => {
                    const t = open.result.transaction("items", "readwrite");
                    t.objectStore("items").clear();
                    t.oncomplete = () => resolve(true);
                };
            })"""
        )
        phone.context.set_offline(False)
    record(
        "accessibility",
        pages=len(found),
        serious_or_critical=sum(len(v) for v in found.values()),
        checker="axe-core (axe-playwright-python)",
    )
    assert {label: v for label, v in found.items() if v} == {}
