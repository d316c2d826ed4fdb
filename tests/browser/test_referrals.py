"""Issue #11 in Chromium: the officer's search on a phone with a mocked location, and the public
help page (quick exit replaces the history entry, nothing from another origin, no cookie, works
without JavaScript)."""

from urllib.parse import urlsplit

import pytest

from fortalece.accounts.models import Role
from fortalece.core.testing import PASSWORD, make_user
from fortalece.geography.tests.factories import CountryFactory, SubdivisionFactory
from fortalece.people.tests.factories import PersonFactory
from fortalece.referrals.models import Service
from tests.browser.conftest import PHONE, go, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NEUTRAL = "https://www.google.com/search?q=clima"


@pytest.fixture
def directory():
    mexico = CountryFactory(code="MX")
    roo = SubdivisionFactory(country=mexico, code="MX-ROO", name="Quintana Roo")
    common = {"country": mexico, "subdivision": roo, "is_demo": True}
    Service.objects.create(
        name="(demo) Centro de Justicia de Cancún",
        kind=Service.Kind.JUSTICE_CENTRE,
        latitude=21.1619,
        longitude=-86.8515,
        phone="998 000 0201",
        whatsapp="+52 998 000 0202",
        open_24h=True,
        **common,
    )
    Service.objects.create(
        name="(demo) Centro lejano",
        kind=Service.Kind.JUSTICE_CENTRE,
        latitude=21.30,
        longitude=-86.90,
        phone="998 000 0299",
        open_24h=True,
        **common,
    )
    Service.objects.create(
        name="(demo) Hospital",
        kind=Service.Kind.HEALTH,
        latitude=21.1620,
        longitude=-86.8516,
        phone="998 000 0221",
        open_24h=True,
        **common,
    )
    return roo


def test_officer_finds_the_nearest_open_service_from_the_phone_location(phone, directory):
    officer = PersonFactory(given_names="Luis", family_names="Policía Pérez")
    make_user(Role.LEARNER, email="officer@example.org", person=officer)
    phone.context.grant_permissions(["geolocation"], origin=phone.base_url)  # type: ignore[attr-defined]
    phone.context.set_geolocation({"latitude": 21.1600, "longitude": -86.8500})
    sign_in(phone, "officer@example.org", PASSWORD)
    go(phone, "/referrals/")
    assert phone.viewport_size == PHONE
    phone.select_option("select[name=kind]", "justice_centre")
    button = phone.get_by_role("button", name="Usar la ubicación de este teléfono")
    assert button.is_visible()
    shot(phone, "referrals-search-phone-es")
    button.click()
    phone.wait_for_url(lambda url: "?s=" in url)
    assert "21.16" not in phone.url  # the location is not in the address
    results = phone.locator(".results__list .result__name")
    assert results.first.inner_text().startswith("(demo) Centro de Justicia de Cancún")
    assert results.count() == 2  # the hospital is another type
    first = phone.locator(".results__list .result").first
    assert first.locator("a[href='tel:9980000201']").is_visible()
    assert first.locator("a[href='https://wa.me/529980000202']").count() == 1
    assert "Abierto ahora" in first.inner_text()
    assert "km" in first.inner_text() or " m" in first.inner_text()
    # The list fits the phone's width (nothing to scroll sideways).
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    shot(phone, "referrals-results-phone-es")
    # A referral card in English for a foreign tourist.
    first.locator("input[name=s]").check()
    phone.select_option("#card-lang", "en")
    phone.get_by_role("button", name="Mostrar la tarjeta").click()
    phone.wait_for_load_state("networkidle")
    assert "Where to get help" in phone.content()
    assert phone.get_by_role("button", name="Print").is_visible()
    assert "(demo) Centro de Justicia de Cancún" in phone.content()
    shot(phone, "referrals-card-phone-en")


def _neutral_site(context):
    context.route(
        "https://www.google.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>clima</p>"),
    )


def test_quick_exit_replaces_the_history_entry(phone, directory):
    _neutral_site(phone.context)
    go(phone, "/help/poster/")  # some page before: "back" must land there, not on /help/
    go(phone, "/help/")
    shot(phone, "help-phone-es")
    phone.get_by_role("link", name="Salir de esta página").click()
    phone.wait_for_url(NEUTRAL)
    phone.go_back()
    phone.wait_for_load_state()
    assert urlsplit(phone.url).path == "/help/poster/"
    # The Escape key does the same.
    go(phone, "/help/")
    phone.keyboard.press("Escape")
    phone.wait_for_url(NEUTRAL)
    phone.go_back()
    phone.wait_for_load_state()
    assert urlsplit(phone.url).path != "/help/"


def test_help_page_asks_nothing_of_another_origin_and_sets_no_cookie(phone, directory):
    requests: list[str] = []
    phone.on("request", lambda request: requests.append(request.url))
    go(phone, f"/help/?state={directory.pk}")
    phone.wait_for_load_state("networkidle")
    go(phone, f"/help/?lang=en&state={directory.pk}")
    phone.wait_for_load_state("networkidle")
    assert "(demo) Centro de Justicia de Cancún" in phone.content()
    origin = urlsplit(phone.base_url).netloc  # type: ignore[attr-defined]
    others = [url for url in requests if urlsplit(url).netloc not in (origin, "")]
    assert not others, others
    assert phone.context.cookies() == []
    shot(phone, "help-services-phone-en")


def test_help_page_works_without_javascript(browser, live_server, directory):
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=False, locale="es-MX", is_mobile=True
    )
    _neutral_site(context)
    page = context.new_page()
    page.goto(live_server.url + "/help/")
    assert page.get_by_role("heading", name="Ayuda si has vivido violencia").is_visible()
    page.select_option("#state", str(directory.pk))
    page.get_by_role("button", name="Ver servicios").click()
    page.wait_for_load_state()
    assert "(demo) Centro de Justicia de Cancún" in page.content()
    assert page.locator("a[href='tel:9980000201']").count() == 1
    # Without JavaScript the quick exit is a plain link that still leaves.
    page.get_by_role("link", name="Salir de esta página").click()
    page.wait_for_url(NEUTRAL)
    assert context.cookies() == []
    context.close()


def test_state_pathways_and_directory_open_offline_after_one_visit(phone, directory):
    from fortalece.referrals.models import Pathway, PathwayStep
    from tests.browser.conftest import SCREENSHOTS

    pathway = Pathway.objects.create(
        country=directory.country, subdivision=directory, case_kind="foreign_tourist"
    )
    PathwayStep.objects.create(
        pathway=pathway, order=1, action="Llame a una intérprete.", never="Nunca la deje sola."
    )
    officer = PersonFactory(given_names="Ana", family_names="Recepción")
    make_user(Role.LEARNER, email="hotel@example.org", person=officer)
    sign_in(phone, "hotel@example.org", PASSWORD)
    go(phone, f"/referrals/?subdivision={directory.pk}")
    phone.wait_for_selector("html[data-offline-ready='true']", state="attached")
    assert phone.locator("[data-offline-status]").is_visible()
    shot(phone, "referrals-offline-ready-phone-es")
    phone.context.set_offline(True)
    try:
        go(phone, pathway.get_absolute_url())
        assert "Nunca la deje sola." in phone.content()
        go(phone, f"/referrals/directory/?subdivision={directory.pk}")
        assert "(demo) Centro de Justicia de Cancún" in phone.content()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOTS / "referrals-offline-directory-phone-es.png"))
    finally:
        phone.context.set_offline(False)


def test_public_page_and_poster_pass_an_accessibility_check(browser, live_server, directory):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=PHONE, locale="es-MX", bypass_csp=True)
    page = context.new_page()
    axe = Axe()
    for path in (f"/help/?state={directory.pk}", "/help/?lang=en", "/help/poster/"):
        page.goto(live_server.url + path)
        results = axe.run(page)
        assert results.response["passes"], "axe did not run"
        serious = [
            v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert not serious, (path, [(v["id"], v["help"]) for v in serious])
    # The officer's pages too.
    officer = PersonFactory(given_names="Rita", family_names="Agente")
    make_user(Role.LEARNER, email="agente@example.org", person=officer)
    page.base_url = live_server.url  # type: ignore[attr-defined]
    sign_in(page, "agente@example.org", PASSWORD)
    for path in (f"/referrals/?subdivision={directory.pk}&kind=", "/referrals/directory/"):
        page.goto(live_server.url + path)
        results = axe.run(page)
        serious = [
            v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert not serious, (path, [(v["id"], v["help"], v["nodes"][0]["html"]) for v in serious])
    context.close()


def test_state_manager_keeps_the_directory_and_writes_a_pathway(desktop, directory):
    from fortalece.referrals.models import Pathway

    make_user(Role.PROGRAMME_MANAGER, email="roo@example.org", subdivision=directory)
    page = desktop
    sign_in(page, "roo@example.org", PASSWORD)
    go(page, "/referrals/directory/")
    page.get_by_role("link", name="New service").click()
    page.fill("#id_name", "(demo) Night shelter, Cancún")
    page.select_option("#id_kind", "shelter")
    page.select_option("#id_subdivision", str(directory.pk))
    page.fill("#id_phone", "998 000 0999")
    page.select_option("#id_hours-0-weekday", "4")
    page.fill("#id_hours-0-opens", "20:00")
    page.fill("#id_hours-0-closes", "06:00")
    shot(page, "referrals-service-form-desktop-en")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert "Friday: 20:00–06:00 (next day)" in page.content()
    page.get_by_role("button", name="Mark verified today").click()
    page.wait_for_load_state("networkidle")
    assert "Marked as verified today." in page.content()
    shot(page, "referrals-service-detail-desktop-en")

    go(page, "/referrals/pathways/new/")
    page.select_option("#id_subdivision", str(directory.pk))
    page.select_option("#id_case_kind", "foreign_tourist")
    page.get_by_role("button", name="Create and write the steps").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_steps-0-order", "1")
    page.fill("#id_steps-0-action", "Call an interpreter.")
    page.fill("#id_steps-0-never", "Never ask her to leave the hotel.")
    page.get_by_label("(demo) Night shelter, Cancún").first.check()
    shot(page, "referrals-pathway-form-desktop-en")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert "Never ask her to leave the hotel." in page.content()
    assert Pathway.objects.get().steps.get().services.count() == 1
    shot(page, "referrals-pathway-detail-desktop-en")
