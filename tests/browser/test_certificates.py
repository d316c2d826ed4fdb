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


def test_trainer_opens_their_cascade_on_a_phone(phone):
    from fortalece.accounts.models import Role
    from fortalece.core.testing import PASSWORD, make_user
    from fortalece.people.tests.factories import PersonFactory
    from fortalece.training.models import WorkshopTrainer
    from fortalece.training.tests.factories import WorkshopFactory
    from tests.browser.conftest import sign_in

    alejandra = PersonFactory(given_names="Alejandra", family_names="Ruíz Ortiz")
    first = WorkshopFactory()
    WorkshopTrainer.objects.create(workshop=first, person=alejandra)
    officers = [
        EnrolmentFactory(workshop=first, status=Enrolment.Status.COMPLETED).person for _ in range(4)
    ]
    second = WorkshopFactory(course=first.course)
    WorkshopTrainer.objects.create(workshop=second, person=officers[0])
    for _ in range(3):
        EnrolmentFactory(workshop=second, status=Enrolment.Status.ATTENDED)
    make_user(
        Role.TRAINER, email="trainer@example.org", programme=first.programme, person=alejandra
    )

    sign_in(phone, "trainer@example.org", PASSWORD)
    go(phone, "/training/mine/")
    shot(phone, "my-training-trainer-phone-es")
    phone.get_by_role("link", name="Ver mi cascada", exact=False).click()
    phone.wait_for_load_state("networkidle")
    values = phone.locator(".stat__value").all_inner_texts()
    assert values[:3] == ["4", "3", "1"]
    phone.locator(".cascade-tree summary").first.click()
    phone.wait_for_timeout(600)
    assert phone.locator(".cascade-tree__children").first.is_visible()
    shot(phone, "cascade-trainer-phone-es")
