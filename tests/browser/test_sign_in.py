import pytest

from fortalece.accounts.models import Role
from fortalece.core.testing import PASSWORD, make_user
from tests.browser.conftest import go, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_and_out_on_a_phone(phone):
    make_user(Role.ADMINISTRATOR, email="admin@example.org")
    go(phone, "/")
    assert "/accounts/login/" in phone.url
    shot(phone, "sign-in-phone-es")

    sign_in(phone, "admin@example.org", PASSWORD)
    assert phone.url.rstrip("/").endswith(
        phone.base_url.rstrip("/").split("//")[1]
    ) or phone.url.endswith("/")
    shot(phone, "home-phone-es")

    phone.click("[data-menu-toggle]")
    phone.get_by_role("button", name="Cerrar sesión").click()
    phone.wait_for_load_state("networkidle")
    assert "/accounts/" in phone.url


def test_wrong_password_shows_a_clear_error_in_english(desktop):
    make_user(Role.ADMINISTRATOR, email="admin@example.org")
    sign_in(desktop, "admin@example.org", "not the password")
    assert "/accounts/login/" in desktop.url
    assert desktop.locator(".form-errors").is_visible()
    shot(desktop, "sign-in-error-desktop-en")


def test_language_switcher_changes_the_interface(desktop):
    go(desktop, "/accounts/login/")
    desktop.get_by_role("button", name="ES").click()
    desktop.wait_for_load_state("networkidle")
    assert desktop.locator("html").get_attribute("lang") == "es"
