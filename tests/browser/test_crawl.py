"""Every demo role signs in on a phone and follows every link it is shown.

A link its reader may not follow (4xx), a page that breaks (5xx) or a page wider than a
390-px phone fails the test. Links are same-origin, followed breadth-first from the home page;
pages of one URL shape (``/workshops/12/`` and ``/workshops/15/``) are visited a few times, not
all of them, so the crawl stays bounded. Sign-out and downloads are not rendered: downloads are
requested and must answer 200.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from fortalece.accounts import otp
from fortalece.demo.seed.accounts import DEFAULT_PASSWORD as DEMO_PASSWORD
from fortalece.demo.seed.accounts import DEMO_TOTP_SECRET
from tests.browser.conftest import PHONE, _context

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = [
    "admin@demo.fortalece.org",
    "manager@demo.fortalece.org",
    "michoacan@demo.fortalece.org",
    "trainer@demo.fortalece.org",
    "me@demo.fortalece.org",
    "focal@demo.fortalece.org",
    "donor@demo.fortalece.org",
    "learner@demo.fortalece.org",
]
MAX_PAGES = 70
PER_SHAPE = 2
# Not rendered: signing out ends the crawl; the Django admin has its own tests.
SKIP = re.compile(r"^/(accounts/logout|admin/|api/v1/docs)")
DOWNLOAD = re.compile(
    r"(\.(pdf|csv|xlsx|json|xml|png|svg|zip)$|/(export|download|pdf|iati|qr|badge|blank|xlsform|templates/[a-z]+)(/|\.|$))"
)
OVERFLOW = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
LINKS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => ({
    href: a.href, download: a.hasAttribute('download')}))"""


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/N", re.sub(r"/[A-Z0-9]{13}(?=/|$)", "/CODE", path))


def _crawl(browser: Browser, base: str, email: str) -> tuple[list[str], int]:
    context = _context(browser, PHONE, "es-MX", mobile=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems: list[str] = []
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    if "/accounts/mfa/code/" in page.url:
        page.fill("input[name=code]", otp.totp(DEMO_TOTP_SECRET, __import__("time").time()))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
    assert "/accounts/" not in urlsplit(page.url).path, f"{email} could not sign in: {page.url}"

    origin = urlsplit(base).netloc
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    seen: set[str] = {"/"}
    shapes: dict[str, int] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        url, found_on = queue.popleft()
        visited += 1
        try:
            response = page.goto(base + url)
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                raise
            # A download the URL did not announce: it must still answer 200.
            answer = page.request.get(base + url)
            if not _downloaded(answer):
                problems.append(f"{email}: download {url} answered {answer.status}")
            continue
        status = response.status if response else 0
        if status >= 400 or status == 0:
            problems.append(f"{email}: {url} answered {status} (linked from {found_on})")
            continue
        if page.evaluate(OVERFLOW):
            width = page.evaluate("document.documentElement.scrollWidth")
            problems.append(f"{email}: {url} is {width} px wide on a 390-px phone")
        for link in page.evaluate(LINKS):
            parts = urlsplit(link["href"])
            if parts.netloc != origin or parts.scheme not in ("http", "https"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or SKIP.match(parts.path):
                continue
            seen.add(target)
            if link["download"] or DOWNLOAD.search(parts.path):
                answer = page.request.get(urljoin(base, target))
                if not _downloaded(answer):
                    problems.append(
                        f"{email}: download {target} answered {answer.status} (on {url})"
                    )
                continue
            shape = _shape(parts.path) + ("?" if parts.query else "")
            if shapes.get(shape, 0) >= PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append((target, url))
    context.close()
    return problems, visited


def _downloaded(answer) -> bool:  # type: ignore[no-untyped-def]
    """200 at the end, and not by way of the sign-in or code page (a saved report's PDF link
    redirects to the PDF itself; a refused one would redirect to sign in)."""
    final = urlsplit(answer.url).path
    return answer.status == 200 and not final.startswith("/accounts/")


def test_every_demo_role_follows_every_link_it_is_shown_on_a_phone(browser, live_server):
    call_command("seed_demo", verbosity=0)
    problems: list[str] = []
    visited: dict[str, int] = {}
    for email in ROLES:
        found, count = _crawl(browser, live_server.url, email)
        problems += found
        visited[email] = count
    assert not problems, "\n".join(problems)
    # The crawl really walked: every role saw more than its home page.
    assert all(count > 3 for count in visited.values()), visited
