"""Permission matrices for the six routes issue 14 found without one (the generated matrix in
test_access_matrix.py covers them on the demo data too; these name each role's answer)."""

import pytest
from django.urls import reverse

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for

pytestmark = pytest.mark.django_db

RULE_VIEWERS = {
    "admin",
    "manager",
    "state_manager",
    "other_state_manager",
    "me",
    "trainer",
    "focal",
}
PROGRAMME_MANAGERS = {"admin", "manager"}


@pytest.fixture
def accreditation(world):
    from fortalece.cascade import services
    from fortalece.training.tests.factories import CourseFactory

    ttt = CourseFactory(programme=world.programme, is_train_the_trainer=True)
    rule = services.accreditation_rule_create(
        programme=world.programme,
        course=world.course,
        ttt_course=ttt,
        requires_assessment=False,
        min_cofacilitations=0,
        validity_months=24,
    )
    return services.accreditation_grant(
        rule=rule, person=world.trainer_person, by=world.users["admin"], reason="Passed"
    )


def test_rule_create(world):
    url = reverse("cascade:rule_create", args=[world.programme.pk])
    assert_permission_matrix(url, matrix(world, PROGRAMME_MANAGERS))
    assert_permission_matrix(url, matrix(world, PROGRAMME_MANAGERS), method="post")


def test_assessment(world, accreditation):
    url = reverse("cascade:assessment", args=[accreditation.rule_id, world.person.pk])
    assert_permission_matrix(url, matrix(world, PROGRAMME_MANAGERS))
    assert_permission_matrix(url, matrix(world, PROGRAMME_MANAGERS), method="post")
    stranger = reverse("cascade:assessment", args=[accreditation.rule_id, world.stranger.pk])
    assert client_for(world.users["manager"]).get(stranger).status_code == 404


def test_history(world, accreditation):
    url = reverse("cascade:history", args=[accreditation.rule_id, accreditation.pk])
    assert_permission_matrix(url, matrix(world, RULE_VIEWERS))


def test_instrument_download(world):
    from fortalece.impact.core.simulate import simulate
    from fortalece.impact.core.xlsform import write_xlsform
    from fortalece.impact.services.instruments import instrument_upload

    instrument = instrument_upload(
        programme=world.programme,
        name="form.xlsx",
        content=write_xlsform(simulate(seed=3).instrument),
        by=None,
    )
    url = reverse("impact:instrument_download", args=[instrument.pk])
    allowed = {"admin", "manager", "state_manager", "other_state_manager", "me"}
    assert_permission_matrix(url, matrix(world, allowed))


@pytest.mark.parametrize("route", ["issuer", "badge_image"])
def test_open_badges_documents_are_public_and_say_nothing_personal(world, route):
    """Open Badges verifiers fetch these without an account: every row, anonymous included,
    gets the document, and it names no person."""
    url = (
        reverse("credentials:issuer")
        if route == "issuer"
        else reverse("credentials:badge_image", args=[world.course.pk])
    )
    for row in matrix(world, set()):
        response = client_for(row.user).get(url)
        assert response.status_code == 200, (row.label, response.status_code)
        body = response.content.decode()
        assert world.person.family_names not in body
