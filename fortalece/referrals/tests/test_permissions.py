"""Each referral URL's permission matrix: anonymous -> sign in; the roles the policies allow
-> 200; the others -> 403/404 (issue #11)."""

import pytest
from django.urls import reverse

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix
from fortalece.referrals.models import Pathway, Service

pytestmark = pytest.mark.django_db

EVERYONE = {
    "admin",
    "manager",
    "state_manager",
    "other_state_manager",
    "other_manager",
    "me",
    "trainer",
    "focal",
    "donor",
    "learner",
}
# Managers and focal points hold the roles that keep a directory somewhere.
KEEPERS = {"admin", "manager", "state_manager", "other_state_manager", "other_manager", "focal"}
# Those who keep Michoacán's entries.
MICHOACAN = {"admin", "manager", "state_manager", "focal"}


@pytest.fixture
def objects(world):
    service = Service.objects.create(
        name="Refugio", kind="shelter", country=world.mexico, subdivision=world.michoacan
    )
    pathway = Pathway.objects.create(
        country=world.mexico, subdivision=world.michoacan, case_kind="girl"
    )
    return service, pathway


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("search", []),
        ("card", []),
        ("card_pdf", []),
        ("service_list", []),
        ("service_export", ["csv"]),
        ("pathway_list", []),
    ],
)
def test_read_pages_for_every_signed_in_role(world, name, args):
    assert_permission_matrix(reverse(f"referrals:{name}", args=args), matrix(world, EVERYONE))


def test_detail_pages_for_every_signed_in_role(world, objects):
    service, pathway = objects
    for url in (service.get_absolute_url(), pathway.get_absolute_url()):
        assert_permission_matrix(url, matrix(world, EVERYONE))


@pytest.mark.parametrize(
    "name", ["service_create", "service_import", "service_reverify", "pathway_create"]
)
def test_keeper_pages(world, name):
    assert_permission_matrix(reverse(f"referrals:{name}"), matrix(world, KEEPERS))


@pytest.mark.parametrize("name", ["service_create", "service_import", "pathway_create"])
def test_keeper_posts(world, name):
    assert_permission_matrix(reverse(f"referrals:{name}"), matrix(world, KEEPERS), method="post")


def test_changing_an_entry_needs_its_state(world, objects):
    service, pathway = objects
    for name, obj in (
        ("service_update", service),
        ("service_delete", service),
        ("pathway_update", pathway),
        ("pathway_delete", pathway),
    ):
        url = reverse(f"referrals:{name}", args=[obj.pk])
        assert_permission_matrix(url, matrix(world, MICHOACAN))
    url = reverse("referrals:service_verified", args=[service.pk])
    assert_permission_matrix(url, matrix(world, MICHOACAN), method="post")
    assert_permission_matrix(
        reverse("referrals:service_update", args=[service.pk]),
        matrix(world, MICHOACAN),
        method="post",
    )
