"""Browser tests: Playwright (Python) driving Debian's Chromium against Django's live server.

Screenshots of every page a journey visits go to ``test-artifacts/screenshots/`` so that people
can look at them (CI keeps the folder).
"""

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make to
# set up data are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("FORTALECE_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium (Debian's package)."
        )
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


def _context(
    browser: Browser, viewport: dict[str, int], locale: str, mobile: bool
) -> BrowserContext:
    context = browser.new_context(
        viewport=viewport,
        locale=locale,
        is_mobile=mobile,
        has_touch=mobile,
        extra_http_headers={"Accept-Language": locale},
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    """A phone-sized page in Spanish (the learner's and trainer's usual device)."""
    context = _context(browser, PHONE, "es-MX", mobile=True)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    _fail_on_console_errors(page)
    yield page
    context.close()


@pytest.fixture
def desktop(browser: Browser, live_server) -> Iterator[Page]:
    """A desktop page in English."""
    context = _context(browser, DESKTOP, "en-GB", mobile=False)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    _fail_on_console_errors(page)
    yield page
    context.close()


def _fail_on_console_errors(page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors  # type: ignore[attr-defined]


def go(page: Page, path: str) -> None:
    page.goto(page.base_url + path)  # type: ignore[attr-defined]


def sign_in(page: Page, email: str, password: str) -> None:
    """Password, then (for staff, enrolled by ``make_user``) the authenticator code."""
    from fortalece.core.testing import totp_code

    go(page, "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    for _attempt in range(3):
        if "/accounts/mfa/code/" not in page.url:
            break
        if _attempt:
            # A code works once: a second sign-in of the same user within the same 30-s step
            # (desktop, then phone) must wait for the next code, as a person would.
            time.sleep(30 - time.time() % 30 + 1)
        page.fill("input[name=code]", totp_code())
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot and check the page has no console errors (e.g. CSP)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^a-z0-9_-]+", "-", name.lower()) + ".png")
    page.screenshot(path=str(path), full_page=True)
    errors = getattr(page, "console_errors", [])
    assert not errors, f"Console errors on {page.url}: {errors}"
    return path
