import pytest

from fortalece.credentials import services
from fortalece.training.models import Enrolment
from fortalece.training.tests.factories import EnrolmentFactory
from tests.browser.conftest import go, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_of_the_public_verifies_a_certificate_on_a_phone(phone):
    enrolment = EnrolmentFactory(
        status=Enrolment.Status.COMPLETED,
        person__given_names="Gerardo Daniel",
        person__family_names="Duarte Arroyo",
    )
    certificate = services.certificate_issue(enrolment=enrolment, by=None)

    go(phone, "/verify/")
    shot(phone, "verify-form-phone-es")
    phone.fill("input[name=code]", certificate.display_code.lower())
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert "Gerardo Daniel Duarte Arroyo" in phone.content()
    assert phone.locator(".badge--ok").is_visible()
    shot(phone, "verify-valid-phone-es")

    services.certificate_revoke(certificate=certificate, by=None, reason="Issued by mistake")
    phone.reload()
    assert phone.locator(".badge--error").is_visible()
    shot(phone, "verify-revoked-phone-es")

    go(phone, "/verify/?code=NOT-A-CODE")
    assert phone.locator(".errorlist").is_visible()
    shot(phone, "verify-malformed-phone-es")
