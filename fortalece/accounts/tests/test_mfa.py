"""MFA (SECURITY.md: ASVS 6.3.2): required for staff who see personal data, a code cannot be
replayed, sensitive actions ask for a fresh code."""

import time

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from fortalece.accounts import mfa, otp
from fortalece.accounts.models import RecoveryCode, Role, RoleAssignment, TOTPDevice
from fortalece.core.figures import record
from fortalece.core.models import AuditEvent
from fortalece.core.testing import PASSWORD, TOTP_SECRET, client_for, make_user, totp_code

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # b"12345678901234567890"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Failed-code counters live in the cache; user ids are reused between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("at", "code"),
    [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_totp_matches_rfc_6238_vectors(at, code):
    assert otp.totp(RFC_SECRET, at) == code


def test_a_code_is_accepted_once_and_never_again():
    now = 1_800_000_000.0
    code = otp.totp(RFC_SECRET, now)
    first = otp.match_totp(RFC_SECRET, code, now=now, last_step=None)
    assert first == otp.step(now)
    assert otp.match_totp(RFC_SECRET, code, now=now, last_step=first) is None
    # The previous step's code still works (clock skew) unless a later one was used.
    previous = otp.totp(RFC_SECRET, now - 30)
    assert otp.match_totp(RFC_SECRET, previous, now=now, last_step=None) == first - 1
    assert otp.match_totp(RFC_SECRET, previous, now=now, last_step=first) is None
    assert (
        otp.match_totp(RFC_SECRET, otp.totp(RFC_SECRET, now - 60), now=now, last_step=None) is None
    )


@given(st.text(max_size=40))
def test_any_typed_text_is_refused_or_matched_without_error(text):
    result = otp.match_totp(RFC_SECRET, text, now=1_800_000_000.0, last_step=None)
    assert (
        result is None
        or otp.normalise(text) == otp.totp(RFC_SECRET, 1_800_000_000.0)
        or (otp.normalise(text) == otp.totp(RFC_SECRET, 1_800_000_000.0 - 30))
    )


def test_recovery_codes_are_random_and_stored_hashed(db):
    user = make_user(Role.ADMINISTRATOR)
    codes = mfa.recovery_codes_regenerate(user=user)
    assert len(set(codes)) == otp.RECOVERY_CODE_COUNT
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_sha256", flat=True))
    assert not stored & set(codes)
    assert mfa.mfa_verify(user=user, code=codes[0].upper()) == "recovery_code"
    assert mfa.mfa_verify(user=user, code=codes[0]) is None  # single use


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.PROGRAMME_MANAGER, True),
        (Role.TRAINER, True),
        (Role.ME_OFFICER, True),
        (Role.FOCAL_POINT, True),
        (Role.DONOR_VIEWER, False),
        (Role.LEARNER, False),
    ],
)
def test_every_staff_role_that_sees_personal_data_needs_mfa(world, role, required):
    user = make_user()
    scope = {} if role in (Role.ADMINISTRATOR, Role.LEARNER) else {"country": world.mexico}
    RoleAssignment.objects.create(user=user, role=role, **scope)
    assert mfa.mfa_required(user) is required
    client = Client()
    client.force_login(user)
    response = client.get("/")
    if required:
        assert response.status_code == 302
        assert response["Location"] == "/accounts/mfa/setup/"
        # Nothing else is reachable either, not even by a direct link.
        assert client.get("/people/").status_code == 302
    else:
        assert response.status_code == 200


def test_enrolment_on_first_sign_in_then_recovery_codes_shown_once(db):
    user = make_user()
    RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.get("/").url == "/accounts/mfa/setup/"
    page = client.get("/accounts/mfa/setup/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    secret = client.session[mfa.SETUP_KEY]
    wrong = client.post("/accounts/mfa/setup/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()
    done = client.post("/accounts/mfa/setup/", {"code": otp.totp(secret, time.time())})
    assert done.url == "/accounts/mfa/recovery-codes/"
    shown = client.get(done.url).content.decode()
    assert shown.count("<li><code>") == otp.RECOVERY_CODE_COUNT
    assert "<li><code>" not in client.get(done.url).content.decode()
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MFA_ENROLLED, user=user).exists()


def _sign_in(email: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_sign_in_asks_for_the_code_and_a_used_code_is_refused(db):
    user = make_user(Role.ADMINISTRATOR)
    first = _sign_in(user.email)
    assert first.get("/people/").url == "/accounts/mfa/code/?next=%2Fpeople%2F"
    code = totp_code()
    response = first.post("/accounts/mfa/code/?next=/people/", {"code": code})
    assert response.status_code == 302
    assert response.url == "/people/"
    assert first.get("/people/").status_code == 200

    # Someone who watched the code being typed, with the password too, cannot reuse it.
    second = _sign_in(user.email)
    replay = second.post("/accounts/mfa/code/", {"code": code})
    assert replay.status_code == 200
    assert second.get("/").status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MFA_FAILED, user=user).count() == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MFA_VERIFIED, user=user).count() == 1


def test_wrong_codes_are_limited(db):
    user = make_user(Role.ADMINISTRATOR)
    client = _sign_in(user.email)
    for _ in range(mfa.MAX_FAILURES):
        client.post("/accounts/mfa/code/", {"code": "123456"})
    right = client.post("/accounts/mfa/code/", {"code": totp_code()})
    assert right.status_code == 200
    assert "15" in right.content.decode()
    assert client.get("/").status_code == 302


def test_the_code_page_never_redirects_off_site(db):
    user = make_user(Role.ADMINISTRATOR)
    client = _sign_in(user.email)
    response = client.post("/accounts/mfa/code/?next=https://evil.example/", {"code": totp_code()})
    assert response.url == "/"


def test_sensitive_actions_ask_for_a_fresh_code(world):
    admin = world.users["admin"]
    client = client_for(admin)
    session = client.session
    session[mfa.VERIFIED_AT] = time.time() - 3600  # signed in with a code an hour ago
    session.save()
    target = make_user()
    url = f"/users/{target.pk}/"
    assert client.get(url).status_code == 200  # looking is fine
    response = client.post(
        url, {"role": Role.ADMINISTRATOR}, HTTP_REFERER="http://testserver" + url
    )
    assert response.status_code == 302
    assert response.url.startswith("/accounts/mfa/code/")
    assert not target.role_assignments.exists()
    client.post("/accounts/mfa/code/", {"code": totp_code()})
    client.post(url, {"role": Role.ADMINISTRATOR})
    assert target.role_assignments.filter(role=Role.ADMINISTRATOR).exists()


def test_staff_cannot_remove_their_authenticator_app_and_replacing_it_needs_a_code(db):
    user = make_user(Role.ADMINISTRATOR)
    client = client_for(user)
    session = client.session
    session[mfa.VERIFIED_AT] = time.time() - 3600
    session.save()
    client.get("/accounts/mfa/setup/")
    new_secret = client.session[mfa.SETUP_KEY]
    response = client.post("/accounts/mfa/setup/", {"code": otp.totp(new_secret, time.time())})
    assert response.url.startswith("/accounts/mfa/code/")
    assert TOTPDevice.objects.get(user=user).secret == TOTP_SECRET


def test_the_mfa_pages_need_a_sign_in(db):
    for url in ("/accounts/mfa/setup/", "/accounts/mfa/code/", "/accounts/mfa/recovery-codes/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response.url


def test_a_donor_may_use_mfa_and_is_then_asked_for_it(world):
    donor = world.users["donor"]
    TOTPDevice.objects.create(user=donor, secret=TOTP_SECRET)
    client = Client()
    client.force_login(donor)
    assert client.get("/").url.startswith("/accounts/mfa/code/")


def test_mfa_coverage_of_staff_accounts(world):
    needing = [u for u in world.users.values() if u.is_active and mfa.mfa_required(u)]
    enrolled = [u for u in needing if mfa.mfa_enrolled(u)]
    record("mfa_coverage_test_cast", staff_needing_mfa=len(needing), enrolled=len(enrolled))
    assert needing
    assert len(enrolled) == len(needing)


def test_an_administrator_removes_a_lost_authenticator_app(world):
    from django.urls import reverse

    from fortalece.core.testing import Expect, assert_permission_matrix

    target = world.users["manager"]
    url = reverse("accounts:mfa_reset", args=[target.pk])
    rows = [
        Expect("anonymous", None, False),
        Expect("inactive", world.users["inactive"], False),
        Expect("manager", world.users["manager"], False),
        Expect("me", world.users["me"], False),
        Expect("learner", world.users["learner"], False),
        Expect("admin", world.users["admin"], True),
    ]
    assert_permission_matrix(url, rows)
    assert mfa.mfa_enrolled(target)
    assert_permission_matrix(url, rows, method="post")
    assert not mfa.mfa_enrolled(target)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.MFA_RESET).count() == 1


def test_role_changes_are_audited(world):
    admin = world.users["admin"]
    target = make_user()
    client = client_for(admin)
    client.post(f"/users/{target.pk}/", {"role": Role.ADMINISTRATOR})
    assignment = target.role_assignments.get()
    client.post(f"/users/{target.pk}/roles/{assignment.pk}/remove/")
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_CHANGED, user=admin)
    assert [e.detail.get("added") or e.detail.get("removed") for e in events.order_by("id")] == [
        "administrator",
        "administrator",
    ]


def test_the_code_page_shows_no_menu_and_no_signed_in_message_before_the_code(db):
    user = make_user(Role.ADMINISTRATOR)
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert response.request["PATH_INFO"] == "/accounts/mfa/code/"
    page = response.content.decode()
    assert 'href="/people/"' not in page and 'href="/accounts/users/"' not in page
    assert response.context["nav_items"] == []
    assert not [m for m in response.context["messages"] if "signed in" in str(m).lower()]
    after = client.post("/accounts/mfa/code/", {"code": totp_code()}, follow=True)
    assert after.context["nav_items"]
