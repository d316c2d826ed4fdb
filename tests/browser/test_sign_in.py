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


def test_a_passkey_set_up_on_a_phone_signs_in_the_next_time(phone):
    """Chromium's virtual authenticator (DevTools' WebAuthn domain) stands in for the phone's
    screen lock: the real browser API, the real ceremony, the server's real checks."""
    from fortalece.accounts.models import Passkey, TOTPDevice

    user = make_user(Role.ADMINISTRATOR, email="admin@example.org")
    TOTPDevice.objects.filter(user=user).delete()
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(phone, "admin@example.org", PASSWORD)
    assert "/accounts/mfa/setup/" in phone.url
    phone.get_by_role("link", name="use una llave de acceso", exact=False).click()
    phone.fill("#passkey-name", "Teléfono del turno")
    shot(phone, "passkey-add-phone-es")
    phone.get_by_role("button", name="Agregar una llave de acceso").click()
    phone.wait_for_url("**/accounts/mfa/recovery-codes/")
    assert phone.locator("ul.codes li").count() == 10
    assert Passkey.objects.get(user=user).name == "Teléfono del turno"

    phone.context.clear_cookies()
    go(phone, "/accounts/login/")
    phone.fill("input[name=login]", "admin@example.org")
    phone.fill("input[name=password]", PASSWORD)
    phone.locator("main form button[type=submit]").first.click()
    phone.wait_for_url("**/accounts/mfa/code/**")
    shot(phone, "passkey-verify-phone-es")
    phone.get_by_role("button", name="Usar mi llave de acceso").click()
    phone.wait_for_url(lambda url: "/accounts/" not in url)
    assert Passkey.objects.get(user=user).last_used_at is not None
