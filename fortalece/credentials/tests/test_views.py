import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fortalece.accounts.models import Role
from fortalece.core.testing import Expect, assert_permission_matrix, client_for, make_user
from fortalece.credentials import services
from fortalece.credentials.models import Certificate
from fortalece.geography.tests.factories import CountryFactory
from fortalece.training.models import Enrolment
from fortalece.training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    mexico = CountryFactory(code="MX")
    guatemala = CountryFactory(code="GT")
    enrolment = EnrolmentFactory(
        status=Enrolment.Status.COMPLETED, person__email="alejandra@example.org"
    )
    manager = make_user(Role.PROGRAMME_MANAGER, country=mexico)
    certificate = services.certificate_issue(enrolment=enrolment, by=manager, language="es")
    learner = make_user(Role.LEARNER, person=enrolment.person)
    return {
        "enrolment": enrolment,
        "certificate": certificate,
        "manager": manager,
        "other_manager": make_user(Role.PROGRAMME_MANAGER, country=guatemala),
        "learner": learner,
        "other_learner": make_user(Role.LEARNER, person=EnrolmentFactory().person),
        "donor": make_user(Role.DONOR_VIEWER, programme=enrolment.workshop.programme),
        "admin": make_user(Role.ADMINISTRATOR),
        "inactive": make_user(Role.ADMINISTRATOR, active=False),
    }


def test_issuing_twice_returns_the_same_certificate(world):
    again = services.certificate_issue(enrolment=world["enrolment"], by=world["manager"])
    assert again.pk == world["certificate"].pk
    assert Certificate.objects.count() == 1


def test_only_completed_enrolments_earn_a_certificate():
    enrolment = EnrolmentFactory(status=Enrolment.Status.ATTENDED)
    with pytest.raises(ValidationError):
        services.certificate_issue(enrolment=enrolment, by=None)


def test_public_verification_of_a_valid_certificate_shows_only_name_course_date(client, world):
    certificate = world["certificate"]
    response = client.get(reverse("credentials:verify", args=[certificate.display_code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert certificate.holder_name in body
    assert certificate.course_title in body
    assert "alejandra@example.org" not in body
    assert world["enrolment"].person.institution.name not in body


def test_public_verification_of_a_revoked_certificate_says_so(client, world):
    services.certificate_revoke(
        certificate=world["certificate"], by=world["manager"], reason="Error"
    )
    response = client.get(reverse("credentials:verify", args=[world["certificate"].code]))
    assert response.status_code == 200
    assert b"badge--error" in response.content
    assert b"badge--ok" not in response.content


def test_unknown_and_malformed_codes_get_a_clear_message(client, world):
    code = world["certificate"].code
    unknown = code[:-1] + ("0" if code[-1] != "0" else "1")
    for candidate in (unknown, "not-a-code", "DROP TABLE;"):
        response = client.get(reverse("credentials:verify", args=[candidate]))
        assert response.status_code == 404
        assert b"form-errors" in response.content


def test_verify_form_redirects_to_the_canonical_code(client, world):
    response = client.get(
        reverse("credentials:verify_form"), {"code": world["certificate"].display_code.lower()}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("credentials:verify", args=[world["certificate"].code])


def test_badge_assertion_is_open_badges_2_with_a_hashed_recipient(client, world):
    response = client.get(reverse("credentials:assertion", args=[world["certificate"].code]))
    document = json.loads(response.content)
    assert document["type"] == "Assertion"
    assert document["recipient"]["hashed"] is True
    assert "alejandra" not in json.dumps(document)
    badge = client.get(
        reverse("credentials:badge_class", args=[world["enrolment"].workshop.course_id])
    )
    assert json.loads(badge.content)["type"] == "BadgeClass"
    services.certificate_revoke(certificate=world["certificate"], by=world["manager"], reason="x")
    revoked = client.get(reverse("credentials:assertion", args=[world["certificate"].code]))
    assert revoked.status_code == 410


def test_pdf_is_a_pdf(world):
    response = client_for(world["learner"]).get(
        reverse("credentials:pdf", args=[world["certificate"].pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_bulk_issue_for_a_workshop_issues_each_completed_participant_once(world):
    workshop = world["enrolment"].workshop
    EnrolmentFactory(workshop=workshop, status=Enrolment.Status.COMPLETED)
    EnrolmentFactory(workshop=workshop, status=Enrolment.Status.ATTENDED)
    client = client_for(world["manager"])
    url = reverse("credentials:workshop", args=[workshop.pk])
    client.post(url, {"language": "en"})
    client.post(url, {"language": "en"})
    assert Certificate.objects.filter(enrolment__workshop=workshop).count() == 2


def test_permission_matrix_for_certificate_pages(world):
    pk = world["certificate"].pk
    for name, holder_allowed in (("credentials:pdf", True), ("credentials:badge", True)):
        assert_permission_matrix(
            reverse(name, args=[pk]),
            [
                Expect("anonymous", None, False),
                Expect("inactive", world["inactive"], False),
                Expect("admin", world["admin"], True),
                Expect("holder", world["learner"], holder_allowed),
                Expect("another learner", world["other_learner"], False),
                Expect("manager of another country", world["other_manager"], False),
                Expect("donor", world["donor"], False),
            ],
        )
    for url in (
        reverse("credentials:revoke", args=[pk]),
        reverse("credentials:workshop", args=[world["enrolment"].workshop_id]),
    ):
        assert_permission_matrix(
            url,
            [
                Expect("anonymous", None, False),
                Expect("inactive", world["inactive"], False),
                Expect("admin", world["admin"], True),
                Expect("manager", world["manager"], True),
                Expect("holder", world["learner"], False),
                Expect("manager of another country", world["other_manager"], False),
                Expect("donor", world["donor"], False),
            ],
        )
    assert_permission_matrix(
        reverse("credentials:mine"),
        [
            Expect("anonymous", None, False),
            Expect("inactive", world["inactive"], False),
            Expect("holder", world["learner"], True),
        ],
    )
