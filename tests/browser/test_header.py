"""The site header: one row on a desktop (1280 and 1024 px) for the roles with the longest
menus, its menus open and close with the keyboard, and on a 390-px phone the Menu button shows
every entry without the page growing wider than the screen."""

import pytest

from fortalece.accounts.models import Role
from fortalece.core.testing import PASSWORD, make_user
from fortalece.geography.tests.factories import CountryFactory
from tests.browser.conftest import go, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = """() => new Set([...document.querySelectorAll('.mainnav__list > li')]
    .map(e => Math.round(e.getBoundingClientRect().top))).size"""
HEIGHT = "(selector) => document.querySelector(selector).getBoundingClientRect().height"
WIDER = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER])
def test_the_header_is_one_row_on_a_desktop(desktop, role):
    scope = {} if role == Role.ADMINISTRATOR else {"country": CountryFactory()}
    make_user(role, email="staff@example.org", **scope)
    sign_in(desktop, "staff@example.org", PASSWORD)
    for width, height in ((1280, 800), (1024, 768)):
        desktop.set_viewport_size({"width": width, "height": height})
        go(desktop, "/")
        assert desktop.evaluate(ROWS) == 1, f"{role} at {width} px"
        assert desktop.evaluate(HEIGHT, ".topbar") < 70
        assert not desktop.evaluate(WIDER)
        desktop.get_by_text("Reports", exact=True).click()
        shot(desktop, f"header-{role}-{width}-reports-open")
        desktop.locator(".navmenu--account summary").click()
        sign_out = desktop.get_by_role("button", name="Sign out")
        assert sign_out.is_visible()
        assert desktop.evaluate(HEIGHT, "[data-signout] button") < 48  # one line
        shot(desktop, f"header-{role}-{width}-account-open")


def test_the_header_menus_work_with_the_keyboard(desktop):
    make_user(Role.ADMINISTRATOR, email="admin@example.org")
    sign_in(desktop, "admin@example.org", PASSWORD)
    go(desktop, "/reports/saved/")
    reports = desktop.locator(".mainnav__group details").first
    assert reports.locator("summary.is-current").count() == 1
    reports.locator("summary").focus()
    desktop.keyboard.press("Enter")
    assert reports.evaluate("d => d.open")
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("document.activeElement.textContent.trim()") == "Indicators"
    desktop.keyboard.press("Escape")
    assert not reports.evaluate("d => d.open")
    assert desktop.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_the_phone_menu_shows_every_entry_within_the_screen(phone):
    make_user(Role.PROGRAMME_MANAGER, email="manager@example.org", country=CountryFactory())
    sign_in(phone, "manager@example.org", PASSWORD)
    go(phone, "/")
    phone.click("[data-menu-toggle]")
    for name in ("Indicadores", "Personas", "Calificar", "Seguridad de acceso"):
        assert phone.get_by_role("link", name=name, exact=True).is_visible()
    assert phone.get_by_role("button", name="Cerrar sesión").is_visible()
    assert not phone.evaluate(WIDER)
    shot(phone, "header-phone-menu-open-es")
